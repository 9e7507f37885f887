package proxy

import (
	"fmt"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestNormalizePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/", "/"},
		{"/foo/bar", "/foo/bar"},
		{"/foo/./bar/../baz", "/foo/baz"},
		{"/foo//bar", "/foo/bar"},
		{"//foo", "/foo"},
		{"/fo%6F", "/foo"},
		{"/foo%3a", "/foo%3A"},
		{"/foo%2fbar", "/foo%2Fbar"},
		{"/%2e%2e/x", "/x"},
		{"/a/b/..", "/a/"},
		{"/a/b/../../..", "/"},
		{"/a/%20b", "/a/ b"},
		{"/route%2E/req", "/route./req"},
		{"/bad%zzescape", "/bad%zzescape"},
	}
	for _, tt := range tests {
		if got := normalizePath(tt.in); got != tt.want {
			t.Errorf("normalizePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscapePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/plain/path", "/plain/path"},
		{"/a b", "/a%20b"},
		{"/ü", "/%C3%BC"},
		{"/keep:@!$&'()*+,;=-._~%2F", "/keep:@!$&'()*+,;=-._~%2F"},
		{"/quote\"", "/quote%22"},
	}
	for _, tt := range tests {
		if got := escapePath(tt.in); got != tt.want {
			t.Errorf("escapePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// pathCase is a row of Kong's router path handling fixture
// (spec/fixtures/router_path_handling_tests.lua), v0 results.
type pathCase struct {
	service, route string // route "" matches on host instead
	strip          bool
	request, want  string
}

var pathCases = []pathCase{
	{"/", "/", false, "/", "/"},
	{"/", "/", true, "/route/req", "/route/req"},
	{"/", "/route", false, "/routereq", "/routereq"},
	{"/", "/route", true, "/route", "/"},
	{"/", "/route", true, "/route/", "/"},
	{"/", "/route", true, "/routereq", "/req"},
	{"/", "/route/", true, "/route/req", "/req"},
	{"/srv", "/rou", false, "/roureq", "/srv/roureq"},
	{"/srv", "/rou", true, "/roureq", "/srv/req"},
	{"/srv/", "/rou", false, "/rou", "/srv/rou"},
	{"/srv/", "/rou", true, "/rou", "/srv"},
	{"/service", "/", true, "/", "/service"},
	{"/service", "/", false, "/route/", "/service/route/"},
	{"/service", "/", true, "/route/req", "/service/route/req"},
	{"/service", "/route", false, "/route", "/service/route"},
	{"/service", "/route", false, "/routereq", "/service/routereq"},
	{"/service", "/route", true, "/route", "/service"},
	{"/service", "/route", true, "/route/", "/service/"},
	{"/service", "/route", true, "/routereq", "/service/req"},
	{"/service", "/route/", true, "/route/", "/service/"},
	{"/service", "/route/", true, "/route/req", "/service/req"},
	{"/service/", "/", true, "/", "/service/"},
	{"/service/", "/", false, "/routereq", "/service/routereq"},
	{"/service/", "/route", true, "/route", "/service"},
	{"/service/", "/route", true, "/route/", "/service/"},
	{"/service/", "/route", true, "/routereq", "/service/req"},
	{"/service/", "/route/", false, "/route/req", "/service/route/req"},
	{"/", "", true, "/route/", "/route/"},
	{"/service", "", false, "/", "/service"},
	{"/service", "", true, "/route", "/service/route"},
	{"/service/", "", true, "/route", "/service/route"},
	{"/service", "/route", true, "/route./req", "/service/req"},
	{"/service", "/route", true, "/route%2e/req", "/service/req"},
	{"/service", "/route", true, "/route%2E%2E/req", "/service/req"},
	{"/service/", "/route", true, "/route../req", "/service/req"},
	{"/service", "/route", false, "/route%2E/req", "/service/route./req"},
	{"/service/", "/route", false, "/route%2e%2E/req", "/service/route../req"},
}

// upstreamFor routes a GET through a router holding one route and returns
// the upstream path Kong would build.
func upstreamFor(t *testing.T, route map[string]any, service map[string]any, host, request string) string {
	t.Helper()
	rt := compileRouter(1, []store.RouteEntry{{Workspace: "default", Route: route, Service: service}}, nil)
	q := &routeQuery{method: "GET", path: normalizePath(request), host: host, port: 8000}
	m, ok := rt.match(q)
	if !ok {
		t.Fatalf("request %q did not match", request)
	}
	prefix := ""
	if m.route.stripPath {
		prefix = m.path
	}
	return upstreamPath(m.route.stripPath, prefix, q.path, serviceUpstream(service).path)
}

func TestPathHandling(t *testing.T) {
	for i, tc := range pathCases {
		for _, handling := range []string{"v0", "v1"} {
			name := fmt.Sprintf("%d/%s %s+%s strip=%t %s", i, handling, tc.service, tc.route, tc.strip, tc.request)
			t.Run(name, func(t *testing.T) {
				route := newTestRoute(fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
				route["strip_path"] = tc.strip
				// traditional_compatible ignores path_handling: v1 joins like v0.
				route["path_handling"] = handling
				if tc.route == "" {
					route["hosts"] = []any{"localbin.test"}
				} else {
					route["paths"] = []any{tc.route}
				}
				svc := newTestService("svc", "127.0.0.1", 80)
				svc["path"] = tc.service
				if got := upstreamFor(t, route, svc, "localbin.test", tc.request); got != tc.want {
					t.Errorf("upstream path = %q, want %q", got, tc.want)
				}
			})
		}
	}
}

// The same cases with the route path turned into a regex: stripping then
// removes the regex's match.
func TestPathHandlingRegex(t *testing.T) {
	for i, tc := range pathCases {
		if tc.route == "" {
			continue
		}
		t.Run(fmt.Sprintf("%d %s+%s strip=%t %s", i, tc.service, tc.route, tc.strip, tc.request), func(t *testing.T) {
			route := newTestRoute(fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
			route["strip_path"] = tc.strip
			route["paths"] = []any{"~/[0]?" + tc.route[1:]}
			svc := newTestService("svc", "127.0.0.1", 80)
			svc["path"] = tc.service
			if got := upstreamFor(t, route, svc, "localbin.test", tc.request); got != tc.want {
				t.Errorf("upstream path = %q, want %q", got, tc.want)
			}
		})
	}
}

// newTestRoute is a route in canonical form with Kong's defaults.
func newTestRoute(id string) map[string]any {
	return map[string]any{
		"id": id, "created_at": float64(1), "updated_at": float64(1), "name": nil,
		"protocols": []any{"http", "https"}, "methods": nil, "hosts": nil, "headers": nil,
		"paths": nil, "snis": nil, "sources": nil, "destinations": nil,
		"regex_priority": float64(0), "preserve_host": false, "strip_path": true,
		"path_handling": "v0", "tags": nil, "service": nil,
		"https_redirect_status_code": float64(426),
		"request_buffering":          true, "response_buffering": true,
	}
}

// newTestService is a service in canonical form with Kong's defaults.
func newTestService(name, host string, port int) map[string]any {
	return map[string]any{
		"id": "11111111-1111-4111-8111-111111111111", "created_at": float64(1), "updated_at": float64(1),
		"name": name, "retries": float64(5), "protocol": "http", "host": host, "port": float64(port),
		"path": nil, "connect_timeout": float64(60000), "write_timeout": float64(60000),
		"read_timeout": float64(60000), "tags": nil, "client_certificate": nil, "tls_verify": nil,
		"tls_verify_depth": nil, "ca_certificates": nil, "enabled": true,
	}
}
