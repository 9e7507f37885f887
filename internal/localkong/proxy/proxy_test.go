package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// testProxy is a proxy over a route table the test can change.
type testProxy struct {
	*httptest.Server
	metrics *Metrics

	mu      sync.Mutex
	gen     uint64
	entries []store.RouteEntry
}

func newTestProxy(t *testing.T, entries ...store.RouteEntry) *testProxy {
	t.Helper()
	tp := &testProxy{metrics: newMetrics(), gen: 1, entries: entries}
	tp.Server = httptest.NewServer(New(tp.source, tp.metrics, nil))
	t.Cleanup(tp.Close)
	return tp
}

func (tp *testProxy) source() (uint64, []store.RouteEntry) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.gen, tp.entries
}

// set replaces the routes; bump moves the generation as an Admin API write does.
func (tp *testProxy) set(bump bool, entries ...store.RouteEntry) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	tp.entries = entries
	if bump {
		tp.gen++
	}
}

func (tp *testProxy) port() string {
	u, _ := url.Parse(tp.URL)
	return u.Port()
}

// do sends a request through the proxy with the given Host header.
func (tp *testProxy) do(t *testing.T, method, host, target string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, tp.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// seen is what an upstream received.
type seen struct {
	Host, URI string
	Header    http.Header
}

// newUpstream answers 200 with what it received, as JSON, and a Via header.
func newUpstream(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if d, err := time.ParseDuration(r.Header.Get("X-Sleep")); err == nil {
			time.Sleep(d)
		}
		code := http.StatusOK
		if c, err := strconv.Atoi(r.Header.Get("X-Status")); err == nil {
			code = c
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Via", "1.1 upstream")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(seen{Host: r.Host, URI: r.RequestURI, Header: r.Header})
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// serviceFor points a service at a test server.
func serviceFor(t *testing.T, srv *httptest.Server, name string) map[string]any {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	host, port, _ := net.SplitHostPort(u.Host)
	p, _ := strconv.Atoi(port)
	svc := newTestService(name, host, p)
	if name == "" {
		svc["name"] = nil
	}
	return svc
}

func entry(route map[string]any, svc map[string]any, fields map[string]any) store.RouteEntry {
	for k, v := range fields {
		route[k] = v
	}
	if svc != nil {
		route["service"] = map[string]any{"id": svc["id"]}
	}
	return store.RouteEntry{Workspace: "default", Route: route, Service: svc}
}

func decodeSeen(t *testing.T, body string) seen {
	t.Helper()
	var s seen
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("upstream body %q: %v", body, err)
	}
	return s
}

const routeID = "00000000-0000-4000-8000-000000000001"

func TestProxyForwards(t *testing.T) {
	up, _ := newUpstream(t)
	svc := serviceFor(t, up, "echo")
	svc["path"] = "/base"
	tp := newTestProxy(t, entry(newTestRoute(routeID), svc, map[string]any{"paths": list("/api")}))

	resp, body := tp.do(t, "GET", "Example.TEST:1234", "/api/a%20b/./c?x=1&y=%2F", http.Header{
		"X-Forwarded-For":   {"10.0.0.1"},
		"X-Forwarded-Proto": {"https"}, // untrusted client: replaced
		"Via":               {"1.0 client"},
		"X_underscore":      {"dropped"},
	})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	s := decodeSeen(t, body)
	u, _ := url.Parse(up.URL)
	wantHeaders := map[string]string{
		"X-Forwarded-For":    "10.0.0.1, 127.0.0.1",
		"X-Forwarded-Proto":  "http",
		"X-Forwarded-Host":   "example.test",
		"X-Forwarded-Port":   tp.port(),
		"X-Forwarded-Path":   "/api/a%20b/./c",
		"X-Forwarded-Prefix": "/api",
		"X-Real-Ip":          "127.0.0.1",
		"Via":                "1.0 client, 1.1 kong/3.10.0",
	}
	if s.Host != u.Host {
		t.Errorf("upstream Host = %q, want the service's %q", s.Host, u.Host)
	}
	if want := "/base/a%20b/c?x=1&y=%2F"; s.URI != want {
		t.Errorf("upstream URI = %q, want %q", s.URI, want)
	}
	for k, want := range wantHeaders {
		if got := strings.Join(s.Header[k], ","); got != want {
			t.Errorf("upstream %s = %q, want %q", k, got, want)
		}
	}
	if len(s.Header["X-Kong-Request-Id"]) != 1 || s.Header["X-Kong-Request-Id"][0] != resp.Header.Get("X-Kong-Request-Id") {
		t.Errorf("request id upstream %v, downstream %q", s.Header["X-Kong-Request-Id"], resp.Header.Get("X-Kong-Request-Id"))
	}
	if _, ok := s.Header["X_underscore"]; ok {
		t.Error("a header with '_' in its name reached the upstream")
	}

	if got := resp.Header.Get("Via"); got != "1.1 upstream, 1.1 kong/3.10.0" {
		t.Errorf("response Via = %q", got)
	}
	if got := resp.Header.Get("Server"); got != "kong/3.10.0" {
		t.Errorf("response Server = %q", got)
	}
	for _, h := range []string{"X-Kong-Upstream-Latency", "X-Kong-Proxy-Latency"} {
		if _, err := strconv.Atoi(resp.Header.Get(h)); err != nil {
			t.Errorf("%s = %q, want milliseconds", h, resp.Header.Get(h))
		}
	}
	if resp.Header.Get("X-Kong-Response-Latency") != "" {
		t.Error("a proxied response carries X-Kong-Response-Latency")
	}
}

func TestProxyRouteOptions(t *testing.T) {
	up, _ := newUpstream(t)
	u, _ := url.Parse(up.URL)
	tests := []struct {
		name       string
		fields     map[string]any
		host, path string
		wantHost   string
		wantURI    string
		wantPrefix string
	}{
		{
			name:     "strip_path off",
			fields:   map[string]any{"paths": list("/api"), "strip_path": false},
			host:     "h.test",
			path:     "/api/x",
			wantHost: u.Host, wantURI: "/api/x",
		},
		{
			name:     "strip_path on, regex",
			fields:   map[string]any{"paths": list(`~/v\d+`)},
			host:     "h.test",
			path:     "/v12/x?",
			wantHost: u.Host, wantURI: "/x?", wantPrefix: "/v12",
		},
		{
			name:     "strip_path on, whole path",
			fields:   map[string]any{"paths": list("/api")},
			host:     "h.test",
			path:     "/api",
			wantHost: u.Host, wantURI: "/", wantPrefix: "/api",
		},
		{
			name:     "preserve_host",
			fields:   map[string]any{"hosts": list("h.test:8443", "h.test"), "preserve_host": true},
			host:     "h.test:9999",
			path:     "/p",
			wantHost: "h.test:9999", wantURI: "/p",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp := newTestProxy(t, entry(newTestRoute(routeID), serviceFor(t, up, "s"), tt.fields))
			resp, body := tp.do(t, "GET", tt.host, tt.path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			s := decodeSeen(t, body)
			if s.Host != tt.wantHost || s.URI != tt.wantURI {
				t.Errorf("upstream got Host %q URI %q, want %q %q", s.Host, s.URI, tt.wantHost, tt.wantURI)
			}
			if got := strings.Join(s.Header["X-Forwarded-Prefix"], ","); got != tt.wantPrefix {
				t.Errorf("X-Forwarded-Prefix = %q, want %q", got, tt.wantPrefix)
			}
		})
	}
}

func TestProxyHostHeaderPort(t *testing.T) {
	tests := []struct {
		scheme string
		port   int
		want   string
	}{
		{"http", 80, "svc.test"},
		{"http", 8080, "svc.test:8080"},
		{"https", 443, "svc.test"},
		{"https", 80, "svc.test:80"},
		{"http", 443, "svc.test:443"},
	}
	for _, tt := range tests {
		svc := newTestService("s", "svc.test", tt.port)
		svc["protocol"] = tt.scheme
		if got := serviceUpstream(svc).hostHeader(); got != tt.want {
			t.Errorf("%s port %d: Host = %q, want %q", tt.scheme, tt.port, got, tt.want)
		}
	}
}

// kongError checks a response Kong generates itself.
func kongError(t *testing.T, resp *http.Response, body string, status int, contentType, wantBody string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d", resp.StatusCode, status)
	}
	if got := resp.Header.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type = %q, want %q", got, contentType)
	}
	if got := resp.Header.Get("Server"); got != "kong/3.10.0" {
		t.Errorf("Server = %q", got)
	}
	if resp.Header.Get("X-Kong-Response-Latency") == "" {
		t.Error("no X-Kong-Response-Latency")
	}
	wantBody = strings.ReplaceAll(wantBody, "{rid}", resp.Header.Get("X-Kong-Request-Id"))
	if body != wantBody {
		t.Errorf("body = %q, want %q", body, wantBody)
	}
}

func TestProxyKongResponses(t *testing.T) {
	up, _ := newUpstream(t)
	svc := serviceFor(t, up, "s")
	off := serviceFor(t, up, "off")
	off["id"] = "22222222-2222-4222-8222-222222222222"
	off["enabled"] = false
	tp := newTestProxy(t,
		entry(newTestRoute("00000000-0000-4000-8000-000000000001"), svc, map[string]any{"paths": list("/secure"), "protocols": list("https")}),
		entry(newTestRoute("00000000-0000-4000-8000-000000000002"), svc, map[string]any{
			"paths": list("/moved"), "protocols": list("https"), "https_redirect_status_code": float64(308),
		}),
		entry(newTestRoute("00000000-0000-4000-8000-000000000003"), nil, map[string]any{"paths": list("/lonely")}),
		entry(newTestRoute("00000000-0000-4000-8000-000000000004"), off, map[string]any{"paths": list("/off")}),
		entry(newTestRoute("00000000-0000-4000-8000-000000000005"), svc, map[string]any{
			"paths": list("/grpc"), "protocols": list("grpc"), "strip_path": false,
		}),
	)
	const jsonErr = "{\n  \"message\":\"%s\",\n  \"request_id\":\"{rid}\"\n}"

	resp, body := tp.do(t, "GET", "", "/nowhere", nil)
	kongError(t, resp, body, 404, contentTypeJSON, fmt.Sprintf(jsonErr, "no Route matched with those values"))

	resp, body = tp.do(t, "GET", "", "/off", nil)
	kongError(t, resp, body, 404, contentTypeJSON, fmt.Sprintf(jsonErr, "no Route matched with those values"))

	resp, body = tp.do(t, "GET", "", "/secure", nil)
	kongError(t, resp, body, 426, contentTypeJSON, fmt.Sprintf(jsonErr, "Please use HTTPS protocol"))
	if resp.Header.Get("Upgrade") != "TLS/1.2, HTTP/1.1" {
		t.Errorf("426 Upgrade = %q", resp.Header.Get("Upgrade"))
	}

	resp, body = tp.do(t, "GET", "", "/secure", http.Header{"Accept": {"text/html;q=0.5, text/plain"}})
	kongError(t, resp, body, 426, contentTypePlain, "Please use HTTPS protocol\nrequest_id: {rid}\n")

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", tp.URL+"/moved/x?q=1", nil)
	req.Host = "Shop.Test:8000"
	r2, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 308 || r2.Header.Get("Location") != "https://shop.test/moved/x?q=1" || r2.ContentLength != 0 {
		t.Errorf("redirect: %d Location %q length %d", r2.StatusCode, r2.Header.Get("Location"), r2.ContentLength)
	}

	resp, body = tp.do(t, "GET", "", "/lonely", nil)
	kongError(t, resp, body, 503, contentTypeJSON, fmt.Sprintf(jsonErr, "no Service found with those values"))

	resp, body = tp.do(t, "GET", "", "/grpc", nil)
	kongError(t, resp, body, 415, contentTypeJSON, fmt.Sprintf(jsonErr, "Non-gRPC request matched gRPC route"))
}

func TestResponseType(t *testing.T) {
	tests := []struct{ accept, want string }{
		{"", contentTypeJSON},
		{"*/*", contentTypeJSON},
		{"text/html", contentTypeHTML},
		{"text/*", contentTypePlain},
		{"application/xml;q=0.9, text/html;q=0.8", contentTypeXML},
		{"text/html;q=0.8, application/xml;q=0.9", contentTypeXML},
		{"image/png", contentTypeJSON},
		{"text/plain;q=0", contentTypeJSON},
	}
	for _, tt := range tests {
		if got := responseType(tt.accept); got != tt.want {
			t.Errorf("responseType(%q) = %q, want %q", tt.accept, got, tt.want)
		}
	}
}

// closingUpstream accepts connections and closes them at once, counting them.
func closingUpstream(t *testing.T) (map[string]any, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			_, _ = c.Read(make([]byte, 4096))
			c.Close()
		}
	}()
	addr := ln.Addr().(*net.TCPAddr)
	return newTestService("broken", "127.0.0.1", addr.Port), &n
}

func TestProxyUpstreamErrors(t *testing.T) {
	t.Run("unreachable", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close() // nothing listens there now
		svc := newTestService("gone", "127.0.0.1", port)
		svc["retries"] = float64(1)
		tp := newTestProxy(t, entry(newTestRoute(routeID), svc, map[string]any{"paths": list("/")}))

		resp, body := tp.do(t, "GET", "", "/", http.Header{"Accept": {"application/json"}})
		kongError(t, resp, body, 502, contentTypeJSON,
			"{\n  \"message\":\"An invalid response was received from the upstream server\",\n  \"request_id\":\"{rid}\"\n}")
		// Without Accept or Content-Type, error_default_type is text/plain.
		resp, body = tp.do(t, "GET", "", "/", nil)
		kongError(t, resp, body, 502, contentTypePlain,
			"An invalid response was received from the upstream server\nrequest_id: {rid}\n")
	})

	t.Run("retries", func(t *testing.T) {
		svc, accepted := closingUpstream(t)
		svc["retries"] = float64(2)
		tp := newTestProxy(t, entry(newTestRoute(routeID), svc, map[string]any{"paths": list("/")}))

		resp, _ := tp.do(t, "GET", "", "/", nil)
		if resp.StatusCode != 502 || accepted.Load() != 3 {
			t.Errorf("GET: status %d after %d tries, want 502 after 3", resp.StatusCode, accepted.Load())
		}
		accepted.Store(0)
		resp, _ = tp.do(t, "POST", "", "/", nil)
		if resp.StatusCode != 502 || accepted.Load() != 1 {
			t.Errorf("POST: status %d after %d tries, want 502 after 1 (not idempotent)", resp.StatusCode, accepted.Load())
		}
	})

	t.Run("read timeout", func(t *testing.T) {
		up, hits := newUpstream(t)
		svc := serviceFor(t, up, "slow")
		svc["read_timeout"] = float64(50)
		svc["retries"] = float64(0)
		tp := newTestProxy(t, entry(newTestRoute(routeID), svc, map[string]any{"paths": list("/")}))

		start := time.Now()
		resp, body := tp.do(t, "GET", "", "/", http.Header{"X-Sleep": {"400ms"}, "Accept": {"application/json"}})
		kongError(t, resp, body, 504, contentTypeJSON,
			"{\n  \"message\":\"The upstream server is timing out\",\n  \"request_id\":\"{rid}\"\n}")
		if time.Since(start) > 350*time.Millisecond || hits.Load() != 1 {
			t.Errorf("took %v with %d tries", time.Since(start), hits.Load())
		}
	})
}

func TestProxyUpstreamStatusAndBody(t *testing.T) {
	up, _ := newUpstream(t)
	tp := newTestProxy(t, entry(newTestRoute(routeID), serviceFor(t, up, "s"), map[string]any{"paths": list("/")}))
	resp, body := tp.do(t, "GET", "", "/x", http.Header{"X-Status": {"418"}})
	if resp.StatusCode != 418 || !strings.Contains(body, `"URI":"/x"`) {
		t.Errorf("status %d body %s", resp.StatusCode, body)
	}
}

func TestProxyRebuildsOnGeneration(t *testing.T) {
	up, _ := newUpstream(t)
	svc := serviceFor(t, up, "s")
	a := entry(newTestRoute("00000000-0000-4000-8000-000000000001"), svc, map[string]any{"paths": list("/a")})
	b := entry(newTestRoute("00000000-0000-4000-8000-000000000002"), svc, map[string]any{"paths": list("/b")})
	tp := newTestProxy(t, a)

	status := func(path string) int {
		resp, _ := tp.do(t, "GET", "", path, nil)
		return resp.StatusCode
	}
	if status("/a") != 200 || status("/b") != 404 {
		t.Fatal("initial routes not served")
	}
	tp.set(false, b) // same generation: the compiled router stays
	if status("/a") != 200 || status("/b") != 404 {
		t.Error("router rebuilt without a generation change")
	}
	tp.set(true, b)
	if status("/a") != 404 || status("/b") != 200 {
		t.Error("router not rebuilt after a generation change")
	}
}

func TestProxyConcurrentRebuilds(t *testing.T) {
	up, _ := newUpstream(t)
	svc := serviceFor(t, up, "s")
	route := func(i int) store.RouteEntry {
		// A regex path too, since compiled patterns are shared between requests.
		return entry(newTestRoute(fmt.Sprintf("00000000-0000-4000-8000-%012d", i)), svc,
			map[string]any{"paths": list("/r"+strconv.Itoa(i), `~/(r|x)`+strconv.Itoa(i)+`$`)})
	}
	tp := newTestProxy(t, route(1))
	h := New(tp.source, tp.metrics, nil)

	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest("GET", []string{"/r1", "/x1"}[i%2], nil))
				if rec.Code != 200 {
					t.Errorf("status %d", rec.Code)
					return
				}
			}
		}()
	}
	for i := 2; i < 20; i++ {
		tp.set(true, route(1), route(i))
	}
	wg.Wait()
}
