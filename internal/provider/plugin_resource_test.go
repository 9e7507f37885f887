package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
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

// TestAccPlugin_shapes: the read rule over Kong's types. A set written in
// one order and held in another, a nested record, an array of records with
// defaults inside, empty and null: no diff after the apply. Out of band, a
// set reordered is no change, a set changed is a change of that key, a
// nested default changed shows as that nested key.
func TestAccPlugin_shapes(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged")
	config := pluginConfig(k, onImpl, `  name   = "jwt"
  config = {
    header_names     = ["x-jwt", "authorization"]
    claims_to_verify = ["nbf", "exp"]
    cookie_names     = []
  }`) + `
resource "servicehub_plugin" "redis" {
  route_id = servicehub_route.test.id
  name     = "rate-limiting"
  config = {
    minute = 10
    policy = "redis"
    redis  = { host = "redis.internal", database = 2 }
  }
}

resource "servicehub_plugin" "metrics" {
  route_id = servicehub_route.test.id
  name     = "datadog"
  config = {
    metrics = [
      { name = "latency", stat_type = "timer", tags = ["app:kong"] },
      { name = "request_count", stat_type = "counter", sample_rate = 1 },
    ]
  }
}

resource "servicehub_plugin" "cors" {
  route_id = servicehub_route.test.id
  name     = "cors"
  config   = { origins = [], exposed_headers = null }
}
`
	idOf := func(s *terraform.State, addr string) string { return s.RootModule().Resources[addr].Primary.ID }
	var jwtID, redisID, metricsID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					jwtID, redisID, metricsID = idOf(s, pluginRes), idOf(s, "servicehub_plugin.redis"), idOf(s, "servicehub_plugin.metrics")
					return nil
				},
			},
			emptyPlanStep(config),
			{
				// Kong hands the set back in another order: nothing to do.
				PreConfig: func() {
					k.patchPlugin(t, jwtID, func(p map[string]any) {
						pluginConfigOf(p)["header_names"] = []any{"authorization", "x-jwt"}
						pluginConfigOf(p)["claims_to_verify"] = []any{"exp", "nbf"}
					})
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					k.patchPlugin(t, jwtID, func(p map[string]any) { pluginConfigOf(p)["header_names"] = []any{"authorization"} })
					k.patchPlugin(t, redisID, func(p map[string]any) {
						pluginConfigOf(p)["redis"].(map[string]any)["timeout"] = 5000.0
					})
					k.patchPlugin(t, metricsID, func(p map[string]any) {
						pluginConfigOf(p)["metrics"].([]any)[1].(map[string]any)["consumer_identifier"] = "username"
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectConfigKeys(pluginRes, "config", "header_names"),
						expectConfigKeys("servicehub_plugin.redis", "config", "redis.timeout"),
						expectConfigKeys("servicehub_plugin.metrics", "config", "metrics"),
						plancheck.ExpectResourceAction("servicehub_plugin.cors", plancheck.ResourceActionNoop),
					},
				},
				Check: func(s *terraform.State) error {
					var p map[string]any
					k.call(t, http.MethodGet, "/plugins/"+redisID, nil, &p)
					if r := pluginConfigOf(p)["redis"].(map[string]any); r["timeout"] != 2000.0 || r["database"] != 2.0 {
						return fmt.Errorf("redis after the apply: %v, want the default timeout back and database 2", r)
					}
					return nil
				},
			},
			emptyPlanStep(config),
		},
	})
}

// TestAccPlugin_moveAndDisable: a plugin moves from the implementation to
// its route in place, is disabled, gets protocols and tags, and each reads
// back as written.
func TestAccPlugin_moveAndDisable(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged", "plugged-cors")
	body := `  name   = "cors"
  config = { origins = ["https://example.com"] }`
	v1 := pluginConfig(k, onImpl, body)
	v2 := pluginConfig(k, onRoute, body+`
  enabled   = false
  protocols = ["https", "http"]
  tags      = ["team-a"]
  instance_name = "plugged-cors"`)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: v1, Check: func(s *terraform.State) error { id = s.RootModule().Resources[pluginRes].Primary.ID; return nil }},
			{
				Config: v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(pluginRes, plancheck.ResourceActionUpdate)},
				},
				Check: func(s *terraform.State) error {
					p := k.kongPlugin(t, s)
					if got := s.RootModule().Resources[pluginRes].Primary.ID; got != id {
						return fmt.Errorf("replaced, want moved in place")
					}
					if refID(p["route"]) != s.RootModule().Resources[routeRes].Primary.ID || p["service"] != nil {
						return fmt.Errorf("Kong's plugin is on service %v, route %v; want the route only", p["service"], p["route"])
					}
					if p["enabled"] != false || !sameSet(p["protocols"], "http", "https") || p["instance_name"] != k.n("plugged-cors") {
						return fmt.Errorf("Kong holds %s", jsonString(p))
					}
					tags, _ := p["tags"].([]any)
					var create bool
					for _, tag := range tags {
						create = create || strings.HasPrefix(tag.(string), "servicehub:create=")
					}
					if len(tags) != 2 || tags[0] != "team-a" || !create {
						return fmt.Errorf("Kong's tags %v: want team-a and the create token, kept across the update", tags)
					}
					return nil
				},
			},
			emptyPlanStep(v2),
			{ResourceName: pluginRes, ImportState: true, ImportStateVerify: true},
			// By instance name too.
			{ResourceName: pluginRes, ImportState: true, ImportStateId: k.n("plugged-cors"), ImportStateVerify: true},
			{
				// Protocols set outside Terraform when the configuration
				// leaves them to the default: shown, and restored.
				Config: v1,
				Check: func(s *terraform.State) error {
					if p := k.kongPlugin(t, s); !sameSet(p["protocols"], "grpc", "grpcs", "http", "https") {
						return fmt.Errorf("protocols %v, want the plugin's default back", p["protocols"])
					}
					return nil
				},
			},
			{
				PreConfig: func() { k.patchPlugin(t, id, func(p map[string]any) { p["protocols"] = []any{"https"} }) },
				Config:    v1,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(pluginRes, plancheck.ResourceActionUpdate)},
				},
			},
			emptyPlanStep(v1),
		},
	})
}

// TestAccPlugin_badInput: what the runtime group's schema rejects fails
// the plan, at the config path, and nothing is written.
func TestAccPlugin_badInput(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged")
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: pluginConfig(k, onImpl, body), PlanOnly: true, ExpectError: errorRE(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			step(`name = "rate-limting"
  config = { minute = 3 }`, `Unknown plugin.*no plugin named "rate-limting"; the closest enabled plugins are "rate-limiting"`),
			step(`name = "rate-limiting"
  config = { policy = "local" }`, `Invalid config.*at least one of these fields must be non-empty: 'config.second', 'config.minute'`),
			step(`name = "rate-limiting"
  config = { minute = "three" }`, `Invalid config.*Kong would reject config.minute: expected a number`),
			step(`name = "rate-limiting"
  config = { minute = 3, minutes = 4 }`, `Kong would reject config.minutes: unknown field`),
			step(`name = "rate-limiting"
  config = { minute = 3, policy = "redis" }`, `Kong would reject config.redis.host: required field missing`),
			step(`name = "rate-limiting"
  config = jsonencode({ minute = 3 })`, `config must be an object`),
			step(`name = "acl"
  config = { allow = ["a"], deny = ["b"] }`, `exactly one of these fields must be non-empty: 'config.allow', 'config.deny'`),
			step(`name = "rate-limiting"
  route_id = servicehub_route.test.id
  config = { minute = 3 }`, `implementation_id and route_id are both set`),
			{
				// A secret written in config: a warning, not an error.
				Config: pluginConfig(k, onImpl, `name = "rate-limiting"
  config = { minute = 3, policy = "redis", redis = { host = "r", password = "in-the-open" } }`),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	if n := len(k.kongPlugins(t)); n != 0 {
		t.Errorf("Kong holds %d plugins after plans that failed, want none", n)
	}
}

// sameSet: a JSON array holding exactly these strings, in any order.
func sameSet(v any, want ...string) bool {
	list, _ := v.([]any)
	got := make([]string, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		got = append(got, s)
	}
	sort.Strings(got)
	sort.Strings(want)
	return reflect.DeepEqual(got, want)
}

// TestAccPlugin_oneOfANamePerScope: a second plugin of a name on the same
// implementation fails naming the first and its import command, and
// writes nothing; on the route it is another scope, and is fine.
func TestAccPlugin_oneOfANamePerScope(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged")
	one := pluginConfig(k, onImpl, `  name   = "cors"
  config = {}`)
	var first string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: one, Check: func(s *terraform.State) error { first = s.RootModule().Resources[pluginRes].Primary.ID; return nil }},
			{
				Config: one + `
resource "servicehub_plugin" "again" {
  implementation_id = servicehub_implementation.test.id
  name              = "cors"
  config            = { max_age = 60 }
}
`,
				ExpectError: errorRE(`The implementation already has a "cors" plugin.*already has a "cors" plugin \(id [0-9a-f-]{36}\).*terraform import servicehub_plugin.<name> [0-9a-f-]{36}`),
				Check: func(*terraform.State) error {
					return nil
				},
			},
			{
				PreConfig: func() {
					ps := k.kongPlugins(t)
					if len(ps) != 1 || ps[0]["id"] != first {
						t.Errorf("Kong holds %s after the refused create, want only the first plugin", jsonString(ps))
					}
				},
				Config: one + `
resource "servicehub_plugin" "again" {
  route_id = servicehub_route.test.id
  name     = "cors"
  config   = { max_age = 60 }
}
`,
			},
		},
	})
}

// TestAccPlugin_versionStatus: the version's status lists the plugins on
// its implementation and on its routes, with their state.
func TestAccPlugin_versionStatus(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged")
	config := pluginConfig(k, onImpl, `  name   = "rate-limiting"
  config = { minute = 3 }`) + k.hcl(`
resource "servicehub_plugin" "cors" {
  route_id = servicehub_route.test.id
  name     = "cors"
  enabled  = false
}
`)
	status := k.hcl(`
data "servicehub_version_status" "test" {
  service = "plugged"
  version = "v1"
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config: config + status,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(statusDS, jp("plugins"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.NotNull(), "name": knownvalue.StringExact("rate-limiting"), "enabled": knownvalue.Bool(true),
							"scope": knownvalue.StringExact("implementation"), "route_id": knownvalue.Null(), "route_name": knownvalue.Null(),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id": knownvalue.NotNull(), "name": knownvalue.StringExact("cors"), "enabled": knownvalue.Bool(false),
							"scope": knownvalue.StringExact("route"), "route_id": knownvalue.NotNull(), "route_name": knownvalue.StringExact(k.n("plugged-v1")),
						}),
					})),
				},
			},
		},
	})
}

// TestAccPlugin_example applies the documentation's example, so it cannot
// rot: no diff afterwards, and each plugin imports as configured.
func TestAccPlugin_example(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../examples/resources/servicehub_plugin/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	k := startPluginKong(t, localkong.Options{})
	k.uses("payments", "payments-v1", "orders", "orders-v2", "/payments")
	config := providerConfig(k.AdminURL) + k.hcl(string(example))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			emptyPlanStep(config),
			// policy = "local" is the default: an import writes only what differs.
			{ResourceName: "servicehub_plugin.payments_rate_limit", ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"config"}},
			{ResourceName: "servicehub_plugin.payments_cors", ImportState: true, ImportStateVerify: true},
			// redis.port = 6379 is the default; the password comes back
			// alone, in config_sensitive.
			{ResourceName: "servicehub_plugin.orders_rate_limit", ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"config"}},
		},
	})
}

// TestAccPlugin_anotherCreatesPlugin: the plugin at the state's id was
// replaced outside Terraform by one another create made (its token, not
// this state's). It is not this state's: the refresh drops it, and the
// plan's create then fails naming it, with its import command; it is
// never changed or deleted, not even by the destroy of the implementation
// it is on (servicehub/guard.go).
func TestAccPlugin_anotherCreatesPlugin(t *testing.T) {
	t.Parallel()
	k := startPluginKong(t, localkong.Options{})
	k.uses("plugged", "plugged-v1", "/plugged")
	config := pluginConfig(k, onImpl, `  name   = "cors"
  config = { max_age = 60 }`)
	var id string
	const id0 = `[0-9a-f-]{36}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { id = s.RootModule().Resources[pluginRes].Primary.ID; return nil }},
			{
				PreConfig: func() {
					k.patchPlugin(t, id, func(p map[string]any) {
						p["tags"] = []any{"servicehub:create=another-workspace-token"}
						pluginConfigOf(p)["max_age"] = 120.0
					})
				},
				Config:      config,
				ExpectError: errorRE(`already has a "cors" plugin \(id ` + id0 + `\).*terraform import servicehub_plugin.<name>`),
			},
			{
				// Before the implementation (and the plugin with it) goes.
				PreConfig: func() {
					var p map[string]any
					k.call(t, http.MethodGet, "/plugins/"+id, nil, &p)
					if pluginConfigOf(p)["max_age"] != 120.0 {
						t.Errorf("the other create's plugin was changed: %s", jsonString(p))
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				// The destroy of the implementation would take it down:
				// refused, naming it as another workspace's.
				Config:  config,
				Destroy: true,
				ExpectError: errorRE(`Unable to delete implementation: others' entities on it.*plugin "cors" \(id ` + id0 +
					`, tags \[servicehub:create=another-workspace-token\]; made by this provider, in another workspace or state\)`),
			},
			{
				// Gone (its workspace destroyed it), this state's is created
				// again, and the final destroy goes through.
				PreConfig: func() {
					var p map[string]any
					k.call(t, http.MethodGet, "/plugins/"+id, nil, &p)
					if pluginConfigOf(p)["max_age"] != 120.0 {
						t.Errorf("the refused destroy changed the other create's plugin: %s", jsonString(p))
					}
					k.call(t, http.MethodDelete, "/plugins/"+id, nil, nil)
				},
				Config: config,
			},
		},
	})
}

// TestAccPlugin_followsTheRuntimeGroupsKong: the schema, and so the check
// and the defaults, are the runtime group's: cors' allow_origin_absent
// arrived in Kong 3.10, so a 3.9 runtime group refuses it at plan time,
// and a plugin there reads back with no diff without it.
func TestAccPlugin_followsTheRuntimeGroupsKong(t *testing.T) {
	t.Parallel()
	skipExternal(t, "plays Kong 3.9 (localkong -kong-version)")
	k := startPluginKong(t, localkong.Options{Version: "3.9.0"})
	k.uses("plugged", "plugged-v1", "/plugged")
	plain := pluginConfig(k, onImpl, `  name   = "cors"
  config = { origins = ["https://a.example"] }`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: pluginConfig(k, onImpl, `  name   = "cors"
  config = { allow_origin_absent = false }`),
				PlanOnly:    true,
				ExpectError: errorRE(`Kong would reject config.allow_origin_absent: unknown field`),
			},
			{
				Config: plain,
				Check: func(s *terraform.State) error {
					if c := pluginConfigOf(k.kongPlugin(t, s)); len(c) == 0 || c["allow_origin_absent"] != nil {
						return fmt.Errorf("Kong 3.9 holds %s", jsonString(c))
					}
					return nil
				},
			},
			emptyPlanStep(plain),
		},
	})
}
