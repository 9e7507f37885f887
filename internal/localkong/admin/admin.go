// Package admin serves localkong's Admin API: Kong's (kong/api/routes,
// with the generated endpoints of kong/api/endpoints.lua) and, in Konnect
// mode, the same entities under a control plane's core-entities prefix
// (control_planes.go). It routes, parses bodies, authenticates and renders
// errors; what is stored and checked lives in ../store. Konnect's platform
// APIs share the listener through Config.Platform.
package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Config is what the Admin API serves and how.
type Config struct {
	Store *store.Store
	// Rules are the Kong version's, for form bodies and /schemas.
	Rules *kongschema.Rules
	// Plugins are the plugins served (GET /, /plugins/enabled,
	// /schemas/plugins/{name}).
	Plugins *plugins.Set
	// Version is the Kong version played (GET /, the Server header).
	Version kongschema.Version
	// NodeID is the node's id in GET / (the same as /metrics').
	NodeID string
	// AdminAddr and ProxyAddr are the listeners' addresses, for GET /.
	AdminAddr, ProxyAddr string
	// Token, when set, is required on every request: as Kong-Admin-Token,
	// or with Konnect as the bearer token.
	Token string
	// Konnect serves Konnect's control-plane API instead of Kong's.
	Konnect bool
	// Latency delays every request, to make round trips count.
	Latency time.Duration
	// Metrics serves GET /metrics (the proxy's counters).
	Metrics http.Handler
	// Platform, when set (Konnect mode), serves the paths it owns.
	Platform Platform
}

// Platform serves APIs that share the admin listener but are not the Admin
// API: Konnect's catalog and analytics (konnect.Platform). Its requests are
// counted, delayed and guarded against panics like the Admin API's, and
// authenticated by Serve itself.
type Platform interface {
	// Owns reports whether the path (its unescaped segments) is Platform's.
	Owns(segs []string) bool
	Serve(w http.ResponseWriter, r *http.Request, segs []string)
}

// API serves the Admin API (or, in Konnect mode, the control-plane API).
type API struct {
	cfg      Config
	store    *store.Store
	requests atomic.Int64
	byMethod methodCounts
}

// New returns the Admin API over cfg.Store.
func New(cfg Config) *API { return &API{cfg: cfg, store: cfg.Store} }

// request is one Admin API call after routing.
type request struct {
	w     http.ResponseWriter
	r     *http.Request
	a     *API
	ns    string   // namespace key of the workspace or control plane
	segs  []string // unescaped path segments below that prefix
	raw   []string // the same segments as sent
	query url.Values
	body  map[string]any
	// konnect marks control-plane API requests (§11).
	konnect bool
}

// endpoint maps methods to handlers for one path; HEAD and OPTIONS are
// derived from it, as Kong's generated routes do.
type endpoint map[string]func(*request)

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	a.requests.Add(1)
	a.byMethod.add(r.Method)
	if d := a.cfg.Latency; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	lw := &latencyWriter{ResponseWriter: w, start: start}
	// A bug must not take the connection down: answer as Kong does.
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // a recovered value, compared as net/http does
				panic(v)
			}
			if !lw.wrote {
				writeError(lw, store.MessageError(http.StatusInternalServerError, "An unexpected error occurred"))
			}
		}
	}()
	h := lw.Header()
	h.Set("Server", httpx.ServerToken(a.cfg.Version))
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Credentials", "true")

	raw, segs := splitPath(r.URL.EscapedPath())
	if p := a.cfg.Platform; p != nil && p.Owns(segs) {
		p.Serve(lw, r, segs)
		return
	}
	if err := a.authorize(r); err != nil {
		writeError(lw, err)
		return
	}
	rq := &request{w: lw, r: r, a: a, segs: segs, raw: raw}
	var ep endpoint
	if a.cfg.Konnect {
		ep = a.matchKonnect(rq)
	} else {
		ep = a.matchKong(rq)
	}
	if ep == nil {
		writeError(lw, store.ErrNotFound())
		return
	}
	a.serve(rq, ep)
}

func (a *API) serve(rq *request, ep endpoint) {
	method := rq.r.Method
	if method == http.MethodOptions {
		rq.options(ep)
		return
	}
	if method == http.MethodHead {
		method = http.MethodGet
	}
	h, ok := ep[method]
	if !ok {
		rq.fail(store.ErrMethodNotAllowed())
		return
	}
	// Like ngx.req.get_uri_args, keep what parses and skip the rest.
	q, _ := url.ParseQuery(rq.r.URL.RawQuery)
	if countArgs(q) > maxArgs {
		rq.fail(store.MessageError(400, "Too many arguments"))
		return
	}
	rq.query = q
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		body, err := parseBody(rq.r, a.formTyper(rq.segs))
		if err != nil {
			rq.fail(err)
			return
		}
		rq.body = body
	}
	h(rq)
}

// splitPath splits an escaped path into segments, tolerating one trailing
// slash, and unescapes each segment (names may be percent-encoded).
func splitPath(p string) (raw, segs []string) {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil, nil
	}
	raw = strings.Split(p, "/")
	segs = make([]string, len(raw))
	for i, s := range raw {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		} else {
			segs[i] = s
		}
	}
	return raw, segs
}

// options answers OPTIONS with the sorted method list (spec §1.1).
func (rq *request) options(ep endpoint) {
	methods := []string{http.MethodOptions}
	for m := range ep {
		methods = append(methods, m)
		if m == http.MethodGet {
			methods = append(methods, http.MethodHead)
		}
	}
	sort.Strings(methods)
	allow := strings.Join(methods, ", ")
	h := rq.w.Header()
	h.Set("Allow", allow)
	h.Set("Access-Control-Allow-Methods", allow)
	if req := rq.r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	} else {
		h.Set("Access-Control-Allow-Headers", "Content-Type")
	}
	rq.w.WriteHeader(http.StatusNoContent)
}

// tx runs fn under the store lock against the request's namespace and sends
// its result once the lock is released. A 204 sends no body.
func (rq *request) tx(write bool, fn func(sp *store.Space) (int, any, *store.Error)) {
	s := rq.a.store
	var status int
	var body any
	err := store.ErrNotFound()
	s.Locked(write, func() {
		if sp := s.Lookup(rq.ns, write); sp != nil {
			status, body, err = fn(sp)
		}
	})
	switch {
	case err != nil:
		rq.fail(err)
	case status == http.StatusNoContent:
		rq.w.WriteHeader(status)
	default:
		rq.send(status, body)
	}
}

func (rq *request) send(status int, v any) { writeJSON(rq.w, status, v) }

func (rq *request) fail(err *store.Error) { writeError(rq.w, err) }

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"message":"An unexpected error occurred"}`)
	}
	// Kong's cjson output has no trailing newline.
	buf.Truncate(len(bytes.TrimRight(buf.Bytes(), "\n")))
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func writeError(w http.ResponseWriter, err *store.Error) {
	switch {
	case err.Text != "":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(err.Text)))
		w.WriteHeader(err.Status)
		_, _ = w.Write([]byte(err.Text))
	case err.Body == nil:
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(err.Status)
	default:
		writeJSON(w, err.Status, err.Body)
	}
}

// latencyWriter adds X-Kong-Admin-Latency (ms spent) when the status is written.
type latencyWriter struct {
	http.ResponseWriter
	start time.Time
	wrote bool
}

func (w *latencyWriter) WriteHeader(status int) {
	if !w.wrote {
		w.wrote = true
		w.Header().Set("X-Kong-Admin-Latency", strconv.FormatInt(time.Since(w.start).Milliseconds(), 10))
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *latencyWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
