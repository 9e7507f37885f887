package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// queryStep is a terraform query step over list blocks (Terraform 1.14):
// they go into a .tfquery.hcl, next to the configuration of the step
// before it, whose provider block they use.
func queryStep(lists string, checks ...querycheck.QueryResultCheck) resource.TestStep {
	return resource.TestStep{Query: true, Config: lists, QueryResultChecks: checks}
}

// providerOnlyStep applies a configuration with nothing but the provider
// block, for the query steps after it.
func providerOnlyStep(provider string) resource.TestStep {
	return resource.TestStep{Config: provider}
}

// queryCheckFunc is a query check of the test's own (request counts).
type queryCheckFunc func() error

func (f queryCheckFunc) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	resp.Error = f()
}

func byID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

func identityIs(id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}
}

// TestAccListImplementations lists Gateway Services made behind the
// provider's back: those with the servicehub tags are implementations and
// listed, by service, version and name; an untagged one and a slot claim
// are not. The filters, include_resource (the resource as an import
// reads it), the display name and limit.
func TestAccListImplementations(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 14, queryFeature)
	skipExternal(t, "lists every implementation of the runtime group, which a shared Kong has more of")
	srv := startKong(t, localkong.Options{})
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	mk := func(s *kong.Service) string {
		t.Helper()
		out, err := kc.Services.Create(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return *out.ID
	}
	v2 := mk(&kong.Service{Name: kong.String("orders-v2"), URL: kong.String("https://orders.internal:8443/api"), Retries: kong.Int(3),
		Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v2", "team-a")})
	v1 := mk(&kong.Service{Name: kong.String("orders-v1"), Host: kong.String("orders-v1.internal"),
		Tags: kong.StringSlice("servicehub:version=v1", "servicehub:service=orders")})
	pay := mk(&kong.Service{Name: kong.String("payments-v1"), Host: kong.String("payments.internal"),
		Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1")})
	untagged := mk(&kong.Service{Name: kong.String("legacy"), Host: kong.String("legacy.internal"), Tags: kong.StringSlice("team-a")})
	claim := mk(&kong.Service{Name: kong.String("servicehub-claim-x"), Host: kong.String("claim.servicehub.invalid"), Enabled: kong.Bool(false),
		Tags: kong.StringSlice("servicehub:claim", "servicehub:owner="+v1, "servicehub:claim-service=orders", "servicehub:claim-version=v3")})

	provider := providerConfig(srv.AdminURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			providerOnlyStep(provider),
			queryStep(`
list "servicehub_implementation" "all" {
  provider         = servicehub
  include_resource = true
}

list "servicehub_implementation" "orders" {
  provider = servicehub
  config {
    service = "orders"
  }
}

list "servicehub_implementation" "orders_v2" {
  provider = servicehub
  config {
    service = "orders"
    version = "v2"
  }
}

list "servicehub_implementation" "v1" {
  provider = servicehub
  config {
    version = "v1"
  }
}

list "servicehub_implementation" "first" {
  provider = servicehub
  limit    = 1
}
`,
				querycheck.ExpectLength("servicehub_implementation.all", 3),
				querycheck.ExpectIdentity("servicehub_implementation.all", identityIs(v1)),
				querycheck.ExpectIdentity("servicehub_implementation.all", identityIs(v2)),
				querycheck.ExpectIdentity("servicehub_implementation.all", identityIs(pay)),
				querycheck.ExpectNoIdentity("servicehub_implementation.all", identityIs(untagged)),
				querycheck.ExpectNoIdentity("servicehub_implementation.all", identityIs(claim)),
				querycheck.ExpectResourceDisplayName("servicehub_implementation.all", byID(v2), knownvalue.StringExact("orders-v2 (orders v2)")),
				querycheck.ExpectResourceKnownValues("servicehub_implementation.all", byID(v2), []querycheck.KnownValueCheck{
					{Path: jp("id"), KnownValue: knownvalue.StringExact(v2)},
					{Path: jp("name"), KnownValue: knownvalue.StringExact("orders-v2")},
					{Path: jp("service"), KnownValue: knownvalue.StringExact("orders")},
					{Path: jp("version"), KnownValue: knownvalue.StringExact("v2")},
					{Path: jp("url"), KnownValue: knownvalue.StringExact("https://orders.internal:8443/api")},
					{Path: jp("port"), KnownValue: knownvalue.Int64Exact(8443)},
					{Path: jp("retries"), KnownValue: knownvalue.Int64Exact(3)},
					{Path: jp("tags"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("team-a")})},
					{Path: jp("service_version_id"), KnownValue: knownvalue.Null()},
				}),
				querycheck.ExpectLength("servicehub_implementation.orders", 2),
				querycheck.ExpectNoIdentity("servicehub_implementation.orders", identityIs(pay)),
				querycheck.ExpectLength("servicehub_implementation.orders_v2", 1),
				querycheck.ExpectIdentity("servicehub_implementation.orders_v2", identityIs(v2)),
				querycheck.ExpectLength("servicehub_implementation.v1", 2),
				querycheck.ExpectNoIdentity("servicehub_implementation.v1", identityIs(v2)),
				// By service, version and name: orders v1 comes first.
				querycheck.ExpectLength("servicehub_implementation.first", 1),
				querycheck.ExpectIdentity("servicehub_implementation.first", identityIs(v1)),
			),
			{
				Query: true,
				Config: `
list "servicehub_implementation" "bad" {
  provider = servicehub
  config {
    service = "a/b"
  }
}
`,
				ExpectError: regexp.MustCompile(`(?s)service.*must not contain ',' or '/'`),
			},
		},
	})
}

// TestAccListRequests counts the Admin API requests of a query over
// 1200 implementations with a route each, among 1300 other Gateway
// Services with a route each: one listing of each kind (3 pages of
// services, 3 of routes) for all the list blocks together, not a request
// per entity; and limit bounds the results (Terraform's default is 100).
func TestAccListRequests(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 14, queryFeature)
	skipExternal(t, "counts Admin API requests with localkong's counter")
	const n, others = 1200, 1300
	srv := startKong(t, localkong.Options{})
	bodies := make([]map[string]any, n)
	for i := range bodies {
		bodies[i] = map[string]any{"name": fmt.Sprintf("fleet-v%d", i), "host": "fleet.internal",
			"tags": []string{"servicehub:service=fleet", fmt.Sprintf("servicehub:version=v%d", i)}}
	}
	ids, err := srv.Seed("services", bodies...)
	if err != nil {
		t.Fatal(err)
	}
	routes := make([]map[string]any, n)
	for i, id := range ids {
		routes[i] = map[string]any{"name": fmt.Sprintf("fleet-%d", i), "paths": []string{fmt.Sprintf("/fleet/%d", i)}, "service": map[string]any{"id": id}}
	}
	if _, err := srv.Seed("routes", routes...); err != nil {
		t.Fatal(err)
	}
	if err := srv.Populate("other", others); err != nil {
		t.Fatal(err)
	}
	// ⌈2500 / 1000⌉ pages of each kind.
	const pages = 3
	count := func(want int64) queryCheckFunc {
		return func() error {
			got := srv.RequestCount()
			t.Logf("query: %d Admin API requests %v", got, srv.RequestCounts())
			if got != want {
				return fmt.Errorf("the query sent %d Admin API requests, want %d (one listing of each kind)", got, want)
			}
			return nil
		}
	}
	provider := providerConfig(srv.AdminURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			providerOnlyStep(provider),
			func() resource.TestStep {
				s := queryStep(`
list "servicehub_implementation" "default_limit" {
  provider = servicehub
}

list "servicehub_implementation" "five" {
  provider = servicehub
  limit    = 5
}

list "servicehub_implementation" "all" {
  provider = servicehub
  limit    = 2000
}

list "servicehub_route" "all" {
  provider         = servicehub
  include_resource = true
  limit            = 2000
}
`,
					querycheck.ExpectLength("servicehub_implementation.default_limit", 100),
					querycheck.ExpectLength("servicehub_implementation.five", 5),
					querycheck.ExpectLength("servicehub_implementation.all", n),
					querycheck.ExpectLength("servicehub_route.all", n),
					count(2*pages),
				)
				s.PreConfig = srv.ResetRequestCount
				return s
			}(),
		},
	})
}

// newAPI creates a catalog API behind the provider's back (as the Konnect
// UI would) and returns its id.
func newAPI(t *testing.T, srv *localkong.Server, body map[string]any) string {
	t.Helper()
	status, api := catalogCall(t, srv, http.MethodPost, "/v3/apis", body)
	if status != http.StatusCreated {
		t.Fatalf("creating API %v: HTTP %d %v", body, status, api)
	}
	return api["id"].(string)
}

// TestAccListImplementations_konnect: on a Konnect control plane a Gateway
// Service linked to a catalog version in the Konnect UI, without tags, is
// an implementation too: listed, found by its version's service, with its
// link in the resource. Adopting it imports it by identity and, as its
// first change, adds the tags; nothing else is written, and the next plan
// is empty.
func TestAccListImplementations_konnect(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 14, queryFeature)
	srv := startKonnect(t, localkong.Options{})
	kc := konnectKong(t, srv)
	ctx := context.Background()
	payV1 := newAPI(t, srv, map[string]any{"name": "payments", "version": "v1"})
	newAPI(t, srv, map[string]any{"name": "orders", "version": "v1"})
	ui, err := kc.Services.Create(ctx, &kong.Service{Name: kong.String("payments-ui"), URL: kong.String("http://payments.internal:8080")})
	if err != nil {
		t.Fatal(err)
	}
	linkOutOfBand(t, srv, payV1, *ui.ID)
	tagged, err := kc.Services.Create(ctx, &kong.Service{Name: kong.String("orders-v1"), Host: kong.String("orders.internal"),
		Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v1")})
	if err != nil {
		t.Fatal(err)
	}
	legacy := createService(t, kc, "legacy")

	provider := konnectProvider(srv)
	const addr = "servicehub_implementation.payments"
	adopt := provider + fmt.Sprintf(`
import {
  to       = servicehub_implementation.payments
  identity = { id = %q }
}

resource "servicehub_implementation" "payments" {
  service_version_id = %q
  name               = "payments-ui"
  url                = "http://payments.internal:8080"
}
`, *ui.ID, payV1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: provider, Check: func(*terraform.State) error { srv.ResetRequestCount(); return nil }},
			queryStep(`
list "servicehub_implementation" "all" {
  provider         = servicehub
  include_resource = true
}

list "servicehub_implementation" "payments" {
  provider = servicehub
  config {
    service = "payments"
    version = "v1"
  }
}
`,
				querycheck.ExpectLength("servicehub_implementation.all", 2),
				querycheck.ExpectIdentity("servicehub_implementation.all", identityIs(*tagged.ID)),
				querycheck.ExpectNoIdentity("servicehub_implementation.all", identityIs(legacy)),
				querycheck.ExpectResourceDisplayName("servicehub_implementation.all", byID(*ui.ID),
					knownvalue.StringExact("payments-ui (payments v1, linked in the API catalog)")),
				querycheck.ExpectResourceKnownValues("servicehub_implementation.all", byID(*ui.ID), []querycheck.KnownValueCheck{
					{Path: jp("service_version_id"), KnownValue: knownvalue.StringExact(payV1)},
					// As an import reads it: no tags yet.
					{Path: jp("service"), KnownValue: knownvalue.Null()},
					{Path: jp("url"), KnownValue: knownvalue.StringExact("http://payments.internal:8080")},
				}),
				querycheck.ExpectLength("servicehub_implementation.payments", 1),
				querycheck.ExpectIdentity("servicehub_implementation.payments", identityIs(*ui.ID)),
				// Both list blocks together: one listing each of the
				// Gateway Services, the catalog's implementations and its APIs.
				queryCheckFunc(func() error {
					if got := srv.RequestCounts(); got["GET"] != 3 || srv.RequestCount() != 3 {
						return fmt.Errorf("the query sent %v requests, want 3 GETs", got)
					}
					return nil
				}),
			),
			{
				Config: adopt,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectImporting(addr),
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					// The import read the link: only the tags change.
					plancheck.ExpectKnownValue(addr, jp("service_version_id"), knownvalue.StringExact(payV1)),
					plancheck.ExpectKnownValue(addr, jp("service"), knownvalue.StringExact("payments")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, identityIs(*ui.ID)),
				},
				Check: func(*terraform.State) error {
					svc, err := kc.Services.Get(ctx, ui.ID)
					if err != nil {
						return err
					}
					// The provider's tags, and the import's ownership token
					// (servicehub/owner.go), given at its first update.
					got := kongTags(svc)
					slices.Sort(got)
					want := []string{"servicehub:service=payments", "servicehub:version=v1"}
					if len(got) != 3 || !strings.HasPrefix(got[0], "servicehub:create=") || !slices.Equal(got[1:], want) {
						return fmt.Errorf("tags = %q, want %q and a servicehub:create= token", got, want)
					}
					if linkedService(t, srv, payV1) != *ui.ID {
						return fmt.Errorf("the link moved")
					}
					return nil
				},
			},
			emptyPlanStep(adopt),
		},
	})
}
