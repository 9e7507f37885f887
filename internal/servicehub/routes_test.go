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

// startLocalKong starts a localkong, stopped when the test ends.
func startLocalKong(t *testing.T, opts localkong.Options) *localkong.Server {
	t.Helper()
	srv, err := localkong.NewTestServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// newKongAPI is a client of the Admin API at adminURL, without retries.
func newKongAPI(t *testing.T, adminURL, workspace string) *kongapi.Client {
	t.Helper()
	c, err := kongapi.New(kongapi.Config{AdminURL: adminURL, Workspace: workspace, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newLocalKong(t *testing.T) *kongapi.Client {
	t.Helper()
	return newKongAPI(t, startLocalKong(t, localkong.Options{}).AdminURL, "")
}

func newImpl(t *testing.T, api *kongapi.Client, name string) Implementation {
	t.Helper()
	impl, err := NewImplementations(api).Create(context.Background(), implOf(name, "v1", name))
	if err != nil {
		t.Fatal(err)
	}
	return impl
}

func httpRoute(name, impl string) kong.Route {
	return kong.Route{
		Name: kong.String(name), Service: &kong.Service{ID: kong.String(impl)}, Protocols: kong.StringSlice("http", "https"),
		StripPath: kong.Bool(true), PathHandling: kong.String("v0"), HTTPSRedirectStatusCode: kong.Int(426),
		RequestBuffering: kong.Bool(true), ResponseBuffering: kong.Bool(true),
	}
}

func TestRoutesRoundTrip(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "payments")
	routes := NewRoutes(api)

	in := kong.Route{
		Name:                    kong.String("pay"),
		Service:                 &kong.Service{ID: kong.String(impl.ID())},
		Protocols:               kong.StringSlice("https", "http"),
		Methods:                 kong.StringSlice("POST", "GET"),
		Hosts:                   kong.StringSlice("b.example.com", "a.example.com"),
		Paths:                   kong.StringSlice("/pay", "~/pay/\\d+$"),
		Headers:                 map[string][]string{"X-Tenant": {"b", "a"}},
		SNIs:                    kong.StringSlice("pay.example.com"),
		StripPath:               kong.Bool(false),
		PreserveHost:            kong.Bool(true),
		RegexPriority:           kong.Int(-3),
		PathHandling:            kong.String("v1"),
		HTTPSRedirectStatusCode: kong.Int(301),
		RequestBuffering:        kong.Bool(false),
		ResponseBuffering:       kong.Bool(true),
		Tags:                    kong.StringSlice("z", "a"),
	}
	sent := *in.DeepCopy()
	created, err := routes.Create(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == nil || *created.ID == "" || created.CreatedAt == nil || *created.CreatedAt == 0 {
		t.Fatalf("created = %+v", created)
	}
	if !reflect.DeepEqual(in, sent) {
		t.Errorf("Create changed its argument: %+v", in)
	}
	got := *created.DeepCopy()
	got.ID, got.CreatedAt, got.UpdatedAt = nil, nil, nil
	if !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, in)
	}

	// A full replacement clears what it leaves out; id and created_at are
	// prior's, whatever r holds.
	upd := httpRoute("pay", impl.ID())
	upd.ID, upd.CreatedAt = kong.String(kongapi.NewID()), kong.Int(1)
	upd.Paths = kong.StringSlice("/pay")
	updated, err := routes.Update(ctx, *created, upd)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Hosts != nil || updated.Methods != nil || updated.Headers != nil || updated.Tags != nil ||
		updated.CreatedAt == nil || *updated.CreatedAt != *created.CreatedAt || str(updated.ID) != *created.ID {
		t.Fatalf("updated = %+v", updated)
	}

	byName, err := routes.Get(ctx, "pay")
	if err != nil || str(byName.ID) != *created.ID {
		t.Fatalf("Get by name = %+v, %v", byName, err)
	}
	if _, err := routes.Update(ctx, kong.Route{}, httpRoute("pay", impl.ID())); err == nil {
		t.Fatal("Update without an id succeeded")
	}

	if err := routes.Delete(ctx, *created.ID); err != nil {
		t.Fatal(err)
	}
	if err := routes.Delete(ctx, *created.ID); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
	if _, err := routes.Get(ctx, *created.ID); !IsNotFound(err) {
		t.Fatalf("Get after delete: %v", err)
	}
}

func TestRoutesStream(t *testing.T) {
	api := newLocalKong(t)
	impl := newImpl(t, api, "db")
	port := 5432
	ip := "10.0.0.0/8"
	in := httpRoute("db", impl.ID())
	in.Protocols = kong.StringSlice("tcp")
	in.Sources = []*kong.CIDRPort{{IP: &ip}}
	in.Destinations = []*kong.CIDRPort{{Port: &port}}
	r, err := NewRoutes(api).Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sources) != 1 || r.Sources[0].IP == nil || *r.Sources[0].IP != ip || r.Sources[0].Port != nil ||
		len(r.Destinations) != 1 || r.Destinations[0].IP != nil || r.Destinations[0].Port == nil || *r.Destinations[0].Port != port {
		t.Fatalf("sources %+v destinations %+v", r.Sources, r.Destinations)
	}
}

func TestRoutesNameTaken(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "orders")
	routes := NewRoutes(api)

	first := httpRoute("foo", impl.ID())
	first.Paths = kong.StringSlice("/foo")
	existing, err := routes.Create(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	// Names are case-sensitive: Foo is another route.
	upper := first
	upper.Name = kong.String("Foo")
	if _, err := routes.Create(ctx, upper); err != nil {
		t.Fatalf("creating Foo beside foo: %v", err)
	}

	_, err = routes.Create(ctx, first)
	var taken *RouteNameTakenError
	if !errors.As(err, &taken) {
		t.Fatalf("duplicate name: %v, want a RouteNameTakenError", err)
	}
	if taken.ID != *existing.ID || taken.ImplementationID != impl.ID() || !kongapi.IsUniqueViolation(err) {
		t.Fatalf("taken = %+v", taken)
	}
	want := `a Route named "foo" already exists in this runtime group (id ` + *existing.ID + ", on Gateway Service " + impl.ID() + ")"
	if err.Error() != want {
		t.Fatalf("message = %q\nwant      %q", err, want)
	}
}

func TestServiceID(t *testing.T) {
	for _, c := range []struct {
		r    kong.Route
		want string
	}{
		{kong.Route{}, ""},
		{kong.Route{Service: &kong.Service{}}, ""},
		{kong.Route{Service: &kong.Service{ID: kong.String("s1")}}, "s1"},
	} {
		if got := ServiceID(&c.r); got != c.want {
			t.Errorf("ServiceID(%+v) = %q, want %q", c.r.Service, got, c.want)
		}
	}
}

func TestDeleteImplementationWithRoutes(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "billing")
	routes := NewRoutes(api)
	var ids []string
	for _, name := range []string{"zeta", "alpha"} {
		r := httpRoute(name, impl.ID())
		r.Paths = kong.StringSlice("/" + name)
		created, err := routes.Create(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *created.ID)
	}
	// One without a name, as other tools make them.
	kr, err := api.Kong.Routes.Create(ctx, &kong.Route{Paths: kong.StringSlice("/anon"), Service: &kong.Service{ID: kong.String(impl.ID())}})
	if err != nil {
		t.Fatal(err)
	}

	err = NewImplementations(api).Delete(ctx, impl, MarkOf(impl))
	var remain *RoutesRemainError
	if !errors.As(err, &remain) || len(remain.Routes) != 3 {
		t.Fatalf("Delete = %v, want a RoutesRemainError with 3 routes", err)
	}
	msg := err.Error()
	for _, part := range []string{
		"the Gateway Service " + impl.ID() + " still has 3 routes",
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
	if err := NewImplementations(api).Delete(ctx, impl, MarkOf(impl)); err != nil {
		t.Fatalf("Delete once the routes are gone: %v", err)
	}
}
