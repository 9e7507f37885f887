package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// implConfig declares an implementation labelled label whose service and
// Gateway Service are both called name.
func implConfig(label, name, url string) string {
	return fmt.Sprintf(`
resource "servicehub_implementation" %q {
  service = %q
  version = "v1"
  name    = %q
  url     = %q
}
`, label, name, name, url)
}

// routeConfig declares a servicehub_route labelled label on the
// implementation labelled impl.
func routeConfig(label, impl, body string) string {
	return fmt.Sprintf(`
resource "servicehub_route" %q {
  implementation_id = servicehub_implementation.%s.id
%s
}
`, label, impl, body)
}

// checkRoute asserts on the Route as Kong stores it.
func checkRoute(c *kong.Client, name string, check func(*kong.Route) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		r, err := c.Routes.Get(context.Background(), kong.String(name))
		if err != nil {
			return fmt.Errorf("route %q: %w", name, err)
		}
		return check(r)
	}
}

// routeOn asserts the route belongs to the implementation resource impl.
func routeOn(c *kong.Client, name, impl string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		want := s.RootModule().Resources["servicehub_implementation."+impl].Primary.ID
		return checkRoute(c, name, func(r *kong.Route) error {
			if r.Service == nil || *r.Service.ID != want {
				return fmt.Errorf("route %q is on service %v, want %s", name, r.Service, want)
			}
			return nil
		})(s)
	}
}

func strList(ps []*string) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, *p)
	}
	return out
}

func TestAccRoute_basicAndImport(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments-v1", "foo")
	kc := kongClient(t, srv.AdminURL, "", "")
	config := providerConfig(srv.AdminURL) + srv.hcl(implConfig("payments", "payments-v1", "http://payments.internal")+
		routeConfig("test", "payments", `
  name    = "foo"
  methods = ["GET", "POST"]
  paths   = ["/foo", "/bar"]
`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionCreate),
						// Kong's defaults are planned, not left unknown.
						plancheck.ExpectKnownValue(routeRes, jp("protocols"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("http"), knownvalue.StringExact("https"),
						})),
						plancheck.ExpectKnownValue(routeRes, jp("strip_path"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(routeRes, jp("preserve_host"), knownvalue.Bool(false)),
						plancheck.ExpectKnownValue(routeRes, jp("regex_priority"), knownvalue.Int64Exact(0)),
						plancheck.ExpectKnownValue(routeRes, jp("path_handling"), knownvalue.StringExact("v0")),
						plancheck.ExpectKnownValue(routeRes, jp("https_redirect_status_code"), knownvalue.Int64Exact(426)),
						plancheck.ExpectKnownValue(routeRes, jp("request_buffering"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(routeRes, jp("response_buffering"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(routeRes, jp("hosts"), knownvalue.Null()),
					statecheck.ExpectKnownValue(routeRes, jp("headers"), knownvalue.Null()),
					statecheck.ExpectKnownValue(routeRes, jp("sources"), knownvalue.Null()),
					statecheck.ExpectKnownValue(routeRes, jp("tags"), knownvalue.Null()),
					statecheck.CompareValuePairs(routeRes, jp("implementation_id"),
						"servicehub_implementation.payments", jp("id"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrSet(routeRes, "id"),
					resource.TestCheckResourceAttrSet(routeRes, "created_at"),
					resource.TestCheckResourceAttrSet(routeRes, "updated_at"),
					routeOn(kc, srv.n("foo"), "payments"),
					checkRoute(kc, srv.n("foo"), func(r *kong.Route) error {
						if got := strList(r.Methods); fmt.Sprint(got) != "[GET POST]" {
							return fmt.Errorf("methods = %q", got)
						}
						if got := strList(r.Paths); fmt.Sprint(got) != "[/foo /bar]" {
							return fmt.Errorf("paths = %q", got)
						}
						if r.Hosts != nil || r.Headers != nil || !*r.StripPath {
							return fmt.Errorf("unexpected route %+v", r)
						}
						return nil
					}),
				),
			},
			emptyPlanStep(config),
			{
				ResourceName:      routeRes,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:      routeRes,
				ImportState:       true,
				ImportStateId:     srv.n("foo"),
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccRoute_severalAndCaseSensitiveNames(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("orders-v1", "foo", "Foo", "by-header", "orphan")
	kc := kongClient(t, srv.AdminURL, "", "")
	config := providerConfig(srv.AdminURL) + implConfig("orders", "orders-v1", "http://orders.internal") +
		routeConfig("lower", "orders", `
  name  = "foo"
  paths = ["/foo"]
`) + routeConfig("upper", "orders", `
  name    = "Foo"
  hosts   = ["Foo.example.com", "*.example.org"]
`) + routeConfig("headers", "orders", `
  name    = "by-header"
  headers = { x-version = ["2", "3"], X-Tenant = ["acme"] }
`)
	config = srv.hcl(config)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					routeOn(kc, srv.n("foo"), "orders"),
					routeOn(kc, srv.n("Foo"), "orders"),
					routeOn(kc, srv.n("by-header"), "orders"),
					resource.TestCheckResourceAttr("servicehub_route.upper", "hosts.0", "Foo.example.com"),
					checkRoute(kc, srv.n("foo"), func(r *kong.Route) error {
						if fmt.Sprint(strList(r.Paths)) != "[/foo]" || r.Hosts != nil {
							return fmt.Errorf("foo was changed by Foo: %+v", r)
						}
						return nil
					}),
					checkRoute(kc, srv.n("by-header"), func(r *kong.Route) error {
						if fmt.Sprint(r.Headers) != "map[X-Tenant:[acme] x-version:[2 3]]" {
							return fmt.Errorf("headers = %v", r.Headers)
						}
						return nil
					}),
					func(s *terraform.State) error {
						id := s.RootModule().Resources["servicehub_implementation.orders"].Primary.ID
						routes, _, err := kc.Routes.ListForService(context.Background(), &id, nil)
						if err != nil {
							return err
						}
						var names []string
						for _, r := range routes {
							names = append(names, *r.Name)
						}
						sort.Strings(names)
						if want := fmt.Sprint([]string{srv.n("Foo"), srv.n("by-header"), srv.n("foo")}); fmt.Sprint(names) != want {
							return fmt.Errorf("routes of the implementation = %q", names)
						}
						return nil
					},
				),
			},
			emptyPlanStep(config),
			{
				// A second "foo" is refused, naming the route that has it.
				Config: config + srv.hcl(routeConfig("dup", "orders", `
  name  = "foo"
  paths = ["/other"]
`)),
				ExpectError: errorRE(`Route name already in use.*A Route named "` + srv.n("foo") + `" already exists in this runtime group \(id [0-9a-f-]{36}, on Gateway Service [0-9a-f-]{36}\).*case-sensitive.*terraform import servicehub_route.<name> ` + srv.n("foo")),
			},
			{
				// An implementation that does not exist is named as such.
				Config: config + srv.hcl(`
resource "servicehub_route" "orphan" {
  implementation_id = "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"
  name              = "orphan"
  paths             = ["/orphan"]
}
`),
				ExpectError: errorRE(`Implementation not found.*6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a`),
			},
		},
	})
}

func TestAccRoute_updateInPlace(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("ledger-v1", "ledger", "ledger-renamed")
	kc := kongClient(t, srv.AdminURL, "", "")
	base := providerConfig(srv.AdminURL) + srv.hcl(implConfig("ledger", "ledger-v1", "http://ledger.internal"))
	minimal := base + srv.hcl(routeConfig("test", "ledger", `
  name  = "ledger"
  paths = ["/ledger"]
  hosts = ["ledger.example.com"]
`))
	advanced := base + srv.hcl(routeConfig("test", "ledger", `
  name                       = "ledger-renamed"
  protocols                  = ["https"]
  methods                    = ["PUT", "GET"]
  paths                      = ["/v2", "~/ledger/\\d+$"]
  hosts                      = ["b.example.com", "a.example.com:8443"]
  headers                    = { x-env = ["prod"] }
  snis                       = ["ledger.example.com"]
  strip_path                 = false
  preserve_host              = true
  regex_priority             = 10
  path_handling              = "v1"
  https_redirect_status_code = 308
  request_buffering          = false
  response_buffering         = false
  tags                       = ["team-ledger", "pci"]
`))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameCreatedAt := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: minimal,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(routeRes, jp("id")),
					sameCreatedAt.AddStateValue(routeRes, jp("created_at")),
				},
			},
			{
				PreConfig: sleepPastSecond,
				Config:    advanced,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(routeRes, jp("id")),
					sameCreatedAt.AddStateValue(routeRes, jp("created_at")),
					// User order, not Kong's or sorted.
					statecheck.ExpectKnownValue(routeRes, jp("methods"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("PUT"), knownvalue.StringExact("GET"),
					})),
					statecheck.ExpectKnownValue(routeRes, jp("tags"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("team-ledger"), knownvalue.StringExact("pci"),
					})),
				},
				Check: checkRoute(kc, srv.n("ledger-renamed"), func(r *kong.Route) error {
					switch {
					case fmt.Sprint(strList(r.Protocols)) != "[https]":
						return fmt.Errorf("protocols = %q", strList(r.Protocols))
					case fmt.Sprint(strList(r.Methods)) != "[PUT GET]":
						return fmt.Errorf("methods = %q", strList(r.Methods))
					case fmt.Sprint(strList(r.Paths)) != `[/v2 ~/ledger/\d+$]`:
						return fmt.Errorf("paths = %q", strList(r.Paths))
					case fmt.Sprint(strList(r.Hosts)) != "[b.example.com a.example.com:8443]":
						return fmt.Errorf("hosts = %q", strList(r.Hosts))
					case fmt.Sprint(r.Headers) != "map[x-env:[prod]]":
						return fmt.Errorf("headers = %v", r.Headers)
					case fmt.Sprint(strList(r.SNIs)) != "[ledger.example.com]":
						return fmt.Errorf("snis = %q", strList(r.SNIs))
					case *r.StripPath, !*r.PreserveHost, *r.RegexPriority != 10, *r.PathHandling != "v1",
						*r.HTTPSRedirectStatusCode != 308, *r.RequestBuffering, *r.ResponseBuffering:
						return fmt.Errorf("advanced fields not applied: strip %v preserve %v prio %d handling %s redirect %d buffering %v/%v",
							*r.StripPath, *r.PreserveHost, *r.RegexPriority, *r.PathHandling, *r.HTTPSRedirectStatusCode,
							*r.RequestBuffering, *r.ResponseBuffering)
					case fmt.Sprint(userTags(r.Tags)) != "[team-ledger pci]" || routeToken(r) == "":
						return fmt.Errorf("tags = %q, want the user's and the create's token", strList(r.Tags))
					}
					return nil
				}),
			},
			emptyPlanStep(advanced),
			{
				// Back to the minimal route minus hosts: everything else
				// returns to Kong's defaults and hosts is cleared in Kong.
				Config: base + srv.hcl(routeConfig("test", "ledger", `
  name  = "ledger"
  paths = ["/ledger"]
`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(routeRes, jp("strip_path"), knownvalue.Bool(true)),
						plancheck.ExpectKnownValue(routeRes, jp("hosts"), knownvalue.Null()),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(routeRes, jp("id")),
					sameCreatedAt.AddStateValue(routeRes, jp("created_at")),
				},
				Check: checkRoute(kc, srv.n("ledger"), func(r *kong.Route) error {
					switch {
					case r.Hosts != nil:
						return fmt.Errorf("hosts not cleared: %q", strList(r.Hosts))
					case r.Methods != nil, r.Headers != nil, r.SNIs != nil, len(userTags(r.Tags)) != 0, routeToken(r) == "":
						return fmt.Errorf("matchers not cleared: %+v", r)
					case fmt.Sprint(strList(r.Protocols)) != "[http https]", !*r.StripPath, *r.PreserveHost, *r.RegexPriority != 0,
						*r.PathHandling != "v0", *r.HTTPSRedirectStatusCode != 426, !*r.RequestBuffering, !*r.ResponseBuffering:
						return fmt.Errorf("defaults not restored: %+v", r)
					}
					return nil
				}),
			},
			{
				// Empty collections are not the same as none, and stay put.
				Config: base + srv.hcl(routeConfig("test", "ledger", `
  name    = "ledger"
  paths   = ["/ledger"]
  hosts   = []
  headers = {}
  tags    = []
`)),
				Check: resource.TestCheckResourceAttr(routeRes, "hosts.#", "0"),
			},
			emptyPlanStep(base + srv.hcl(routeConfig("test", "ledger", `
  name    = "ledger"
  paths   = ["/ledger"]
  hosts   = []
  headers = {}
  tags    = []
`))),
		},
	})
}

func TestAccRoute_streamAndGRPC(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("tcp-v1", "grpc-v1", "db", "grpc-route", "passthrough")
	kc := kongClient(t, srv.AdminURL, "", "")
	// Wildcard snis need Kong 3.7 (TestAccKongVersions).
	snis := `["db.example.com", "*.db.example.org"]`
	if !kongschema.FeatureWildcardSNIs.In(srv.Version, srv.Flavor) {
		snis = `["db.example.com", "db.example.org"]`
	}
	config := func(sources string) string {
		return providerConfig(srv.AdminURL) + srv.hcl(
			implConfig("tcp", "tcp-v1", "tcp://db.internal:5432")+
				implConfig("grpc", "grpc-v1", "grpc://grpc.internal:9000")+
				routeConfig("test", "tcp", `
  name         = "db"
  protocols    = ["tcp", "tls"]
  sources      = [`+sources+`]
  destinations = [{ ip = "10.1.0.0/16", port = 5432 }]
`)+routeConfig("grpc", "grpc", `
  name      = "grpc-route"
  protocols = ["grpc"]
  paths     = ["/pkg.Service/"]
`)+routeConfig("passthrough", "tcp", `
  name      = "passthrough"
  protocols = ["tls_passthrough"]
  snis      = `+snis+`
`))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(`{ ip = "192.168.0.1" }, { port = 1234 }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						// grpc routes default to strip_path false, as in Kong.
						plancheck.ExpectKnownValue("servicehub_route.grpc", jp("strip_path"), knownvalue.Bool(false)),
						plancheck.ExpectKnownValue(routeRes, jp("strip_path"), knownvalue.Bool(true)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(routeRes, jp("sources"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"ip": knownvalue.StringExact("192.168.0.1"), "port": knownvalue.Null()}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"ip": knownvalue.Null(), "port": knownvalue.Int64Exact(1234)}),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRoute(kc, srv.n("db"), func(r *kong.Route) error {
						if len(r.Sources) != 2 || len(r.Destinations) != 1 || *r.Destinations[0].IP != "10.1.0.0/16" || *r.Destinations[0].Port != 5432 {
							return fmt.Errorf("sources %v destinations %v", r.Sources, r.Destinations)
						}
						return nil
					}),
					checkRoute(kc, srv.n("grpc-route"), func(r *kong.Route) error {
						if *r.StripPath {
							return fmt.Errorf("grpc route has strip_path true")
						}
						return nil
					}),
					checkRoute(kc, srv.n("passthrough"), func(r *kong.Route) error {
						if strings.Join(strList(r.SNIs), `", "`) != strings.Trim(snis, `[]"`) {
							return fmt.Errorf("snis = %q", strList(r.SNIs))
						}
						return nil
					}),
				),
			},
			emptyPlanStep(config(`{ ip = "192.168.0.1" }, { port = 1234 }`)),
			{
				Config: config(`{ ip = "192.168.0.0/24", port = 22 }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionUpdate)},
				},
				Check: checkRoute(kc, srv.n("db"), func(r *kong.Route) error {
					if len(r.Sources) != 1 || *r.Sources[0].IP != "192.168.0.0/24" || *r.Sources[0].Port != 22 {
						return fmt.Errorf("sources = %v", r.Sources)
					}
					return nil
				}),
			},
			{
				ResourceName:      routeRes,
				ImportState:       true,
				ImportStateId:     srv.n("db"),
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccRoute_moveToAnotherImplementation(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("search-a", "search-b", "search")
	kc := kongClient(t, srv.AdminURL, "", "")
	impls := providerConfig(srv.AdminURL) + srv.hcl(implConfig("a", "search-a", "http://a.internal"))
	implB := srv.hcl(strings.Replace(implConfig("b", "search-b", "http://b.internal"), "\n}", "\n  lifecycle {\n    create_before_destroy = true\n  }\n}", 1))
	both := impls + implB
	route := func(impl string) string {
		return srv.hcl(routeConfig("test", impl, `
  name  = "search"
  paths = ["/search"]
`))
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:            both + route("a"),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(routeRes, jp("id"))},
				Check:             routeOn(kc, srv.n("search"), "a"),
			},
			{
				Config: both + route("b"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(routeRes, jp("id"))},
				Check:             routeOn(kc, srv.n("search"), "b"),
			},
			{
				// The old implementation can go once the route has left it.
				Config: providerConfig(srv.AdminURL) + implB + route("b"),
				Check: func(*terraform.State) error {
					if _, err := kc.Services.Get(context.Background(), kong.String(srv.n("search-a"))); !kong.IsNotFoundErr(err) {
						return fmt.Errorf("search-a still exists: %v", err)
					}
					return nil
				},
			},
			{
				// Moving back and deleting the implementation it leaves in
				// one apply: Terraform updates the route first.
				Config: impls + route("a"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("servicehub_implementation.b", plancheck.ResourceActionDestroy),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(routeRes, jp("id"))},
				Check:             routeOn(kc, srv.n("search"), "a"),
			},
		},
	})
}

func TestAccRoute_drift(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("users-v1", "users")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	config := providerConfig(srv.AdminURL) + srv.hcl(implConfig("users", "users-v1", "http://users.internal")+
		routeConfig("test", "users", `
  name    = "users"
  methods = ["GET"]
  paths   = ["/users"]
`))
	var firstID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  recordID(routeRes, &firstID),
			},
			{
				// Someone edits the paths and adds a host in Kong.
				PreConfig: func() {
					r, err := kc.Routes.Get(ctx, kong.String(srv.n("users")))
					if err != nil {
						t.Fatal(err)
					}
					r.Paths = kong.StringSlice("/rogue")
					r.Hosts = kong.StringSlice("rogue.example.com")
					if _, err := kc.Routes.Create(ctx, r); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(routeRes, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(routeRes, jp("paths"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("/users")})),
						plancheck.ExpectKnownValue(routeRes, jp("hosts"), knownvalue.Null()),
					},
				},
				Check: checkRoute(kc, srv.n("users"), func(r *kong.Route) error {
					if fmt.Sprint(strList(r.Paths)) != "[/users]" || r.Hosts != nil {
						return fmt.Errorf("not restored: paths %q hosts %q", strList(r.Paths), strList(r.Hosts))
					}
					return nil
				}),
			},
			// Someone deletes it: the plan recreates it.
			recreatedStep(config, routeRes, &firstID, func() {
				if err := kc.Routes.Delete(ctx, kong.String(srv.n("users"))); err != nil {
					t.Fatal(err)
				}
			}),
			emptyPlanStep(config),
		},
	})
}

func TestAccRoute_implementationWithUnmanagedRoutes(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("billing-v1", "managed")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	impl := providerConfig(srv.AdminURL) + srv.hcl(implConfig("billing", "billing-v1", "http://billing.internal"))
	var legacyID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: impl + srv.hcl(routeConfig("test", "billing", "  name = \"managed\"\n  paths = [\"/billing\"]")),
			},
			{
				// A route added outside Terraform blocks the delete, and
				// the error says which.
				PreConfig: func() {
					svc, err := kc.Services.Get(ctx, kong.String(srv.n("billing-v1")))
					if err != nil {
						t.Fatal(err)
					}
					r, err := kc.Routes.Create(ctx, &kong.Route{Name: kong.String(srv.n("legacy")), Paths: kong.StringSlice("/old"), Service: &kong.Service{ID: svc.ID}})
					if err != nil {
						t.Fatal(err)
					}
					legacyID = *r.ID
					t.Cleanup(func() { _ = kc.Routes.Delete(ctx, r.ID) })
				},
				Config:      providerConfig(srv.AdminURL),
				ExpectError: errorRE(`Unable to delete implementation.*still has 1 route: "` + srv.n("legacy") + `" \(id [0-9a-f-]{36}, tags \[[^]]*\]\).*terraform import servicehub_route.*force_destroy = true`),
			},
			{
				// The managed route went first; once the other is gone too,
				// the implementation goes.
				PreConfig: func() {
					if err := kc.Routes.Delete(ctx, &legacyID); err != nil {
						t.Fatal(err)
					}
				},
				Config: providerConfig(srv.AdminURL),
				Check: func(*terraform.State) error {
					if _, err := kc.Services.Get(ctx, kong.String(srv.n("billing-v1"))); !kong.IsNotFoundErr(err) {
						return fmt.Errorf("billing-v1 still exists: %v", err)
					}
					return nil
				},
			},
		},
	})
}
