package cors

import (
	"net/http"
	"sort"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

func preflight(origin string) http.Header {
	return http.Header{"Origin": {origin}, "Access-Control-Request-Method": {"GET"}}
}

// regex_testcases of spec/03-plugins/13-cors/01-access_spec.lua: a
// preflight from each origin, the Access-Control-Allow-Origin expected
// ("" when refused).
func TestCORSOrigins(t *testing.T) {
	cases := []struct {
		origins []any
		tests   map[string]string
	}{
		{[]any{"foo.test"}, map[string]string{
			"http://evil.test": "foo.test", "https://bar.test:1234": "foo.test"}},
		{[]any{"https://bar.test:1234"}, map[string]string{
			"http://evil.test": "https://bar.test:1234"}},
		{[]any{`foo\.test`}, map[string]string{
			"http://evil.test": "", "http://foo.test": "http://foo.test", "http://foo.test.evil.test": "",
			"http://something.foo.test": "", "http://evilfoo.test": "", "http://foo.test:80": "http://foo.test",
			"http://foo.test:8000": "http://foo.test:8000", "https://foo.test:8000": "https://foo.test:8000",
			"http://foobtest": "", "https://bar.test:1234": ""}},
		{[]any{`(.*[./])?foo\.test`}, map[string]string{
			"http://evil.test": "", "http://foo.test": "http://foo.test", "http://something.foo.test": "http://something.foo.test",
			"http://evilfoo.test": "", "http://foo.test:90": "http://foo.test:90"}},
		{[]any{`(.*[./])?foo\.test:8000`}, map[string]string{
			"http://foo.test": "", "http://foo.test:8000": "http://foo.test:8000", "https://foo.test:8000": "https://foo.test:8000",
			"http://foo.test:90": ""}},
		{[]any{`https://(.*[.])?foo\.test:8000`}, map[string]string{
			"http://foo.test:8000": "", "https://foo.test:8000": "https://foo.test:8000"}},
		{[]any{`^http://(.*[.])?foo\.test(:(80|90))?$`}, map[string]string{
			"http://foo.test": "http://foo.test", "http://something.foo.test": "http://something.foo.test",
			"http://foo.test:80": "http://foo.test", "http://foo.test:8000": "", "https://foo.test:8000": "", "http://foo.test:90": "http://foo.test:90"}},
		{[]any{"foo.test", "bar.test"}, map[string]string{
			"http://foo.test": "", "https://bar.test:1234": ""}},
		{[]any{"http://foo.test", "https://bar.test:1234"}, map[string]string{
			"http://evil.test": "", "http://foo.test": "http://foo.test", "http://foo.test:80": "http://foo.test",
			"http://foo.test:8000": "", "https://bar.test:1234": "https://bar.test:1234"}},
		{[]any{"bar.test", `(.*\.)?foo\.test`}, map[string]string{
			"http://something.foo.test": "http://something.foo.test", "http://foo.test.evil.test": ""}},
		{[]any{"http://a.test", "*"}, map[string]string{"http://www.example.net": "*"}},
	}
	for _, tc := range cases {
		in := plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"origins": tc.origins})
		h := handler(plugintest.Kong310)
		origins := make([]string, 0, len(tc.tests))
		for o := range tc.tests {
			origins = append(origins, o)
		}
		sort.Strings(origins)
		for _, origin := range origins {
			res := plugintest.Run(plugintest.Request("OPTIONS", "/", preflight(origin), ""), h, in, nil)
			if res.Status != 200 || res.Exit == nil {
				t.Fatalf("%v %s: status %d, exit %v", tc.origins, origin, res.Status, res.Exit)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != tc.tests[origin] {
				t.Errorf("%v given %s: ACAO %q, want %q", tc.origins, origin, got, tc.tests[origin])
			}
			if got := res.Header.Get("Access-Control-Allow-Methods"); got != defaultMethods {
				t.Errorf("%v given %s: methods %q", tc.origins, origin, got)
			}
		}
	}
}

func TestCORS(t *testing.T) {
	tests := []struct {
		name   string
		config map[string]any
		method string
		header http.Header
		up     *http.Header // the upstream's headers
		status int
		exit   bool // answered by the plugin
		want   map[string]string
		vary   []string
	}{
		{name: "preflight defaults", method: "OPTIONS", header: preflight("origin1.test"), status: 200, exit: true, want: map[string]string{
			"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": defaultMethods, "Access-Control-Allow-Headers": "",
			"Access-Control-Expose-Headers": "", "Access-Control-Allow-Credentials": "", "Access-Control-Max-Age": ""}},
		{name: "preflight wildcard credentials", config: map[string]any{"origins": []any{"*"}, "credentials": true},
			method: "OPTIONS", header: preflight("origin5.test"), status: 200, exit: true, vary: []string{"Origin"},
			want: map[string]string{"Access-Control-Allow-Origin": "origin5.test", "Access-Control-Allow-Credentials": "true"}},
		{name: "preflight options", config: map[string]any{"origins": []any{"example.test"}, "methods": []any{"GET"},
			"headers": []any{"origin", "type", "accepts"}, "exposed_headers": []any{"x-auth-token"}, "max_age": 23, "credentials": true},
			method: "OPTIONS", header: preflight("origin5.test"), status: 200, exit: true, vary: []string{"Origin"},
			want: map[string]string{"Access-Control-Allow-Methods": "GET", "Access-Control-Allow-Origin": "example.test",
				"Access-Control-Max-Age": "23", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Allow-Headers": "origin,type,accepts", "Access-Control-Expose-Headers": ""}},
		{name: "preflight request headers", method: "OPTIONS",
			header: http.Header{"Origin": {"o.test"}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Headers": {"origin,accepts"}},
			status: 200, exit: true, want: map[string]string{"Access-Control-Allow-Headers": "origin,accepts"}},
		{name: "preflight private network", config: map[string]any{"private_network": true}, method: "OPTIONS",
			header: http.Header{"Origin": {"o.test"}, "Access-Control-Request-Method": {"GET"}, "Access-Control-Request-Private-Network": {"true"}},
			status: 200, exit: true, want: map[string]string{"Access-Control-Allow-Private-Network": "true"}},
		{name: "preflight_continue", config: map[string]any{"preflight_continue": true}, method: "OPTIONS", header: preflight("o.test"),
			status: 200, want: map[string]string{"Access-Control-Allow-Origin": "", "Access-Control-Allow-Methods": ""}},
		{name: "OPTIONS without request method is proxied", method: "OPTIONS", header: http.Header{"Origin": {"o.test"}},
			status: 200, want: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": ""}},
		{name: "actual request", config: map[string]any{"origins": []any{"example.test"}, "exposed_headers": []any{"x-auth-token"}, "credentials": true},
			header: http.Header{"Origin": {"origin5.test"}}, status: 200, vary: []string{"Origin"}, want: map[string]string{
				"Access-Control-Allow-Origin": "example.test", "Access-Control-Expose-Headers": "x-auth-token",
				"Access-Control-Allow-Credentials": "true", "Access-Control-Allow-Methods": ""}},
		{name: "actual request without origin", status: 200, want: map[string]string{"Access-Control-Allow-Origin": "*"}},
		{name: "allow_origin_absent off", config: map[string]any{"allow_origin_absent": false}, status: 200,
			want: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "keeps the upstream's Vary", config: map[string]any{"origins": []any{"example.test"}},
			header: http.Header{"Origin": {"example.test"}}, up: &http.Header{"Vary": {"Accept-Encoding"}},
			status: 200, vary: []string{"Accept-Encoding", "Origin"}},
		{name: "removes the upstream's ACAO", config: map[string]any{"origins": []any{"a.test", "b.test"}},
			header: http.Header{"Origin": {"http://c.test"}}, up: &http.Header{"Access-Control-Allow-Origin": {"*"}},
			status: 200, vary: []string{"Origin"}, want: map[string]string{"Access-Control-Allow-Origin": ""}},
		{name: "regex on the host", config: map[string]any{"origins": []any{`(www\.)?example(-foo)?\.test`}},
			header: http.Header{"Origin": {"www.example-foo.test"}}, status: 200, vary: []string{"Origin"},
			want: map[string]string{"Access-Control-Allow-Origin": "www.example-foo.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := plugintest.Instance(t, Plugin, plugintest.Kong310, tt.config)
			if tt.method == "" {
				tt.method = "GET"
			}
			up := plugintest.Upstream()
			if tt.up != nil {
				for k, vs := range *tt.up {
					up.Header[k] = vs
				}
			}
			res := plugintest.Run(plugintest.Request(tt.method, "/", tt.header, ""), handler(plugintest.Kong310), in, up)
			if res.Status != tt.status || (res.Exit != nil) != tt.exit {
				t.Fatalf("status %d exit %v, want %d exit %v", res.Status, res.Exit, tt.status, tt.exit)
			}
			for k, want := range tt.want {
				if got := res.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if got := res.Header.Values("Vary"); len(got) != len(tt.vary) || (len(got) > 0 && got[len(got)-1] != tt.vary[len(tt.vary)-1]) || (len(got) > 1 && got[0] != tt.vary[0]) {
				t.Errorf("Vary = %q, want %q", got, tt.vary)
			}
		})
	}
}
