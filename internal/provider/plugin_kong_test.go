package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// Plugins need a Kong that serves them. localkong gains them on another
// branch; until it does, pluginKong puts a Kong 3.10 plugin endpoint in
// front of a localkong: /plugins (CRUD, PUT upsert, paging), nested under
// /services/{id} and /routes/{id}, /plugins/enabled and
// /schemas/plugins/{name}, with Kong's uniqueness per name and scope, its
// error bodies, and schemas from Kong 3.10 (internal/kongschema/testdata/
// plugins) run through kongschema, the engine localkong uses. Everything
// else goes to the localkong. Once localkong answers /plugins/enabled
// itself, the tests run against it alone.

// pluginKong is a testKong serving plugins, counting its Admin API
// requests and injecting faults on all of them.
type pluginKong struct {
	*testKong
	fake     *fakePlugins // nil when localkong serves plugins itself
	requests atomic.Int64
	byKind   sync.Map // "GET /plugins/{id}" and the like → *atomic.Int64
	faults   atomic.Pointer[wrapFaults]
	injected sync.Map // fault kind → *atomic.Int64
}

// startPluginKong starts a Kong with plugins (see above).
func startPluginKong(t *testing.T, opts localkong.Options) *pluginKong {
	t.Helper()
	k := startKong(t, opts)
	if k.Server == nil || servesPlugins(k) {
		return &pluginKong{testKong: k}
	}
	pk := &pluginKong{fake: newFakePlugins(t, k.AdminURL, opts.AdminToken)}
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
	if !pk.fake.serve(w, r) {
		proxy.ServeHTTP(w, r)
	}
}

// servesPlugins: localkong knows plugins (the branch adding them landed).
func servesPlugins(k *testKong) bool {
	resp, err := http.Get(k.AdminURL + "/plugins/enabled")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var out struct {
		Enabled []string `json:"enabled_plugins"`
	}
	return resp.StatusCode == http.StatusOK && json.NewDecoder(resp.Body).Decode(&out) == nil && len(out.Enabled) > 0
}

// Requests is how many Admin API requests the provider sent; Reset starts
// counting again.
func (pk *pluginKong) Requests() int64 {
	if pk.fake == nil {
		return pk.RequestCount()
	}
	return pk.requests.Load()
}

func (pk *pluginKong) Reset() {
	if pk.fake == nil {
		pk.ResetRequestCount()
		return
	}
	pk.requests.Store(0)
	pk.byKind.Range(func(k, _ any) bool { pk.byKind.Delete(k); return true })
}

// RequestKinds counts the requests since Reset by method and path shape,
// e.g. "PUT /plugins/{id}" (only in front of a localkong without plugins).
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

// fakePlugins is the plugin endpoint.
type fakePlugins struct {
	t        *testing.T
	upstream string // the localkong, to check that services and routes exist
	token    string
	schemas  map[string]*kongschema.PluginSchema
	docs     map[string][]byte

	mu      sync.Mutex
	plugins map[string]map[string]any
}

func newFakePlugins(t *testing.T, upstream, token string) *fakePlugins {
	t.Helper()
	f := &fakePlugins{t: t, upstream: upstream, token: token, schemas: map[string]*kongschema.PluginSchema{},
		docs: map[string][]byte{}, plugins: map[string]map[string]any{}}
	files, err := filepath.Glob(filepath.Join("..", "kongschema", "testdata", "plugins", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("plugin schemas: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		doc, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := kongschema.ParsePluginSchema(name, doc)
		if err != nil {
			t.Fatal(err)
		}
		f.schemas[name], f.docs[name] = ps, doc
	}
	return f
}

var fakePluginPaths = regexp.MustCompile(`^(/v2/control-planes/[^/]+/core-entities)?(/plugins(/[^/]+)?|/schemas/plugins/[^/]+|/(services|routes)/([^/]+)/plugins)$`)

// serve answers plugin requests; false for anything else.
func (f *fakePlugins) serve(w http.ResponseWriter, r *http.Request) bool {
	m := fakePluginPaths.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return false
	}
	prefix, rest, scopeKind, scopeID := m[1], m[2], m[4], m[5]
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		if v != nil {
			_ = json.NewEncoder(w).Encode(v)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case strings.HasPrefix(rest, "/schemas/plugins/"):
		name := strings.TrimPrefix(rest, "/schemas/plugins/")
		doc, ok := f.docs[name]
		if !ok || r.Method != http.MethodGet {
			reply(http.StatusNotFound, map[string]any{"message": "No plugin named '" + name + "'"})
			return true
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(doc)
	case rest == "/plugins/enabled" && prefix == "":
		names := make([]string, 0, len(f.schemas))
		for n := range f.schemas {
			names = append(names, n)
		}
		sort.Strings(names)
		reply(http.StatusOK, map[string]any{"enabled_plugins": names})
	case scopeKind != "":
		field := strings.TrimSuffix(scopeKind, "s")
		f.list(w, r, prefix, func(p map[string]any) bool { return refID(p[field]) == scopeID })
	case rest == "/plugins":
		if r.Method != http.MethodGet {
			reply(http.StatusMethodNotAllowed, map[string]any{"message": "Method not allowed"})
			return true
		}
		f.list(w, r, prefix, func(map[string]any) bool { return true })
	default:
		f.entity(w, r, prefix, strings.TrimPrefix(rest, "/plugins/"), reply)
	}
	return true
}

func refID(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["id"].(string)
	return s
}

// list pages the plugins that keep, in id order, as Kong does.
func (f *fakePlugins) list(w http.ResponseWriter, r *http.Request, prefix string, keep func(map[string]any) bool) {
	ids := make([]string, 0, len(f.plugins))
	for id, p := range f.plugins {
		if keep(p) && f.alive(prefix, id) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	size := 100
	if s, err := strconv.Atoi(r.URL.Query().Get("size")); err == nil && s > 0 {
		size = s
	}
	start := 0
	if off := r.URL.Query().Get("offset"); off != "" {
		start, _ = strconv.Atoi(off)
	}
	page := []any{}
	for i := start; i < len(ids) && i < start+size; i++ {
		page = append(page, f.plugins[ids[i]])
	}
	body := map[string]any{"data": page, "next": nil}
	if start+size < len(ids) {
		body["offset"] = strconv.Itoa(start + size)
		body["next"] = r.URL.Path + "?offset=" + strconv.Itoa(start+size)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(body)
}

func (f *fakePlugins) entity(w http.ResponseWriter, r *http.Request, prefix, key string, reply func(int, any)) {
	id := key
	if _, ok := f.plugins[key]; !ok {
		for pid, p := range f.plugins {
			if p["instance_name"] == key {
				id = pid
			}
		}
	}
	switch r.Method {
	case http.MethodGet:
		if p, ok := f.plugins[id]; ok && f.alive(prefix, id) {
			reply(http.StatusOK, p)
			return
		}
		reply(http.StatusNotFound, map[string]any{"message": "Not found"})
	case http.MethodDelete:
		delete(f.plugins, id)
		reply(http.StatusNoContent, nil)
	case http.MethodPut:
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			reply(http.StatusBadRequest, map[string]any{"message": "Cannot parse JSON body"})
			return
		}
		if _, err := uuid.Parse(key); err != nil {
			reply(http.StatusBadRequest, map[string]any{"message": "invalid id"})
			return
		}
		f.put(key, prefix, body, reply)
	default:
		reply(http.StatusMethodNotAllowed, map[string]any{"message": "Method not allowed"})
	}
}

// put is Kong's upsert: the schema's processing, the foreign keys, the
// uniqueness of name and scope.
func (f *fakePlugins) put(id, prefix string, body map[string]any, reply func(int, any)) {
	name, _ := body["name"].(string)
	ps := f.schemas[name]
	if ps == nil {
		msg := fmt.Sprintf("plugin '%s' not enabled; add it to the 'plugins' configuration property", name)
		reply(http.StatusBadRequest, map[string]any{"code": 2, "name": "schema violation",
			"message": "schema violation (name: " + msg + ")", "fields": map[string]any{"name": msg}})
		return
	}
	body["id"] = id
	existing := f.plugins[id]
	createdAt, _ := body["created_at"].(float64)
	delete(body, "created_at")
	out, v := ps.Process(kongschema.Upsert, body, nil)
	if !v.Empty() {
		reply(http.StatusBadRequest, map[string]any{"code": 2, "name": "schema violation", "message": v.Message(), "fields": v.FieldsJSON()})
		return
	}
	for _, ref := range []struct{ field, kind string }{{"service", "services"}, {"route", "routes"}} {
		rid := refID(out[ref.field])
		if rid == "" {
			continue
		}
		if !f.exists(prefix, ref.kind, rid) {
			msg := fmt.Sprintf("the foreign key '{id=\"%s\"}' does not reference an existing '%s' entity.", rid, ref.kind)
			reply(http.StatusBadRequest, map[string]any{"code": 4, "name": "foreign key violation", "message": msg,
				"fields": map[string]any{ref.field: msg}})
			return
		}
	}
	for oid, o := range f.plugins {
		if oid != id && f.alive(prefix, oid) && o["name"] == name && refID(o["service"]) == refID(out["service"]) &&
			refID(o["route"]) == refID(out["route"]) && refID(o["consumer"]) == refID(out["consumer"]) {
			key := fmt.Sprintf("{consumer=%s,name=\"%s\",route=%s,service=%s}", luaRef(out["consumer"]), name, luaRef(out["route"]), luaRef(out["service"]))
			reply(http.StatusConflict, map[string]any{"code": 5, "name": "unique constraint violation",
				"message": "UNIQUE violation detected on '" + key + "'", "fields": map[string]any{"cache_key": key}})
			return
		}
	}
	now := float64(time.Now().Unix())
	switch {
	case createdAt > 0:
		out["created_at"] = createdAt
	case existing != nil:
		out["created_at"] = existing["created_at"]
	default:
		out["created_at"] = now
	}
	out["updated_at"] = now
	f.plugins[id] = out
	reply(http.StatusOK, out)
}

func luaRef(v any) string {
	if id := refID(v); id != "" {
		return fmt.Sprintf("{id=\"%s\"}", id)
	}
	return "null"
}

// exists asks the localkong whether a service or route is there.
func (f *fakePlugins) exists(prefix, kind, id string) bool {
	req, _ := http.NewRequest(http.MethodGet, f.upstream+prefix+"/"+kind+"/"+id, nil)
	req.Header.Set("X-Test", "1")
	if f.token != "" {
		req.Header.Set("Kong-Admin-Token", f.token)
		req.Header.Set("Authorization", "Bearer "+f.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return true // cannot tell: Kong would have
	}
	_ = resp.Body.Close()
	return resp.StatusCode != http.StatusNotFound
}

// alive reports whether a plugin's service or route is still there, and
// drops it when not, as Kong deletes plugins with them.
func (f *fakePlugins) alive(prefix, id string) bool {
	p := f.plugins[id]
	for _, ref := range []struct{ field, kind string }{{"service", "services"}, {"route", "routes"}} {
		if rid := refID(p[ref.field]); rid != "" && !f.exists(prefix, ref.kind, rid) {
			delete(f.plugins, id)
			return false
		}
	}
	return true
}

// kongPlugins lists the plugins Kong holds, behind the provider's back.
func (pk *pluginKong) kongPlugins(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	next := "/plugins?size=1000"
	for next != "" {
		var page struct {
			Data   []map[string]any `json:"data"`
			Offset string           `json:"offset"`
		}
		pk.call(t, http.MethodGet, next, nil, &page)
		out = append(out, page.Data...)
		next = ""
		if page.Offset != "" {
			next = "/plugins?size=1000&offset=" + url.QueryEscape(page.Offset)
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
