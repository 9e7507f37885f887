package localkong

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// admin serves the Admin API (or, in Konnect mode, the control-plane API).
type admin struct {
	srv   *Server
	store *store
}

// request is one Admin API call after routing.
type request struct {
	w     http.ResponseWriter
	r     *http.Request
	a     *admin
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

func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	a.srv.requests.Add(1)
	a.srv.byMethod.add(r.Method)
	if d := a.srv.opts.AdminLatency; d > 0 {
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
				writeError(lw, messageError(http.StatusInternalServerError, "An unexpected error occurred"))
			}
		}
	}()
	h := lw.Header()
	h.Set("Server", serverToken(a.srv.version))
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Credentials", "true")

	raw, segs := splitPath(r.URL.EscapedPath())
	if a.srv.opts.Konnect && isPlatformPath(segs) {
		if msg := konnectAuthFailure(r, a.srv.opts.AdminToken); msg != "" {
			newProblem(http.StatusUnauthorized, msg).write(lw)
			return
		}
		a.servePlatform(lw, r, segs)
		return
	}
	if err := a.authorize(r); err != nil {
		writeError(lw, err)
		return
	}
	rq := &request{w: lw, r: r, a: a, segs: segs, raw: raw}
	var ep endpoint
	if a.srv.opts.Konnect {
		ep = a.matchKonnect(rq)
	} else {
		ep = a.matchKong(rq)
	}
	if ep == nil {
		writeError(lw, errNotFound())
		return
	}
	a.serve(rq, ep)
}

func (a *admin) serve(rq *request, ep endpoint) {
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
		rq.fail(errMethodNotAllowed())
		return
	}
	// Like ngx.req.get_uri_args, keep what parses and skip the rest.
	q, _ := url.ParseQuery(rq.r.URL.RawQuery)
	if countArgs(q) > maxArgs {
		rq.fail(messageError(400, "Too many arguments"))
		return
	}
	rq.query = q
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		body, err := parseBody(rq.r, a.srv.rules, formEntity(rq.segs))
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
func (rq *request) tx(write bool, fn func(sp *space) (int, any, *apiError)) {
	s := rq.a.store
	var status int
	var body any
	err := errNotFound()
	s.locked(write, func() {
		if sp := s.lookup(rq.ns, write); sp != nil {
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

// locked runs fn under the store's write lock, or its read lock.
func (s *store) locked(write bool, fn func()) {
	if write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	fn()
}

// lookup finds a namespace. Control planes spring into existence on first
// write and read as empty before that; workspaces must have been created.
func (s *store) lookup(ns string, write bool) *space {
	if sp, ok := s.spaces[ns]; ok {
		return sp
	}
	if id, ok := strings.CutPrefix(ns, "cp:"); ok {
		if write {
			return s.controlPlane(id)
		}
		return &space{label: id, group: ns}
	}
	return nil
}

func (rq *request) send(status int, v any) { writeJSON(rq.w, status, v) }

func (rq *request) fail(err *apiError) { writeError(rq.w, err) }

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

func writeError(w http.ResponseWriter, err *apiError) {
	switch {
	case err.text != "":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(err.text)))
		w.WriteHeader(err.status)
		_, _ = w.Write([]byte(err.text))
	case err.body == nil:
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(err.status)
	default:
		writeJSON(w, err.status, err.body)
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
