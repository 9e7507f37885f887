package proxy

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestLookup(t *testing.T) {
	const r, s, c = "r", "s", "c"
	all := []string{"r:s:c", "r::c", ":s:c", "r:s:", "::c", "r::", ":s:", "::"}
	combos := func(keys ...string) map[string]*pdk.Instance {
		m := map[string]*pdk.Instance{}
		for _, k := range keys {
			m[k] = &pdk.Instance{ID: k}
		}
		return m
	}
	// Each scope in Kong's order wins over every scope after it.
	for i, k := range all {
		if got := lookup(combos(all[i:]...), r, s, c); got == nil || got.ID != k {
			t.Errorf("scopes %v: got %v, want %s", all[i:], got, k)
		}
	}
	// A scope naming an id the request lacks is not a candidate.
	if got := lookup(combos("r:s:c", "r::", "::"), r, s, ""); got.ID != "r::" {
		t.Errorf("no consumer: %s", got.ID)
	}
	if got := lookup(combos(":s:", "::"), r, "", ""); got.ID != "::" {
		t.Errorf("serviceless route: %s", got.ID)
	}
	if got := lookup(combos("r::"), "other", s, c); got != nil {
		t.Errorf("another route's plugin applies: %v", got)
	}
}

// loopProxy is a proxy with one route to an upstream and plugins given as
// Admin API rows.
func loopProxy(t *testing.T, rows ...map[string]any) (*httptest.Server, *Metrics) {
	t.Helper()
	up, _ := newUpstream(t)
	svc := serviceFor(t, up, "s")
	e := entry(newTestRoute(routeID), svc, map[string]any{"paths": list("/p"), "name": "r"})
	e.NS = "ns"
	m := newMetrics()
	pl := &Plugins{
		Set:        plugins.For(plugintest.Kong310),
		Configured: func(ns string) []map[string]any { return rows },
		Lookups:    func(string) pdk.Lookup { return &plugintest.Store{} },
		Global:     "ns",
	}
	srv := httptest.NewServer(New(func() (uint64, []store.RouteEntry) { return 1, []store.RouteEntry{e} }, m, pl))
	t.Cleanup(srv.Close)
	return srv, m
}

// row is a configured plugin, its config with the schema's defaults.
func row(t *testing.T, name string, config map[string]any, protocols ...string) map[string]any {
	t.Helper()
	in := plugintest.Instance(t, plugins.For(plugintest.Kong310).Get(name).Plugin, plugintest.Kong310, config)
	if protocols == nil {
		protocols = []string{"http", "https"}
	}
	ps := make([]any, len(protocols))
	for i, p := range protocols {
		ps[i] = p
	}
	return map[string]any{"id": in.ID, "name": name, "config": in.Config, "protocols": ps, "enabled": true,
		"route": nil, "service": nil, "consumer": nil}
}

func get(t *testing.T, srv *httptest.Server, path, body string) *http.Response {
	t.Helper()
	method := "GET"
	if body != "" {
		method = "POST"
	}
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// A plugin's exit stops the access handlers after it, but every plugin
// that applies still runs its header_filter on the exit.
func TestRunLoopExit(t *testing.T) {
	srv, m := loopProxy(t,
		row(t, "request-size-limiting", map[string]any{"allowed_payload_size": 1, "size_unit": "bytes"}),    // 951
		row(t, "rate-limiting", map[string]any{"minute": 1}),                                                // 910, access only
		row(t, "response-transformer", map[string]any{"add": map[string]any{"headers": []any{"x-seen:1"}}}), // 800
	)
	res := get(t, srv, "/p", "too big")
	if res.StatusCode != 413 || res.Header.Get("X-Seen") != "1" || res.Header.Get("X-RateLimit-Limit-Minute") != "" {
		t.Errorf("exit: %d %v", res.StatusCode, res.Header)
	}
	// rate-limiting did not count the refused request.
	if res = get(t, srv, "/p", ""); res.StatusCode != 200 || res.Header.Get("X-RateLimit-Remaining-Minute") != "0" || res.Header.Get("X-Seen") != "1" {
		t.Errorf("next: %d %v", res.StatusCode, res.Header)
	}
	if got := m.statusSamples(); len(got) != 2 {
		t.Errorf("series %v, want a 413 (kong) and a 200 (service)", got)
	}
}

// Only plugins with an http-subsystem protocol run; a failing handler is
// a 500.
func TestRunLoopProtocolsAndErrors(t *testing.T) {
	srv, _ := loopProxy(t,
		row(t, "response-transformer", map[string]any{"add": map[string]any{"headers": []any{"x-a:1"}}}, "tcp", "tls"),
		row(t, "correlation-id", map[string]any{"echo_downstream": true}, "grpc"),
	)
	res := get(t, srv, "/p", "")
	if res.StatusCode != 200 || res.Header.Get("Kong-Request-Id") == "" || res.Header.Get("X-A") != "" {
		t.Errorf("grpc plugin should run, tcp/tls one not: %v", res.Header)
	}
	res = get(t, srv, "/nowhere", "")
	if res.StatusCode != 404 || res.Header.Get("Kong-Request-Id") == "" {
		t.Errorf("global plugin on a 404: %d %v", res.StatusCode, res.Header)
	}

	srv, m := loopProxy(t, row(t, "rate-limiting", map[string]any{"minute": 1, "policy": "redis", "fault_tolerant": false,
		"redis": map[string]any{"host": "redis.test"}}))
	res = get(t, srv, "/p", "")
	if res.StatusCode != 500 {
		t.Errorf("failing handler: %d", res.StatusCode)
	}
	for s := range m.status {
		if s.code != "500" || s.source != "kong" {
			t.Errorf("counted %+v", s)
		}
	}
}

// Answers before access (no route, https only) see the global plugins of
// the default workspace only; the route's workspace's run on the rest.
func TestRunLoopGlobalsBeforeAccess(t *testing.T) {
	up, _ := newUpstream(t)
	svc := serviceFor(t, up, "s")
	e := entry(newTestRoute(routeID), svc, map[string]any{"paths": list("/p")})
	e.NS = "ws:team"
	tls := entry(newTestRoute("00000000-0000-4000-8000-000000000002"), svc, map[string]any{"paths": list("/tls"), "protocols": list("https")})
	tls.NS = "ws:team"
	echo := func(name string) map[string]any {
		return row(t, "response-transformer", map[string]any{"add": map[string]any{"headers": []any{"x-ws:" + name}}})
	}
	rows := map[string][]map[string]any{"ws:default": {echo("default")}, "ws:team": {echo("team")}}
	pl := &Plugins{
		Set:        plugins.For(plugintest.Kong310),
		Configured: func(ns string) []map[string]any { return rows[ns] },
		Lookups:    func(string) pdk.Lookup { return &plugintest.Store{} },
		Global:     "ws:default",
	}
	srv := httptest.NewServer(New(func() (uint64, []store.RouteEntry) { return 1, []store.RouteEntry{e, tls} }, newMetrics(), pl))
	t.Cleanup(srv.Close)
	for path, want := range map[string]string{"/p": "team", "/tls": "default", "/nowhere": "default"} {
		if got := get(t, srv, path, "").Header.Get("X-Ws"); got != want {
			t.Errorf("%s: plugin of %q ran, want %q", path, got, want)
		}
	}
}
