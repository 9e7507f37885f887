package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

const pluginRes = "servicehub_plugin.test"

// pluginConfig is an implementation (and a route) with one plugin on it;
// body is the plugin block's body besides its scope.
func pluginConfig(k *pluginKong, scope, body string) string {
	return providerConfig(k.AdminURL) + k.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service = "plugged"
  version = "v1"
  name    = "plugged-v1"
  url     = "http://plugged.internal/"
}

resource "servicehub_route" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "plugged-v1"
  paths             = ["/plugged"]
}

resource "servicehub_plugin" "test" {
  %s
%s
}
`, scope, body))
}

const onImpl = "implementation_id = servicehub_implementation.test.id"
const onRoute = "route_id = servicehub_route.test.id"

// kongPlugin is the plugin Kong holds under the id the state records.
func (pk *pluginKong) kongPlugin(t *testing.T, s *terraform.State) map[string]any {
	t.Helper()
	id := s.RootModule().Resources[pluginRes].Primary.ID
	var p map[string]any
	if status := pk.call(t, http.MethodGet, "/plugins/"+id, nil, &p); status != http.StatusOK {
		t.Fatalf("GET /plugins/%s: HTTP %d", id, status)
	}
	return p
}

// patchPlugin changes config keys of the plugin Kong holds, behind
// Terraform's back (a PUT of what Kong holds, changed).
func (pk *pluginKong) patchPlugin(t *testing.T, id string, change func(p map[string]any)) {
	t.Helper()
	var p map[string]any
	pk.call(t, http.MethodGet, "/plugins/"+id, nil, &p)
	change(p)
	delete(p, "updated_at")
	if status := pk.call(t, http.MethodPut, "/plugins/"+id, p, nil); status != http.StatusOK {
		t.Fatalf("PUT /plugins/%s: HTTP %d", id, status)
	}
}

func pluginConfigOf(p map[string]any) map[string]any { c, _ := p["config"].(map[string]any); return c }

// expectConfigKeys is a plan check: the plan updates addr in place and
// its config (or config_sensitive, shown only as changed) changes at
// exactly the given keys (dotted for nested ones).
func expectConfigKeys(addr, attr string, keys ...string) plancheck.PlanCheck {
	return planCheck(func(req plancheck.CheckPlanRequest) error {
		for _, rc := range req.Plan.ResourceChanges {
			if rc.Address != addr {
				continue
			}
			if !rc.Change.Actions.Update() {
				return fmt.Errorf("%s: actions %v, want an update in place", addr, rc.Change.Actions)
			}
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			var got []string
			diffKeys(before[attr], after[attr], "", &got)
			sort.Strings(got)
			want := append([]string{}, keys...)
			sort.Strings(want)
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				return fmt.Errorf("%s: %s changes at %v, want exactly %v (before %v, after %v)", addr, attr, got, want, before[attr], after[attr])
			}
			return nil
		}
		return fmt.Errorf("%s: not in the plan", addr)
	})
}

func diffKeys(a, b any, at string, out *[]string) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		if !reflect.DeepEqual(a, b) {
			*out = append(*out, strings.TrimPrefix(at, "."))
		}
		return
	}
	for k := range union2(am, bm) {
		diffKeys(am[k], bm[k], at+"."+k, out)
	}
}

func union2(a, b map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

type planCheck func(plancheck.CheckPlanRequest) error

func (f planCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req)
}

// TestAccPlugin_lifecycle: create (one PUT, Kong fills the defaults, the
// state keeps the configuration as written), empty re-plan, import and
// verify, an in-place update, out-of-band edits of a written key and of a
// default (each planned as exactly that key, applying restores), a key
// removed returning to its default, and the plugin deleted behind
// Terraform's back planned as a create.
func TestAccPlugin_lifecycle(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged")
	v1 := pluginConfig(k, onImpl, `  name   = "rate-limiting"
  config = { minute = 3, hour = 100 }`)
	v2 := pluginConfig(k, onImpl, `  name   = "rate-limiting"
  config = { minute = 5, hour = 100, policy = "local" }`)
	v3 := pluginConfig(k, onImpl, `  name   = "rate-limiting"
  config = { minute = 5, policy = "local" }`)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if ps := k.kongPlugins(t); len(ps) != 0 {
				return fmt.Errorf("Kong still holds %d plugins", len(ps))
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: v1,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pluginRes, jp("config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"minute": knownvalue.Int64Exact(3), "hour": knownvalue.Int64Exact(100),
					})),
					statecheck.ExpectKnownValue(pluginRes, jp("config_sensitive"), knownvalue.Null()),
					statecheck.ExpectKnownValue(pluginRes, jp("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(pluginRes, jp("protocols"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[pluginRes].Primary.ID
					p := k.kongPlugin(t, s)
					c := pluginConfigOf(p)
					if c["minute"] != 3.0 || c["hour"] != 100.0 || c["policy"] != "local" || c["fault_tolerant"] != true || c["limit_by"] != "consumer" {
						return fmt.Errorf("Kong holds config %v, want minute 3, hour 100 and the defaults", c)
					}
					if refID(p["service"]) != s.RootModule().Resources[res].Primary.ID || p["route"] != nil {
						return fmt.Errorf("Kong's plugin is on service %v, route %v", p["service"], p["route"])
					}
					return nil
				},
			},
			emptyPlanStep(v1),
			{ResourceName: pluginRes, ImportState: true, ImportStateVerify: true},
			{
				Config: v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectConfigKeys(pluginRes, "config", "minute", "policy")},
				},
				Check: func(s *terraform.State) error {
					if c := pluginConfigOf(k.kongPlugin(t, s)); c["minute"] != 5.0 {
						return fmt.Errorf("Kong holds minute %v, want 5", c["minute"])
					}
					if got := s.RootModule().Resources[pluginRes].Primary.ID; got != id {
						return fmt.Errorf("replaced (%s → %s), want an update in place", id, got)
					}
					return nil
				},
			},
			{
				// A written key changed in Kong: the plan shows it, and only it.
				PreConfig: func() { k.patchPlugin(t, id, func(p map[string]any) { pluginConfigOf(p)["minute"] = 7.0 }) },
				Config:    v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectConfigKeys(pluginRes, "config", "minute")},
				},
				Check: func(s *terraform.State) error {
					if c := pluginConfigOf(k.kongPlugin(t, s)); c["minute"] != 5.0 {
						return fmt.Errorf("Kong holds minute %v after the apply, want 5 again", c["minute"])
					}
					return nil
				},
			},
			{
				// A default nobody wrote, turned off in Kong (someone in a
				// UI): the plan shows that key, the apply restores it.
				PreConfig: func() { k.patchPlugin(t, id, func(p map[string]any) { pluginConfigOf(p)["fault_tolerant"] = false }) },
				Config:    v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectConfigKeys(pluginRes, "config", "fault_tolerant")},
				},
				Check: func(s *terraform.State) error {
					if c := pluginConfigOf(k.kongPlugin(t, s)); c["fault_tolerant"] != true {
						return fmt.Errorf("Kong holds fault_tolerant %v after the apply, want the default (true)", c["fault_tolerant"])
					}
					return nil
				},
			},
			{
				// A key removed from the configuration returns to its
				// default: the write replaces the whole config.
				Config: v3,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectConfigKeys(pluginRes, "config", "hour")},
				},
				Check: func(s *terraform.State) error {
					if c := pluginConfigOf(k.kongPlugin(t, s)); c["hour"] != nil {
						return fmt.Errorf("Kong holds hour %v, want null (its default)", c["hour"])
					}
					return nil
				},
			},
			emptyPlanStep(v3),
			{
				PreConfig: func() {
					if status := k.call(t, http.MethodDelete, "/plugins/"+id, nil, nil); status != http.StatusNoContent {
						t.Fatalf("DELETE: HTTP %d", status)
					}
				},
				Config: v3,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(pluginRes, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// jsonString renders v for messages.
func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }
