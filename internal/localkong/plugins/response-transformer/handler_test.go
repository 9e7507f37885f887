package responsetransformer

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

func respond(t *testing.T, g pdk.Gateway, config map[string]any, header http.Header, body string) plugintest.Result {
	t.Helper()
	in := plugintest.Instance(t, Plugin, g, config)
	up := &pdk.Response{Status: 200, Header: header, Body: []byte(body)}
	return plugintest.Run(plugintest.Request("GET", "/", nil, ""), handler(g), in, up)
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}, "Content-Length": {"11"}}

// transform_json_body cases of spec/03-plugins/15-response-transformer/
// 02-body_transformer_spec.lua.
func TestResponseTransformerBody(t *testing.T) {
	add := map[string]any{"add": map[string]any{
		"json":       []any{"p1:v1", "p3:value:3", `p4:"v1"`, "p5:-1", "p6:false", "p7:true"},
		"json_types": []any{"string", "string", "string", "number", "boolean", "boolean"}}}
	appendCfg := map[string]any{"append": map[string]any{
		"json":       []any{"p1:v1", `p3:"v1"`, "p4:-1", "p5:false", "p6:true"},
		"json_types": []any{"string", "string", "number", "boolean", "boolean"}}}
	replace := map[string]any{"replace": map[string]any{
		"json":       []any{"p1:v2", `p2:"v2"`, "p3:-1", "p4:false", "p5:true"},
		"json_types": []any{"string", "string", "number", "boolean", "boolean"}}}
	tests := []struct {
		name   string
		config map[string]any
		body   string
		want   string
	}{
		{"add", add, `{"p2":"v1"}`, `{"p1":"v1","p2":"v1","p3":"value:3","p4":"\"v1\"","p5":-1,"p6":false,"p7":true}`},
		{"add keeps", add, `{"p2":-1,"p1":"x"}`, `{"p1":"x","p2":-1,"p3":"value:3","p4":"\"v1\"","p5":-1,"p6":false,"p7":true}`},
		{"add keeps empty arrays", add, `{"a":[]}`, `{"a":[],"p1":"v1","p3":"value:3","p4":"\"v1\"","p5":-1,"p6":false,"p7":true}`},
		{"append new", appendCfg, `{"p2":"v1"}`, `{"p1":["v1"],"p2":"v1","p3":["\"v1\""],"p4":[-1],"p5":[false],"p6":[true]}`},
		{"append existing", appendCfg, `{"p1":"v2"}`, `{"p1":["v2","v1"],"p3":["\"v1\""],"p4":[-1],"p5":[false],"p6":[true]}`},
		{"remove", map[string]any{"remove": map[string]any{"json": []any{"p1", "p2"}}}, `{"p1":"v1","p2":"v1"}`, `{}`},
		{"rename", map[string]any{"rename": map[string]any{"json": []any{"p1:k1", "p2:k2", "p3:k3"}}}, `{"p1":"v1","p2":"v2","p3":[]}`, `{"k1":"v1","k2":"v2","k3":[]}`},
		{"replace", replace, `{"p1":"v1","p2":"v1"}`, `{"p1":"v2","p2":"\"v2\""}`},
		{"replace only existing", replace, `{"p3":"x","p4":"y","p5":"z","p9":1}`, `{"p3":-1,"p4":false,"p5":true,"p9":1}`},
		{"combination", map[string]any{
			"remove":  map[string]any{"json": []any{"p1"}},
			"replace": map[string]any{"json": []any{"p2:v2"}},
			"append":  map[string]any{"json": []any{"p3:v2"}},
		}, `{"p1":"v1","p2":"v1","p3":"v1"}`, `{"p2":"v2","p3":["v1","v2"]}`},
		{"slashes and backslashes", map[string]any{"add": map[string]any{"json": []any{`u:http://a/b`, `w:a\b`}}}, `{}`, `{"u":"http://a/b","w":"a\\\\b"}`},
		{"invalid json untouched", add, `{"p2":`, `{"p2":`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := respond(t, plugintest.Kong310, tt.config, jsonHeader.Clone(), tt.body)
			if tt.want == tt.body {
				if res.Body != tt.want {
					t.Errorf("body %s, want it untouched", res.Body)
				}
				return
			}
			var got, want any
			if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
				t.Fatalf("body %q: %v", res.Body, err)
			}
			_ = json.Unmarshal([]byte(tt.want), &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("body %s, want %s", res.Body, tt.want)
			}
			if res.Header.Get("Content-Length") != "" {
				t.Errorf("Content-Length kept for a body that changes")
			}
		})
	}
	// Not JSON: left alone.
	res := respond(t, plugintest.Kong310, add, http.Header{"Content-Type": {"text/plain"}, "Content-Length": {"4"}}, `{"a"`)
	if res.Body != `{"a"` || res.Header.Get("Content-Length") != "4" {
		t.Errorf("text body changed: %q %v", res.Body, res.Header)
	}
	// application/*+json is JSON.
	res = respond(t, plugintest.Kong310, add, http.Header{"Content-Type": {"application/problem+json"}}, `{}`)
	if res.Body == `{}` {
		t.Errorf("problem+json body not transformed")
	}
}

// Header cases after spec/03-plugins/15-response-transformer/
// 01-header_transformer_spec.lua.
func TestResponseTransformerHeaders(t *testing.T) {
	res := respond(t, plugintest.Kong310, map[string]any{
		"remove":  map[string]any{"headers": []any{"h1", "h2"}},
		"rename":  map[string]any{"headers": []any{"h3:h3-renamed", "absent:x"}},
		"replace": map[string]any{"headers": []any{"h4:v4-new", "absent2:x"}},
		"add":     map[string]any{"headers": []any{"h4:nope", "h5:v5", "h1:readded"}},
		"append":  map[string]any{"headers": []any{"h6:v6b", "h7:v7"}},
	}, http.Header{"H1": {"v1"}, "H2": {"v2"}, "H3": {"v3"}, "H4": {"v4"}, "H6": {"v6a"}}, "")
	want := http.Header{
		"H3-Renamed": {"v3"}, "H4": {"v4-new"}, "H5": {"v5"}, "H6": {"v6a", "v6b"}, "H7": {"v7"},
	}
	if !reflect.DeepEqual(res.Header, want) {
		t.Errorf("headers %v, want %v", res.Header, want)
	}
}
