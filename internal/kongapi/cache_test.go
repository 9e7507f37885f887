package kongapi

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"sync"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// cacheFixture is a localkong with n services, each with one route, made
// through a direct client.
type cacheFixture struct {
	srv      *localkong.Server
	api      *Client
	services []*kong.Service
	routes   []*kong.Route
}

func newCacheFixture(t testing.TB, n int) *cacheFixture {
	t.Helper()
	srv, err := localkong.NewTestServer(localkong.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	api, err := New(fastConfig(srv.AdminURL))
	if err != nil {
		t.Fatal(err)
	}
	f := &cacheFixture{srv: srv, api: api}
	ctx := context.Background()
	for i := 0; i < n; i++ {
		s, err := api.PutService(ctx, &kong.Service{
			ID: kong.String(NewID()), Name: kong.String(fmt.Sprintf("svc-%d", i)), Host: kong.String("example.com"),
			Tags: kong.StringSlice(fmt.Sprintf("s=%d", i%3), fmt.Sprintf("v=%d", i%2)),
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := api.PutRoute(ctx, &kong.Route{
			ID: kong.String(NewID()), Name: kong.String(fmt.Sprintf("route-%d", i)),
			Paths: kong.StringSlice(fmt.Sprintf("/r%d", i)), Service: &kong.Service{ID: s.ID},
		})
		if err != nil {
			t.Fatal(err)
		}
		f.services, f.routes = append(f.services, s), append(f.routes, r)
	}
	srv.ResetRequestCount()
	return f
}

func (f *cacheFixture) requests(t *testing.T, want int64) {
	t.Helper()
	if n := f.srv.RequestCount(); n != want {
		t.Errorf("%d Admin API requests, want %d", n, want)
	}
	f.srv.ResetRequestCount()
}

// Many reads in parallel, as a plan's refresh makes them: DirectReads go
// to Kong, then one listing of each kind answers the rest.
func TestCacheReadsFromOneListingPerKind(t *testing.T) {
	f := newCacheFixture(t, 25)
	c := NewCache(f.api)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(f.services))
	for i := range f.services {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for _, key := range []string{*f.services[i].ID, *f.services[i].Name} {
				got, err := c.GetService(ctx, key)
				if err != nil {
					errs <- err
				} else if !reflect.DeepEqual(got, f.services[i]) {
					errs <- fmt.Errorf("GetService(%s) = %+v, want %+v", key, got, f.services[i])
				}
			}
		}()
		go func() {
			defer wg.Done()
			for _, key := range []string{*f.routes[i].ID, *f.routes[i].Name} {
				got, err := c.GetRoute(ctx, key)
				if err != nil {
					errs <- err
				} else if !reflect.DeepEqual(got, f.routes[i]) {
					errs <- fmt.Errorf("GetRoute(%s) = %+v, want %+v", key, got, f.routes[i])
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	f.requests(t, DirectReads+2)
}

// A few reads, as a small configuration's plan makes them, go to Kong one
// by one: nothing is listed, however large the runtime group. The budget
// is the run's, for both kinds: once it is spent, the next read of each
// kind lists it.
func TestCacheFewReadsGoToKong(t *testing.T) {
	f := newCacheFixture(t, DirectReads)
	if err := f.srv.Populate("other", 1500); err != nil {
		t.Fatal(err)
	}
	c := NewCache(f.api)
	ctx := context.Background()
	for i := range DirectReads {
		var got, want any
		var err error
		switch i % 3 {
		case 0:
			got, err = c.GetService(ctx, *f.services[i].ID)
			want = f.services[i]
		case 1:
			got, err = c.GetService(ctx, *f.services[i].Name)
			want = f.services[i]
		case 2:
			got, err = c.GetRoute(ctx, *f.routes[i].Name)
			want = f.routes[i]
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("read %d = %+v, %v; want %+v", i, got, err, want)
		}
	}
	f.requests(t, DirectReads)
	// One more of each: the listings, two pages of 1000 each, answer them
	// and every later read.
	if _, err := c.GetService(ctx, *f.services[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRoute(ctx, *f.routes[0].ID); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 4)
	if _, err := c.GetService(ctx, "other-1499"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRoute(ctx, "other-3"); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 0)
}

// The listing is taken at the first read, so edits made before it are
// seen; an entity deleted before it is missing from it and read from Kong,
// which answers 404.
func TestCacheSeesOutOfBandChanges(t *testing.T) {
	f := newCacheFixture(t, 3)
	ctx := context.Background()
	edited := f.services[0].DeepCopy()
	edited.Host = kong.String("rogue.example.com")
	if _, err := f.api.PutService(ctx, edited); err != nil {
		t.Fatal(err)
	}
	if err := f.api.DeleteService(ctx, *f.services[1].ID); err == nil {
		t.Fatal("deleting a service with a route succeeded")
	}
	if err := f.api.DeleteRoute(ctx, *f.routes[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.api.DeleteService(ctx, *f.services[1].ID); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetRequestCount()

	c := newCache(f.api, 0)
	got, err := c.GetService(ctx, *f.services[0].ID)
	if err != nil || *got.Host != "rogue.example.com" {
		t.Fatalf("edited service: %v, %v", got, err)
	}
	if _, err := c.GetService(ctx, *f.services[1].ID); !IsNotFound(err) {
		t.Errorf("deleted service: %v, want a 404", err)
	}
	if _, err := c.GetRoute(ctx, *f.routes[1].ID); !IsNotFound(err) {
		t.Errorf("deleted route: %v, want a 404", err)
	}
	if _, err := c.GetService(ctx, "no-such-name"); !IsNotFound(err) {
		t.Errorf("unknown name: %v, want a 404", err)
	}
	f.requests(t, 2+3) // two listings, three misses
}

// Writes through the cache are one request each and later reads are
// answered with their responses.
func TestCacheWritesReplaceEntries(t *testing.T) {
	f := newCacheFixture(t, 2)
	c := newCache(f.api, 0)
	ctx := context.Background()
	if _, err := c.GetService(ctx, *f.services[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRoute(ctx, *f.routes[0].ID); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 2)

	upd := f.services[0].DeepCopy()
	upd.Name, upd.Host = kong.String("renamed"), kong.String("new.example.com")
	put, err := c.PutService(ctx, upd)
	if err != nil {
		t.Fatal(err)
	}
	created, err := c.PutService(ctx, &kong.Service{ID: kong.String(NewID()), Name: kong.String("fresh"), Host: kong.String("h"), Tags: kong.StringSlice("s=9")})
	if err != nil {
		t.Fatal(err)
	}
	rt := f.routes[0].DeepCopy()
	rt.Paths = kong.StringSlice("/moved")
	if _, err := c.PutRoute(ctx, rt); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRoute(ctx, *f.routes[1].ID); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 4)

	if got, err := c.GetService(ctx, "renamed"); err != nil || !reflect.DeepEqual(got, put) {
		t.Errorf("renamed: %+v, %v; want %+v", got, err, put)
	}
	if got, err := c.GetService(ctx, "fresh"); err != nil || *got.ID != *created.ID {
		t.Errorf("created: %+v, %v", got, err)
	}
	if got, _ := c.ListServicesByTags(ctx, "s=9"); len(got) != 1 || *got[0].ID != *created.ID {
		t.Errorf("created service not found by its tag: %v", got)
	}
	if got, err := c.GetRoute(ctx, *rt.ID); err != nil || *got.Paths[0] != "/moved" {
		t.Errorf("updated route: %+v, %v", got, err)
	}
	f.requests(t, 0)

	// Gone from the cache: these go to Kong.
	if _, err := c.GetService(ctx, *f.services[0].Name); !IsNotFound(err) {
		t.Errorf("old name: %v, want a 404", err)
	}
	if _, err := c.GetRoute(ctx, *f.routes[1].ID); !IsNotFound(err) {
		t.Errorf("deleted route: %v, want a 404", err)
	}
	f.requests(t, 2)
}

// A refused write may or may not have been applied: the next read asks Kong.
func TestCacheFailedWriteForgets(t *testing.T) {
	f := newCacheFixture(t, 2)
	c := newCache(f.api, 0)
	ctx := context.Background()
	if _, err := c.GetService(ctx, *f.services[0].ID); err != nil {
		t.Fatal(err)
	}
	clash := f.services[0].DeepCopy()
	clash.Name = f.services[1].Name
	if _, err := c.PutService(ctx, clash); !IsUniqueViolation(err) {
		t.Fatalf("rename onto a taken name: %v", err)
	}
	if err := c.DeleteService(ctx, *f.services[0].ID); err == nil {
		t.Fatal("deleting a service with routes succeeded")
	}
	f.srv.ResetRequestCount()
	if got, err := c.GetService(ctx, *f.services[0].ID); err != nil || *got.Name != *f.services[0].Name {
		t.Errorf("after failed writes: %+v, %v", got, err)
	}
	f.requests(t, 1)
}

// Lookups by tags count as reads: the first DirectReads use Kong's ?tags=
// filter, later ones the listing, and both answer alike.
func TestCacheTagsMatchKong(t *testing.T) {
	f := newCacheFixture(t, 12)
	c := NewCache(f.api)
	ctx := context.Background()
	sets := [][]string{{"s=0"}, {"s=1", "v=1"}, {"v=0"}, {"v=0", "s=2"}, {"s=7"}}
	for _, tags := range append(sets, sets...) {
		want, err := f.api.ListServicesByTags(ctx, tags...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.ListServicesByTags(ctx, tags...)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := names(got), names(want); !reflect.DeepEqual(g, w) {
			t.Errorf("tags %q: cache %q, Kong %q", tags, g, w)
		}
	}
	f.requests(t, 2*int64(len(sets))+DirectReads+1)
}

func names(ss []*kong.Service) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, *s.Name)
	}
	sort.Strings(out)
	return out
}

// More than a page of each: the listing follows Kong's offsets.
func TestCacheListsEveryPage(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 1001 services")
	}
	f := newCacheFixture(t, 1001)
	c := newCache(f.api, 0)
	ctx := context.Background()
	last := f.services[len(f.services)-1]
	for _, s := range []*kong.Service{f.services[0], last} {
		if _, err := c.GetService(ctx, *s.Name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetRoute(ctx, *f.routes[1000].Name); err != nil {
		t.Fatal(err)
	}
	f.requests(t, 4) // two pages of each
}
