package konnectapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

const token = "kpat_test0123456789abcdefghijklmnopqrstuvwxyzABCDEF"

// catalog is a small in-memory API Catalog following the v3 document's
// shapes and status codes, with hooks to fail requests.
type catalog struct {
	mu    sync.Mutex
	apis  map[string]map[string]any
	links map[string]map[string]any // id → list item (with api_id)
	// fault, when set, decides per request: "" serves it; "drop-after"
	// serves it and closes the connection unanswered; a status code
	// answers that without serving.
	fault    func(r *http.Request) string
	requests []string
	bodies   []string
}

func newCatalog(t *testing.T) (*catalog, *httptest.Server) {
	c := &catalog{apis: map[string]map[string]any{}, links: map[string]map[string]any{}}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return c, srv
}

func problem(w http.ResponseWriter, status int, title, detail string, params ...map[string]any) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	body := map[string]any{"status": status, "title": title, "instance": "kong:trace:1", "detail": detail}
	if len(params) > 0 {
		body["invalid_parameters"] = params
	}
	_ = json.NewEncoder(w).Encode(body)
}

func (c *catalog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.requests = append(c.requests, r.Method+" "+r.URL.Path)
	c.bodies = append(c.bodies, string(body))
	fault := ""
	if c.fault != nil {
		fault = c.fault(r)
	}
	c.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+token {
		problem(w, 401, "Unauthorized", "Unauthorized")
		return
	}
	if n, err := strconv.Atoi(fault); err == nil {
		problem(w, n, http.StatusText(n), http.StatusText(n))
		return
	}
	rec := httptest.NewRecorder()
	c.serve(rec, r, body)
	if fault == "drop-after" {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (c *catalog) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	page := func(items []map[string]any) {
		sort.Slice(items, func(i, j int) bool { return items[i]["id"].(string) < items[j]["id"].(string) })
		size, _ := strconv.Atoi(r.URL.Query().Get("page[size]"))
		num, _ := strconv.Atoi(r.URL.Query().Get("page[number]"))
		size = min(max(size, 1), 100)
		num = max(num, 1)
		lo, hi := min((num-1)*size, len(items)), min(num*size, len(items))
		reply(200, map[string]any{"data": items[lo:hi], "meta": map[string]any{"page": map[string]any{"number": num, "size": size, "total": len(items)}}})
	}
	q := r.URL.Query()
	switch {
	case r.Method == "POST" && r.URL.Path == "/v3/apis":
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		for _, a := range c.apis {
			if a["name"] == in["name"] && a["version"] == in["version"] {
				problem(w, 409, "Conflict", "API with name and version already exists")
				return
			}
		}
		in["id"] = uuid.NewString()
		delete(in, "spec_content")
		c.apis[in["id"].(string)] = in
		reply(201, in)
	case r.Method == "GET" && r.URL.Path == "/v3/apis":
		var items []map[string]any
		for _, a := range c.apis {
			if (q.Get("filter[name][eq]") == "" || a["name"] == q.Get("filter[name][eq]")) &&
				(q.Get("filter[version][eq]") == "" || a["version"] == q.Get("filter[version][eq]")) {
				items = append(items, a)
			}
		}
		page(items)
	case len(segs) == 3 && segs[1] == "apis":
		a, ok := c.apis[segs[2]]
		if !ok {
			problem(w, 404, "Not Found", "Not Found")
			return
		}
		switch r.Method {
		case "GET":
			reply(200, a)
		case "PATCH":
			_ = json.Unmarshal(body, &a)
			reply(200, a)
		case "DELETE":
			delete(c.apis, segs[2])
			w.WriteHeader(204)
		}
	case r.Method == "POST" && len(segs) == 4 && segs[3] == "implementations":
		var in struct{ Service ServiceRef }
		_ = json.Unmarshal(body, &in)
		for _, l := range c.links {
			switch {
			case l["api_id"] == segs[2]:
				problem(w, 409, "Conflict", DetailAPIImplemented)
				return
			case l["service"].(map[string]any)["id"] == in.Service.ID:
				problem(w, 409, "Conflict", DetailServiceLinked)
				return
			}
		}
		id := uuid.NewString()
		svc := map[string]any{"control_plane_id": in.Service.ControlPlaneID, "id": in.Service.ID}
		c.links[id] = map[string]any{"id": id, "api_id": segs[2], "service": svc, "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}
		reply(201, map[string]any{"id": id, "service": svc, "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"})
	case r.Method == "DELETE" && len(segs) == 5 && segs[3] == "implementations":
		if l, ok := c.links[segs[4]]; !ok || l["api_id"] != segs[2] {
			problem(w, 404, "Not Found", "Not Found")
			return
		}
		delete(c.links, segs[4])
		w.WriteHeader(204)
	case r.Method == "GET" && r.URL.Path == "/v3/api-implementations":
		var items []map[string]any
		for _, l := range c.links {
			svc := l["service"].(map[string]any)
			if (q.Get("filter[api_id][eq]") == "" || l["api_id"] == q.Get("filter[api_id][eq]")) &&
				(q.Get("filter[service_id][eq]") == "" || svc["id"] == q.Get("filter[service_id][eq]")) {
				items = append(items, l)
			}
		}
		page(items)
	default:
		problem(w, 404, "Not Found", "Not Found")
	}
}

func (c *catalog) count(req string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, r := range c.requests {
		if r == req {
			n++
		}
	}
	return n
}

type logEntry struct {
	msg    string
	fields map[string]any
}

func newClient(t *testing.T, base string, logs *[]logEntry) *Client {
	t.Helper()
	var mu sync.Mutex
	wire, err := kongapi.New(kongapi.Config{
		AdminURL: base + "/v2/control-planes/cp/core-entities", KonnectToken: token,
		MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Log: func(_ context.Context, msg string, fields map[string]any) {
			mu.Lock()
			defer mu.Unlock()
			if logs != nil {
				*logs = append(*logs, logEntry{msg, fields})
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(wire, base, "6a2d8a5e-6f59-4c8e-9f0e-2d1c8e0b7a11")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLocate(t *testing.T) {
	for _, tc := range []struct{ in, base, cp string }{
		{"https://us.api.konghq.com/v2/control-planes/9b1f/core-entities", "https://us.api.konghq.com", "9b1f"},
		{"https://eu.api.konghq.com/v2/control-planes/9b1f/core-entities/", "https://eu.api.konghq.com", "9b1f"},
		{"http://127.0.0.1:8001/prefix/v2/control-planes/abc/core-entities", "http://127.0.0.1:8001/prefix", "abc"},
		{"https://us.api.konghq.com/v2/control-planes/9B1F-Ab/core-entities", "https://us.api.konghq.com", "9b1f-ab"},
		{"http://localhost:8001", "", ""},
		{"http://localhost:8001/v2/control-planes//core-entities", "", ""},
		{"https://us.api.konghq.com/v2/control-planes/9b1f/core-entities/services", "", ""},
	} {
		base, cp, ok := Locate(tc.in)
		if base != tc.base || cp != tc.cp || ok != (tc.base != "") {
			t.Errorf("Locate(%q) = %q, %q, %v; want %q, %q", tc.in, base, cp, ok, tc.base, tc.cp)
		}
	}
}

func ptr(s string) *string { return &s }

// mark is a create's mark, as the caller makes one: a label only it knows.
func mark() Label { return Label{Key: "servicehub-create", Value: uuid.NewString()} }

func TestCreateAPI(t *testing.T) {
	cat, srv := newCatalog(t)
	c := newClient(t, srv.URL, nil)
	a, err := c.CreateAPI(context.Background(), NewAPI{Name: "payments", Version: ptr("v1"), Labels: map[string]string{"team": "pay"}, SpecContent: ptr("openapi: 3.0.0")}, mark())
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == "" || a.Name != "payments" || *a.Version != "v1" || a.Labels["team"] != "pay" {
		t.Fatalf("created %+v", a)
	}
	var sent map[string]any
	_ = json.Unmarshal([]byte(cat.bodies[0]), &sent)
	if sent["spec_content"] != "openapi: 3.0.0" || sent["name"] != "payments" || sent["version"] != "v1" {
		t.Fatalf("sent %s", cat.bodies[0])
	}
	if l, _ := sent["labels"].(map[string]any); len(l) != 2 || l["team"] != "pay" || l["servicehub-create"] == nil {
		t.Fatalf("sent labels %v: want the caller's and the create's mark", sent["labels"])
	}
	if _, ok := sent["description"]; ok {
		t.Fatalf("an unset description was sent: %s", cat.bodies[0])
	}

	// The same name and version again: the catalog's 409, not adopted.
	_, err = c.CreateAPI(context.Background(), NewAPI{Name: "payments", Version: ptr("v1")}, mark())
	var e *Error
	if !errors.As(err, &e) || e.Status != 409 || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("duplicate: %v", err)
	}
	if n := cat.count("GET /v3/apis"); n != 0 {
		t.Fatalf("a first-attempt 409 looked for the API (%d lists): it must not be adopted", n)
	}
}

// A POST whose response is lost (the connection drops after the catalog
// committed it, or a gateway answers 502 after) is never replayed blindly:
// the API is looked up by name and version, and exactly one exists.
func TestCreateAPI_unconfirmedIsSettled(t *testing.T) {
	for _, fault := range []string{"drop-after", "502-after"} {
		t.Run(fault, func(t *testing.T) {
			cat, srv := newCatalog(t)
			posts := 0
			cat.fault = func(r *http.Request) string {
				if r.Method == "POST" {
					posts++
					if posts == 1 {
						return "drop-after"
					}
				}
				return ""
			}
			if fault == "502-after" {
				// A gateway that forwarded the POST, then failed: the
				// catalog holds it, the client sees 502.
				cat.fault = nil
				srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == "POST" {
						posts++
						if posts == 1 {
							cat.ServeHTTP(httptest.NewRecorder(), r)
							problem(w, 502, "Bad Gateway", "upstream failed")
							return
						}
					}
					cat.ServeHTTP(w, r)
				})
			}
			c := newClient(t, srv.URL, nil)
			a, err := c.CreateAPI(context.Background(), NewAPI{Name: "payments", Version: ptr("v1")}, mark())
			if err != nil {
				t.Fatal(err)
			}
			if len(cat.apis) != 1 || cat.apis[a.ID] == nil {
				t.Fatalf("catalog holds %d APIs (want 1, the returned %s)", len(cat.apis), a.ID)
			}
			if posts != 1 {
				t.Fatalf("%d POSTs; the lost one must be found, not replayed", posts)
			}
		})
	}
}

// Settling never takes another create's API for this one's: the POST did
// not land, and meanwhile another run created the same name and version
// (without this create's mark). Found when the lost POST is looked up, or
// by the 409 of the POST sent again: either way an *OtherCreateError naming
// the other API, and nothing adopted.
func TestCreateAPI_otherCreateNotAdopted(t *testing.T) {
	for _, when := range []string{"found by the lookup", "409 of the next POST"} {
		t.Run(when, func(t *testing.T) {
			cat, srv := newCatalog(t)
			posts, lists := 0, 0
			other := map[string]any{"id": uuid.NewString(), "name": "p", "version": "v1", "labels": map[string]any{"servicehub-create": "another"}}
			cat.fault = func(r *http.Request) string {
				switch {
				case r.Method == "POST":
					if posts++; posts == 1 {
						if when == "found by the lookup" {
							cat.apis[other["id"].(string)] = other
						}
						return "503" // not served: nothing of this create landed
					}
				case r.Method == "GET" && r.URL.Path == "/v3/apis":
					if lists++; lists == 1 && when == "409 of the next POST" {
						// The other create lands after this one's lookup.
						defer func() { cat.apis[other["id"].(string)] = other }()
					}
				}
				return ""
			}
			c := newClient(t, srv.URL, nil)
			m := mark()
			_, err := c.CreateAPI(context.Background(), NewAPI{Name: "p", Version: ptr("v1")}, m)
			var oc *OtherCreateError
			if !errors.As(err, &oc) || oc.API.ID != other["id"] || !strings.Contains(err.Error(), other["id"].(string)) {
				t.Fatalf("%v, want an *OtherCreateError naming %s", err, other["id"])
			}
			if len(cat.apis) != 1 {
				t.Fatalf("the catalog holds %d APIs", len(cat.apis))
			}
			for _, a := range cat.apis {
				if a["labels"].(map[string]any)["servicehub-create"] == m.Value {
					t.Fatal("this create's API landed after all")
				}
			}
		})
	}
}

// A POST that did not land (drop, then not found) is sent again; a 429 is
// retried by the wire itself, as it says nothing was done.
func TestCreateAPI_notLandedIsRetried(t *testing.T) {
	cat, srv := newCatalog(t)
	var seq []string
	cat.fault = func(r *http.Request) string {
		if r.Method != "POST" {
			return ""
		}
		f := []string{"429", "503", ""}[min(len(seq), 2)]
		seq = append(seq, f)
		return f
	}
	c := newClient(t, srv.URL, nil)
	if _, err := c.CreateAPI(context.Background(), NewAPI{Name: "p", Version: ptr("v1")}, mark()); err != nil {
		t.Fatal(err)
	}
	// 429: retried by the wire; 503: a failure that may have applied, so
	// looked up (not found) before posting again.
	if len(cat.apis) != 1 || cat.count("POST /v3/apis") != 3 || cat.count("GET /v3/apis") != 1 {
		t.Fatalf("apis=%d requests=%v", len(cat.apis), cat.requests)
	}
}

func TestUpdateAPI_patchBody(t *testing.T) {
	cat, srv := newCatalog(t)
	c := newClient(t, srv.URL, nil)
	a, err := c.CreateAPI(context.Background(), NewAPI{Name: "p", Version: ptr("v1"), Description: ptr("d")}, mark())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UpdateAPI(context.Background(), a.ID, APIPatch{Version: ptr("v2"), SetDescription: true, Labels: map[string]*string{"gone": nil, "k": ptr("v")}})
	if err != nil {
		t.Fatal(err)
	}
	got := cat.bodies[len(cat.bodies)-1]
	var m map[string]any
	_ = json.Unmarshal([]byte(got), &m)
	if v, ok := m["description"]; !ok || v != nil || m["version"] != "v2" || m["name"] != nil {
		t.Fatalf("PATCH body %s", got)
	}
	if l := m["labels"].(map[string]any); l["gone"] != nil || l["k"] != "v" || len(l) != 2 {
		t.Fatalf("PATCH labels %s", got)
	}
	if err := c.DeleteAPI(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteAPI(context.Background(), a.ID); err != nil {
		t.Fatalf("deleting a deleted API: %v", err)
	}
	if _, err := c.GetAPI(context.Background(), a.ID); !IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestCreateImplementation(t *testing.T) {
	cat, srv := newCatalog(t)
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	a, _ := c.CreateAPI(ctx, NewAPI{Name: "p", Version: ptr("v1")}, mark())
	b, _ := c.CreateAPI(ctx, NewAPI{Name: "p", Version: ptr("v2")}, mark())
	svc := ServiceRef{ControlPlaneID: c.ControlPlaneID, ID: uuid.NewString()}
	l, err := c.CreateImplementation(ctx, a.ID, svc)
	if err != nil || !l.Is(svc) || l.APIID != a.ID {
		t.Fatalf("link: %+v %v", l, err)
	}
	// The same link again is what was asked for: success, no second link.
	again, err := c.CreateImplementation(ctx, a.ID, svc)
	if err != nil || again.ID != l.ID || len(cat.links) != 1 {
		t.Fatalf("relink: %+v %v (%d links)", again, err, len(cat.links))
	}
	// Another service for the implemented API, and the linked service
	// for another API: the catalog's two conflicts, told apart by Detail.
	_, err = c.CreateImplementation(ctx, a.ID, ServiceRef{ControlPlaneID: c.ControlPlaneID, ID: uuid.NewString()})
	var e *Error
	if !errors.As(err, &e) || e.Status != 409 || e.Detail != DetailAPIImplemented {
		t.Fatalf("second implementation: %v", err)
	}
	_, err = c.CreateImplementation(ctx, b.ID, svc)
	if !errors.As(err, &e) || e.Status != 409 || e.Detail != DetailServiceLinked {
		t.Fatalf("service linked twice: %v", err)
	}
	found, err := c.ListImplementations(ctx, ImplementationFilter{ServiceID: svc.ID, ControlPlaneID: c.ControlPlaneID})
	if err != nil || len(found) != 1 || found[0].APIID != a.ID {
		t.Fatalf("list by service: %+v %v", found, err)
	}
	if err := c.DeleteImplementation(ctx, a.ID, l.ID); err != nil || len(cat.links) != 0 {
		t.Fatalf("unlink: %v (%d links)", err, len(cat.links))
	}
	if err := c.DeleteImplementation(ctx, a.ID, l.ID); err != nil {
		t.Fatalf("unlinking again: %v", err)
	}
}

func TestCreateImplementation_unconfirmedIsSettled(t *testing.T) {
	cat, srv := newCatalog(t)
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	a, _ := c.CreateAPI(ctx, NewAPI{Name: "p", Version: ptr("v1")}, mark())
	posts := 0
	cat.fault = func(r *http.Request) string {
		if r.Method == "POST" {
			posts++
			return "drop-after"
		}
		return ""
	}
	svc := ServiceRef{ControlPlaneID: c.ControlPlaneID, ID: uuid.NewString()}
	l, err := c.CreateImplementation(ctx, a.ID, svc)
	if err != nil || !l.Is(svc) || len(cat.links) != 1 || posts != 1 {
		t.Fatalf("link %+v, err %v, %d links, %d POSTs", l, err, len(cat.links), posts)
	}
}

func TestListImplementations_pages(t *testing.T) {
	cat, srv := newCatalog(t)
	c := newClient(t, srv.URL, nil)
	for i := 0; i < 250; i++ {
		id := uuid.NewString()
		cat.links[id] = map[string]any{"id": id, "api_id": "x", "service": map[string]any{"control_plane_id": "cp", "id": uuid.NewString()}}
	}
	all, err := c.ListImplementations(context.Background(), ImplementationFilter{APIID: "x"})
	if err != nil || len(all) != 250 {
		t.Fatalf("%d implementations, %v", len(all), err)
	}
	if n := cat.count("GET /v3/api-implementations"); n != 3 {
		t.Fatalf("%d pages read, want 3", n)
	}
}

func TestErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			problem(w, 401, "Unauthorized", "Invalid credentials")
			return
		}
		problem(w, 400, "Invalid Request", "Invalid Parameters",
			map[string]any{"field": "service.id", "rule": "missing_reference", "reason": "Service not found"})
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	_, err := c.CreateImplementation(context.Background(), uuid.NewString(), ServiceRef{ID: "s"})
	var e *Error
	if !errors.As(err, &e) || e.Status != 400 {
		t.Fatalf("%v", err)
	}
	if _, ok := e.Parameter("service.id", "missing_reference"); !ok || !strings.Contains(err.Error(), "service.id: Service not found") {
		t.Fatalf("invalid_parameters not decoded: %v", err)
	}

	wire, _ := kongapi.New(kongapi.Config{AdminURL: srv.URL, KonnectToken: "kpat_wrong"})
	bad, _ := New(wire, srv.URL, "cp")
	_, err = bad.GetAPI(context.Background(), "x")
	var auth *kongapi.AuthError
	if !errors.As(err, &auth) || !auth.Konnect || StatusOf(err) != 401 {
		t.Fatalf("401: %v", err)
	}
}

func TestStatusCodes(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v2/metrics" || r.Method != "POST" || r.Header.Get("Authorization") != "Bearer "+token {
			problem(w, 404, "Not Found", r.Method+" "+r.URL.Path)
			return
		}
		_ = json.NewDecoder(r.Body).Decode(&got)
		w.Header().Set("Content-Type", "application/json")
		// MET MetricsResultV2; the status code as a string and a number.
		_, _ = io.WriteString(w, `{"data":[
		  {"timestamp":"2024-01-16T00:00:00Z","event":{"status_code":"200","request_count":3}},
		  {"timestamp":"2024-01-16T00:00:00Z","event":{"status_code":404,"request_count":2}},
		  {"timestamp":"2024-01-16T00:00:00Z","event":{"status_code":"500","request_count":0}}],
		 "meta":{"start":"2024-01-16T00:00:00.000Z","end":"2024-01-17T00:00:00.000Z","display":{},"metric_units":{"request_count":"count"},
		  "granularity_ms":86400000,"truncated":false,"limit":1000,"query_id":"q"}}`)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, nil)
	svc := uuid.NewString()
	codes, err := c.StatusCodes(context.Background(), StatusCodeQuery{ServiceID: svc, TimeRange: "15m"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(codes.Codes) != "map[200:3 404:2]" || codes.Truncated || codes.Other != 0 {
		t.Fatalf("codes %+v", codes)
	}
	want := fmt.Sprintf(`map[datasource:api_usage dimensions:[status_code] filters:[map[field:gateway_service operator:in value:[%s:%s]]] limit:1000 metrics:[request_count] time_range:map[time_range:15m type:relative]]`,
		c.ControlPlaneID, svc)
	if fmt.Sprint(got) != want {
		t.Fatalf("query\n got %v\nwant %s", got, want)
	}
}

// An answer cut at its cardinality limit is not read as complete: it says
// it is truncated, with the limit, and counts what it grouped as other
// status codes apart.
func TestStatusCodes_truncated(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"data":[
		  {"timestamp":"2024-01-16T00:00:00Z","event":{"status_code":"200","request_count":3}},
		  {"timestamp":"2024-01-16T00:00:00Z","event":{"status_code":"404","request_count":2}},
		  {"timestamp":"2024-01-16T00:00:00Z","event":{"status_code":"____OTHER____","request_count":5}}],
		 "meta":{"start":"2024-01-16T00:00:00.000Z","end":"2024-01-17T00:00:00.000Z","display":{},"metric_units":{"request_count":"count"},
		  "granularity_ms":86400000,"truncated":true,"limit":2,"query_id":"q"}}`)
	}))
	defer srv.Close()
	codes, err := newClient(t, srv.URL, nil).StatusCodes(context.Background(), StatusCodeQuery{ServiceID: "s", TimeRange: "24h"})
	if err != nil || fmt.Sprint(codes.Codes) != "map[200:3 404:2]" || !codes.Truncated || codes.Limit != 2 || codes.Other != 5 {
		t.Fatalf("%+v, %v", codes, err)
	}
}

// Analytics is optional and rate limited: one attempt, whatever the
// failure, and the answer's status is kept for the caller.
func TestStatusCodes_unavailable(t *testing.T) {
	for _, status := range []int{403, 408, 429, 502} {
		calls := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			calls++
			problem(w, status, http.StatusText(status), "no")
		}))
		c := newClient(t, srv.URL, nil)
		_, err := c.StatusCodes(context.Background(), StatusCodeQuery{ServiceID: "s", TimeRange: "24h"})
		srv.Close()
		if StatusOf(err) != status {
			t.Fatalf("%d: %v", status, err)
		}
		if calls != 1 {
			t.Fatalf("%d: %d calls, want 1", status, calls)
		}
	}
}

// The request log names method, URL and status of catalog and analytics
// requests, and never the token.
func TestLog_noToken(t *testing.T) {
	_, srv := newCatalog(t)
	var logs []logEntry
	c := newClient(t, srv.URL, &logs)
	ctx := context.Background()
	a, err := c.CreateAPI(ctx, NewAPI{Name: "p", Version: ptr("v1")}, mark())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.CreateImplementation(ctx, a.ID, ServiceRef{ControlPlaneID: "cp", ID: "s"})
	_, _ = c.StatusCodes(ctx, StatusCodeQuery{ServiceID: "s", TimeRange: "1h"})
	all := fmt.Sprint(logs)
	for _, want := range []string{"POST", "/v3/apis", "/implementations", "/v2/metrics", "201"} {
		if !strings.Contains(all, want) {
			t.Fatalf("the log lacks %q: %s", want, all)
		}
	}
	if strings.Contains(all, token) || strings.Contains(all, token[5:20]) {
		t.Fatalf("the token is in the log: %s", all)
	}
}
