package servicehub

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// cachedKong is a localkong with the domain read through a refresh cache,
// as the provider uses it within one Terraform walk.
type cachedKong struct {
	srv    *localkong.Server
	api    *kongapi.Client
	impls  *Implementations
	routes *Routes
}

func newCachedKong(t *testing.T) *cachedKong {
	t.Helper()
	srv := startLocalKong(t, localkong.Options{})
	return &cachedKong{srv: srv, api: newKongAPI(t, srv.AdminURL, "")}
}

// run starts a new "walk": a fresh cache, as the provider's Configure makes.
func (k *cachedKong) run() {
	cache := kongapi.NewCache(k.api)
	k.impls, k.routes = NewCachedImplementations(cache), NewCachedRoutes(cache)
	k.srv.ResetRequestCount()
}

func (k *cachedKong) requests(t *testing.T, what string, want int64) {
	t.Helper()
	requests(t, k.srv, what, want)
}

// requests checks how many Admin API requests srv served since the last
// check, and starts counting anew.
func requests(t *testing.T, srv *localkong.Server, what string, want int64) {
	t.Helper()
	if n := srv.RequestCount(); n != want {
		t.Errorf("%s: %d Admin API requests, want %d", what, n, want)
	}
	srv.ResetRequestCount()
}

func implOf(service, version, name string) Implementation {
	return Implementation{
		Service: service, Version: version,
		Gateway: kong.Service{
			Name:     kong.String(name),
			Protocol: kong.String("http"), Host: kong.String(name + ".internal"), Port: kong.Int(80),
			Retries: kong.Int(5), ConnectTimeout: kong.Int(60000), WriteTimeout: kong.Int(60000), ReadTimeout: kong.Int(60000),
			Enabled: kong.Bool(true),
		},
	}
}

// The request budget of each phase, with n implementations of distinct
// versions created in parallel, one route each.
func TestCachedPhasesRequestBudget(t *testing.T) {
	const n = 30
	k := newCachedKong(t)
	ctx := context.Background()

	// Apply: one write per entity, plus the version checks: the run's
	// first kongapi.DirectReads with Kong's ?tags= filter, then one listing.
	k.run()
	impls := make([]Implementation, n)
	routes := make([]*kong.Route, n)
	parallel(t, n, func(i int) error {
		var err error
		impls[i], err = k.impls.Create(ctx, implOf("svc", fmt.Sprintf("v%d", i), fmt.Sprintf("svc-v%d", i)))
		if err != nil {
			return err
		}
		routes[i], err = k.routes.Create(ctx, pathRoute(fmt.Sprintf("r%d", i), impls[i].ID()))
		return err
	})
	k.requests(t, "create", 2*n+kongapi.DirectReads+1)

	// Refresh: kongapi.DirectReads GETs, then one listing of each kind.
	k.run()
	parallel(t, n, func(i int) error {
		got, err := k.impls.Get(ctx, impls[i].ID())
		if err != nil || got.Gateway.UpdatedAt == nil || *got.Gateway.UpdatedAt != *impls[i].Gateway.UpdatedAt ||
			str(got.Gateway.Host) != str(impls[i].Gateway.Host) {
			return fmt.Errorf("Get(%s) = %+v, %v", impls[i].ID(), got, err)
		}
		r, err := k.routes.Get(ctx, *routes[i].ID)
		if err != nil || str(r.Name) != str(routes[i].Name) {
			return fmt.Errorf("Get(%s) = %+v, %v", *routes[i].ID, r, err)
		}
		return nil
	})
	k.requests(t, "refresh", kongapi.DirectReads+2)

	// One change: one write; reading it back later is free.
	k.run()
	upd := *routes[3]
	upd.Paths = kong.StringSlice("/changed")
	if _, err := k.routes.Update(ctx, *routes[3], upd); err != nil {
		t.Fatal(err)
	}
	k.requests(t, "update", 2) // a fresh read (changed since the plan?) and the PUT
	if r, err := k.routes.Get(ctx, *routes[3].ID); err != nil || !reflect.DeepEqual(strs(r.Paths), []string{"/changed"}) {
		t.Errorf("read after update: %+v, %v", r, err)
	}
	k.requests(t, "read after update", 1) // a GET: few reads in this run

	// Destroy: one DELETE each, routes first as Terraform orders them.
	k.run()
	parallel(t, n, func(i int) error { return k.routes.Delete(ctx, *routes[i].ID) })
	parallel(t, n, func(i int) error { return k.impls.Delete(ctx, impls[i], MarkOf(impls[i])) })
	// And the looks for claims of the implementations: the run's direct
	// reads, then one listing.
	k.requests(t, "destroy", 2*n+kongapi.DirectReads+1)
	if left, err := k.api.ListServices(ctx); err != nil || len(left) != 0 {
		t.Errorf("after destroy: %d services left, %v", len(left), err)
	}
}

func pathRoute(name, impl string) kong.Route {
	r := httpRoute(name, impl)
	r.Paths = kong.StringSlice("/" + name)
	return r
}

func parallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// Implementations of one version applied in parallel: exactly one wins,
// though all checked before any was written.
func TestCachedConcurrentCreatesOfOneVersion(t *testing.T) {
	k := newCachedKong(t)
	k.run()
	ctx := context.Background()
	const n = 12
	var mu sync.Mutex
	var won []Implementation
	taken := 0
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			impl, err := k.impls.Create(ctx, implOf("orders", "v1", fmt.Sprintf("orders-%d", i)))
			mu.Lock()
			defer mu.Unlock()
			var vt *VersionTakenError
			switch {
			case err == nil:
				won = append(won, impl)
			case errors.As(err, &vt):
				taken++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(won) != 1 || taken != n-1 {
		t.Fatalf("%d created, %d refused; want 1 and %d", len(won), taken, n-1)
	}
	inKong, err := k.api.ListServicesByTags(ctx, ServiceTag("orders"), VersionTag("v1"))
	if err != nil || len(inKong) != 1 || *inKong[0].ID != won[0].ID() {
		t.Fatalf("Kong has %d implementations of orders v1, %v", len(inKong), err)
	}
}

// The check sees every tagged Gateway Service, also one made outside
// Terraform before the run, and one moved onto the version by an update.
func TestCachedVersionCheck(t *testing.T) {
	k := newCachedKong(t)
	ctx := context.Background()
	rogue := implOf("billing", "v1", "billing-rogue")
	rogue.Gateway.ID = kong.String(kongapi.NewID())
	if _, err := k.api.PutService(ctx, toKong(rogue)); err != nil {
		t.Fatal(err)
	}
	k.run()
	var vt *VersionTakenError
	if _, err := k.impls.Create(ctx, implOf("billing", "v1", "billing-v1")); !errors.As(err, &vt) || vt.Existing.ID() != rogue.ID() {
		t.Fatalf("create next to a hand-made implementation: %v", err)
	}
	v2, err := k.impls.Create(ctx, implOf("billing", "v2", "billing-v2"))
	if err != nil {
		t.Fatal(err)
	}
	moved := v2
	moved.Version = "v3"
	if _, err := k.impls.Update(ctx, v2, moved, MarkOf(v2)); err != nil {
		t.Fatal(err)
	}
	if _, err := k.impls.Create(ctx, implOf("billing", "v3", "billing-v3")); !errors.As(err, &vt) || vt.Existing.ID() != v2.ID() {
		t.Fatalf("create onto a version an update moved to: %v", err)
	}
	// v2 is free again now. Its first slot still holds the moved
	// implementation, so the new one goes to the next.
	again, err := k.impls.Create(ctx, implOf("billing", "v2", "billing-v2-new"))
	if err != nil {
		t.Fatalf("create of the version an update left: %v", err)
	}
	if want := slotID(k.api.Group(), "billing", "v2", 1); again.ID() != want {
		t.Errorf("created at %s, want the second slot %s", again.ID(), want)
	}
	// The version lookups: the run's direct reads, then one listing; one
	// POST for billing-v2; the move: a fresh read, the claim's POST, the
	// PUT; the refused create writes nothing; the last create: a POST
	// refused at the first slot, its GET, the POST at the next.
	k.requests(t, "checks and writes", kongapi.DirectReads+1+1+3+3)
}

// Deleting an implementation is a read of it (is it this state's? from
// the run's listing once there is one) and one DELETE; only when Kong
// refuses are its routes listed, to name them.
func TestCachedDeleteWithRoutes(t *testing.T) {
	k := newCachedKong(t)
	ctx := context.Background()
	k.run()
	impl, err := k.impls.Create(ctx, implOf("cart", "v1", "cart-v1"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := k.routes.Create(ctx, pathRoute("cart", impl.ID()))
	if err != nil {
		t.Fatal(err)
	}
	k.run()
	var remain *RoutesRemainError
	if err := k.impls.Delete(ctx, impl, MarkOf(impl)); !errors.As(err, &remain) || len(remain.Routes) != 1 || str(remain.Routes[0].ID) != *r.ID {
		t.Fatalf("delete with a route: %v", err)
	}
	k.requests(t, "refused delete", 3)
	// The refused delete leaves the implementation readable.
	if got, err := k.impls.Get(ctx, impl.ID()); err != nil || got.ID() != impl.ID() {
		t.Fatalf("after refused delete: %+v, %v", got, err)
	}
	if _, err := k.api.Kong.Services.Get(ctx, kong.String(impl.ID())); err != nil {
		t.Fatal(err)
	}
}
