package servicehub

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kong/go-kong/kong"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// seed creates Gateway Services as the Konnect UI or decK would: POST
// /services, Kong picks the ids, the servicehub: tags set by hand.
func seed(t *testing.T, srv *localkong.Server, bodies ...map[string]any) []string {
	t.Helper()
	ids, err := srv.Seed("services", bodies...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func tagged(name, service, version string, more ...string) map[string]any {
	var tags []string
	if service != "" {
		tags = append(tags, ServiceTag(service))
	}
	if version != "" {
		tags = append(tags, VersionTag(version))
	}
	return map[string]any{"name": name, "url": "http://" + name + ".internal/api", "tags": append(tags, more...)}
}

func TestFindAndList(t *testing.T) {
	k := newCachedKong(t)
	made := seed(t, k.srv,
		tagged("payments-v1", "payments", "v1", "team-a"),
		tagged("payments-v2", "payments", "v2"),
		tagged("orders-v1", "orders", "v1"),
		tagged("legacy", "", ""),
		tagged("refunds-a", "refunds", "v1"),
		tagged("refunds-b", "refunds", "v1"),
	)
	ctx := context.Background()
	k.run()

	for _, tc := range []struct {
		q    ImplementationQuery
		want string
	}{
		{ImplementationQuery{ID: made[0]}, "payments-v1"},
		{ImplementationQuery{Name: "payments-v2"}, "payments-v2"},
		{ImplementationQuery{Service: "orders", Version: "v1"}, "orders-v1"},
		{ImplementationQuery{Name: "legacy"}, "legacy"}, // any Gateway Service, by name
	} {
		impl, err := k.impls.Find(ctx, tc.q)
		if err != nil || impl.Name() != tc.want {
			t.Errorf("Find(%s) = %q, %v; want %q", tc.q, impl.Name(), err, tc.want)
		}
	}
	impl, _ := k.impls.Find(ctx, ImplementationQuery{Name: "payments-v1"})
	if impl.Service != "payments" || impl.Version != "v1" || len(impl.Gateway.Tags) != 1 || *impl.Gateway.Tags[0] != "team-a" {
		t.Errorf("payments-v1 = %+v", impl)
	}

	var none *NoImplementationError
	for q, want := range map[ImplementationQuery]string{
		{Name: "nope"}: `no Gateway Service with name "nope" in this runtime group`,
		{ID: "5d6b3c1e-0000-4000-8000-000000000000"}: `no Gateway Service with id "5d6b3c1e-0000-4000-8000-000000000000"`,
		// An id is not a name, nor the other way round.
		{ID: "payments-v1"}: `no Gateway Service with id "payments-v1"`,
		{Name: made[0]}:     `no Gateway Service with name "` + made[0] + `"`,
		{Service: "payments", Version: "v3"}: `no implementation of version "v3" of service "payments" in this runtime group ` +
			`(no Gateway Service tagged servicehub:service=payments and servicehub:version=v3); service "payments" has implementations of "v1", "v2"`,
		{Service: "nobody", Version: "v1"}: `no implementation of version "v1" of service "nobody" in this runtime group (no Gateway Service tagged servicehub:service=nobody and servicehub:version=v1)`,
	} {
		_, err := k.impls.Find(ctx, q)
		if !errors.As(err, &none) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Find(%s) = %v\nwant %s", q, err, want)
		}
	}
	var ambiguous *AmbiguousImplementationError
	_, err := k.impls.Find(ctx, ImplementationQuery{Service: "refunds", Version: "v1"})
	if !errors.As(err, &ambiguous) || !strings.Contains(err.Error(), `has 2 implementations in this runtime group, where there should be one: the Gateway Services "refunds-a" (id `) ||
		!strings.Contains(err.Error(), `"refunds-b" (id `) {
		t.Errorf("ambiguous: %v", err)
	}

	all, err := k.impls.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, impl := range all {
		names = append(names, impl.Name())
	}
	// Untagged "legacy" is no implementation; by service, version, name.
	if got := strings.Join(names, " "); got != "orders-v1 payments-v1 payments-v2 refunds-a refunds-b" {
		t.Errorf("List = %s", got)
	}
	payments, err := k.impls.List(ctx, "payments")
	if err != nil || len(payments) != 2 || payments[1].Name() != "payments-v2" || payments[1].UpstreamURL() != "http://payments-v2.internal/api" {
		t.Errorf("List(payments) = %+v, %v", payments, err)
	}
	if none, err := k.impls.List(ctx, "nobody"); err != nil || len(none) != 0 {
		t.Errorf("List(nobody) = %v, %v", none, err)
	}
	// The run's first kongapi.DirectReads lookups ask Kong, one request
	// each; then every lookup from one listing of the services, but for
	// those by id or name that find nothing: the cache never answers "not
	// found", so Kong's 404 is asked for (two here).
	k.requests(t, "lookups of one run", kongapi.DirectReads+1+2)

	kc := kongClient(t, k.srv.AdminURL)
	for _, r := range []string{"b", "a", "c"} {
		if _, err := kc.Routes.CreateInService(ctx, &made[0], &kong.Route{Name: kong.String(r), Paths: kong.StringSlice("/" + r)}); err != nil {
			t.Fatal(err)
		}
	}
	k.srv.ResetRequestCount()
	ids, err := k.routes.RouteIDs(ctx, made[0])
	if err != nil || len(ids) != 3 {
		t.Fatalf("RouteIDs = %v, %v", ids, err)
	}
	if ids, err := k.routes.RouteIDs(ctx, made[1]); err != nil || len(ids) != 0 {
		t.Errorf("RouteIDs without routes = %v, %v", ids, err)
	}
	k.requests(t, "route ids of two implementations", 2)
	for i, name := range []string{"a", "b", "c"} {
		if r, _ := kc.Routes.Get(ctx, kong.String(name)); str(r.ID) != ids[i] {
			t.Errorf("route %d is %s, want %s (by name)", i, ids[i], str(r.ID))
		}
	}
}

// TestListManyImplementations: 2,500 implementations of 10 services, 250
// each; one listing of ⌈2500/1000⌉ = 3 pages answers everything.
func TestListManyImplementations(t *testing.T) {
	const n, services = 2500, 10
	k := newCachedKong(t)
	svcs := make([]map[string]any, n)
	for i := range svcs {
		svcs[i] = tagged(fmt.Sprintf("impl-%04d", i), fmt.Sprintf("svc-%d", i%services), fmt.Sprintf("v%d", i))
	}
	seed(t, k.srv, svcs...)
	ctx := context.Background()

	k.run()
	all, err := k.impls.List(ctx, "")
	if err != nil || len(all) != n {
		t.Fatalf("List: %d implementations, %v", len(all), err)
	}
	seen := map[string]bool{}
	for _, impl := range all {
		seen[impl.ID()] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct implementations among %d", len(seen), n)
	}
	k.requests(t, "listing 2500 implementations", 3)

	k.run()
	one, err := k.impls.List(ctx, "svc-7")
	if err != nil || len(one) != n/services || one[0].Service != "svc-7" {
		t.Fatalf("List(svc-7): %d, %v", len(one), err)
	}
	impl, err := k.impls.Find(ctx, ImplementationQuery{Service: "svc-7", Version: "v1237"})
	if err != nil || impl.Name() != "impl-1237" {
		t.Errorf("Find = %q, %v", impl.Name(), err)
	}
	// Few lookups in this run: Kong's ?tags= filter for each, a page.
	k.requests(t, "one service's implementations and a version among 2500", 2)

	// Without the cache the service filter is Kong's ?tags=: fewer pages.
	direct := NewImplementations(k.api)
	k.srv.ResetRequestCount()
	if got, err := direct.List(ctx, "svc-3"); err != nil || len(got) != n/services {
		t.Fatalf("uncached List(svc-3): %d, %v", len(got), err)
	}
	k.requests(t, "uncached listing of one service's 250", 1)
}

func kongClient(t *testing.T, adminURL string) *kong.Client {
	t.Helper()
	kc, err := kong.NewClient(kong.String(adminURL), nil)
	if err != nil {
		t.Fatal(err)
	}
	return kc
}
