package provider

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func TestAccImplementationsDataSource(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	made := seedOutOfBand(t, srv,
		handMade("orders-v2", "orders", "v2"),
		handMade("orders-v1", "orders", "v1"),
		map[string]any{"name": "legacy", "host": "legacy.internal"}, // untagged: no implementation
		map[string]any{"name": "off", "host": "off.internal", "enabled": false, "tags": []string{"servicehub:service=zeta"}}, // no version tag
	)
	config := providerConfig(srv.AdminURL) + `
resource "servicehub_implementation" "test" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "https://payments.internal:8443/api"
}

data "servicehub_implementations" "all" {
  depends_on = [servicehub_implementation.test]
}

data "servicehub_implementations" "orders" {
  service = "orders"
}

data "servicehub_implementations" "none" {
  service = "nobody"
}
`
	const all, orders = "data.servicehub_implementations.all", "data.servicehub_implementations.orders"
	entry := func(id, name, service, version, url string, enabled bool) knownvalue.Check {
		var v knownvalue.Check = knownvalue.Null()
		if version != "" {
			v = knownvalue.StringExact(version)
		}
		var idCheck knownvalue.Check = knownvalue.NotNull()
		if id != "" {
			idCheck = knownvalue.StringExact(id)
		}
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": idCheck, "name": knownvalue.StringExact(name), "service": knownvalue.StringExact(service),
			"version": v, "url": knownvalue.StringExact(url), "enabled": knownvalue.Bool(enabled),
		})
	}
	ordersV1 := entry(made[1], "orders-v1", "orders", "v1", "http://orders-v1.internal/api", true)
	ordersV2 := entry(made[0], "orders-v2", "orders", "v2", "http://orders-v2.internal/api", true)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				// By service, version, name; "legacy" is no implementation.
				statecheck.ExpectKnownValue(all, jp("implementations"), knownvalue.ListExact([]knownvalue.Check{
					ordersV1, ordersV2,
					entry("", "payments-v1", "payments", "v1", "https://payments.internal:8443/api", true),
					entry(made[3], "off", "zeta", "", "http://off.internal", false),
				})),
				statecheck.CompareValuePairs(all, jp("implementations").AtSliceIndex(2).AtMapKey("id"), res, jp("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(orders, jp("implementations"), knownvalue.ListExact([]knownvalue.Check{ordersV1, ordersV2})),
				statecheck.ExpectKnownValue("data.servicehub_implementations.none", jp("implementations"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// TestAccImplementationsDataSource_many lists 2,500 implementations of 10
// services, made out of band: the plan that reads three data sources costs
// one listing of ⌈2500/1000⌉ = 3 pages, plus one request for the routes of
// the implementation looked up by version, plus the lookups that ran
// before the listing started, each with Kong's ?tags= filter (one page):
// at most kongapi.DirectReads, as Terraform reads the three in parallel.
func TestAccImplementationsDataSource_many(t *testing.T) {
	t.Parallel()
	const n, services = 2500, 10
	srv := startKong(t, localkong.Options{})
	svcs := make([]map[string]any, n)
	for i := range svcs {
		svcs[i] = handMade(fmt.Sprintf("impl-%04d", i), fmt.Sprintf("svc-%d", i%services), fmt.Sprintf("v%d", i))
	}
	seedOutOfBand(t, srv, svcs...)

	config := providerConfig(srv.AdminURL) + `
data "servicehub_implementations" "all" {}

data "servicehub_implementations" "svc7" {
  service = "svc-7"
}

data "servicehub_implementation" "one" {
  service = "svc-7"
  version = "v1237"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequestCount,
			Config:    config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{checkFunc(func() error {
					got := srv.RequestCounts()
					t.Logf("plan reading 3 data sources over %d implementations: Admin API requests %v", n, got)
					want := int64((n+999)/1000 + 1)
					if got["GET"] < want || got["GET"] > want+kongapi.DirectReads || srv.RequestCount() != got["GET"] {
						return fmt.Errorf("the plan sent %v Admin API requests, want %d to %d GETs", got, want, want+kongapi.DirectReads)
					}
					return nil
				})},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.servicehub_implementations.all", jp("implementations"), knownvalue.ListSizeExact(n)),
				statecheck.ExpectKnownValue("data.servicehub_implementations.all", jp("implementations").AtSliceIndex(0).AtMapKey("name"),
					knownvalue.StringExact("impl-0000")),
				statecheck.ExpectKnownValue("data.servicehub_implementations.svc7", jp("implementations"), knownvalue.ListSizeExact(n/services)),
				statecheck.ExpectKnownValue("data.servicehub_implementations.svc7", jp("implementations").AtSliceIndex(0).AtMapKey("service"),
					knownvalue.StringExact("svc-7")),
				statecheck.ExpectKnownValue("data.servicehub_implementation.one", jp("name"), knownvalue.StringExact("impl-1237")),
			},
		}},
	})
}

// The documentation's examples of both data sources, applied against
// implementations made out of band, so they cannot rot.
func TestAccImplementationDataSourceExamples(t *testing.T) {
	t.Parallel()
	var examples string
	for _, f := range []string{"servicehub_implementation", "servicehub_implementations"} {
		b, err := os.ReadFile("../../examples/data-sources/" + f + "/data-source.tf")
		if err != nil {
			t.Fatal(err)
		}
		examples += string(b)
	}
	srv := startKong(t, localkong.Options{})
	kc := kongClient(t, srv.AdminURL, "", "")
	made := seedOutOfBand(t, srv,
		handMade("payments-v1", "payments", "v1"),
		handMade("orders-v2", "orders", "v2"),
		map[string]any{"name": "payments-v2", "url": "https://payments-v2.internal", "enabled": false,
			"tags": []string{"servicehub:service=payments", "servicehub:version=v2"}},
	)
	route, err := kc.Routes.CreateInService(context.Background(), &made[1], &kong.Route{Name: kong.String("orders"), Paths: kong.StringSlice("/orders")})
	if err != nil {
		t.Fatal(err)
	}
	config := providerConfig(srv.AdminURL) + examples
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("payments_v1_upstream", knownvalue.StringExact("http://payments-v1.internal/api")),
					statecheck.ExpectKnownOutputValue("orders_route_ids", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(*route.ID)})),
					statecheck.ExpectKnownOutputValue("payments_upstreams", knownvalue.MapExact(map[string]knownvalue.Check{
						"v1": knownvalue.StringExact("http://payments-v1.internal/api"),
						"v2": knownvalue.StringExact("https://payments-v2.internal"),
					})),
					statecheck.ExpectKnownOutputValue("disabled_implementations", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("payments-v2")})),
					statecheck.ExpectKnownValue("servicehub_route.payments_health", jp("implementation_id"), knownvalue.StringExact(made[0])),
				},
			},
			emptyPlanStep(config),
		},
	})
}
