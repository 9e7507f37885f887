package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// pluginKong is a localkong behind a proxy that counts the Admin API
// requests by method and path shape and injects faults on any of them
// (localkong counts by method only, and its faults draw kinds by chance).
// Against an external Kong the tests talk to it directly.
type pluginKong struct {
	*testKong
	token    string // the admin (or Konnect) token behind-the-back calls send
	requests atomic.Int64
	byKind   sync.Map // "GET /plugins/{id}" and the like → *atomic.Int64
	faults   atomic.Pointer[wrapFaults]
	injected sync.Map // fault kind → *atomic.Int64
}

// startPluginKong starts a Kong with plugins (see above).
func startPluginKong(t *testing.T, opts localkong.Options) *pluginKong {
	t.Helper()
	k := startKong(t, opts)
	if k.Server == nil {
		return &pluginKong{testKong: k} // an external Kong serves plugins
	}
	pk := &pluginKong{token: opts.AdminToken}
	target, _ := url.Parse(k.AdminURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test") == "" {
			pk.requests.Add(1)
			c, _ := pk.byKind.LoadOrStore(requestKind(r), new(atomic.Int64))
			c.(*atomic.Int64).Add(1)
			if f := pk.faults.Load(); f != nil && f.inject(pk, w, r, func(w http.ResponseWriter, r *http.Request) { pk.route(w, r, proxy) }) {
				return
			}
		}
		pk.route(w, r, proxy)
	}))
	t.Cleanup(srv.Close)
	wrapped := *k
	wrapped.AdminURL = srv.URL
	pk.testKong = &wrapped
	return pk
}

func (pk *pluginKong) route(w http.ResponseWriter, r *http.Request, proxy http.Handler) {
	proxy.ServeHTTP(w, r)
}

// Requests is how many Admin API requests the provider sent; Reset starts
// counting again.
func (pk *pluginKong) Requests() int64 { return pk.requests.Load() }

func (pk *pluginKong) Reset() {
	pk.requests.Store(0)
	pk.byKind.Range(func(k, _ any) bool { pk.byKind.Delete(k); return true })
}

// RequestKinds counts the requests since Reset by method and path shape,
// e.g. "PUT /plugins/{id}".
func (pk *pluginKong) RequestKinds() map[string]int64 {
	out := map[string]int64{}
	pk.byKind.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

var idSegment = regexp.MustCompile(`/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)

func requestKind(r *http.Request) string {
	p := regexp.MustCompile(`^/v2/control-planes/[^/]+/core-entities`).ReplaceAllString(r.URL.Path, "")
	p = idSegment.ReplaceAllString(p, "/{id}")
	if strings.HasPrefix(p, "/schemas/plugins/") {
		p = "/schemas/plugins/{name}"
	}
	return r.Method + " " + p
}

// wrapFaults injects faults in front of everything pluginKong serves, as
// localkong's fault injection does: a rate of requests fail with a 429,
// a 502 or 503, or a connection dropped before or after the request was
// handled, each kind in turn; one method and path fails at most
// maxConsecutive times in a row.
type wrapFaults struct {
	rate           float64
	maxConsecutive int
	mu             sync.Mutex
	n              int
	next           int
	streak         map[string]int
}

var wrapFaultKinds = []string{"429", "502", "503", "drop-before", "drop-after"}

func (f *wrapFaults) inject(pk *pluginKong, w http.ResponseWriter, r *http.Request, handle http.HandlerFunc) bool {
	f.mu.Lock()
	key := r.Method + " " + r.URL.Path
	f.n++
	// Every 1/rate-th request, deterministically, fails.
	fail := float64(f.n)*f.rate >= float64(f.next+1) && f.streak[key] < f.maxConsecutive
	kind := ""
	if fail {
		kind = wrapFaultKinds[f.next%len(wrapFaultKinds)]
		f.next++
		f.streak[key]++
	} else {
		f.streak[key] = 0
	}
	f.mu.Unlock()
	if !fail {
		return false
	}
	c, _ := pk.injected.LoadOrStore(kind, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
	switch kind {
	case "429", "502", "503":
		code, _ := strconv.Atoi(kind)
		w.Header().Set("Retry-After", "0")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"message":"injected fault"}`)
	case "drop-after":
		handle(httptest.NewRecorder(), r)
		dropConnection(w)
	default:
		dropConnection(w)
	}
	return true
}

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// SetPluginFaults starts (or, with rate 0, stops) injecting faults.
func (pk *pluginKong) SetPluginFaults(rate float64, maxConsecutive int) {
	if rate == 0 {
		pk.faults.Store(nil)
		return
	}
	pk.faults.Store(&wrapFaults{rate: rate, maxConsecutive: maxConsecutive, streak: map[string]int{}})
}

// FaultsInjected counts the faults injected, by kind.
func (pk *pluginKong) FaultsInjected() map[string]int64 {
	out := map[string]int64{}
	pk.injected.Range(func(k, v any) bool {
		out[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// kongPlugins lists the plugins Kong holds, behind the provider's back.
// Against a shared Kong these are only the plugins on this test's Gateway
// Services and routes (their names carry the test's suffix): other tests'
// plugins are there too.
func (pk *pluginKong) kongPlugins(t *testing.T) []map[string]any {
	t.Helper()
	all := pk.list(t, "/plugins")
	if pk.sfx == "" {
		return all
	}
	ours := map[string]bool{}
	for _, kind := range []string{"/services", "/routes"} {
		for _, e := range pk.list(t, kind) {
			if name, _ := e["name"].(string); strings.HasSuffix(name, pk.sfx) {
				ours[e["id"].(string)] = true
			}
		}
	}
	var out []map[string]any
	for _, p := range all {
		if ours[refID(p["service"])] || ours[refID(p["route"])] {
			out = append(out, p)
		}
	}
	return out
}

// list reads every page of an Admin API collection.
func (pk *pluginKong) list(t *testing.T, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	next := path + "?size=1000"
	for next != "" {
		var page struct {
			Data   []map[string]any `json:"data"`
			Offset string           `json:"offset"`
		}
		pk.call(t, http.MethodGet, next, nil, &page)
		out = append(out, page.Data...)
		next = ""
		if page.Offset != "" {
			next = path + "?size=1000&offset=" + url.QueryEscape(page.Offset)
		}
	}
	return out
}

// call sends an Admin API request behind the provider's back (not counted,
// never faulted) and decodes the answer into out.
func (pk *pluginKong) call(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(context.Background(), method, pk.AdminURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Test", "1")
	req.Header.Set("Content-Type", "application/json")
	if pk.token != "" {
		req.Header.Set("Kong-Admin-Token", pk.token)
		req.Header.Set("Authorization", "Bearer "+pk.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(bufio.NewReader(resp.Body))
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}

func refID(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["id"].(string)
	return s
}
