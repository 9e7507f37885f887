package servicehub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// fakeKong is the smallest Admin API the store needs: services by id or
// name, POST as an insert under the body's id (Kong's 400 code 3 when the id
// is taken), PUT as full replacement (created_at reset unless sent), unique
// names, AND tag filters, DELETE 204. It records every request, a POST with
// the id it carried.
type fakeKong struct {
	mu       sync.Mutex
	services map[string]map[string]any
	hidden   map[string]bool // ids taken where this client cannot see them
	// konnect answers a taken name as Konnect's control planes do (400
	// "data constraint error" on field name), not as Kong (409, code 5).
	konnect  bool
	requests []string
	now      int64
}

func newFakeKong(t *testing.T) (*fakeKong, *kongapi.Client) {
	f := &fakeKong{services: map[string]map[string]any{}, now: 1000}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := kongapi.New(kongapi.Config{AdminURL: srv.URL, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func (f *fakeKong) find(key string) map[string]any {
	if s, ok := f.services[key]; ok {
		return s
	}
	for _, s := range f.services {
		if s["name"] == key {
			return s
		}
	}
	return nil
}

func (f *fakeKong) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var body map[string]any
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		_ = json.NewDecoder(r.Body).Decode(&body)
	}
	if r.Method == http.MethodPost {
		f.requests = append(f.requests, fmt.Sprintf("POST %s %v", r.URL.Path, body["id"]))
	} else {
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	}
	key := strings.TrimPrefix(r.URL.Path, "/services/")
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/services":
		want := strings.Split(r.URL.Query().Get("tags"), ",")
		data := []any{}
	next:
		for _, s := range f.services {
			tags, _ := s["tags"].([]any)
			for _, w := range want {
				found := false
				for _, t := range tags {
					found = found || t == w
				}
				if !found {
					continue next
				}
			}
			data = append(data, s)
		}
		reply(200, map[string]any{"data": data, "next": nil})
	case r.Method == http.MethodGet:
		if s := f.find(key); s != nil {
			reply(200, s)
			return
		}
		reply(404, map[string]any{"message": "Not found"})
	case r.Method == http.MethodPost && r.URL.Path == "/services":
		key, _ = body["id"].(string)
		if _, taken := f.services[key]; taken || f.hidden[key] || key == "" {
			reply(400, map[string]any{"code": 3, "name": "primary key violation",
				"message": fmt.Sprintf("primary key violation on key '{id=%q}'", key), "fields": map[string]any{"id": key}})
			return
		}
		fallthrough
	case r.Method == http.MethodPut:
		body["id"] = key
		if other := f.find(fmt.Sprint(body["name"])); other != nil && other["id"] != key && f.konnect {
			reply(400, map[string]any{"code": 3, "message": "data constraint error", "details": []any{map[string]any{
				"@type": "type.googleapis.com/kong.admin.model.v1.ErrorDetail", "type": "ERROR_TYPE_REFERENCE", "field": "name",
				"messages": []any{fmt.Sprintf("name (type: unique) constraint failed for value '%v': ", body["name"])},
			}}})
			return
		} else if other != nil && other["id"] != key {
			reply(409, map[string]any{"code": 5, "name": "unique constraint violation",
				"message": fmt.Sprintf("UNIQUE violation detected on '{name=%q}'", body["name"]),
				"fields":  map[string]any{"name": body["name"]}})
			return
		}
		f.now++
		if _, ok := body["created_at"]; !ok {
			body["created_at"] = f.now
		}
		body["updated_at"] = f.now
		f.services[key] = body
		reply(200, body)
	case r.Method == http.MethodDelete:
		if s := f.find(key); s != nil {
			delete(f.services, s["id"].(string))
		}
		w.WriteHeader(204)
	case r.Method == http.MethodPatch:
		reply(405, map[string]any{"message": "Method not allowed"})
	}
}

func sample(name string) Implementation {
	return Implementation{
		Service: "payments", Version: "v1",
		Gateway: kong.Service{
			Name:     kong.String(name),
			Protocol: kong.String("http"), Host: kong.String("pay.internal"), Port: kong.Int(80), Path: kong.String("/api"),
			Retries: kong.Int(5), ConnectTimeout: kong.Int(60000), WriteTimeout: kong.Int(60000), ReadTimeout: kong.Int(60000),
			Enabled: kong.Bool(true), Tags: kong.StringSlice("team:core"),
		},
	}
}

func TestCreateGetUpdateDelete(t *testing.T) {
	f, api := newFakeKong(t)
	impls := NewImplementations(api)
	ctx := context.Background()

	created, err := impls.Create(ctx, sample("payments-v1"))
	if err != nil {
		t.Fatal(err)
	}
	if created.ID() == "" || created.Gateway.CreatedAt == nil || *created.Gateway.CreatedAt == 0 || created.Service != "payments" || created.Version != "v1" {
		t.Fatalf("created = %+v", created)
	}
	got, err := impls.Get(ctx, "payments-v1")
	if err != nil || got.ID() != created.ID() || !reflect.DeepEqual(strs(got.Gateway.Tags), []string{"team:core"}) {
		t.Fatalf("Get by name = %+v, %v", got, err)
	}

	// A full replacement: what upd leaves unset is cleared. Its id and
	// created_at are ignored: both are prior's.
	upd := sample("payments-v1-renamed")
	upd.Gateway.Path = nil
	upd.Gateway.Tags = nil
	upd.Gateway.ID, upd.Gateway.CreatedAt = kong.String("ignored"), kong.Int(1)
	updated, err := impls.Update(ctx, created, upd, MarkOf(created))
	if err != nil {
		t.Fatal(err)
	}
	if updated.ID() != created.ID() || updated.Gateway.CreatedAt == nil || *updated.Gateway.CreatedAt != *created.Gateway.CreatedAt ||
		updated.Gateway.Path != nil || updated.Gateway.Tags != nil || updated.Name() != "payments-v1-renamed" {
		t.Fatalf("updated = %+v (created_at was %d)", updated, *created.Gateway.CreatedAt)
	}
	f.mu.Lock()
	_, wrongID := f.services["ignored"]
	f.mu.Unlock()
	if wrongID {
		t.Error("Update wrote under impl's id, not prior's")
	}
	// Provider tags survive an update that clears user tags.
	if found, _ := impls.FindByVersion(ctx, "payments", "v1"); len(found) != 1 {
		t.Fatalf("FindByVersion after update = %v", found)
	}
	if _, err := impls.Update(ctx, Implementation{}, upd, MarkOf(Implementation{})); err == nil {
		t.Fatal("Update without a prior id succeeded")
	}

	if err := impls.Delete(ctx, updated, MarkOf(updated)); err != nil {
		t.Fatal(err)
	}
	if err := impls.Delete(ctx, updated, MarkOf(updated)); err != nil {
		t.Fatalf("second delete: %v", err)
	}
	if _, err := impls.Get(ctx, created.ID()); !IsNotFound(err) {
		t.Fatalf("Get after delete: %v", err)
	}
	// Every write is by id: a POST carries the slot id it inserts at.
	slot := slotID(api.Group(), "payments", "v1", 0)
	for _, req := range f.requests {
		if strings.HasPrefix(req, "PATCH") || (strings.HasPrefix(req, "POST") && req != "POST /services "+slot) {
			t.Errorf("request %s, want only PUT, DELETE, GET and POST under the slot id %s", req, slot)
		}
	}
}

func TestCreateSecondImplementationOfVersion(t *testing.T) {
	_, api := newFakeKong(t)
	impls := NewImplementations(api)
	ctx := context.Background()
	first, err := impls.Create(ctx, sample("payments-v1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = impls.Create(ctx, sample("payments-v1-again"))
	var taken *VersionTakenError
	if !errors.As(err, &taken) || taken.Existing.ID() != first.ID() || taken.Existing.Name() != "payments-v1" {
		t.Fatalf("err = %v, want VersionTakenError naming %s", err, first.ID())
	}
	if !strings.Contains(err.Error(), `"payments-v1"`) {
		t.Errorf("message does not name the existing service: %v", err)
	}

	// Moving another implementation onto a taken version is refused too.
	other := sample("payments-v2")
	other.Version = "v2"
	second, err := impls.Create(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	moved := second
	moved.Version = "v1"
	if _, err := impls.Update(ctx, second, moved, MarkOf(second)); !errors.As(err, &taken) {
		t.Fatalf("update onto taken version: %v", err)
	}
	// A duplicate made behind our back does not block the first one's
	// updates, which leave the version alone.
	rogue := Implementation{Service: "payments", Version: "v1", Gateway: kong.Service{
		ID: kong.String(kongapi.NewID()), Name: kong.String("rogue"), Protocol: kong.String("http"), Host: kong.String("r"), Port: kong.Int(80),
	}}
	if _, err := api.PutService(ctx, toKong(rogue)); err != nil {
		t.Fatal(err)
	}
	renamed := first
	renamed.Gateway.Name = kong.String("payments-v1-new")
	if _, err := impls.Update(ctx, first, renamed, MarkOf(first)); err != nil {
		t.Fatalf("update blocked by a rogue duplicate: %v", err)
	}
}

// A name taken is a *NameTakenError naming the other, as Kong says it (409,
// code 5) and as Konnect's control planes do (400 "data constraint error"
// on name), on a create and on an update.
func TestCreateDuplicateName(t *testing.T) {
	for _, konnect := range []bool{false, true} {
		f, api := newFakeKong(t)
		f.konnect = konnect
		impls := NewImplementations(api)
		ctx := context.Background()
		first, err := impls.Create(ctx, sample("shared-name"))
		if err != nil {
			t.Fatal(err)
		}
		dup := sample("shared-name")
		dup.Version = "v2"
		_, err = impls.Create(ctx, dup)
		var taken *NameTakenError
		if !errors.As(err, &taken) || taken.ID != first.ID() || !kongapi.IsUniqueViolation(err) {
			t.Fatalf("konnect %v: create: %v, want NameTakenError with id %s", konnect, err, first.ID())
		}
		otherImpl := sample("other-name")
		otherImpl.Version = "v3"
		other, err := impls.Create(ctx, otherImpl)
		if err != nil {
			t.Fatal(err)
		}
		renamed := other
		renamed.Gateway.Name = kong.String("shared-name")
		if _, err := impls.Update(ctx, other, renamed, MarkOf(other)); !errors.As(err, &taken) || taken.ID != first.ID() {
			t.Fatalf("konnect %v: rename: %v, want NameTakenError with id %s", konnect, err, first.ID())
		}
	}
}

// A create ignores the id and created_at it is given: the id is the
// version's slot, inserted with POST.
func TestCreateInsertsAtTheVersionSlot(t *testing.T) {
	f, api := newFakeKong(t)
	impls := NewImplementations(api)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a := sample("a")
	a.Gateway.ID = kong.String("stale")
	a.Gateway.CreatedAt = kong.Int(42)
	got, err := impls.Create(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if want := slotID("workspace:default", "payments", "v1", 0); got.ID() != want || got.Gateway.CreatedAt == nil || *got.Gateway.CreatedAt == 42 {
		t.Fatalf("created %+v, want id %s and a fresh created_at", got, want)
	}
	if last := f.requests[len(f.requests)-1]; last != "POST /services "+got.ID() {
		t.Fatalf("last request = %s", last)
	}
}
