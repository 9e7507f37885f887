package kongschema

import (
	"math"
	"testing"
)

func TestSingleFieldValidators(t *testing.T) {
	tests := []struct {
		name  string
		fn    func(string) error
		value string
		want  string // "" when valid
	}{
		{"name", ValidateName, "my-service.v1~x_y", ""},
		{"name", ValidateName, "円", ""},
		{"name", ValidateName, "foo bar", "invalid value 'foo bar': the only accepted ascii characters are alphanumerics or ., -, _, and ~"},
		{"name", ValidateName, "", "length must be at least 1"},
		{"name", ValidateName, "a\xff", "invalid utf-8 character sequence detected at position 2"},
		{"host", ValidateHost, "example.com", ""},
		{"host", ValidateHost, "example.com:80", "must not have a port"},
		{"host", ValidateHost, "exa mple", "invalid value: exa mple"},
		{"host", ValidateHost, "", "length must be at least 1"},
		{"service path", ValidateServicePath, "/a/b", ""},
		{"service path", ValidateServicePath, "a", "should start with: /"},
		{"service path", ValidateServicePath, "/a//b", "must not have empty segments"},
		{"service path", ValidateServicePath, "/a%zz", "invalid url-encoded value: '%zz'"},
		{"route path", ValidateRoutePath, "~/v[0-9]+", ""},
		{"route path", ValidateRoutePath, "v1", "should start with: / (fixed path) or ~/ (regex path)"},
		{"route host", ValidateRouteHost, "*.example.com", ""},
		{"route host", ValidateRouteHost, "a.*.com", "invalid wildcard: must be placed at leftmost or rightmost label"},
		{"header", ValidateHeaderName, "X-Foo_1", ""},
		{"header", ValidateHeaderName, "Host", "cannot contain 'host' header, which must be specified in the 'hosts' attribute"},
		{"http header", ValidateHTTPHeaderName, "Host", ""},
		{"http header", ValidateHTTPHeaderName, "x:y", "bad header name 'x:y', allowed characters are A-Z, a-z, 0-9, '_', and '-'"},
		{"header", ValidateHeaderName, "x:y", "bad header name 'x:y', allowed characters are A-Z, a-z, 0-9, '_', and '-'"},
		{"sni", ValidateSNI, "*.example.com", ""},
		{"sni", ValidateSNI, "10.0.0.1", "must not be an IP"},
		{"ip", ValidateIPOrCIDR, "10.0.0.0/8", ""},
		{"ip", ValidateIPOrCIDR, "2001:db8::/32", ""},
		{"ip", ValidateIPOrCIDR, "10.0.0.0/33", "invalid ip or cidr range: '10.0.0.0/33'"},
		{"tag", ValidateTag, "env: prod #1", ""},
		{"tag", ValidateTag, "🦍", ""},
		{"tag", ValidateTag, "a,b", "invalid tag 'a,b': expected printable ascii (except `,` and `/`) or valid utf-8 sequences"},
		{"tag", ValidateTag, "a\tb", "invalid tag 'a\tb': expected printable ascii (except `,` and `/`) or valid utf-8 sequences"},
		{"tag", ValidateTag, "\xc3", "invalid utf-8 character sequence detected at position 1"},
		{"tag", ValidateTag, "", "length must be at least 1"},
		{"method", ValidateMethod, "PURGE", ""},
		{"method", ValidateMethod, "Get", "invalid value: Get"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.value, func(t *testing.T) {
			err := tt.fn(tt.value)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %q", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCheckUTF8(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"plain", 0}, {"Конг 孔 🦍", 0}, {"\xc3", 1}, {"ab\xe2\x82", 3}, {"\xed\xa0\x80", 1}, {"\xf4\x90\x80\x80", 1},
		// Kong accepts 0x7B-0x7F after a two-byte lead byte.
		{"\xc3\x7b", 0}, {"\xc3\x7a", 1},
	}
	for _, tt := range tests {
		if got := checkUTF8(tt.in); got != tt.want {
			t.Errorf("checkUTF8(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestLuaToNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"80", 80, true}, {" 80 ", 80, true}, {"0x1F", 31, true}, {"-0x10", -16, true}, {"1e3", 1000, true},
		{"1.5", 1.5, true}, {".5", 0.5, true}, {"", 0, false}, {"abc", 0, false}, {"inf", 0, false},
		{"nan", 0, false}, {"1_000", 0, false}, {"--1", 0, false},
	}
	for _, tt := range tests {
		got, ok := luaToNumber(tt.in)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("luaToNumber(%q) = %v, %v", tt.in, got, ok)
		}
	}
	for f, want := range map[float64]string{80: "80", -3: "-3", 1.5: "1.5", 1e15: "1e+15", math.Inf(1): "inf"} {
		if got := luaNumString(f); got != want {
			t.Errorf("luaNumString(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestNormalizePath(t *testing.T) {
	tests := map[string]string{
		"/":             "/",
		"/a/b":          "/a/b",
		"/a/./b/../c":   "/a/c",
		"/../a":         "/a",
		"/a//b":         "/a/b",
		"/%7e%2fx%41":   "/~%2FxA",
		"/a/b/..":       "/a/",
		"/a/%2e%2e/b":   "/b",
		"/%zz":          "/%zz",
		"/x/y/z/../../": "/x/",
	}
	for in, want := range tests {
		if got := NormalizePath(in, true); got != want {
			t.Errorf("NormalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

// Entities without a dedicated Process function use the generic rules.
func TestGenericEntities(t *testing.T) {
	_, v, ok := Process("consumers", Insert, obj(t, `{"tags":["a"]}`), nil)
	if !ok {
		t.Fatal("consumers unknown")
	}
	wantMessage(t, v, "schema violation (at least one of these fields must be non-empty: 'custom_id', 'username')")
	_, v, _ = Process("consumers", Update, obj(t, `{"username":null}`), map[string]any{"username": "bob"})
	wantMessage(t, v, "schema violation (when updating, at least one of these fields must be non-empty: 'custom_id', 'username')")
	out, v, _ := Process("consumers", Insert, obj(t, `{"username":"bob"}`), nil)
	wantEntity(t, out, v, `{"username":"bob","custom_id":null,"tags":null}`)

	_, v, _ = Process("upstreams", Insert, obj(t, `{"name":"10.0.0.1"}`), nil)
	wantMessage(t, v, "schema violation (name: Invalid name ('10.0.0.1'); no ip addresses allowed)")
	_, v, _ = Process("upstreams", Insert, obj(t, `{"name":"u","hash_on":"header"}`), nil)
	wantMessage(t, v, "2 schema violations (failed conditional validation given value of field 'hash_on'; hash_on_header: required field missing)")
	out, v, _ = Process("upstreams", Insert, obj(t, `{"name":"u","healthchecks":{"active":{"timeout":5}}}`), nil)
	wantEntity(t, out, v, `{"algorithm":"round-robin","slots":10000}`)
	hc := out["healthchecks"].(map[string]any)["active"].(map[string]any)
	if hc["timeout"] != float64(5) || hc["concurrency"] != float64(10) || hc["http_path"] != "/" {
		t.Errorf("healthchecks.active: %s", jsonString(hc))
	}

	_, v, _ = Process("targets", Insert, obj(t, `{"target":"not a host"}`), nil)
	wantMessage(t, v, "2 schema violations (target: Invalid target ('not a host'); not a valid hostname or ip address; upstream: required field missing)")
	_, v, _ = Process("snis", Insert, obj(t, `{"name":"a.test","certificate":{"id":"`+svcID+`"}}`), nil)
	wantNoViolation(t, v)
	if _, _, ok := Process("nope", Insert, nil, nil); ok {
		t.Error("unknown entity processed")
	}
	v, ok = Validate("services", obj(t, `{"name":"test.service","host":"foo.com","protocol":"not-exist-protocol"}`))
	if !ok || v == nil {
		t.Error("invalid protocol accepted by Validate")
	}
	if v, _ := Validate("services", obj(t, `{"name":"test.service","host":"foo.com"}`)); v != nil {
		t.Errorf("valid service rejected: %s", v.Message())
	}
}
