package provider

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// seedOutOfBand creates Gateway Services as the Konnect UI or decK would:
// POST /services, ids chosen by Kong, servicehub: tags set by hand. It
// returns their ids.
func seedOutOfBand(t *testing.T, srv *testKong, bodies ...map[string]any) []string {
	t.Helper()
	if srv.Server == nil {
		skipBecause(t, "localkong only: seeds Gateway Services into localkong directly")
	}
	ids, err := srv.Seed("services", bodies...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// handMade is a Gateway Service tagged as an implementation by hand.
func handMade(name, service, version string, more ...string) map[string]any {
	tags := []string{"servicehub:service=" + service, "servicehub:version=" + version}
	return map[string]any{"name": name, "url": "http://" + name + ".internal/api", "tags": append(tags, more...)}
}

// The data source's attributes are the resource's, plus route_ids.
func TestImplementationDataSourceSchema(t *testing.T) {
	var resp datasource.SchemaResponse
	(&implementationDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	var got, want []string
	for name, a := range resp.Schema.Attributes {
		got = append(got, name)
		if !a.IsComputed() || a.IsRequired() {
			t.Errorf("%s: computed %v, required %v", name, a.IsComputed(), a.IsRequired())
		}
		if lookup := name == "id" || name == "name" || name == "service" || name == "version"; a.IsOptional() != lookup {
			t.Errorf("%s: optional %v, want %v", name, a.IsOptional(), lookup)
		}
	}
	for name := range implementationSchema().Attributes {
		want = append(want, name)
	}
	want = append(want, "route_ids")
	sort.Strings(got)
	sort.Strings(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("attributes\n got %v\nwant %v", got, want)
	}
}

func TestAccImplementationDataSource(t *testing.T) {
	t.Parallel()
	// The resource read back sets every attribute, tls_sans included.
	srv := startKongHaving(t, kongschema.FeatureTLSSANs, "3.10.0.6")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	// Made in the UI: an implementation with a route, and two Gateway
	// Services tagged with the same version by mistake.
	made := seedOutOfBand(t, srv,
		handMade("orders-v2", "orders", "v2", "team-a"),
		handMade("orders-v3", "orders", "v3"),
		handMade("refunds-a", "refunds", "v1"),
		handMade("refunds-b", "refunds", "v1"),
	)
	uiRoute, err := kc.Routes.CreateInService(ctx, &made[0], &kong.Route{Name: kong.String("orders"), Paths: kong.StringSlice("/orders")})
	if err != nil {
		t.Fatal(err)
	}

	config := providerConfig(srv.AdminURL) + `
resource "servicehub_implementation" "test" {
  service   = "payments"
  version   = "v1"
  name      = "payments-v1"
  url       = "https://payments.internal:8443/api"
  retries   = 3
  tags      = ["team-b", "pci"]
  tls_sans  = { dnsnames = ["payments.internal"] }
  read_timeout = 5000
}

resource "servicehub_route" "b" {
  implementation_id = servicehub_implementation.test.id
  name              = "payments-b"
  paths             = ["/b"]
}

resource "servicehub_route" "a" {
  implementation_id = servicehub_implementation.test.id
  name              = "payments-a"
  paths             = ["/a"]
}

data "servicehub_implementation" "by_id" {
  id         = servicehub_implementation.test.id
  depends_on = [servicehub_route.a, servicehub_route.b]
}

data "servicehub_implementation" "by_name" {
  name = "orders-v2"
}

data "servicehub_implementation" "by_version" {
  service = "orders"
  version = "v2"
}
`
	const byID, byName, byVersion = "data.servicehub_implementation.by_id", "data.servicehub_implementation.by_name", "data.servicehub_implementation.by_version"
	var same []statecheck.StateCheck
	for name := range implementationSchema().Attributes {
		same = append(same, statecheck.CompareValuePairs(res, jp(name), byID, jp(name), compare.ValuesSame()))
	}
	lookupErr := func(body, want string) resource.TestStep {
		return resource.TestStep{
			Config:      providerConfig(srv.AdminURL) + "data \"servicehub_implementation\" \"x\" {\n" + body + "\n}\n",
			PlanOnly:    true,
			ExpectError: errorRE(want),
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: append(same,
					// Every attribute the resource has, as the resource has it.
					statecheck.ExpectKnownValue(byID, jp("tls_sans"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"dnsnames": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("payments.internal")}),
						"uris":     knownvalue.Null(),
					})),
					statecheck.ExpectKnownValue(byID, jp("tags"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("pci"), knownvalue.StringExact("team-b")})),
					statecheck.ExpectKnownValue(byID, jp("retries"), knownvalue.Int64Exact(3)),
					// Route ids by route name: a, then b.
					statecheck.CompareValuePairs(byID, jp("route_ids").AtSliceIndex(0), "servicehub_route.a", jp("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(byID, jp("route_ids").AtSliceIndex(1), "servicehub_route.b", jp("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(byID, jp("route_ids"), knownvalue.ListSizeExact(2)),
					// Made in the UI, found by name and by version.
					statecheck.ExpectKnownValue(byName, jp("id"), knownvalue.StringExact(made[0])),
					statecheck.ExpectKnownValue(byName, jp("service"), knownvalue.StringExact("orders")),
					statecheck.ExpectKnownValue(byName, jp("version"), knownvalue.StringExact("v2")),
					statecheck.ExpectKnownValue(byName, jp("url"), knownvalue.StringExact("http://orders-v2.internal/api")),
					statecheck.ExpectKnownValue(byName, jp("port"), knownvalue.Int64Exact(80)),
					statecheck.ExpectKnownValue(byName, jp("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(byName, jp("tags"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("team-a")})),
					statecheck.ExpectKnownValue(byName, jp("route_ids"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(*uiRoute.ID)})),
					statecheck.CompareValuePairs(byName, jp("id"), byVersion, jp("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(byName, jp("created_at"), byVersion, jp("created_at"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(byVersion, jp("name"), knownvalue.StringExact("orders-v2")),
				),
			},
			lookupErr(`name = "nope"`, `No implementation found.*No Gateway Service with name "nope" in this runtime group. Check the name`),
			lookupErr(`id = "5d6b3c1e-0000-4000-8000-000000000000"`, `No implementation found.*No Gateway Service with id "5d6b3c1e-0000-4000-8000-000000000000"`),
			lookupErr("service = \"orders\"\nversion = \"v9\"", `No implementation found.*No implementation of version "v9" of service "orders" in this runtime group.*`+
				`service "orders" has implementations of "v2", "v3". Check service and version`),
			lookupErr("service = \"refunds\"\nversion = \"v1\"", `Several implementations of one version.*has 2 implementations in this runtime group.*"refunds-a".*"refunds-b".*look it up by name or id`),
			lookupErr("id = \"x\"\nname = \"y\"", `Invalid Attribute Combination`),
			lookupErr(`service = "orders"`, `Invalid Attribute Combination.*version`),
			lookupErr(`version = "v1"`, `Invalid Attribute Combination`),
			lookupErr(``, `Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[id,name,service\]`),
			lookupErr("service = \"pay/ments\"\nversion = \"v1\"", `must not contain ',' or '/'`),
			// Last, so that the destroy has a valid configuration.
			emptyPlanStep(config),
		},
	})
}

// Nothing listens at admin_url: the first request of the run says so at
// once, naming the setting, rather than after minutes of retries.
func TestAccImplementationDataSource_unreachable(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      providerConfig(freeURL(t, "")) + "data \"servicehub_implementation\" \"x\" {\n  name = \"payments-v1\"\n}\n",
			PlanOnly:    true,
			ExpectError: errorRE(`connection refused: cannot reach the Admin API at http://127.0.0.1:[0-9]+: nothing accepts connections there. Check admin_url \(or the KONG_ADMIN_URL environment variable\)`),
		}},
	})
}

// On Konnect the data source reads service_version_id from the catalog:
// the version a Gateway Service is linked to, null for one linked to none.
func TestAccImplementationDataSource_konnectLink(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	config := konnectProvider(srv) + `
resource "servicehub_service_version" "v1" {
  service = "ledger"
  version = "v1"
}

resource "servicehub_implementation" "linked" {
  service_version_id = servicehub_service_version.v1.id
  name               = "ledger-v1"
  url                = "http://ledger.internal"
}

resource "servicehub_implementation" "tagged" {
  service = "ledger"
  version = "v2"
  name    = "ledger-v2"
  url     = "http://ledger.internal"
}

data "servicehub_implementation" "linked" {
  name       = servicehub_implementation.linked.name
  depends_on = [servicehub_implementation.linked]
}

data "servicehub_implementation" "tagged" {
  service    = "ledger"
  version    = "v2"
  depends_on = [servicehub_implementation.tagged]
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("data.servicehub_implementation.linked", jp("service_version_id"),
					"servicehub_service_version.v1", jp("id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.servicehub_implementation.linked", jp("service"), knownvalue.StringExact("ledger")),
				statecheck.ExpectKnownValue("data.servicehub_implementation.tagged", jp("service_version_id"), knownvalue.Null()),
			},
		}},
	})
}

// computedAttributes covers every kind of attribute the two resources use,
// so an attribute added to either reaches a data source built from it.
func TestComputedAttributesCoverBothResources(t *testing.T) {
	for name, s := range map[string]map[string]schema.Attribute{
		"servicehub_implementation": implementationSchema().Attributes,
		"servicehub_route":          routeSchema().Attributes,
	} {
		got := computedAttributes(s)
		if len(got) != len(s) {
			t.Errorf("%s: %d attributes, want %d", name, len(got), len(s))
		}
		for attr, a := range got {
			if !a.IsComputed() || a.IsOptional() || !a.GetType().Equal(s[attr].GetType()) {
				t.Errorf("%s.%s: computed %v, optional %v, type %v want %v", name, attr, a.IsComputed(), a.IsOptional(), a.GetType(), s[attr].GetType())
			}
		}
	}
}
