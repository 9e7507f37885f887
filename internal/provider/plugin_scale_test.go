package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// pluginFleet is n implementations, each with a rate-limiting and a cors
// plugin; minute sets the rate limit of all of them.
func pluginFleet(provider string, n, minute int) string {
	return provider + fmt.Sprintf(`
resource "servicehub_implementation" "pf" {
  count   = %[1]d
  service = "pf-${count.index}"
  version = "v1"
  name    = "pf-${count.index}"
  url     = "http://pf-${count.index}.internal/"
}

resource "servicehub_plugin" "limit" {
  count             = %[1]d
  implementation_id = servicehub_implementation.pf[count.index].id
  name              = "rate-limiting"
  config            = { minute = %[2]d, policy = "local", hide_client_headers = true }
}

resource "servicehub_plugin" "cors" {
  count             = %[1]d
  implementation_id = servicehub_implementation.pf[count.index].id
  name              = "cors"
  config            = { origins = ["https://pf-${count.index}.example"], methods = ["GET", "POST"] }
}
`, n, minute)
}

// TestAccPlugin_requestBudget counts the Admin API requests of a fleet of
// 50 implementations and 100 plugins: a no-op plan sends at most 8 (the
// run's direct reads, then one listing of services and one of plugins:
// the plugins' readings are recognised from their fingerprint in private
// state, so no schema is read); a plugin's create is one PUT; the update
// of one plugin is one PUT plus the read of its schema for the plan's
// check.
func TestAccPlugin_requestBudget(t *testing.T) {
	t.Parallel()
	skipExternal(t, "counts Admin API requests")
	const n = 50
	k := startPluginKong(t, localkong.Options{})
	provider := providerConfig(k.AdminURL)
	config := pluginFleet(provider, n, 3)
	expect := func(what string, want int64, kinds map[string]int64) error {
		got := k.Requests()
		byKind := k.RequestKinds()
		t.Logf("%s: %d Admin API requests %v", what, got, byKind)
		k.Reset()
		if want >= 0 && got > want {
			return fmt.Errorf("%s: %d Admin API requests, want at most %d (%v)", what, got, want, byKind)
		}
		for kind, n := range kinds {
			if byKind[kind] != n {
				return fmt.Errorf("%s: %d %s, want %d (%v)", what, byKind[kind], kind, n, byKind)
			}
		}
		return nil
	}
	onePlugin := strings.Replace(config, `"https://pf-${count.index}.example"`, `count.index == 7 ? "https://seven.example" : "https://pf-${count.index}.example"`, 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig: k.Reset,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// The plan checks the two plugins against their schemas.
					PreApply: []plancheck.PlanCheck{checkFunc(func() error {
						return expect("plan of the create", 2, map[string]int64{"GET /schemas/plugins/{name}": 2})
					})},
				},
				// Every plugin create is one PUT; the apply's own pass over
				// the plan reads each schema again (a provider process per
				// Terraform walk).
				Check: func(*terraform.State) error {
					return expect("create", -1, map[string]int64{"PUT /plugins/{id}": 2 * n, "GET /schemas/plugins/{name}": 2, "GET /plugins/{id}": 0})
				},
			},
			{
				PreConfig: k.Reset,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error {
						return expect("no-op plan", 8, map[string]int64{"GET /plugins": 1, "GET /schemas/plugins/{name}": 0})
					})},
				},
			},
			{
				PreConfig: k.Reset,
				Config:    onePlugin,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("servicehub_plugin.cors[7]", plancheck.ResourceActionUpdate),
						checkFunc(func() error {
							return expect("plan of one plugin's update", int64(kongapi.DirectReads+2+1), map[string]int64{"GET /schemas/plugins/{name}": 1})
						}),
					},
				},
			},
		},
	})
}

// TestAccPlugin_faults applies, updates and destroys 10 implementations
// with 20 plugins while a fifth of the Admin API requests fail (429, 502,
// 503, connections dropped before or after the request was handled): Kong
// ends up holding exactly the configured plugins each time.
func TestAccPlugin_faults(t *testing.T) {
	t.Parallel()
	skipExternal(t, "injects faults")
	const n = 10
	k := startPluginKong(t, localkong.Options{})
	k.SetPluginFaults(0.2, 4)
	provider := providerConfig(k.AdminURL, "max_retries = 4")
	holds := func(minute int) func(*terraform.State) error {
		return func(*terraform.State) error {
			ps := k.kongPlugins(t)
			count := map[string]int{}
			for _, p := range ps {
				count[p["name"].(string)]++
				c := pluginConfigOf(p)
				if p["name"] == "rate-limiting" && (c["minute"] != float64(minute) || c["hide_client_headers"] != true) {
					return fmt.Errorf("a rate-limiting plugin holds %s, want minute %d", jsonString(c), minute)
				}
			}
			if len(ps) != 2*n || count["rate-limiting"] != n || count["cors"] != n {
				return fmt.Errorf("Kong holds %d plugins %v, want %d of each", len(ps), count, n)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if ps := k.kongPlugins(t); len(ps) != 0 {
				return fmt.Errorf("Kong still holds %d plugins", len(ps))
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: pluginFleet(provider, n, 3), Check: holds(3)},
			{Config: pluginFleet(provider, n, 4), Check: holds(4)},
		},
	})
	injected := k.FaultsInjected()
	t.Logf("faults injected: %v", injected)
	for _, kind := range wrapFaultKinds {
		if injected[kind] == 0 {
			t.Errorf("no %s fault was injected; the test did not exercise it", kind)
		}
	}
}

// TestAccPlugin_konnect: a plugin on a Konnect control plane's
// implementation (core entities under the control plane's prefix), read
// back with no diff, updated, imported.
func TestAccPlugin_konnect(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{Konnect: true, AdminToken: konnectToken})
	cp := strings.Replace(k.Server.ControlPlaneURL(""), k.Server.AdminURL, k.AdminURL, 1)
	provider := providerConfig(cp, fmt.Sprintf("konnect_token = %q", konnectToken))
	config := func(minute int) string {
		return provider + fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service = "konnected"
  version = "v1"
  name    = "konnected-v1"
  url     = "http://konnected.internal/"
}

resource "servicehub_plugin" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "rate-limiting"
  config            = { minute = %d }
  config_sensitive  = jsonencode({ redis = { password = "konnect-secret" } })
}
`, minute)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(3),
				Check: func(*terraform.State) error {
					var page struct{ Data []map[string]any }
					k.call(t, "GET", strings.TrimPrefix(cp, k.AdminURL)+"/plugins", nil, &page)
					if len(page.Data) != 1 || pluginConfigOf(page.Data[0])["minute"] != 3.0 {
						return fmt.Errorf("the control plane holds %s", jsonString(page.Data))
					}
					return nil
				},
			},
			emptyPlanStep(config(3)),
			{Config: config(4), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectConfigKeys(pluginRes, "config", "minute")}}},
			{ResourceName: pluginRes, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"config_sensitive"}},
		},
	})
}
