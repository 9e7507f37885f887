package proxy

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// upstream is where a service sends requests.
type upstream struct {
	scheme string
	host   string
	port   int
	path   string // "/" when the service has none
	tries  int    // retries + 1
	transportKey
}

// transportKey holds what the transport needs to be built for: the
// service's timeouts and certificate checking.
type transportKey struct {
	connect, write, read time.Duration
	verify               bool
}

func serviceUpstream(svc map[string]any) upstream {
	ms := func(field string) time.Duration {
		return time.Duration(entInt(svc[field], 60000)) * time.Millisecond
	}
	u := upstream{
		scheme: entString(svc["protocol"]),
		host:   entString(svc["host"]),
		port:   int(entInt(svc["port"], 80)),
		path:   entString(svc["path"]),
		tries:  int(entInt(svc["retries"], 5)) + 1,
		transportKey: transportKey{
			connect: ms("connect_timeout"),
			write:   ms("write_timeout"),
			read:    ms("read_timeout"),
			verify:  entBool(svc["tls_verify"]), // Kong's proxy_ssl_verify is off
		},
	}
	if u.path == "" {
		u.path = "/"
	}
	return u
}

// hostHeader is balancer.set_host_header: the service host, with the port
// unless it is the scheme's default.
func (u upstream) hostHeader() string {
	if (u.port == 80 && (u.scheme == "http" || u.scheme == "grpc")) ||
		(u.port == 443 && (u.scheme == "https" || u.scheme == "grpcs")) {
		return u.host
	}
	return u.host + ":" + strconv.Itoa(u.port)
}

// forward proxies the request to the route's service, retrying failed
// attempts as nginx's proxy_next_upstream "error timeout" does. The
// request is sent as the plugins left it: method, headers, query, body,
// path (Context.UpstreamPath) and Host.
func (p *proxy) forward(x *exchange, route *proxyRoute, up upstream, prefix string, q *routeQuery) {
	r, c := x.r, x.c
	if up.scheme != "http" && up.scheme != "https" {
		x.errorPage(http.StatusBadGateway) // grpc(s) services need HTTP/2
		return
	}

	// request_buffering: the body is read in full before proxying, which
	// also lets a retry send it again.
	body := c.RawBody()

	target := &url.URL{
		Scheme:     up.scheme,
		Host:       net.JoinHostPort(up.host, strconv.Itoa(up.port)),
		Opaque:     escapePath(c.UpstreamPath),
		RawQuery:   r.URL.RawQuery,
		ForceQuery: r.URL.ForceQuery,
	}

	header := upstreamHeader(x, q, prefix)
	host := up.hostHeader()
	switch {
	case r.Host != x.host: // a plugin set the host header
		host = r.Host
	case route.preserveHost:
		host = x.host
	}

	transport := p.transport(up.transportKey)
	var (
		resp *http.Response
		sent time.Time
	)
	for try := 1; ; try++ {
		sent = time.Now()
		out, err := http.NewRequestWithContext(r.Context(), r.Method, "http://upstream/", bytes.NewReader(body))
		if err != nil {
			x.fail(http.StatusBadRequest, "Bad request", nil)
			return
		}
		out.URL, out.Host, out.Header = target, host, header.Clone()
		resp, err = transport.RoundTrip(out)
		if err == nil {
			break
		}
		if r.Context().Err() != nil {
			// The client went away; nginx logs this as 499.
			x.closed = true
			c.Response.Status, c.Response.Source = statusClientClosed, "error"
			return
		}
		if try >= up.tries || !retriable(err, r.Method) {
			status := http.StatusBadGateway
			if isTimeout(err) {
				status = http.StatusGatewayTimeout
			}
			x.errorPage(status)
			return
		}
	}

	// The upstream's headers, with those plugins set in access on top.
	h := http.Header{}
	for k, vs := range resp.Header {
		if hopByHop[k] || strings.HasPrefix(k, "X-Accel-") {
			continue
		}
		h[k] = vs
	}
	for k, vs := range c.Response.Header {
		h[k] = vs
	}
	via := "1.1 " + x.server
	if v := resp.Header.Values("Via"); len(v) > 0 {
		via = strings.Join(v, ", ") + ", " + via
	}
	h.Set("Via", via)
	if h.Get("Server") == "" {
		h.Set("Server", x.server)
	}
	h.Set("X-Kong-Upstream-Latency", strconv.FormatInt(msSince(sent), 10))
	h.Set("X-Kong-Proxy-Latency", strconv.FormatInt(sent.Sub(x.start).Milliseconds(), 10))
	h.Set("X-Kong-Request-Id", x.id)
	c.Response.Status, c.Response.Header, c.Response.Source = resp.StatusCode, h, "service"
	x.stream = resp.Body
}

// statusClientClosed is nginx's code for a request the client abandoned.
const statusClientClosed = 499

// hopByHop are the headers that belong to one connection.
var hopByHop = map[string]bool{
	"Connection":          true,
	"Keep-Alive":          true,
	"Proxy-Connection":    true,
	"Te":                  true,
	"Trailer":             true,
	"Transfer-Encoding":   true,
	"Upgrade":             true,
	"Proxy-Authenticate":  true,
	"Proxy-Authorization": true,
}

// upstreamHeader is the request header sent upstream: the client's headers
// with what Kong's nginx template sets (proxy_set_header) on top. Headers
// that nginx would not accept (names with '_') are dropped.
func upstreamHeader(x *exchange, q *routeQuery, prefix string) http.Header {
	r := x.r // as the plugins left it
	h := http.Header{}
	for k, vs := range r.Header {
		if hopByHop[k] || strings.Contains(k, "_") {
			continue
		}
		h[k] = vs
	}
	for _, k := range strings.Split(r.Header.Get("Connection"), ",") {
		h.Del(strings.TrimSpace(k))
	}

	remote, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		remote = r.RemoteAddr
	}
	// trusted_ips is NONE by default: incoming X-Forwarded-* are replaced,
	// except X-Forwarded-For, which is appended to.
	xff := remote
	if v := r.Header.Values("X-Forwarded-For"); len(v) > 0 {
		xff = strings.Join(v, ", ") + ", " + remote
	}
	proto := "http"
	if q.https {
		proto = "https"
	}
	h.Set("X-Forwarded-For", xff)
	h.Set("X-Forwarded-Proto", proto)
	h.Set("X-Forwarded-Host", nginxHost(x.host))
	h.Set("X-Forwarded-Port", strconv.Itoa(listenerPort(r)))
	h.Set("X-Forwarded-Path", stripQuery(requestURI(r)))
	if prefix != "" && prefix != "/" {
		h.Set("X-Forwarded-Prefix", prefix)
	} else {
		h.Del("X-Forwarded-Prefix")
	}
	h.Set("X-Real-IP", remote)
	h.Set("X-Kong-Request-Id", x.id)

	via := httpVersion(r) + " " + x.server
	if v := r.Header.Values("Via"); len(v) > 0 {
		via = strings.Join(v, ", ") + ", " + via
	}
	h.Set("Via", via)
	return h
}

// httpVersion is ngx.req.http_version() as Lua prints it (1.0 → "1").
func httpVersion(r *http.Request) string {
	switch {
	case r.ProtoMajor == 1 && r.ProtoMinor == 0:
		return "1"
	case r.ProtoMajor == 1:
		return "1.1"
	}
	return strconv.Itoa(r.ProtoMajor)
}

// retriable reports whether nginx would try again: a connection that could
// not be made always, other errors and timeouts only when the method is
// idempotent (POST, LOCK and PATCH are not, as nginx sees it).
func retriable(err error, method string) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	switch method {
	case http.MethodPost, http.MethodPatch, "LOCK":
		return false
	}
	return true
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// transport returns the shared transport for a set of timeouts.
func (p *proxy) transport(k transportKey) *http.Transport {
	if t, ok := p.transports.Load(k); ok {
		return t.(*http.Transport)
	}
	dialer := &net.Dialer{Timeout: k.connect}
	t := &http.Transport{
		Proxy: nil, // never an environment proxy
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &timeoutConn{Conn: c, read: k.read, write: k.write}, nil
		},
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: !k.verify}, //nolint:gosec // Kong's default
		TLSHandshakeTimeout: k.connect,
		// One connection per request keeps the per-read deadlines simple.
		DisableKeepAlives:  true,
		DisableCompression: true,
	}
	actual, _ := p.transports.LoadOrStore(k, t)
	return actual.(*http.Transport)
}

// timeoutConn applies nginx's proxy_read_timeout and proxy_send_timeout:
// each is a limit between two successive operations, not on the whole
// exchange. A write also restarts the read clock, since the response is
// awaited from the last byte sent.
type timeoutConn struct {
	net.Conn
	read, write time.Duration
}

func (c *timeoutConn) Read(b []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.read))
	return c.Conn.Read(b)
}

func (c *timeoutConn) Write(b []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.write))
	n, err := c.Conn.Write(b)
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.read))
	return n, err
}
