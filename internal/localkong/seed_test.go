package localkong

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestSeed(t *testing.T) {
	srv, err := NewTestServer(Options{AdminToken: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	bodies := make([]map[string]any, 50)
	for i := range bodies {
		bodies[i] = map[string]any{"name": fmt.Sprintf("s-%02d", i), "url": "http://s.internal/api", "tags": []string{"servicehub:service=s"}}
	}
	ids, err := srv.Seed("services", bodies...)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount(); n != 50 {
		t.Errorf("%d requests, want 50", n)
	}
	for i, id := range ids {
		req, _ := http.NewRequest(http.MethodGet, srv.AdminURL+"/services/"+id, nil)
		req.Header.Set("Kong-Admin-Token", "secret")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if got["name"] != fmt.Sprintf("s-%02d", i) || got["path"] != "/api" {
			t.Fatalf("id %d: %v", i, got)
		}
	}
	if _, err := srv.Seed("routes", map[string]any{"name": "r", "paths": []string{"/r"}, "service": map[string]any{"id": ids[0]}}); err != nil {
		t.Errorf("route: %v", err)
	}
	// Kong's validation applies: a bad entity fails the seed, saying why.
	_, err = srv.Seed("services", map[string]any{"name": "bad name", "host": "x"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), "name") {
		t.Errorf("bad entity: %v", err)
	}
}
