package servicehub

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func newLocalKong(t *testing.T) *kongapi.Client {
	t.Helper()
	srv, err := localkong.NewTestServer(localkong.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	c, err := kongapi.New(kongapi.Config{AdminURL: srv.AdminURL, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newImpl(t *testing.T, api *kongapi.Client, name string) Implementation {
	t.Helper()
	impl, err := NewImplementations(api).Create(context.Background(), Implementation{
		Service: name, Version: "v1", Name: name,
		Endpoint: Endpoint{Protocol: "http", Host: name + ".internal", Port: 80},
		Retries:  5, ConnectTimeout: 60000, WriteTimeout: 60000, ReadTimeout: 60000, Enabled: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	return impl
}

func httpRoute(name, impl string) Route {
	return Route{
		Name: name, ImplementationID: impl, Protocols: []string{"http", "https"},
		StripPath: true, PathHandling: "v0", HTTPSRedirectStatusCode: 426,
		RequestBuffering: true, ResponseBuffering: true,
	}
}

func TestRoutesRoundTrip(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "payments")
	routes := NewRoutes(api)

	in := Route{
		Name:                    "pay",
		ImplementationID:        impl.ID,
		Protocols:               []string{"https", "http"},
		Methods:                 []string{"POST", "GET"},
		Hosts:                   []string{"b.example.com", "a.example.com"},
		Paths:                   []string{"/pay", "~/pay/\\d+$"},
		Headers:                 map[string][]string{"X-Tenant": {"b", "a"}},
		SNIs:                    []string{"pay.example.com"},
		StripPath:               false,
		PreserveHost:            true,
		RegexPriority:           -3,
		PathHandling:            "v1",
		HTTPSRedirectStatusCode: 301,
		RequestBuffering:        false,
		ResponseBuffering:       true,
		Tags:                    []string{"z", "a"},
	}
	created, err := routes.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.CreatedAt == 0 {
		t.Fatalf("created = %+v", created)
	}
	got := created
	got.ID, got.CreatedAt, got.UpdatedAt = "", 0, 0
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, in)
	}

	// A full replacement clears what it leaves out and keeps created_at.
	upd := httpRoute("pay", impl.ID)
	upd.ID, upd.CreatedAt = created.ID, created.CreatedAt
	upd.Paths = []string{"/pay"}
	updated, err := routes.Update(ctx, upd)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Hosts != nil || updated.Methods != nil || updated.Headers != nil || updated.Tags != nil ||
		updated.CreatedAt != created.CreatedAt || updated.ID != created.ID {
		t.Fatalf("updated = %+v", updated)
	}

	byName, err := routes.Get(ctx, "pay")
	if err != nil || byName.ID != created.ID {
		t.Fatalf("Get by name = %+v, %v", byName, err)
	}
	if _, err := routes.Update(ctx, httpRoute("pay", impl.ID)); err == nil {
		t.Fatal("Update without an id succeeded")
	}

	if err := routes.Delete(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	if err := routes.Delete(ctx, created.ID); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := routes.Get(ctx, created.ID); !IsNotFound(err) {
		t.Fatalf("Get after delete: %v", err)
	}
}

func TestRoutesStream(t *testing.T) {
	api := newLocalKong(t)
	impl := newImpl(t, api, "db")
	port := 5432
	ip := "10.0.0.0/8"
	in := httpRoute("db", impl.ID)
	in.Protocols = []string{"tcp"}
	in.Sources = []Peer{{IP: &ip}}
	in.Destinations = []Peer{{Port: &port}}
	r, err := NewRoutes(api).Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sources) != 1 || *r.Sources[0].IP != ip || r.Sources[0].Port != nil ||
		len(r.Destinations) != 1 || r.Destinations[0].IP != nil || *r.Destinations[0].Port != port {
		t.Fatalf("sources %+v destinations %+v", r.Sources, r.Destinations)
	}
}

func TestRoutesNameTaken(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "orders")
	routes := NewRoutes(api)

	first := httpRoute("foo", impl.ID)
	first.Paths = []string{"/foo"}
	existing, err := routes.Create(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	// Names are case-sensitive: Foo is another route.
	upper := first
	upper.Name = "Foo"
	if _, err := routes.Create(ctx, upper); err != nil {
		t.Fatalf("creating Foo beside foo: %v", err)
	}

	_, err = routes.Create(ctx, first)
	var taken *RouteNameTakenError
	if !errors.As(err, &taken) {
		t.Fatalf("duplicate name: %v, want a RouteNameTakenError", err)
	}
	if taken.ID != existing.ID || taken.ImplementationID != impl.ID || !kongapi.IsUniqueViolation(err) {
		t.Fatalf("taken = %+v", taken)
	}
	want := `a Route named "foo" already exists in this runtime group (id ` + existing.ID + ", on Gateway Service " + impl.ID + ")"
	if err.Error() != want {
		t.Fatalf("message = %q\nwant      %q", err, want)
	}
}

func TestDeleteImplementationWithRoutes(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "billing")
	routes := NewRoutes(api)
	var ids []string
	for _, name := range []string{"zeta", "alpha"} {
		r := httpRoute(name, impl.ID)
		r.Paths = []string{"/" + name}
		created, err := routes.Create(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, created.ID)
	}
	// One without a name, as other tools make them.
	kr, err := api.Kong.Routes.Create(ctx, &kong.Route{Paths: kong.StringSlice("/anon"), Service: &kong.Service{ID: &impl.ID}})
	if err != nil {
		t.Fatal(err)
	}

	err = NewImplementations(api).Delete(ctx, impl.ID)
	var remain *RoutesRemainError
	if !errors.As(err, &remain) || len(remain.Routes) != 3 {
		t.Fatalf("Delete = %v, want a RoutesRemainError with 3 routes", err)
	}
	msg := err.Error()
	for _, part := range []string{
		"the Gateway Service " + impl.ID + " still has 3 routes",
		`"alpha" (id ` + ids[1] + `), "zeta" (id ` + ids[0] + `), unnamed route (id ` + *kr.ID + ")",
		"terraform import servicehub_route.<name>",
	} {
		if !strings.Contains(msg, part) {
			t.Errorf("message lacks %q:\n%s", part, msg)
		}
	}

	for _, id := range append(ids, *kr.ID) {
		if err := routes.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := NewImplementations(api).Delete(ctx, impl.ID); err != nil {
		t.Fatalf("Delete once the routes are gone: %v", err)
	}
}
