package servicehub

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// pluginServer answers as Kong 3.10 does for what a test needs; handle
// returns false to fall through to 404.
func pluginServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, body map[string]any) bool) (*Plugins, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		if !handle(w, r, body) {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"message":"Not found"}`))
		}
	}))
	t.Cleanup(srv.Close)
	api, err := kongapi.New(kongapi.Config{AdminURL: srv.URL, MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return NewPlugins(api), &n
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// A create whose every response is lost (Kong committed each attempt) is
// settled by reading its id: the plugin there carries this create's token,
// so it is the create's, and the create succeeds.
func TestPluginCreateSettled(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	stored := map[string]map[string]any{}
	plugins, _ := pluginServer(t, func(w http.ResponseWriter, r *http.Request, body map[string]any) bool {
		id := strings.TrimPrefix(r.URL.Path, "/plugins/")
		mu.Lock()
		defer mu.Unlock()
		switch r.Method {
		case http.MethodPut:
			body["id"], body["created_at"] = id, 1700000000
			stored[id] = body
			// Committed, then the connection drops.
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return true
		case http.MethodGet:
			if p, ok := stored[id]; ok {
				writeJSON(w, http.StatusOK, p)
				return true
			}
		}
		return false
	})
	p, err := plugins.Create(context.Background(), Plugin{Kong: kong.Plugin{Name: kong.String("cors"), Service: &kong.Service{ID: kong.String("6b8f5c1e-1f0a-4a54-9d0f-3c2b1a0e9d8c")}}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Token == "" || p.ID() == "" || len(stored) != 1 {
		t.Errorf("created %+v (Kong holds %d), want one plugin carrying the create's token", p, len(stored))
	}
	if m := MarkOfPlugin(p); !m.OwnsPlugin(p) || m.CreatedAt != 1700000000 {
		t.Errorf("mark %+v does not own the plugin it was taken from", m)
	}
}

// A create that meets the plugin already on its scope names that one and
// writes nothing.
func TestPluginCreateTaken(t *testing.T) {
	t.Parallel()
	const service, existing = "6b8f5c1e-1f0a-4a54-9d0f-3c2b1a0e9d8c", "0d3c7a52-7c4e-4f43-8d7b-9f1e2a3b4c5d"
	plugins, _ := pluginServer(t, func(w http.ResponseWriter, r *http.Request, _ map[string]any) bool {
		switch {
		case r.Method == http.MethodPut:
			writeJSON(w, http.StatusConflict, map[string]any{"code": 5, "name": "unique constraint violation",
				"message": `UNIQUE violation detected on '{consumer=null,name="cors",route=null,service={id="` + service + `"}}'`})
			return true
		case r.Method == http.MethodGet && r.URL.Path == "/services/"+service+"/plugins":
			writeJSON(w, http.StatusOK, map[string]any{"data": []any{
				map[string]any{"id": "11111111-2222-4333-8444-555555555555", "name": "cors", "route": map[string]any{"id": "9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"},
					"service": map[string]any{"id": service}},
				map[string]any{"id": existing, "name": "cors", "instance_name": "shop-cors", "service": map[string]any{"id": service}},
			}, "next": nil})
			return true
		}
		return false
	})
	_, err := plugins.Create(context.Background(), Plugin{Kong: kong.Plugin{Name: kong.String("cors"), Service: &kong.Service{ID: kong.String(service)}}})
	var taken *PluginTakenError
	if !errors.As(err, &taken) || taken.Existing == nil || *taken.Existing.ID != existing {
		t.Fatalf("err = %v, want a *PluginTakenError naming %s", err, existing)
	}
	if want := `already has a "cors" plugin (id ` + existing + `, instance_name "shop-cors")`; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}

// Schemas are read once per name per run, however many ask at once; an
// unknown name is read once too and names the closest enabled plugins.
func TestPluginSchemaOncePerName(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "kongschema", "testdata", "plugins", "cors.json"))
	if err != nil {
		t.Fatal(err)
	}
	plugins, requests := pluginServer(t, func(w http.ResponseWriter, r *http.Request, _ map[string]any) bool {
		switch r.URL.Path {
		case "/schemas/plugins/cors":
			time.Sleep(20 * time.Millisecond) // long enough for the callers to meet
			_, _ = w.Write(doc)
			return true
		case "/plugins/enabled":
			writeJSON(w, http.StatusOK, map[string]any{"enabled_plugins": []string{"acl", "cors", "rate-limiting"}})
			return true
		case "/schemas/plugins/corz":
			writeJSON(w, http.StatusNotFound, map[string]any{"message": "No plugin named 'corz'"})
			return true
		}
		return false
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ps, err := plugins.Schema(ctx, "cors"); err != nil || ps.Name() != "cors" {
				t.Errorf("Schema(cors) = %v, %v", ps, err)
			}
		}()
	}
	wg.Wait()
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests for ten readers of one schema, want 1", n)
	}
	for range 2 {
		_, err := plugins.Schema(ctx, "corz")
		var unknown *UnknownPluginError
		if !errors.As(err, &unknown) || len(unknown.Closest) == 0 || unknown.Closest[0] != "cors" {
			t.Errorf("Schema(corz) = %v, want an *UnknownPluginError naming cors first", err)
		}
	}
	if n := requests.Load(); n != 3 {
		t.Errorf("%d requests in all, want 3 (cors, corz, the enabled list)", n)
	}
}
