package kongapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kong/go-kong/kong"
)

// pluginKong answers /plugins as Kong 3.10 does, from memory, and counts
// requests. (localkong gains plugins on another branch; until then this
// keeps the cache's plugin reads tested.)
type pluginKong struct {
	mu       sync.Mutex
	plugins  map[string]map[string]any
	requests atomic.Int64
}

func newPluginKong(t *testing.T) (*pluginKong, *Client) {
	t.Helper()
	k := &pluginKong{plugins: map[string]map[string]any{}}
	srv := httptest.NewServer(k)
	t.Cleanup(srv.Close)
	api, err := New(fastConfig(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return k, api
}

func (k *pluginKong) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.requests.Add(1)
	k.mu.Lock()
	defer k.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, v any) {
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	id := strings.TrimPrefix(r.URL.Path, "/plugins/")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/plugins":
		ids := make([]string, 0, len(k.plugins))
		for id := range k.plugins {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		data := make([]any, 0, len(ids))
		for _, id := range ids {
			data = append(data, k.plugins[id])
		}
		reply(http.StatusOK, map[string]any{"data": data, "next": nil})
	case r.Method == http.MethodGet && r.URL.Path == "/plugins/enabled":
		reply(http.StatusOK, map[string]any{"enabled_plugins": []string{"cors", "rate-limiting"}})
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/schemas/plugins/"):
		if name := strings.TrimPrefix(r.URL.Path, "/schemas/plugins/"); name != "cors" {
			reply(http.StatusNotFound, map[string]any{"message": "No plugin named '" + name + "'"})
			return
		}
		reply(http.StatusOK, map[string]any{"fields": []any{}, "entity_checks": []any{}})
	case r.Method == http.MethodGet:
		if p, ok := k.plugins[id]; ok {
			reply(http.StatusOK, p)
			return
		}
		reply(http.StatusNotFound, map[string]any{"message": "Not found"})
	case r.Method == http.MethodPut:
		var p map[string]any
		_ = json.NewDecoder(r.Body).Decode(&p)
		p["id"], p["created_at"] = id, 1700000000
		k.plugins[id] = p
		reply(http.StatusOK, p)
	case r.Method == http.MethodDelete:
		delete(k.plugins, id)
		w.WriteHeader(http.StatusNoContent)
	default:
		reply(http.StatusMethodNotAllowed, map[string]any{"message": "Method not allowed"})
	}
}

func (k *pluginKong) count(t *testing.T, want int64) {
	t.Helper()
	if n := k.requests.Swap(0); n != want {
		t.Errorf("%d Admin API requests, want %d", n, want)
	}
}

// A plan's reads of many plugins: DirectReads go to Kong, then one listing
// answers the rest; a write is recorded, so a read after it sends nothing;
// a delete is forgotten, so the next read asks Kong and finds it gone.
func TestCachePlugins(t *testing.T) {
	k, api := newPluginKong(t)
	ctx := context.Background()
	var want []*kong.Plugin
	for i := range 25 {
		p, err := api.PutPlugin(ctx, &kong.Plugin{ID: kong.String(NewID()), Name: kong.String("cors"),
			InstanceName: kong.String(fmt.Sprintf("cors-%d", i)), Config: kong.Configuration{"max_age": float64(i)}})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
	}
	k.requests.Store(0)

	c := NewCache(api)
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(want))
	for _, p := range want {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, key := range []string{*p.ID, *p.InstanceName} {
				got, err := c.GetPlugin(ctx, key)
				if err != nil {
					errs <- err
				} else if !samePlugin(got, p) {
					errs <- fmt.Errorf("GetPlugin(%s) = %+v, want %+v", key, got, p)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	k.count(t, DirectReads+1)

	changed := want[3].DeepCopy()
	changed.Config["max_age"] = 99.0
	if _, err := c.PutPlugin(ctx, changed); err != nil {
		t.Fatal(err)
	}
	k.count(t, 1)
	if got, _ := c.GetPlugin(ctx, *changed.ID); got == nil || got.Config["max_age"] != 99.0 {
		t.Errorf("after the write the cache answers %+v", got)
	}
	if err := c.DeletePlugin(ctx, *changed.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPlugin(ctx, *changed.ID); !IsNotFound(err) {
		t.Errorf("after the delete: %v, want Kong's 404", err)
	}
	k.count(t, 2)
	if err := c.DeletePlugin(ctx, *changed.ID); err != nil {
		t.Errorf("deleting a deleted plugin: %v", err)
	}
}

func TestPluginSchemaAndEnabled(t *testing.T) {
	_, api := newPluginKong(t)
	ctx := context.Background()
	doc, err := api.PluginSchema(ctx, "cors")
	if err != nil || !strings.HasPrefix(string(doc), "{") {
		t.Errorf("PluginSchema(cors) = %s, %v", doc, err)
	}
	if _, err := api.PluginSchema(ctx, "corz"); !IsNotFound(err) {
		t.Errorf("PluginSchema(corz): %v, want a 404", err)
	}
	if got, err := api.EnabledPlugins(ctx); err != nil || !reflect.DeepEqual(got, []string{"cors", "rate-limiting"}) {
		t.Errorf("EnabledPlugins = %v, %v", got, err)
	}
}

// samePlugin compares plugins as Kong sends them: go-kong's listing fills
// Partials with an empty slice where a GET leaves it nil.
func samePlugin(a, b *kong.Plugin) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
