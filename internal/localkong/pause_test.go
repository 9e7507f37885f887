package localkong

import (
	"net/http"
	"testing"
	"time"
)

func posts(r *http.Request) bool { return r.Method == http.MethodPost }

func waitArrived(t *testing.T, p *Paused) {
	t.Helper()
	select {
	case <-p.Arrived():
	case <-time.After(5 * time.Second):
		t.Fatal("the request was never held")
	}
}

// done runs f in the background and reports when it has returned.
func done(f func()) <-chan struct{} {
	ch := make(chan struct{})
	go func() { defer close(ch); f() }()
	return ch
}

// A request held before handling has not touched the store; other
// requests, and later matching ones, pass meanwhile.
func TestPauseBeforeHandling(t *testing.T) {
	srv := startServer(t, Options{})
	c := &client{t: t, base: srv.AdminURL, header: http.Header{}}
	p := srv.Pause(BeforeHandling, posts)
	var held *response
	finished := done(func() { held = c.do("POST", "/services", obj{"name": "held", "host": "a.test"}) })
	waitArrived(t, p)
	c.must(404, "GET", "/services/held", nil)
	c.must(201, "POST", "/services", obj{"name": "passes", "host": "b.test"})
	select {
	case <-finished:
		t.Fatal("the held request was answered before Release")
	case <-time.After(50 * time.Millisecond):
	}
	p.Release()
	<-finished
	if held.status != 201 {
		t.Fatalf("held request: %d %s", held.status, held.raw)
	}
	c.must(200, "GET", "/services/held", nil)
	p.Release() // again: harmless
}

// A request held after handling is committed: others see its write before
// its client hears back.
func TestPauseAfterHandling(t *testing.T) {
	srv := startServer(t, Options{})
	c := &client{t: t, base: srv.AdminURL, header: http.Header{}}
	p := srv.Pause(AfterHandling, posts)
	var held *response
	finished := done(func() { held = c.do("POST", "/services", obj{"name": "held", "host": "a.test"}) })
	waitArrived(t, p)
	c.must(200, "GET", "/services/held", nil)
	p.Release()
	<-finished
	if held.status != 201 || held.body["name"] != "held" {
		t.Fatalf("held request: %d %s", held.status, held.raw)
	}
}

// Close lets held requests go rather than wait for them.
func TestPauseReleasedOnClose(t *testing.T) {
	srv, err := NewTestServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, base: srv.AdminURL, header: http.Header{}}
	p := srv.Pause(BeforeHandling, posts)
	finished := done(func() { _, _ = http.Post(c.base+"/services", "application/json", nil) })
	waitArrived(t, p)
	start := time.Now()
	_ = srv.Close()
	<-finished
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Close took %v with a held request", d)
	}
}

// An insert under a taken id: Kong's primary key violation, and on Konnect
// its "data constraint error" on the id field, as Kong's koko answers it.
func TestInsertUnderTakenID(t *testing.T) {
	const id = "6b6f8d2b-d6a1-4f7f-8b5d-c1c2c3c4c5c6"
	c := newClient(t, Options{Konnect: true, AdminToken: "kpat_x"})
	c.header.Set("Authorization", "Bearer kpat_x")
	c.must(201, "POST", cpA+"/services", obj{"id": id, "host": "example.com"})
	c.expect("POST", cpA+"/services", obj{"id": id, "name": "other", "host": "example.com"}, 400, obj{
		"code": 3, "message": "data constraint error",
		"details": []any{obj{
			"@type": "type.googleapis.com/kong.admin.model.v1.ErrorDetail",
			"type":  "ERROR_TYPE_REFERENCE", "field": "id",
			"messages": []any{"id (type: unique) constraint failed for value '" + id + "': "},
		}},
	})
	// Other control planes have their own ids.
	c.must(201, "POST", cpB+"/services", obj{"id": id, "host": "example.com"})
}
