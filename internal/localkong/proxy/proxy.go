// Package proxy is localkong's proxy listener: Kong 3.10's
// traditional_compatible router (router.go, router_path.go), the plugins'
// run loop (plugins.go), forwarding to the route's service (forward.go),
// the responses Kong writes itself (response.go) and the prometheus
// plugin's counters (metrics.go). Kong's counterparts are kong/router,
// kong/runloop/{handler,plugins_iterator}.lua, kong/init.lua and
// kong/plugins/prometheus.
package proxy

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Source returns every route of every workspace with a generation number
// that changes whenever any service or route changes, so the proxy can cache
// its compiled router between Admin API writes (store.Store.RouteSource).
type Source func() (generation uint64, entries []store.RouteEntry)

// proxy is the proxy listener: it routes a request as Kong 3.10's
// traditional_compatible router would, runs the plugins that apply
// (plugins.go) and forwards it to the route's service. The order follows
// Kong.access in kong/init.lua and kong/runloop/handler.lua:
//
//	no route                     → 404 "no Route matched with those values"
//	https-only route over http   → 426 "Please use HTTPS protocol", or a
//	                               redirect per https_redirect_status_code
//	grpc(s) route, non-gRPC call → 415 "Non-gRPC request matched gRPC route"
//	gRPC call over HTTP/1        → 426 "Please use HTTP2 protocol"
//	plugins' access phase        → a plugin's answer (401, 403, 429, …)
//	route without a service      → 503 "no Service found with those values"
//	upstream unreachable/invalid → 502, timing out → 504 (kong/error_handlers.lua)
//
// Then the plugins' header_filter, body_filter and log phases run on
// whichever response it is, and the prometheus counters count it.
type proxy struct {
	src     Source
	metrics *Metrics
	server  string // httpx.ServerToken
	plugins *Plugins
	runners []runner

	mu      sync.Mutex // serialises rebuilds
	current atomic.Pointer[router]

	transports sync.Map // transportKey → *http.Transport
}

// New returns the proxy over the routes src gives, counting into m (a
// fresh Metrics when nil) and running the plugins pl configures (none when
// nil).
func New(src Source, m *Metrics, pl *Plugins) http.Handler {
	if m == nil {
		m = newMetrics()
	}
	p := &proxy{src: src, metrics: m, server: httpx.ServerToken(m.version), plugins: pl}
	if pl != nil {
		p.runners = newRunners(pl.Set)
	}
	return p
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
	x.c = pdk.NewContext(r, q.path, remoteIP(r))
	m, ok := p.router().match(q)
	if !ok {
		rn := p.globalRun(x.c)
		x.fail(http.StatusNotFound, "no Route matched with those values", nil)
		p.respond(x, rn)
		return // unmatched requests are not recorded
	}
	rn := p.serve(x, m, q)
	p.respond(x, rn)
	resp := x.c.Response
	p.metrics.record(m.route, resp.Status, resp.Source == "service")
}

// serve handles a matched request up to its response: Kong's checks, the
// plugins' access phase, then the upstream.
func (p *proxy) serve(x *exchange, m routeMatch, q *routeQuery) *run {
	r, route, c := x.r, m.route, x.c
	c.Route, c.Service, c.URICaptures = route.entity, route.service, m.captures

	if route.protocols["https"] && !route.protocols["http"] && !q.https {
		rn := p.globalRun(c)
		switch code := route.redirectCode; code {
		case http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			x.header().Set("Location", "https://"+nginxHost(r.Host)+requestURI(r))
			x.exit(code, nil)
		default:
			x.fail(http.StatusUpgradeRequired, "Please use HTTPS protocol", map[string]string{
				"Connection": "Upgrade",
				"Upgrade":    "TLS/1.2, HTTP/1.1",
			})
		}
		return rn
	}

	if route.protocols["grpc"] || route.protocols["grpcs"] {
		rn := p.globalRun(c)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
			x.fail(http.StatusUnsupportedMediaType, "Non-gRPC request matched gRPC route", nil)
			return rn
		}
		// The listener speaks HTTP/1 only, so a gRPC call cannot go on.
		x.fail(http.StatusUpgradeRequired, "Please use HTTP2 protocol", map[string]string{
			"Connection": "Upgrade",
			"Upgrade":    "HTTP/2",
		})
		return rn
	}

	rn := p.newRun(c, route.ns)
	// access.before: what the upstream is called with, which plugins may
	// change.
	var up upstream
	var serviceID string
	if route.service != nil {
		up = serviceUpstream(route.service)
		serviceID = entString(route.service["id"])
	}
	prefix := ""
	if route.stripPath {
		prefix = m.path
	}
	c.UpstreamPath = upstreamPath(route.stripPath, prefix, q.path, up.path)
	r.URL.RawQuery, r.URL.ForceQuery = rawQuery(requestURI(r))
	query := r.URL.RawQuery

	rn.access(p.runners, route.id, serviceID)
	if e := c.Exited(); e != nil {
		x.exitWith(e)
		if rn.unexpected {
			c.Response.Source = "error"
		}
		return rn
	}
	if r.URL.RawQuery != query {
		r.URL.ForceQuery = false
	}

	if route.service == nil {
		x.fail(http.StatusServiceUnavailable, "no Service found with those values", nil)
		return rn
	}
	p.forward(x, route, up, prefix, q)
	return rn
}

// globalRun is the run of a request answered before access (no route, a
// protocol refused): only the global plugins of Kong's default workspace
// see it (plugins_iterator.lua get_global_iterator).
func (p *proxy) globalRun(c *pdk.Context) *run {
	var global string
	if p.plugins != nil {
		global = p.plugins.Global
	}
	rn := p.newRun(c, global)
	rn.globals(p.runners)
	return rn
}

// respond runs the plugins' header_filter and body_filter on the response,
// writes it, then runs their log phase.
func (p *proxy) respond(x *exchange, rn *run) {
	resp := x.c.Response
	if x.closed {
		rn.phase(logPhase)
		return
	}
	rn.phase(headerFilter)
	if rn.buffered {
		if x.stream != nil {
			resp.Body, _ = io.ReadAll(x.stream)
			x.stream.Close()
			x.stream = nil
		}
		before := resp.Body
		rn.phase(bodyFilter)
		if !bytes.Equal(before, resp.Body) && resp.Header.Get("Content-Length") != "" {
			resp.Header.Set("Content-Length", strconv.Itoa(len(resp.Body)))
		}
	}
	x.flush()
	if x.stream != nil {
		x.stream.Close()
	}
	rn.phase(logPhase)
}

// remoteIP is the client's address ($remote_addr).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
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
