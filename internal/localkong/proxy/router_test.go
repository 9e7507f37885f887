package proxy

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// testEntries turns field overrides of a default route into entries; route
// i (1-based) gets the id ending in i and a service named "s<i>".
func testEntries(routes ...map[string]any) []store.RouteEntry {
	var entries []store.RouteEntry
	for i, fields := range routes {
		r := newTestRoute(fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1))
		for k, v := range fields {
			r[k] = v
		}
		svc := newTestService(fmt.Sprintf("s%d", i+1), "127.0.0.1", 80)
		entries = append(entries, store.RouteEntry{Workspace: "default", Route: r, Service: svc})
	}
	return entries
}

func testRouter(t *testing.T, routes ...map[string]any) *router {
	t.Helper()
	return compileRouter(1, testEntries(routes...), nil)
}

type probe struct {
	method, host, path string
	port               int
	header             http.Header
}

// which returns the 1-based index of the route that matches, 0 for none.
func (p probe) which(rt *router) int {
	q := &routeQuery{method: p.method, host: p.host, path: normalizePath(p.path), port: p.port, header: p.header}
	if q.method == "" {
		q.method = "GET"
	}
	if q.port == 0 {
		q.port = 8000
	}
	m, ok := rt.match(q)
	if !ok {
		return 0
	}
	var n int
	_, _ = fmt.Sscanf(m.route.id[len(m.route.id)-12:], "%d", &n)
	return n
}

func list(v ...string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func TestRouterMatching(t *testing.T) {
	tests := []struct {
		name   string
		routes []map[string]any
		probes map[int]probe // expected route → request
	}{
		{
			name:   "methods",
			routes: []map[string]any{{"methods": list("GET", "HEAD")}},
			probes: map[int]probe{1: {method: "HEAD", path: "/x"}, 0: {method: "POST", path: "/x"}},
		},
		{
			name:   "exact host",
			routes: []map[string]any{{"hosts": list("example.test")}},
			probes: map[int]probe{1: {host: "example.test", path: "/"}, 0: {host: "other.test", path: "/"}},
		},
		{
			name:   "host is case sensitive",
			routes: []map[string]any{{"hosts": list("example.test")}},
			probes: map[int]probe{0: {host: "Example.test", path: "/"}},
		},
		{
			name:   "host with port",
			routes: []map[string]any{{"hosts": list("example.test:8000")}},
			probes: map[int]probe{
				1: {host: "example.test", port: 8000, path: "/"},
				0: {host: "example.test", port: 9000, path: "/"},
			},
		},
		{
			name:   "no Host header",
			routes: []map[string]any{{"hosts": list("example.test")}},
			probes: map[int]probe{0: {path: "/"}},
		},
		{
			name:   "leading wildcard",
			routes: []map[string]any{{"hosts": list("*.example.test")}},
			probes: map[int]probe{1: {host: "a.b.example.test", path: "/"}, 0: {host: "example.test", path: "/"}},
		},
		{
			name:   "trailing wildcard",
			routes: []map[string]any{{"hosts": list("example.*")}},
			probes: map[int]probe{1: {host: "example.org", path: "/"}, 0: {host: "www.example.org", path: "/"}},
		},
		{
			name:   "header names and values ignore case",
			routes: []map[string]any{{"headers": map[string]any{"X-Version": list("V1", "v2")}}},
			probes: map[int]probe{
				1: {path: "/", header: http.Header{"X-Version": {"v1"}}},
				0: {path: "/", header: http.Header{"X-Version": {"v3"}}},
			},
		},
		{
			name:   "any header value may match",
			routes: []map[string]any{{"headers": map[string]any{"x-version": list("v2")}}},
			probes: map[int]probe{1: {path: "/", header: http.Header{"X-Version": {"v1", "V2"}}}},
		},
		{
			name:   "all header names must match",
			routes: []map[string]any{{"headers": map[string]any{"a": list("1"), "b": list("2")}}},
			probes: map[int]probe{
				1: {path: "/", header: http.Header{"A": {"1"}, "B": {"2"}}},
				0: {path: "/", header: http.Header{"A": {"1"}}},
			},
		},
		{
			name:   "regex header value",
			routes: []map[string]any{{"headers": map[string]any{"x-version": list(`~*^v\d+$`)}}},
			probes: map[int]probe{
				1: {path: "/", header: http.Header{"X-Version": {"V12"}}},
				0: {path: "/", header: http.Header{"X-Version": {"v1x"}}},
			},
		},
		{
			name:   "underscore in a route header name stands for a dash",
			routes: []map[string]any{{"headers": map[string]any{"x_tenant": list("a")}}},
			probes: map[int]probe{
				1: {path: "/", header: http.Header{"X-Tenant": {"a"}}},
				0: {path: "/", header: http.Header{"X_tenant": {"a"}}}, // nginx drops it
			},
		},
		{
			name:   "prefix path",
			routes: []map[string]any{{"paths": list("/api")}},
			probes: map[int]probe{1: {path: "/apiary"}, 0: {path: "/ap"}},
		},
		{
			name:   "prefix path on the normalized request",
			routes: []map[string]any{{"paths": list("/api/v1")}},
			probes: map[int]probe{1: {path: "/other/../api//v%31/x"}},
		},
		{
			name:   "regex path is anchored at the start",
			routes: []map[string]any{{"paths": list(`~/users/\d+$`)}},
			probes: map[int]probe{1: {path: "/users/42"}, 0: {path: "/v1/users/42"}},
		},
		{
			name:   "named groups in either syntax",
			routes: []map[string]any{{"paths": list(`~/a/(?<x>\d+)`, `~/b/(?P<y>\d+)`)}},
			probes: map[int]probe{1: {path: "/b/7"}},
		},
		{
			name:   "every field must match",
			routes: []map[string]any{{"methods": list("GET"), "hosts": list("h.test"), "paths": list("/p")}},
			probes: map[int]probe{
				1: {method: "GET", host: "h.test", path: "/p"},
				0: {method: "GET", host: "h.test", path: "/q"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt := testRouter(t, tt.routes...)
			for want, p := range tt.probes {
				if got := p.which(rt); got != want {
					t.Errorf("%+v matched route %d, want %d", p, got, want)
				}
			}
		})
	}
}

func TestRouterPriority(t *testing.T) {
	tests := []struct {
		name   string
		routes []map[string]any
		probe  probe
		want   int
	}{
		{
			name:   "longer prefix first",
			routes: []map[string]any{{"paths": list("/a")}, {"paths": list("/a/b")}},
			probe:  probe{path: "/a/b/c"},
			want:   2,
		},
		{
			name:   "regex before prefix",
			routes: []map[string]any{{"paths": list("/status/200")}, {"paths": list(`~/status/\d+`)}},
			probe:  probe{path: "/status/200"},
			want:   2,
		},
		{
			name: "higher regex_priority first",
			routes: []map[string]any{
				{"paths": list(`~/status/(re)`), "regex_priority": float64(4)},
				{"paths": list(`~/status/(?P<foo>re)`), "regex_priority": float64(0)},
			},
			probe: probe{path: "/status/re"},
			want:  1,
		},
		{
			name: "regex_priority does not apply to prefix paths",
			routes: []map[string]any{
				{"paths": list("/a"), "regex_priority": float64(100)},
				{"paths": list("/a/b")},
			},
			probe: probe{path: "/a/b"},
			want:  2,
		},
		{
			name:   "more fields first",
			routes: []map[string]any{{"paths": list("/a/b/c")}, {"methods": list("GET"), "paths": list("/a")}},
			probe:  probe{path: "/a/b/c"},
			want:   2,
		},
		{
			name: "more headers before longer paths",
			routes: []map[string]any{
				{"headers": map[string]any{"version": list("v1")}, "paths": list("/my-route/hello")},
				{"headers": map[string]any{"version": list("v1"), "location": list("us-east")}, "paths": list("/my-route")},
			},
			probe: probe{path: "/my-route/hello", header: http.Header{"Version": {"v1"}, "Location": {"us-east"}}},
			want:  2,
		},
		{
			name:   "plain host before wildcard host",
			routes: []map[string]any{{"hosts": list("plain.route.test")}, {"hosts": list("*.route.test")}},
			probe:  probe{host: "plain.route.test", path: "/"},
			want:   1,
		},
		{
			// The flag bits outrank the match weight (see router.go).
			name:   "plain-host route before a route with more fields",
			routes: []map[string]any{{"methods": list("GET"), "paths": list("/")}, {"hosts": list("example.test")}},
			probe:  probe{host: "example.test", path: "/x"},
			want:   2,
		},
		{
			name:   "regex route before a prefix route with more fields",
			routes: []map[string]any{{"methods": list("GET"), "paths": list("/r")}, {"paths": list("~/r")}},
			probe:  probe{path: "/r"},
			want:   2,
		},
		{
			name: "negative regex_priority comes first",
			routes: []map[string]any{
				{"paths": list("~/n"), "regex_priority": float64(10)},
				{"paths": list("~/n"), "regex_priority": float64(-1)},
			},
			probe: probe{path: "/n"},
			want:  2,
		},
		{
			name:   "ties go to the larger id",
			routes: []map[string]any{{"paths": list("/same")}, {"paths": list("/same")}},
			probe:  probe{path: "/same"},
			want:   2,
		},
		{
			name:   "paths of different lengths are ranked apart",
			routes: []map[string]any{{"paths": list("/a", "/a/b/c")}, {"paths": list("/a/b")}},
			probe:  probe{path: "/a/b/x"},
			want:   2,
		},
		{
			name:   "the long path of a split route still wins",
			routes: []map[string]any{{"paths": list("/a", "/a/b/c")}, {"paths": list("/a/b")}},
			probe:  probe{path: "/a/b/c/d"},
			want:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := testEntries(tt.routes...)
			if got := tt.probe.which(compileRouter(1, entries, nil)); got != tt.want {
				t.Errorf("matched route %d, want %d", got, tt.want)
			}
			// The order routes are listed in must not matter.
			slices.Reverse(entries)
			if got := tt.probe.which(compileRouter(1, entries, nil)); got != tt.want {
				t.Errorf("with routes reversed: matched route %d, want %d", got, tt.want)
			}
		})
	}
}

// The values LuaJIT 2.1 gives for transform.get_priority's arithmetic.
func TestPriorityValues(t *testing.T) {
	tests := []struct {
		name  string
		route map[string]any
		paths []string
		want  uint64
	}{
		{"one prefix path", map[string]any{}, []string{"/abc"}, 0x20000004},
		{"path and method", map[string]any{"methods": list("GET")}, []string{"/abc"}, 0x40000004},
		{"one header and a path", map[string]any{"headers": map[string]any{"a": list("1")}}, []string{"/a"}, 0x40100002},
		{"plain host only", map[string]any{"hosts": list("h.test")}, nil, 0x1000000020000000},
		{"empty hosts array counts as plain", map[string]any{"hosts": list(), "methods": list("GET")}, nil, 0x1000000020000000},
		{"regex", map[string]any{"regex_priority": float64(3)}, []string{"~/x"}, 0x0008000020000000 | 3<<19},
		{"four fields", map[string]any{
			"methods": list("GET"), "hosts": list("*.h.test"), "headers": map[string]any{"a": list("1")},
		}, []string{"/abc"}, 0xFFFFFFFF80100004},
	}
	for _, tt := range tests {
		if got := priority(tt.route, tt.paths); got != tt.want {
			t.Errorf("%s: priority = %#x, want %#x", tt.name, got, tt.want)
		}
	}
}

func TestRouterSkips(t *testing.T) {
	route := func(id string) map[string]any {
		r := newTestRoute(id)
		r["paths"] = list("/")
		return r
	}
	disabled := newTestService("off", "127.0.0.1", 80)
	disabled["enabled"] = false
	stream := newTestService("tcp", "127.0.0.1", 80)
	stream["protocol"] = "tcp"
	tcpRoute := route("00000000-0000-4000-8000-000000000003")
	tcpRoute["protocols"] = list("tcp")

	rt := compileRouter(1, []store.RouteEntry{
		{Workspace: "default", Route: route("00000000-0000-4000-8000-000000000001"), Service: disabled},
		{Workspace: "default", Route: route("00000000-0000-4000-8000-000000000002"), Service: stream},
		{Workspace: "default", Route: tcpRoute},
	}, nil)
	if len(rt.matchers) != 1 {
		t.Fatalf("got %d matchers, want only the route of the tcp service", len(rt.matchers))
	}
	if m := rt.matchers[0]; m.route.id != "00000000-0000-4000-8000-000000000002" || m.route.service != nil {
		t.Errorf("kept %s with service %v; want route 2, serviceless", m.route.id, m.route.service)
	}
}

func TestSplitID(t *testing.T) {
	// resty.jit-uuid's documented v5 example, to show the derivation is RFC 4122.
	if got := uuidV5("e6ebd542-06ae-11e6-8e82-bba81706b27d", "hello"); got != "4850816f-1658-5890-8bfd-1ed14251f1f0" {
		t.Errorf("v5 = %s", got)
	}
	groups := splitPaths(map[string]any{"id": "00000000-0000-4000-8000-000000000001", "paths": list("/a", "~/x", "/b", "/cc")})
	if len(groups) != 3 {
		t.Fatalf("got %d groups, want 3: %+v", len(groups), groups)
	}
	if fmt.Sprint(groups[0].paths) != "[/a /b]" || fmt.Sprint(groups[1].paths) != "[~/x]" || fmt.Sprint(groups[2].paths) != "[/cc]" {
		t.Errorf("groups = %+v", groups)
	}
	if groups[0].id == groups[1].id || groups[0].id == "00000000-0000-4000-8000-000000000001" {
		t.Errorf("split parts need their own ids: %+v", groups)
	}
	one := splitPaths(map[string]any{"id": "00000000-0000-4000-8000-000000000001", "paths": list("/a", "/b")})
	if len(one) != 1 || one[0].id != "00000000-0000-4000-8000-000000000001" {
		t.Errorf("a single group keeps the route id: %+v", one)
	}
}

func TestRouterReusesRegexes(t *testing.T) {
	entries := []store.RouteEntry{{Workspace: "default", Route: func() map[string]any {
		r := newTestRoute("00000000-0000-4000-8000-000000000001")
		r["paths"] = list(`~/v\d+`)
		return r
	}()}}
	a := compileRouter(1, entries, nil)
	b := compileRouter(2, entries, a)
	if a.matchers[0].paths[0].re != b.matchers[0].paths[0].re {
		t.Error("a rebuild compiled the same regex again")
	}
}

func uuidV5(namespace, name string) string {
	return uuid.NewSHA1(uuid.MustParse(namespace), []byte(name)).String()
}
