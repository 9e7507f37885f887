package localkong

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestConcurrentWrites(t *testing.T) {
	s := startServer(t, Options{})
	c := &client{t: t, base: s.AdminURL, header: http.Header{}}
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.com"})

	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan string, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			wc := &client{t: t, base: s.AdminURL, header: http.Header{}}
			for i := 0; i < each; i++ {
				r := wc.do("POST", "/routes", obj{"name": fmt.Sprintf("r-%d-%d", w, i), "paths": []any{"/"}, "service": obj{"id": svc["id"]}})
				if r.status != 201 {
					errs <- string(r.raw)
				}
				// Everyone also races for one name: exactly one wins.
				wc.do("POST", "/services", obj{"name": "contested", "host": "example.com"})
				s.store.RouteSource()
				wc.do("GET", "/routes?size=5", nil)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("create failed: %s", e)
	}
	gen, entries := s.store.RouteSource()
	if len(entries) != workers*each {
		t.Errorf("routeSource has %d routes, want %d", len(entries), workers*each)
	}
	if gen < workers*each {
		t.Errorf("generation %d too low", gen)
	}
	list := c.must(200, "GET", "/services?size=1000", nil)
	if n := len(list["data"].([]any)); n != 2 {
		t.Errorf("%d services, want 2", n)
	}
}

func TestRouteSource(t *testing.T) {
	s := startServer(t, Options{})
	c := &client{t: t, base: s.AdminURL, header: http.Header{}}
	gen0, entries := s.store.RouteSource()
	if len(entries) != 0 {
		t.Fatalf("entries: %v", entries)
	}
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.com"})
	gen1, _ := s.store.RouteSource()
	if gen1 == gen0 {
		t.Errorf("service write did not bump the generation")
	}
	c.must(201, "POST", "/routes", obj{"paths": []any{"/"}, "service": obj{"id": svc["id"]}})
	c.must(201, "POST", "/workspaces", obj{"name": "ws2"})
	c.must(201, "POST", "/ws2/routes", obj{"paths": []any{"/x"}})
	gen2, entries := s.store.RouteSource()
	if gen2 <= gen1 || len(entries) != 2 {
		t.Fatalf("gen %d entries %d", gen2, len(entries))
	}
	byWS := map[string]store.RouteEntry{}
	for _, e := range entries {
		byWS[e.Workspace] = e
	}
	if e := byWS["default"]; e.Service == nil || e.Service["id"] != svc["id"] {
		t.Errorf("default entry: %+v", e)
	}
	if e := byWS["ws2"]; e.Route == nil || e.Service != nil {
		t.Errorf("ws2 entry: %+v", e)
	}
	// Reads and non-routing writes leave the cache alone.
	c.must(200, "GET", "/routes", nil)
	cert, key := testCert(t, "x.test", false)
	c.must(201, "POST", "/certificates", obj{"cert": cert, "key": key})
	if gen3, again := s.store.RouteSource(); gen3 != gen2 || &again[0] != &entries[0] {
		t.Errorf("cache not reused: gen %d→%d", gen2, gen3)
	}
}

func TestAdminLatency(t *testing.T) {
	c := newClient(t, Options{AdminLatency: 30 * time.Millisecond})
	start := time.Now()
	c.must(200, "GET", "/services", nil)
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("request took %v, want ≥ 30ms", d)
	}
}

func TestStartAndClose(t *testing.T) {
	s, err := Start(Options{}, "127.0.0.1:0", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if s.AdminURL == "" || s.ProxyURL == "" || s.AdminURL == s.ProxyURL {
		t.Errorf("urls %q %q", s.AdminURL, s.ProxyURL)
	}
	res, err := http.Get(s.AdminURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(s.AdminURL + "/"); err == nil {
		t.Errorf("server still answers after Close")
	}
	if _, err := Start(Options{}, "127.0.0.1:bad", "127.0.0.1:0"); err == nil {
		t.Errorf("bad address accepted")
	}
}
