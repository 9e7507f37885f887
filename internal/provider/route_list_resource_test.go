package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccListRoutes lists the routes of implementations only: a route of
// an untagged Gateway Service is not listed. implementation_id narrows the
// list to one implementation's routes, and must name an implementation;
// include_resource gives the route as an import reads it.
func TestAccListRoutes(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 14, queryFeature)
	skipExternal(t, "lists every route of the runtime group's implementations, which a shared Kong has more of")
	srv := startKong(t, localkong.Options{})
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	svc := func(name string, tags ...string) string {
		t.Helper()
		s, err := kc.Services.Create(ctx, &kong.Service{Name: kong.String(name), Host: kong.String(name + ".internal"), Tags: kong.StringSlice(tags...)})
		if err != nil {
			t.Fatal(err)
		}
		return *s.ID
	}
	route := func(service string, r *kong.Route) string {
		t.Helper()
		r.Service = &kong.Service{ID: kong.String(service)}
		out, err := kc.Routes.Create(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return *out.ID
	}
	v1 := svc("orders-v1", "servicehub:service=orders", "servicehub:version=v1")
	v2 := svc("orders-v2", "servicehub:service=orders", "servicehub:version=v2")
	legacy := svc("legacy")
	a := route(v1, &kong.Route{Name: kong.String("orders-a"), Paths: kong.StringSlice("/a")})
	b := route(v2, &kong.Route{Name: kong.String("orders-b"), Methods: kong.StringSlice("GET", "POST"), Paths: kong.StringSlice("/b", "~/b/\\d+$"),
		Headers: map[string][]string{"x-version": {"2"}}, StripPath: kong.Bool(false), Tags: kong.StringSlice("team-a")})
	c := route(v2, &kong.Route{Name: kong.String("orders-c"), Hosts: kong.StringSlice("api.example.com")})
	old := route(legacy, &kong.Route{Name: kong.String("legacy"), Paths: kong.StringSlice("/legacy")})

	provider := providerConfig(srv.AdminURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			providerOnlyStep(provider),
			queryStep(`
list "servicehub_route" "all" {
  provider         = servicehub
  include_resource = true
}

list "servicehub_route" "v2" {
  provider = servicehub
  config {
    implementation_id = "`+v2+`"
  }
}

list "servicehub_route" "first" {
  provider = servicehub
  limit    = 1
}
`,
				querycheck.ExpectLength("servicehub_route.all", 3),
				querycheck.ExpectIdentity("servicehub_route.all", identityIs(a)),
				querycheck.ExpectIdentity("servicehub_route.all", identityIs(b)),
				querycheck.ExpectIdentity("servicehub_route.all", identityIs(c)),
				querycheck.ExpectNoIdentity("servicehub_route.all", identityIs(old)),
				querycheck.ExpectResourceDisplayName("servicehub_route.all", byID(b), knownvalue.StringExact("orders-b (route of orders-v2)")),
				querycheck.ExpectResourceKnownValues("servicehub_route.all", byID(b), []querycheck.KnownValueCheck{
					{Path: jp("implementation_id"), KnownValue: knownvalue.StringExact(v2)},
					{Path: jp("name"), KnownValue: knownvalue.StringExact("orders-b")},
					{Path: jp("methods"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("GET"), knownvalue.StringExact("POST")})},
					{Path: jp("paths"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("/b"), knownvalue.StringExact("~/b/\\d+$")})},
					{Path: jp("headers").AtMapKey("x-version"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("2")})},
					{Path: jp("strip_path"), KnownValue: knownvalue.Bool(false)},
					{Path: jp("hosts"), KnownValue: knownvalue.Null()},
				}),
				querycheck.ExpectLength("servicehub_route.v2", 2),
				querycheck.ExpectNoIdentity("servicehub_route.v2", identityIs(a)),
				// By implementation name, then route name.
				querycheck.ExpectLength("servicehub_route.first", 1),
				querycheck.ExpectIdentity("servicehub_route.first", identityIs(a)),
			),
			{
				Query: true,
				Config: `
list "servicehub_route" "legacy" {
  provider = servicehub
  config {
    implementation_id = "` + legacy + `"
  }
}
`,
				ExpectError: errorRE(`Not an implementation.*"legacy" .*is not an implementation: it has no servicehub:service=<service> tag`),
			},
			{
				Query: true,
				Config: `
list "servicehub_route" "missing" {
  provider = servicehub
  config {
    implementation_id = "00000000-0000-4000-8000-000000000000"
  }
}
`,
				ExpectError: regexp.MustCompile(`Implementation not found`),
			},
		},
	})
}
