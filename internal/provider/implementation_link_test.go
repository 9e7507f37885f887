package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// linkedConfig is two catalog versions of "payments" and an
// implementation linked to one of them (by its resource name), with a
// route; body adds to the implementation.
func linkedConfig(p, version, body string) string {
	return p + fmt.Sprintf(`
resource "servicehub_service_version" "v1" {
  service = "payments"
  version = "v1"
}

resource "servicehub_service_version" "v2" {
  service = "payments"
  version = "v2"
}

resource "servicehub_implementation" "test" {
  name = "payments-impl"
  url  = "http://payments.internal/"
  %s
  %s
}

resource "servicehub_route" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "payments-impl"
  paths             = ["/payments"]
}
`, version, body)
}

// linkedTo checks that the implementation is the catalog implementation of
// the version resource at versionAddr, and that no other link exists.
func linkedTo(t *testing.T, srv *localkong.Server, versionAddr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if err := implementedBy(t, srv, versionAddr, res)(s); err != nil {
			return err
		}
		if n := len(catalogLinks(t, srv, "")); n != 1 {
			return fmt.Errorf("the catalog holds %d links, want 1", n)
		}
		return nil
	}
}

// Link, relink without recreating the Gateway Service, link drift (removed,
// moved), import, unlink, and destroy removing the link then the service.
func TestAccImplementationLink_lifecycle(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	p := konnectProvider(srv)
	kc := konnectKong(t, srv)
	onV1 := linkedConfig(p, `service_version_id = servicehub_service_version.v1.id`, "")
	onV2 := linkedConfig(p, `service_version_id = servicehub_service_version.v2.id`, "")
	unlinked := linkedConfig(p, "service = \"payments\"\n  version = \"v2\"", "")
	var implID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if links := catalogLinks(t, srv, ""); len(links) != 0 {
				return fmt.Errorf("links left after destroy: %v", links)
			}
			if svcs, err := kc.Services.ListAll(context.Background()); err != nil || len(svcs) != 0 {
				return fmt.Errorf("Gateway Services left after destroy: %d (%v)", len(svcs), err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: onV1,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "service", "payments"),
					resource.TestCheckResourceAttr(res, "version", "v1"),
					resource.TestCheckResourceAttrPair(res, "service_version_id", "servicehub_service_version.v1", "id"),
					recordID(res, &implID),
					linkedTo(t, srv, "servicehub_service_version.v1"),
					checkKong(kc, "payments-impl", func(s *kong.Service) error {
						// The create's token (servicehub:create=…) goes at the first update.
						if tags := strings.Join(kongTags(s), ","); !strings.HasPrefix(tags, "servicehub:service=payments,servicehub:version=v1") {
							return fmt.Errorf("tags %s", tags)
						}
						return nil
					}),
				),
			},
			emptyPlanStep(onV1),
			{
				Config: onV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(res, "id", &implID),
					resource.TestCheckResourceAttr(res, "version", "v2"),
					linkedTo(t, srv, "servicehub_service_version.v2"),
				),
			},
			// The link removed out of band: the plan shows it, apply restores it.
			{
				PreConfig: func() { unlinkOutOfBand(t, srv, implID) },
				Config:    onV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				Check: linkedTo(t, srv, "servicehub_service_version.v2"),
			},
			// Moved to another version out of band: moved back.
			{
				PreConfig: func() {
					unlinkOutOfBand(t, srv, implID)
					v1 := catalogAPI(t, srv, "payments", "v1")
					linkOutOfBand(t, srv, v1, implID)
				},
				Config: onV2,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
				Check: linkedTo(t, srv, "servicehub_service_version.v2"),
			},
			emptyPlanStep(onV2),
			// The Gateway Service (and its route) deleted out of band: the
			// catalog drops its link; the plan recreates both, linked again.
			recreatedStep(onV2, res, &implID, func() {
				ctx := context.Background()
				if err := kc.Routes.Delete(ctx, kong.String("payments-impl")); err != nil {
					t.Fatal(err)
				}
				if err := kc.Services.Delete(ctx, kong.String(implID)); err != nil {
					t.Fatal(err)
				}
			}),
			{Config: onV2, Check: resource.ComposeAggregateTestCheckFunc(recordID(res, &implID), linkedTo(t, srv, "servicehub_service_version.v2"))},
			{
				// The read after an import records the link the catalog holds.
				Config: onV2, ResourceName: res, ImportState: true, ImportStateVerify: true,
			},
			{
				Config: unlinked,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(res, "id", &implID),
					resource.TestCheckNoResourceAttr(res, "service_version_id"),
					func(*terraform.State) error {
						if links := catalogLinks(t, srv, ""); len(links) != 0 {
							return fmt.Errorf("still linked: %v", links)
						}
						return nil
					},
				),
			},
			emptyPlanStep(unlinked),
			{Config: onV1, Check: linkedTo(t, srv, "servicehub_service_version.v1")},
		},
	})
}

func konnectKong(t *testing.T, srv *localkong.Server) *kong.Client {
	t.Helper()
	c, err := kong.NewClient(kong.String(srv.ControlPlaneURL("")), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDoer(func(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
		req.Header.Set("Authorization", "Bearer "+konnectToken)
		return hc.Do(req.WithContext(ctx))
	})
	return c
}

func catalogAPI(t *testing.T, srv *localkong.Server, name, version string) string {
	t.Helper()
	for _, a := range catalogAPIs(t, srv, name) {
		if a["version"] == version {
			return a["id"].(string)
		}
	}
	t.Fatalf("no API %s %s", name, version)
	return ""
}

func unlinkOutOfBand(t *testing.T, srv *localkong.Server, serviceID string) {
	t.Helper()
	for _, l := range catalogLinks(t, srv, "filter[service_id][eq]="+serviceID) {
		path := fmt.Sprintf("/v3/apis/%s/implementations/%s", l["api_id"], l["id"])
		if status, out := catalogCall(t, srv, http.MethodDelete, path, nil); status != http.StatusNoContent {
			t.Fatalf("unlinking: %d %v", status, out)
		}
	}
}

func linkOutOfBand(t *testing.T, srv *localkong.Server, apiID, serviceID string) {
	t.Helper()
	body := map[string]any{"service": map[string]any{"control_plane_id": srv.ControlPlaneID, "id": serviceID}}
	if status, out := catalogCall(t, srv, http.MethodPost, "/v3/apis/"+apiID+"/implementations", body); status != http.StatusCreated {
		t.Fatalf("linking: %d %v", status, out)
	}
}

// createService makes a Gateway Service behind the provider's back.
func createService(t *testing.T, kc *kong.Client, name string) string {
	t.Helper()
	s, err := kc.Services.Create(context.Background(), &kong.Service{Name: kong.String(name), Host: kong.String(name + ".internal")})
	if err != nil {
		t.Fatal(err)
	}
	return *s.ID
}

// The catalog's refusals, each an error on service_version_id that says
// what to do: a version implemented by another Gateway Service (found at
// plan, and, when another run links it between the check and the link, at
// apply, where the Gateway Service written is deleted again and nothing
// is kept in state); a Gateway Service linked to another API; a version
// that does not exist; values that disagree with the catalog; no Konnect.
func TestAccImplementationLink_refused(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	kc := konnectKong(t, srv)
	p := konnectProvider(srv)
	seed := func(version string) string {
		status, out := catalogCall(t, srv, http.MethodPost, "/v3/apis", map[string]any{"name": "orders", "version": version})
		if status != http.StatusCreated {
			t.Fatalf("seeding: %d %v", status, out)
		}
		return out["id"].(string)
	}
	taken, raced, free, other := seed("v1"), seed("v2"), seed("v3"), seed("v4")
	linkOutOfBand(t, srv, taken, createService(t, kc, "orders-ui"))
	impl := func(versionID, extra string) string {
		return p + fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service_version_id = %q
  name               = "orders-mine"
  url                = "http://orders.internal/"
  %s
}
`, versionID, extra)
	}

	// Another run links the version between this run's check and its link:
	// the hook runs when the provider's link request arrives.
	var once, once2 sync.Once
	hook(t, srv, &localkong.Faults{Latency: time.Nanosecond, Match: func(r *http.Request) bool {
		if r.Method == http.MethodPost && r.URL.Path == "/v3/apis/"+raced+"/implementations" && r.Header.Get("X-Test") == "" {
			once.Do(func() { linkOutOfBand(t, srv, raced, createService(t, kc, "orders-racer")) })
		}
		return false
	}})
	// Checked before the next step, as a step expecting an error runs no
	// checks.
	noMine := func() {
		if _, err := kc.Services.Get(context.Background(), kong.String("orders-mine")); !kong.IsNotFoundErr(err) {
			t.Fatalf("the refused create left Gateway Service orders-mine behind (%v)", err)
		}
		if racer, err := kc.Services.Get(context.Background(), kong.String("orders-racer")); err != nil || linkedService(t, srv, raced) != *racer.ID {
			t.Fatalf("the race did not happen as staged: %v", err)
		}
	}
	var mineID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: impl(taken, ""),
				ExpectError: errorRE(`Service version already implemented.*Version "v1" of service "orders" \(id ` + taken +
					`\) is already implemented in the API catalog by Gateway Service "orders-ui".*terraform import servicehub_implementation.<name> orders-ui`),
			},
			{
				Config:      impl(raced, ""),
				ExpectError: errorRE(`already implemented in the API catalog by Gateway Service "orders-racer".*Nothing was kept: the Gateway Service written before the link was deleted again`),
			},
			{
				PreConfig: noMine,
				// Nothing in state: the plan creates it (and the check passes
				// for a version nobody implements).
				Config: impl(free, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
				}},
				Check: recordID(res, &mineID),
			},
			{
				// Linked to another API behind our back while moving: the
				// catalog refuses the second link.
				PreConfig: func() {
					hook(t, srv, &localkong.Faults{Latency: time.Nanosecond, Match: func(r *http.Request) bool {
						if r.Method == http.MethodPost && r.URL.Path == "/v3/apis/"+other+"/implementations" && r.Header.Get("X-Test") == "" {
							once2.Do(func() { linkOutOfBand(t, srv, free, mineID) })
						}
						return false
					}})
				},
				Config: impl(other, ""),
				ExpectError: errorRE(`Gateway Service linked to another API.*Gateway Service ` + `[0-9a-f-]+` +
					` is already linked to version "v3" of service "orders" \(id ` + free + `\)`),
			},
			{
				Config:      impl(uuid.NewString(), ""),
				PlanOnly:    true,
				ExpectError: errorRE(`Service version not found.*has no service version with id`),
			},
			{
				Config:      impl(free, `service = "payments"`),
				PlanOnly:    true,
				ExpectError: errorRE(`The service disagrees with service_version_id.*service is "payments", but service version ` + free + ` in the API catalog is version "v3" of service "orders"`),
			},
		},
	})
}

// hook installs f, whose Match runs test code as requests arrive. The
// test's own requests carry X-Test, so a hook can tell them apart.
func hook(t *testing.T, srv *localkong.Server, f *localkong.Faults) {
	t.Helper()
	if err := srv.SetFaults(f); err != nil {
		t.Fatal(err)
	}
}

// The catalog cannot find the Gateway Service (400 missing_reference):
// here konnect_url names another Konnect than admin_url. The create deletes
// the Gateway Service it wrote, and keeps nothing in state.
func TestAccImplementationLink_missingService(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	elsewhere := startKonnect(t, localkong.Options{})
	status, api := catalogCall(t, elsewhere, http.MethodPost, "/v3/apis", map[string]any{"name": "inv", "version": "v1"})
	if status != http.StatusCreated {
		t.Fatalf("seeding: %d %v", status, api)
	}
	kc := konnectKong(t, srv)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: konnectProvider(srv, fmt.Sprintf("konnect_url = %q", elsewhere.AdminURL)) + fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service_version_id = %q
  name               = "inv-v1"
  url                = "http://inv.internal/"
}
`, api["id"]),
				ExpectError: errorRE(`Gateway Service not found by the catalog.*Check that konnect_url \(or KONNECT_SERVER_URL\), when set, names the same Konnect organization.*Nothing was kept`),
			},
		},
	})
	if svcs, err := kc.Services.ListAll(context.Background()); err != nil || len(svcs) != 0 {
		t.Fatalf("Gateway Services left: %d (%v)", len(svcs), err)
	}
	if n := srv.RequestCounts()["POST"]; n != 1 {
		t.Fatalf("%d POSTs to admin_url's control plane, want the one create that was undone", n)
	}
}

// A Kong Gateway has no catalog to link in, nor to read a version from:
// the plan fails.
func TestAccImplementationLink_needsKonnect(t *testing.T) {
	t.Parallel()
	kong := startKong(t, localkong.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: providerConfig(kong.AdminURL) + `
resource "servicehub_implementation" "test" {
  service_version_id = "9f5061ce-78f6-4452-9108-ad7c02821fd5"
  name               = "x"
  url                = "http://x.internal/"
}
`,
			PlanOnly:    true,
			ExpectError: errorRE(`The API catalog needs a Konnect control plane.*is not one`),
		}, {
			Config: providerConfig(kong.AdminURL) + `
resource "servicehub_implementation" "test" {
  name = "x"
  url  = "http://x.internal/"
}
`,
			PlanOnly:    true,
			ExpectError: errorRE(`Missing service.*service is required unless service_version_id is set.*Missing version`),
		}, {
			Config: providerConfig(kong.AdminURL) + `
data "servicehub_version_status" "test" {
  service_version_id = "9f5061ce-78f6-4452-9108-ad7c02821fd5"
}
`,
			PlanOnly:    true,
			ExpectError: errorRE(`The API catalog needs a Konnect control plane.*is not one`),
		}},
	})
}

// A version whose spec_content changes is updated in place: the API keeps
// its id and its link to the same Gateway Service, which the plan leaves
// alone, and the catalog holds one API. (It was replaced, and the link
// moved along.)
func TestAccImplementationLink_versionSpecChanged(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	config := func(title string) string {
		return konnectProvider(srv) + fmt.Sprintf(`
resource "servicehub_service_version" "v1" {
  service      = "specced"
  version      = "v1"
  spec_content = jsonencode({ openapi = "3.0.3", info = { title = %q, version = "v1" }, paths = {} })
}

resource "servicehub_implementation" "test" {
  service_version_id = servicehub_service_version.v1.id
  name               = "specced-v1"
  url                = "http://specced.internal/"
}
`, title)
	}
	var implID, apiID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config("A"), Check: resource.ComposeAggregateTestCheckFunc(
				recordID(res, &implID), recordID("servicehub_service_version.v1", &apiID), linkedTo(t, srv, "servicehub_service_version.v1"))},
			{
				Config: config("B"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("servicehub_service_version.v1", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(res, "id", &implID),
					resource.TestCheckResourceAttrPtr("servicehub_service_version.v1", "id", &apiID),
					linkedTo(t, srv, "servicehub_service_version.v1"),
					func(s *terraform.State) error {
						if n := len(catalogAPIs(t, srv, "specced")); n != 1 {
							return fmt.Errorf("%d APIs named specced, want 1", n)
						}
						return nil
					},
				),
			},
			emptyPlanStep(config("B")),
		},
	})
}
