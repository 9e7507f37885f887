package provider

import (
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// A version made in the Konnect UI is found by service and version and by
// id; none matching is an error that says so; id with service is refused.
func TestAccServiceVersionDataSource(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	status, api := catalogCall(t, srv, http.MethodPost, "/v3/apis", map[string]any{
		"name": "billing", "version": "2024-01", "description": "Billing", "labels": map[string]any{"team": "fin"},
		"spec_content": openAPISpec,
	})
	if status != http.StatusCreated {
		t.Fatalf("seeding: %d %v", status, api)
	}
	id := api["id"].(string)
	p := konnectProvider(srv)
	const byName, byID = "data.servicehub_service_version.by_name", "data.servicehub_service_version.by_id"
	checks := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, jp("id"), knownvalue.StringExact(id)),
			statecheck.ExpectKnownValue(addr, jp("service"), knownvalue.StringExact("billing")),
			statecheck.ExpectKnownValue(addr, jp("version"), knownvalue.StringExact("2024-01")),
			statecheck.ExpectKnownValue(addr, jp("description"), knownvalue.StringExact("Billing")),
			statecheck.ExpectKnownValue(addr, jp("slug"), knownvalue.StringExact("billing-2024-01")),
			statecheck.ExpectKnownValue(addr, jp("labels"), knownvalue.MapExact(map[string]knownvalue.Check{"team": knownvalue.StringExact("fin")})),
			statecheck.ExpectKnownValue(addr, jp("has_spec"), knownvalue.Bool(true)),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: p + `
data "servicehub_service_version" "missing" {
  service = "billing"
  version = "2025-01"
}
`,
				ExpectError: errorRE(`Service version not found.*The API catalog has no version "2025-01" of service "billing"`),
			},
			{
				Config: p + `
data "servicehub_service_version" "missing" {
  id = "9f5061ce-78f6-4452-9108-ad7c02821fd5"
}
`,
				ExpectError: errorRE(`Service version not found.*has no service version with id 9f5061ce-78f6-4452-9108-ad7c02821fd5`),
			},
			{
				Config: p + `
data "servicehub_service_version" "both" {
  id      = "` + id + `"
  service = "billing"
  version = "2024-01"
}
`,
				ExpectError: errorRE(`Invalid Attribute Combination`),
			},
			{
				Config: p + `
data "servicehub_service_version" "by_name" {
  service = "billing"
  version = "2024-01"
}

data "servicehub_service_version" "by_id" {
  id = "` + id + `"
}
`,
				ConfigStateChecks: append(checks(byName), checks(byID)...),
			},
		},
	})
}
