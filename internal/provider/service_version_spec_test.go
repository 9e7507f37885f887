package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// specConfig is a version with labels and spec (none when ""), and its
// linked implementation.
func specConfig(p, spec string) string {
	content := ""
	if spec != "" {
		content = fmt.Sprintf("spec_content = %q", spec)
	}
	return p + fmt.Sprintf(`
resource "servicehub_service_version" "test" {
  service = "ledger"
  version = "v1"
  labels  = { team = "books" }
  %s
}

resource "servicehub_implementation" "test" {
  service_version_id = servicehub_service_version.test.id
  name               = "ledger-v1"
  url                = "http://ledger.internal"
}
`, content)
}

// A new OpenAPI document updates the version in place: only the version
// changes in the plan, the API keeps its id, labels and implementation's
// link, and its version document keeps its id with the new content and
// version. Removed, the document goes; set again, a new one is made.
func TestAccServiceVersion_specInPlace(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	p := konnectProvider(srv)
	doc := func(v string) string {
		return fmt.Sprintf(`{"openapi":"3.0.3","info":{"title":"Ledger","version":%q},"paths":{}}`, v)
	}
	const impl = "servicehub_implementation.test"
	var apiID, docID, svcID string
	// catalogDoc checks the API's version document as the catalog holds it.
	catalogDoc := func(content, version string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			if got := linkedService(t, srv, apiID); got != svcID {
				return fmt.Errorf("API %s is implemented by %q, want %s", apiID, got, svcID)
			}
			status, v := catalogCall(t, srv, http.MethodGet, "/v3/apis/"+apiID+"/versions/"+docID, nil)
			if status != http.StatusOK || v["version"] != version || v["spec"].(map[string]any)["content"] != content {
				return fmt.Errorf("version document %s: HTTP %d %v", docID, status, v)
			}
			_, api := catalogCall(t, srv, http.MethodGet, "/v3/apis/"+apiID, nil)
			if l := api["labels"].(map[string]any); len(l) != 2 || l["team"] != "books" || l["servicehub-create"] == nil {
				return fmt.Errorf("labels %v, want team and the provider's create label", l)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: specConfig(p, doc("1.0.0")),
				Check: resource.ComposeAggregateTestCheckFunc(
					recordID(svRes, &apiID),
					recordID(impl, &svcID),
					func(s *terraform.State) error { docID = stateAttr(s, svRes, "spec_version_id"); return nil },
					resource.TestCheckResourceAttr(svRes, "spec_version", "1.0.0"),
				),
			},
			{
				Config: specConfig(p, doc("1.1.0")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{svRes: plancheck.ResourceActionUpdate}),
					plancheck.ExpectUnknownValue(svRes, jp("spec_version")),
					plancheck.ExpectKnownValue(svRes, jp("id"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(svRes, jp("spec_version_id"), knownvalue.NotNull()),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(svRes, "id", &apiID),
					resource.TestCheckResourceAttrPtr(svRes, "spec_version_id", &docID),
					resource.TestCheckResourceAttr(svRes, "spec_version", "1.1.0"),
					resource.TestCheckResourceAttrPtr(impl, "service_version_id", &apiID),
					func(s *terraform.State) error { return catalogDoc(doc("1.1.0"), "1.1.0")(s) },
				),
			},
			emptyPlanStep(specConfig(p, doc("1.1.0"))),
			{
				Config: specConfig(p, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{svRes: plancheck.ResourceActionUpdate}),
					plancheck.ExpectKnownValue(svRes, jp("spec_version_id"), knownvalue.Null()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(svRes, jp("spec_version"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					if status, _ := catalogCall(t, srv, http.MethodGet, "/v3/apis/"+apiID+"/versions/"+docID, nil); status != http.StatusNotFound {
						return fmt.Errorf("the removed document: HTTP %d", status)
					}
					return nil
				},
			},
			{
				Config: specConfig(p, doc("2.0.0")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{svRes: plancheck.ResourceActionUpdate}),
					plancheck.ExpectUnknownValue(svRes, jp("spec_version_id")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(svRes, "id", &apiID),
					resource.TestCheckResourceAttr(svRes, "spec_version", "2.0.0"),
					func(s *terraform.State) error {
						if docID == stateAttr(s, svRes, "spec_version_id") {
							return fmt.Errorf("the new document has the removed one's id %s", docID)
						}
						docID = stateAttr(s, svRes, "spec_version_id")
						return catalogDoc(doc("2.0.0"), "2.0.0")(s)
					},
				),
			},
			// Deleted in Konnect: the plan puts it back, in place.
			{
				PreConfig: func() {
					if status, out := catalogCall(t, srv, http.MethodDelete, "/v3/apis/"+apiID+"/versions/"+docID, nil); status != http.StatusNoContent {
						t.Fatalf("out-of-band DELETE: %d %v", status, out)
					}
				},
				Config: specConfig(p, doc("2.0.0")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{svRes: plancheck.ResourceActionUpdate}),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(svRes, "id", &apiID),
					resource.TestCheckResourceAttr(svRes, "spec_version", "2.0.0"),
				),
			},
			emptyPlanStep(specConfig(p, doc("2.0.0"))),
		},
	})
}
