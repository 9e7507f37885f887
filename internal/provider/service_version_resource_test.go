package provider

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

const svRes = "servicehub_service_version.test"

const openAPISpec = `openapi: 3.0.3
info:
  title: Payments
  version: v1
paths:
  /payments:
    get:
      responses:
        "200":
          description: ok
`

func serviceVersionConfig(service, version, body string) string {
	return fmt.Sprintf(`
resource "servicehub_service_version" "test" {
  service = %q
  version = %q
  %s
}
`, service, version, body)
}

// Create, in-place updates (PATCH, same id), a slug that follows a new
// version, import by id and by service:version, and a spec_content change
// made in place too (the API's version document).
func TestAccServiceVersion_lifecycle(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	p := konnectProvider(srv)
	v1 := p + serviceVersionConfig("payments", "v1", `
  description  = "Payments API"
  labels       = { team = "pay", tier = "gold" }
  spec_content = <<-EOT
`+openAPISpec+`  EOT`)
	edited := p + serviceVersionConfig("payments", "v1", `
  description  = "Payments API, edited"
  labels       = { team = "pay", env = "prod" }
  spec_content = <<-EOT
`+openAPISpec+`  EOT`)
	v2 := p + serviceVersionConfig("payments", "v2", `
  labels       = { team = "pay", env = "prod" }
  spec_content = <<-EOT
`+openAPISpec+`  EOT`)
	newSpec := p + serviceVersionConfig("payments", "v2", `
  labels       = { team = "pay", env = "prod" }
  spec_content = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"P\", \"version\": \"v2\"}, \"paths\": {}}"`)
	var firstID, specID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: v1,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(svRes, "slug", "payments-v1"),
					resource.TestCheckResourceAttr(svRes, "labels.%", "2"),
					resource.TestCheckResourceAttrSet(svRes, "created_at"),
					resource.TestCheckResourceAttr(svRes, "spec_version", "v1"),
					recordID(svRes, &firstID),
					func(s *terraform.State) error { specID = stateAttr(s, svRes, "spec_version_id"); return nil },
					checkCatalog(t, srv, svRes, func(api map[string]any) error {
						if api["name"] != "payments" || api["version"] != "v1" || api["description"] != "Payments API" ||
							api["labels"].(map[string]any)["tier"] != "gold" || api["current_version_summary"] == nil {
							return fmt.Errorf("the catalog holds %v", api)
						}
						return nil
					}),
				),
			},
			emptyPlanStep(v1),
			{
				Config: edited,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(svRes, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(svRes, "id", &firstID),
					checkCatalog(t, srv, svRes, func(api map[string]any) error {
						// The configured labels, and the create's mark, which
						// a change of labels leaves (state never shows it).
						l := api["labels"].(map[string]any)
						if api["description"] != "Payments API, edited" || len(l) != 3 || l["env"] != "prod" || l["tier"] != nil || l["servicehub-create"] == nil {
							return fmt.Errorf("the catalog holds %v", api)
						}
						return nil
					}),
				),
			},
			{
				Config: v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(svRes, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(svRes, jp("slug")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(svRes, "id", &firstID),
					resource.TestCheckResourceAttr(svRes, "slug", "payments-v2"),
					resource.TestCheckNoResourceAttr(svRes, "description"),
					checkCatalog(t, srv, svRes, func(api map[string]any) error {
						if api["version"] != "v2" || api["description"] != nil {
							return fmt.Errorf("the catalog holds %v", api)
						}
						return nil
					}),
				),
			},
			emptyPlanStep(v2),
			{
				Config: v2, ResourceName: svRes, ImportState: true, ImportStateVerify: true,
				// The catalog never returns the specification.
				ImportStateVerifyIgnore: []string{"spec_content"},
			},
			{
				Config: v2, ResourceName: svRes, ImportState: true, ImportStateId: "payments:v2",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"spec_content"},
			},
			{
				Config: newSpec,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(svRes, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(svRes, jp("spec_version")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(svRes, "id", &firstID),
					resource.TestCheckResourceAttrPtr(svRes, "spec_version_id", &specID),
					resource.TestCheckResourceAttr(svRes, "spec_version", "v2"),
					func(*terraform.State) error {
						if n := len(catalogAPIs(t, srv, "payments")); n != 1 {
							return fmt.Errorf("%d APIs named payments after the update, want 1", n)
						}
						return nil
					},
				),
			},
			emptyPlanStep(newSpec),
		},
	})
}

// Out-of-band edits show in the plan and apply restores them; a version
// deleted out of band is recreated.
func TestAccServiceVersion_drift(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	config := konnectProvider(srv) + serviceVersionConfig("orders", "v3", `
  description = "Orders"
  labels      = { team = "ord" }`)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config, Check: recordID(svRes, &id)},
			{
				PreConfig: func() {
					// As Konnect's UI edits labels: every label it shows is
					// sent (a PATCH replaces them), less team, plus owner.
					_, api := catalogCall(t, srv, http.MethodGet, "/v3/apis/"+id, nil)
					labels := api["labels"].(map[string]any)
					delete(labels, "team")
					labels["owner"] = "someone"
					status, out := catalogCall(t, srv, http.MethodPatch, "/v3/apis/"+id, map[string]any{
						"description": "changed in the UI", "labels": labels,
					})
					if status != http.StatusOK {
						t.Fatalf("out-of-band PATCH: %d %v", status, out)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(svRes, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(svRes, jp("description"), knownvalue.StringExact("Orders")),
				}},
				Check: checkCatalog(t, srv, svRes, func(api map[string]any) error {
					l := api["labels"].(map[string]any)
					if api["description"] != "Orders" || len(l) != 2 || l["team"] != "ord" || l["servicehub-create"] == nil {
						return fmt.Errorf("apply did not restore the API: %v", api)
					}
					return nil
				}),
			},
			recreatedStep(config, svRes, &id, func() {
				if status, out := catalogCall(t, srv, http.MethodDelete, "/v3/apis/"+id, nil); status != http.StatusNoContent {
					t.Fatalf("out-of-band DELETE: %d %v", status, out)
				}
			}),
			emptyPlanStep(config),
		},
	})
}

// spec_content is never returned by the catalog: it stays as configured
// (no perpetual diff, through refreshes and plans), and a specification
// removed out of band would show as a replacement.
func TestAccServiceVersion_specContent(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	config := konnectProvider(srv) + serviceVersionConfig("specs", "v1", `
  spec_content = <<-EOT
`+openAPISpec+`  EOT`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(svRes, "spec_content", openAPISpec),
					checkCatalog(t, srv, svRes, func(api map[string]any) error {
						if s, _ := api["current_version_summary"].(map[string]any); s == nil || s["spec"].(map[string]any)["type"] != "oas3" {
							return fmt.Errorf("the catalog has no oas3 specification: %v", api)
						}
						return nil
					}),
				),
			},
			{RefreshState: true},
			emptyPlanStep(config),
			emptyPlanStep(config),
		},
	})
}

// An imported version that has a specification takes the configured
// spec_content in place: the catalog cannot say whether it is the same.
func TestAccServiceVersion_importWithSpec(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	status, api := catalogCall(t, srv, http.MethodPost, "/v3/apis", map[string]any{"name": "ui-made", "version": "v1", "spec_content": openAPISpec})
	if status != http.StatusCreated {
		t.Fatalf("seeding the catalog: %d %v", status, api)
	}
	id := api["id"].(string)
	config := konnectProvider(srv) + serviceVersionConfig("ui-made", "v1", `
  spec_content = <<-EOT
`+openAPISpec+`  EOT`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config, ResourceName: svRes, ImportState: true, ImportStateId: "ui-made:v1", ImportStatePersist: true},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(svRes, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(svRes, jp("spec_content"), knownvalue.StringExact(openAPISpec)),
					statecheck.ExpectKnownValue(svRes, jp("id"), knownvalue.StringExact(id)),
				},
			},
			emptyPlanStep(config),
		},
	})
}

// Without a Konnect control plane there is no catalog: the plan fails and
// says what to do.
func TestAccServiceVersion_needsKonnect(t *testing.T) {
	t.Parallel()
	kong := startKong(t, localkong.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:             providerConfig(kong.AdminURL) + serviceVersionConfig("payments", "v1", ""),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ExpectError: errorRE(`The API catalog needs a Konnect control plane.*admin_url "` + kong.AdminURL +
				`" is not one. Set admin_url to the control plane's https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities`),
		}},
	})
}

// A version the catalog already has is refused with an import hint; bad
// labels and slugs fail at plan time.
func TestAccServiceVersion_badInput(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	status, existing := catalogCall(t, srv, http.MethodPost, "/v3/apis", map[string]any{"name": "taken", "version": "v1"})
	if status != http.StatusCreated {
		t.Fatalf("seeding the catalog: %d %v", status, existing)
	}
	p := konnectProvider(srv)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: p + serviceVersionConfig("taken", "v1", ""),
				ExpectError: errorRE(`Service version already in the catalog.*version "v1" of service "taken" \(id ` + existing["id"].(string) +
					`\).*terraform import servicehub_service_version.<name> ` + existing["id"].(string)),
			},
			{
				Config:      p + serviceVersionConfig("labels", "v1", `labels = { kong_team = "x", ok = "-bad-" }`),
				PlanOnly:    true,
				ExpectError: errorRE(`Invalid label key.*cannot start with "kong".*Invalid label value.*The value "-bad-" of label "ok"`),
			},
			{
				// The catalog's 50, one of which is the provider's.
				Config:      p + serviceVersionConfig("labels", "v1", fiftyLabels()),
				PlanOnly:    true,
				ExpectError: errorRE(`Too many labels.*labels has 50 entries; at most 49 are allowed: the API catalog's 50, less the provider's own label`),
			},
			{
				Config:      p + serviceVersionConfig("labels", "v1", `labels = { servicehub-create = "x" }`),
				PlanOnly:    true,
				ExpectError: errorRE(`Invalid label key.*"servicehub-create" is reserved for the provider, which marks the APIs it creates with it`),
			},
			{
				Config:      p + serviceVersionConfig("slug", "v1", `slug = "no spaces"`),
				PlanOnly:    true,
				ExpectError: errorRE(`Invalid slug.*must match`),
			},
		},
	})
}

// TestAccExamples_serviceVersion applies the documentation's catalog
// examples (a version with its implementation; a UI-made version looked up
// and implemented), so they cannot rot.
func TestAccExamples_serviceVersion(t *testing.T) {
	t.Parallel()
	resourceExample, err := os.ReadFile("../../examples/resources/servicehub_service_version/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	dataExample, err := os.ReadFile("../../examples/data-sources/servicehub_service_version/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	srv := startKonnect(t, localkong.Options{})
	if status, out := catalogCall(t, srv, http.MethodPost, "/v3/apis", map[string]any{"name": "orders", "version": "v2"}); status != http.StatusCreated {
		t.Fatalf("seeding the UI-made version: %d %v", status, out)
	}
	config := konnectProvider(srv) + string(resourceExample) + string(dataExample)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("servicehub_implementation.orders_v2", "service", "orders"),
					resource.TestCheckResourceAttr("servicehub_implementation.payments_v1", "version", "v1"),
					implementedBy(t, srv, "servicehub_service_version.payments_v1", "servicehub_implementation.payments_v1"),
					implementedBy(t, srv, "data.servicehub_service_version.orders_v2", "servicehub_implementation.orders_v2"),
				),
			},
			emptyPlanStep(config),
			{
				Config: config, ResourceName: "servicehub_service_version.payments_v1", ImportState: true, ImportStateId: "payments:v1",
				ImportStateVerify: true, ImportStateVerifyIgnore: []string{"spec_content"},
			},
		},
	})
}

// implementedBy checks the catalog links the version at versionAddr to the
// implementation at implAddr.
func implementedBy(t *testing.T, srv *localkong.Server, versionAddr, implAddr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		api, impl := stateAttr(s, versionAddr, "id"), stateAttr(s, implAddr, "id")
		if got := linkedService(t, srv, api); got != impl || impl == "" {
			return fmt.Errorf("%s (%s) is implemented by %q, want %s (%s)", versionAddr, api, got, implAddr, impl)
		}
		return nil
	}
}

// fiftyLabels is a labels argument with 50 entries.
func fiftyLabels() string {
	var b strings.Builder
	b.WriteString("labels = {")
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, " l%d = \"v\",", i)
	}
	return strings.TrimSuffix(b.String(), ",") + " }"
}
