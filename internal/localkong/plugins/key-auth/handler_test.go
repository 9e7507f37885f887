package keyauth

import (
	"net/http"
	"strings"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

const (
	bobID  = "11111111-1111-4111-8111-111111111111"
	anonID = "22222222-2222-4222-8222-222222222222"
	credID = "33333333-3333-4333-8333-333333333333"
)

func store() *plugintest.Store {
	s := &plugintest.Store{Consumers: []map[string]any{
		{"id": bobID, "username": "bob", "custom_id": "b-1"},
		{"id": anonID, "username": "anon"},
	}}
	s.Add("keyauth_credentials", "kong", map[string]any{"id": credID, "key": "kong", "consumer": map[string]any{"id": bobID}})
	return s
}

// Cases from spec/03-plugins/09-key-auth/02-access_spec.lua.
func TestKeyAuth(t *testing.T) {
	tests := []struct {
		name    string
		g       pdk.Gateway
		config  map[string]any
		method  string
		target  string
		header  http.Header
		body    string
		status  int
		message string
		www     string
		// upstream checks, when proxied
		query     string
		upHeaders map[string]string
		upBody    string
	}{
		{name: "missing", status: 401, message: "No API key found in request", www: "Key"},
		{name: "empty header", header: http.Header{"Apikey": {""}}, status: 401, message: "No API key found in request", www: "Key"},
		{name: "realm", config: map[string]any{"realm": "test-realm"}, status: 401, message: "No API key found in request", www: `Key realm="test-realm"`},
		{name: "invalid", target: "/?apikey=123", status: 401, message: "Unauthorized", www: "Key"},
		{name: "duplicate query", target: "/?apikey=kong&apikey=kong", status: 401, message: "Duplicate API key found", www: "Key"},
		{name: "duplicate header", header: http.Header{"Apikey": {"kong", "kong"}}, status: 401, message: "Duplicate API key found", www: "Key"},
		{name: "preflight runs", method: "OPTIONS", status: 401, message: "No API key found in request", www: "Key"},
		{name: "preflight skipped", method: "OPTIONS", config: map[string]any{"run_on_preflight": false}, status: 200},
		{name: "valid query", target: "/?apikey=kong", status: 200, query: "apikey=kong", upHeaders: map[string]string{
			"X-Consumer-Id": bobID, "X-Consumer-Username": "bob", "X-Consumer-Custom-Id": "b-1",
			"X-Credential-Identifier": credID, "X-Anonymous-Consumer": "",
		}},
		{name: "valid header", header: http.Header{"Apikey": {"kong"}}, status: 200, upHeaders: map[string]string{"Apikey": "kong"}},
		{name: "key_names", config: map[string]any{"key_names": []any{"x-key"}}, header: http.Header{"X-Key": {"kong"}}, status: 200},
		{name: "header off", config: map[string]any{"key_in_header": false}, header: http.Header{"Apikey": {"kong"}}, status: 401, message: "No API key found in request", www: "Key"},
		{name: "query off", config: map[string]any{"key_in_query": false}, target: "/?apikey=kong", status: 401, message: "No API key found in request", www: "Key"},
		{name: "hide header", config: map[string]any{"hide_credentials": true}, header: http.Header{"Apikey": {"kong"}}, status: 200, upHeaders: map[string]string{"Apikey": ""}},
		{name: "hide query keeps order", config: map[string]any{"hide_credentials": true},
			target: "/request?c=valu%651&b=value2&api%6B%65%79=kong&a=valu%653", status: 200, query: "c=value1&b=value2&a=value3"},
		{name: "no hide keeps query", target: "/request?c=value1&b=value2&apikey=kong&a=value3", status: 200, query: "c=value1&b=value2&apikey=kong&a=value3"},
		{name: "body form", config: map[string]any{"key_in_body": true}, method: "POST",
			header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: "apikey=kong&x=1", status: 200, upBody: "apikey=kong&x=1"},
		{name: "body json hidden", config: map[string]any{"key_in_body": true, "hide_credentials": true}, method: "POST",
			header: http.Header{"Content-Type": {"application/json"}}, body: `{"apikey":"kong","x":1}`, status: 200, upBody: `{"x":1}`},
		{name: "body array names", config: map[string]any{"key_in_body": true}, method: "POST",
			header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: "apikey[]=kong&apikey[]=kong", status: 401, message: "No API key found in request", www: "Key"},
		{name: "body unsupported type", config: map[string]any{"key_in_body": true}, method: "POST",
			header: http.Header{"Content-Type": {"text/plain"}}, body: "foobar", status: 401, message: "No API key found in request", www: "Key"},
		{name: "anonymous", config: map[string]any{"anonymous": anonID}, target: "/?apikey=wrong", status: 200,
			upHeaders: map[string]string{"X-Consumer-Username": "anon", "X-Anonymous-Consumer": "true", "X-Credential-Identifier": ""}},
		{name: "anonymous by username", config: map[string]any{"anonymous": "anon"}, status: 200, upHeaders: map[string]string{"X-Consumer-Id": anonID}},
		{name: "anonymous with key", config: map[string]any{"anonymous": anonID}, target: "/?apikey=kong", status: 200, upHeaders: map[string]string{"X-Consumer-Username": "bob"}},
		{name: "anonymous missing", config: map[string]any{"anonymous": "nobody"}, status: 500, message: "anonymous consumer nobody is configured but doesn't exist"},
		// Before 3.7 only a missing key is challenged; before 3.6 a wrong
		// key was "Invalid authentication credentials".
		{name: "3.4 missing", g: plugintest.Kong34, status: 401, message: "No API key found in request", www: `Key realm="kong"`},
		{name: "3.4 invalid", g: plugintest.Kong34, target: "/?apikey=1", status: 401, message: "Invalid authentication credentials"},
		{name: "3.4 duplicate", g: plugintest.Kong34, target: "/?apikey=1&apikey=2", status: 401, message: "Duplicate API key found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.g
			if g.Version.Major == 0 {
				g = plugintest.Kong310
			}
			if tt.method == "" {
				tt.method = "GET"
			}
			if tt.target == "" {
				tt.target = "/"
			}
			in := plugintest.Instance(t, Plugin, g, tt.config)
			c := plugintest.Request(tt.method, tt.target, tt.header, tt.body)
			c.Store = store()
			res := plugintest.Run(c, handler(g), in, nil)
			if res.Status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", res.Status, tt.status, res.Body)
			}
			if tt.message != "" {
				if res.Exit == nil || !res.Exit.Error || res.Exit.Body != tt.message {
					t.Errorf("exit = %+v, want error %q", res.Exit, tt.message)
				}
			}
			if got := res.Header.Get("WWW-Authenticate"); got != tt.www {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.www)
			}
			if tt.query != "" && res.Upstream.URL.RawQuery != tt.query {
				t.Errorf("upstream query = %q, want %q", res.Upstream.URL.RawQuery, tt.query)
			}
			for k, want := range tt.upHeaders {
				if got := res.Upstream.Header.Get(k); got != want {
					t.Errorf("upstream %s = %q, want %q", k, got, want)
				}
			}
			if tt.upBody != "" {
				if got := string(c.RawBody()); !strings.EqualFold(got, tt.upBody) {
					t.Errorf("upstream body = %q, want %q", got, tt.upBody)
				}
			}
		})
	}
}
