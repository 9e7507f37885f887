package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccListServiceVersions lists the catalog's APIs that have a
// version, by service and version (an unversioned API is not a service
// version), filtered by service, with the version as an import reads it;
// off Konnect the list says it needs a control plane.
func TestAccListServiceVersions(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 14, queryFeature)
	srv := startKonnect(t, localkong.Options{})
	payV2 := newAPI(t, srv, map[string]any{"name": "payments", "version": "v2", "description": "Second", "labels": map[string]any{"team": "pay"}})
	payV1 := newAPI(t, srv, map[string]any{"name": "payments", "version": "v1"})
	ordV1 := newAPI(t, srv, map[string]any{"name": "orders", "version": "v1"})
	unversioned := newAPI(t, srv, map[string]any{"name": "drafts"})

	plain := startKong(t, localkong.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			providerOnlyStep(konnectProvider(srv)),
			queryStep(`
list "servicehub_service_version" "all" {
  provider         = servicehub
  include_resource = true
}

list "servicehub_service_version" "payments" {
  provider = servicehub
  config {
    service = "payments"
  }
}

list "servicehub_service_version" "first" {
  provider = servicehub
  limit    = 1
}
`,
				querycheck.ExpectLength("servicehub_service_version.all", 3),
				querycheck.ExpectIdentity("servicehub_service_version.all", identityIs(ordV1)),
				querycheck.ExpectNoIdentity("servicehub_service_version.all", identityIs(unversioned)),
				querycheck.ExpectResourceDisplayName("servicehub_service_version.all", byID(payV2), knownvalue.StringExact("payments v2")),
				querycheck.ExpectResourceKnownValues("servicehub_service_version.all", byID(payV2), []querycheck.KnownValueCheck{
					{Path: jp("service"), KnownValue: knownvalue.StringExact("payments")},
					{Path: jp("version"), KnownValue: knownvalue.StringExact("v2")},
					{Path: jp("description"), KnownValue: knownvalue.StringExact("Second")},
					{Path: jp("labels"), KnownValue: knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("pay")})},
					{Path: jp("spec_content"), KnownValue: knownvalue.Null()},
				}),
				querycheck.ExpectLength("servicehub_service_version.payments", 2),
				querycheck.ExpectIdentity("servicehub_service_version.payments", identityIs(payV1)),
				querycheck.ExpectIdentity("servicehub_service_version.payments", identityIs(payV2)),
				// By service, then version: orders v1.
				querycheck.ExpectLength("servicehub_service_version.first", 1),
				querycheck.ExpectIdentity("servicehub_service_version.first", identityIs(ordV1)),
			),
			providerOnlyStep(providerConfig(plain.AdminURL)),
			{
				Query: true,
				Config: `
list "servicehub_service_version" "none" {
  provider = servicehub
}
`,
				ExpectError: regexp.MustCompile(`The API catalog needs a Konnect control plane`),
			},
		},
	})
}
