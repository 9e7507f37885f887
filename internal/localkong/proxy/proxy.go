// Package proxy is localkong's proxy listener: Kong 3.10's
// traditional_compatible router (router.go, router_path.go), forwarding to
// the route's service (forward.go), the responses Kong writes itself
// (response.go) and the prometheus plugin's counters (metrics.go). Kong's
// counterparts are kong/router, kong/runloop/handler.lua and
// kong/plugins/prometheus.
package proxy

import (
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Source returns every route of every workspace with a generation number
// that changes whenever any service or route changes, so the proxy can cache
// its compiled router between Admin API writes (store.Store.RouteSource).
type Source func() (generation uint64, entries []store.RouteEntry)

// proxy is the proxy listener: it routes a request as Kong 3.10's
// traditional_compatible router would and forwards it to the route's
// service. The order of checks follows kong/runloop/handler.lua
// (access.before) and Kong.access in kong/init.lua:
//
//	no route                     → 404 "no Route matched with those values"
//	https-only route over http   → 426 "Please use HTTPS protocol", or a
//	                               redirect per https_redirect_status_code
//	grpc(s) route, non-gRPC call → 415 "Non-gRPC request matched gRPC route"
//	gRPC call over HTTP/1        → 426 "Please use HTTP2 protocol"
//	route without a service      → 503 "no Service found with those values"
//	upstream unreachable/invalid → 502, timing out → 504 (kong/error_handlers.lua)
type proxy struct {
	src     Source
	metrics *Metrics
	server  string // httpx.ServerToken

	mu      sync.Mutex // serialises rebuilds
	current atomic.Pointer[router]

	transports sync.Map // transportKey → *http.Transport
}

// New returns the proxy over the routes src gives, counting into m (a
// fresh Metrics when nil).
func New(src Source, m *Metrics) http.Handler {
	if m == nil {
		m = newMetrics()
	}
	return &proxy{src: src, metrics: m, server: httpx.ServerToken(m.version)}
}

// router returns the compiled router, rebuilding it only when the
// generation has moved since the last build.
func (p *proxy) router() *router {
	gen, _ := p.src()
	if rt := p.current.Load(); rt != nil && rt.gen == gen {
		return rt
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	prev := p.current.Load()
	if prev != nil && prev.gen == gen {
		return prev
	}
	// Read the source again under the lock so a slow request cannot put
	// back an older generation.
	gen, entries := p.src()
	rt := compileRouter(gen, entries, prev)
	p.current.Store(rt)
	return rt
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := newExchange(w, r, p.server)
	p.metrics.countRequest()

	q := newRouteQuery(r)
	m, ok := p.router().match(q)
	if !ok {
		x.fail(http.StatusNotFound, "no Route matched with those values", nil)
		return // unmatched requests are not recorded
	}
	status, fromService := p.serve(x, m, q)
	p.metrics.record(m.route, status, fromService)
}

// serve handles a matched request and returns the status sent and whether
// it came from the upstream.
func (p *proxy) serve(x *exchange, m routeMatch, q *routeQuery) (int, bool) {
	r, route := x.r, m.route

	if route.protocols["https"] && !route.protocols["http"] && !q.https {
		switch code := route.redirectCode; code {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			x.w.Header().Set("Location", "https://"+nginxHost(r.Host)+requestURI(r))
			x.exit(code, nil)
			return code, false
		default:
			x.fail(http.StatusUpgradeRequired, "Please use HTTPS protocol", map[string]string{
				"Connection": "Upgrade",
				"Upgrade":    "TLS/1.2, HTTP/1.1",
			})
			return http.StatusUpgradeRequired, false
		}
	}

	if route.protocols["grpc"] || route.protocols["grpcs"] {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
			x.fail(http.StatusUnsupportedMediaType, "Non-gRPC request matched gRPC route", nil)
			return http.StatusUnsupportedMediaType, false
		}
		// The listener speaks HTTP/1 only, so a gRPC call cannot go on.
		x.fail(http.StatusUpgradeRequired, "Please use HTTP2 protocol", map[string]string{
			"Connection": "Upgrade",
			"Upgrade":    "HTTP/2",
		})
		return http.StatusUpgradeRequired, false
	}

	if route.service == nil {
		x.exit(http.StatusServiceUnavailable, map[string]any{"message": "no Service found with those values"})
		return http.StatusServiceUnavailable, false
	}

	return p.forward(x, m, q)
}

// newRouteQuery extracts what the router matches on.
func newRouteQuery(r *http.Request) *routeQuery {
	q := &routeQuery{
		method: r.Method,
		path:   normalizePath(stripQuery(requestURI(r))),
		header: r.Header,
		https:  r.TLS != nil,
	}
	if r.TLS != nil {
		q.sni = r.TLS.ServerName
	}
	q.host, q.port = splitHostPort(r.Host)
	if q.port == 0 {
		q.port = listenerPort(r)
	}
	return q
}

// requestURI is nginx's $request_uri: the raw target, query included.
func requestURI(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// stripQuery cuts the query; a '?' in first position does not count.
func stripQuery(uri string) string {
	if len(uri) > 1 {
		if i := strings.IndexByte(uri[1:], '?'); i >= 0 {
			return uri[:i+1]
		}
	}
	return uri
}

// rawQuery returns the query string and whether the target had a '?'.
func rawQuery(uri string) (string, bool) {
	if len(uri) > 1 {
		if i := strings.IndexByte(uri[1:], '?'); i >= 0 {
			return uri[i+2:], true
		}
	}
	return "", false
}

// listenerPort is the local port the request came in on (nginx
// $server_port), which Kong uses for X-Forwarded-Port and port matching.
func listenerPort(r *http.Request) int {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if tcp, ok := a.(*net.TCPAddr); ok {
			return tcp.Port
		}
		_, port := splitHostPort(a.String())
		return port
	}
	return 0
}

// nginxHost is nginx's $host: the Host header without its port or a
// trailing dot, lower-cased.
func nginxHost(h string) string {
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i >= 0 {
			h = h[:i+1]
		}
	} else if i := strings.IndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return strings.ToLower(strings.TrimSuffix(h, "."))
}

// msSince is a latency header value in whole milliseconds.
func msSince(t time.Time) int64 { return time.Since(t).Milliseconds() }
