package kongapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/kong/go-kong/kong"
)

// CreateService is a POST to the collection carrying the id; a taken id is
// Kong's primary key violation, told apart from a taken name.
func TestCreateService(t *testing.T) {
	f := newCacheFixture(t, 1)
	ctx := context.Background()
	id := NewID()
	s, err := f.api.CreateService(ctx, &kong.Service{ID: kong.String(id), Name: kong.String("new"), Host: kong.String("example.com")})
	if err != nil || *s.ID != id {
		t.Fatalf("create = %+v, %v", s, err)
	}
	_, err = f.api.CreateService(ctx, &kong.Service{ID: kong.String(id), Name: kong.String("other"), Host: kong.String("example.com")})
	if !IsPrimaryKeyViolation(err) || IsUniqueViolation(err) {
		t.Fatalf("insert under a taken id: %v", err)
	}
	_, err = f.api.CreateService(ctx, &kong.Service{ID: kong.String(NewID()), Name: kong.String("new"), Host: kong.String("example.com")})
	if IsPrimaryKeyViolation(err) || !IsUniqueViolation(err) {
		t.Fatalf("insert under a taken name: %v", err)
	}
	if _, err := f.api.CreateService(ctx, &kong.Service{Host: kong.String("example.com")}); !errors.Is(err, errNoID) {
		t.Fatalf("insert without an id: %v", err)
	}
}

// The cache records what an insert returned, and forgets the id when it
// failed, so the next read asks Kong who holds it.
func TestCacheCreateService(t *testing.T) {
	f := newCacheFixture(t, 1)
	ctx := context.Background()
	c := newCache(f.api, 0) // lists at the first read
	if _, err := c.GetService(ctx, "svc-0"); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 1) // the listing
	id := NewID()
	if _, err := c.CreateService(ctx, &kong.Service{ID: kong.String(id), Name: kong.String("new"), Host: kong.String("example.com")}); err != nil {
		t.Fatal(err)
	}
	if s, err := c.GetService(ctx, "new"); err != nil || *s.ID != id {
		t.Fatalf("read after create = %+v, %v", s, err)
	}
	f.requests(t, 1) // the POST only
	taken := *f.services[0].ID
	if _, err := c.CreateService(ctx, &kong.Service{ID: kong.String(taken), Host: kong.String("example.com")}); !IsPrimaryKeyViolation(err) {
		t.Fatal(err)
	}
	if _, err := c.GetService(ctx, taken); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 2) // the refused POST, and a GET of the id
}

func TestIsPrimaryKeyViolation(t *testing.T) {
	konnect := `{"code":3,"message":"data constraint error","details":[{"@type":"type.googleapis.com/kong.admin.model.v1.ErrorDetail",` +
		`"type":"ERROR_TYPE_REFERENCE","field":"id","messages":["id (type: unique) constraint failed for value 'x': "]}]}`
	konnectName := `{"code":3,"message":"data constraint error","details":[{"type":"ERROR_TYPE_REFERENCE","field":"name","messages":["name (type: unique) constraint failed for value 'x': "]}]}`
	for _, tc := range []struct {
		status int
		body   string
		want   bool
	}{
		{400, `{"code":3,"name":"primary key violation","message":"primary key violation on key '{id=\"x\"}'","fields":{"id":"x"}}`, true},
		{400, konnect, true},
		{400, konnectName, false},
		{409, `{"code":5,"name":"unique constraint violation","message":"UNIQUE violation detected on '{name=\"x\"}'","fields":{"name":"x"}}`, false},
		{400, `{"code":2,"name":"schema violation","message":"schema violation (host: required field missing)","fields":{"host":"required field missing"}}`, false},
		{404, `{"message":"Not found"}`, false},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Request: &http.Request{Method: "POST", URL: &url.URL{Path: "/services"}}}
		if got := IsPrimaryKeyViolation(decodeError(resp, []byte(tc.body))); got != tc.want {
			t.Errorf("%d %s: %v, want %v", tc.status, tc.body, got, tc.want)
		}
	}
}

func TestGroup(t *testing.T) {
	for _, tc := range []struct{ url, workspace, want string }{
		{"http://kong:8001", "", "workspace:default"},
		{"http://kong:8001", "team-a", "workspace:team-a"},
		{"https://eu.api.konghq.com/v2/control-planes/9b1f6c84-1d36-4c6f-9c43-3f6a1b2b3c4d/core-entities", "", "konnect:9b1f6c84-1d36-4c6f-9c43-3f6a1b2b3c4d"},
		{"https://eu.api.konghq.com/v2/control-planes/9B1F6C84-1D36-4C6F-9c43-3f6a1b2b3c4d/core-entities", "", "konnect:9b1f6c84-1d36-4c6f-9c43-3f6a1b2b3c4d"},
		{"http://proxy/kong-admin/", "", "workspace:default"},
	} {
		c := newTestClient(t, Config{AdminURL: tc.url, Workspace: tc.workspace})
		if got := c.Group(); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.url, tc.workspace, got, tc.want)
		}
	}
}

// Once: a request that may have reached the server is not sent again (it
// comes back unconfirmed, after one attempt); one that cannot have (a 429,
// a refused connection) is.
func TestNoReplayDelete(t *testing.T) {
	var calls atomic.Int32
	var status atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if s := int(status.Swap(http.StatusNoContent)); s != http.StatusNoContent {
			w.WriteHeader(s)
			_ = json.NewEncoder(w).Encode(map[string]string{"message": http.StatusText(s)})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := newTestClient(t, fastConfig(srv.URL))
	ctx := context.Background()

	status.Store(http.StatusBadGateway)
	err := c.DeleteService(NoReplay(ctx), NewID())
	var ue *UnconfirmedError
	var re *RetryError
	if !errors.As(err, &ue) || errors.As(err, &re) || calls.Load() != 1 {
		t.Fatalf("502 with Once: %v after %d calls, want unconfirmed after 1", err, calls.Load())
	}
	calls.Store(0)
	status.Store(http.StatusTooManyRequests)
	if err := c.DeleteService(NoReplay(ctx), NewID()); err != nil || calls.Load() != 2 {
		t.Fatalf("429 with Once: %v after %d calls, want retried", err, calls.Load())
	}
	calls.Store(0)
	status.Store(http.StatusBadGateway)
	if err := c.DeleteService(ctx, NewID()); err != nil || calls.Load() != 2 {
		t.Fatalf("502 without Once: %v after %d calls, want retried", err, calls.Load())
	}

	if !refused(nil, &net.OpError{Op: "dial", Err: errors.New("connection refused")}) || refused(nil, io.ErrUnexpectedEOF) {
		t.Error("unsent: a refused connection is unsent, a dropped one may not be")
	}
}
