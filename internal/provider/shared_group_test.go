package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// Tests of sharing a runtime group (issue 23): the provider's ownership
// tags on everything it writes, default_tags, destroys that leave others'
// entities alone, hands off the Ingress Controller's. decK's side is in
// tools/decktest, with decK's own reconciler.

// userTags are an entity's tags in Kong without the provider's own.
func userTags(ps []*string) []string {
	out := []string{}
	for _, p := range ps {
		if p != nil && !strings.HasPrefix(*p, "servicehub:") {
			out = append(out, *p)
		}
	}
	return out
}

// routeToken is the route's create token tag; "" when it has none.
func routeToken(r *kong.Route) string { return tokenIn(r.Tags) }

func tokenIn(tags []*string) string {
	for _, t := range tags {
		if t != nil && strings.HasPrefix(*t, "servicehub:create=") {
			return *t
		}
	}
	return ""
}

const (
	sharedImpl   = "servicehub_implementation.shared"
	sharedRoute  = "servicehub_route.shared"
	sharedPlugin = "servicehub_plugin.shared"
)

// sharedConfig is an implementation with a route and a plugin; extra
// goes into the provider block, and each resource's body gets its line of
// more (implementation, route, plugin).
func sharedConfig(srv *testKong, provider string, more ...string) string {
	more = append(more, "", "", "")
	return providerConfig(srv.AdminURL, provider) + srv.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "shared" {
  service = "shared"
  version = "v1"
  name    = "shared-v1"
  url     = "http://shared.internal/"
  %s
}

resource "servicehub_route" "shared" {
  implementation_id = servicehub_implementation.shared.id
  name              = "shared"
  paths             = ["/shared"]
  %s
}

resource "servicehub_plugin" "shared" {
  implementation_id = servicehub_implementation.shared.id
  name              = "rate-limiting"
  config            = { minute = 5, policy = "local" }
  %s
}
`, more[0], more[1], more[2]))
}

// kongOf reads what the configuration wrote: the Gateway Service, its
// route and the plugin, by the state's ids.
func kongOf(kc *kong.Client, s *terraform.State) (*kong.Service, *kong.Route, *kong.Plugin, error) {
	ctx := context.Background()
	res := s.RootModule().Resources
	svc, err := kc.Services.Get(ctx, kong.String(res[sharedImpl].Primary.ID))
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := kc.Routes.Get(ctx, kong.String(res[sharedRoute].Primary.ID))
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := kc.Plugins.Get(ctx, kong.String(res[sharedPlugin].Primary.ID))
	return svc, r, p, err
}

// TestAccShared_ownershipTags: every entity the provider writes carries its
// ownership tag, a create token of its own, which updates keep; entities
// imported without one get one at their first update, and a read changes
// nothing.
func TestAccShared_ownershipTags(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("shared", "shared-v1", "/shared", "byhand", "/byhand")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	tokens := map[string]string{}
	recordTokens := func(s *terraform.State) error {
		svc, r, p, err := kongOf(kc, s)
		if err != nil {
			return err
		}
		for what, tags := range map[string][]*string{"implementation": svc.Tags, "route": r.Tags, "plugin": p.Tags} {
			tok := tokenIn(tags)
			switch {
			case tok == "":
				return fmt.Errorf("the %s carries no servicehub:create tag: %q", what, strList(tags))
			case tokens[what] != "" && tokens[what] != tok:
				return fmt.Errorf("the %s's token changed: %s, was %s", what, tok, tokens[what])
			}
			tokens[what] = tok
		}
		if fmt.Sprint(userTags(r.Tags)) != "[mine]" {
			return fmt.Errorf("route tags %q, want the user's [mine] and the token", strList(r.Tags))
		}
		return nil
	}
	config := sharedConfig(srv, "", "", `tags = ["mine"]`)
	changed := strings.Replace(config, `paths             = ["`+srv.n("/shared")+`"]`, `paths             = ["`+srv.n("/shared")+`", "/more"]`, 1)
	changed = strings.Replace(changed, "minute = 5", "minute = 6", 1)

	// A route made by hand, to import: no token until its first update.
	var handRoute *kong.Route
	importConfig := func(paths string) string {
		return config + srv.hcl(fmt.Sprintf(`
resource "servicehub_route" "byhand" {
  implementation_id = servicehub_implementation.shared.id
  name              = "byhand"
  paths             = [%s]
}
`, paths))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config, Check: recordTokens},
			{
				Config: changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(sharedRoute, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(sharedPlugin, plancheck.ResourceActionUpdate),
				}},
				Check: recordTokens,
			},
			{
				PreConfig: func() {
					var err error
					svc, err := kc.Services.Get(ctx, kong.String(srv.n("shared-v1")))
					if err != nil {
						t.Fatal(err)
					}
					handRoute, err = kc.Routes.Create(ctx, &kong.Route{Name: kong.String(srv.n("byhand")),
						Paths: kong.StringSlice(srv.n("/byhand")), Service: &kong.Service{ID: svc.ID}})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config:        importConfig(`"/byhand"`),
				ResourceName:  "servicehub_route.byhand",
				ImportState:   true,
				ImportStateId: srv.n("byhand"),
				ImportStateCheck: func([]*terraform.InstanceState) error {
					r, err := kc.Routes.Get(ctx, handRoute.ID)
					if err != nil {
						return err
					}
					if tok := routeToken(r); tok != "" {
						return fmt.Errorf("the import wrote a token: %s", tok)
					}
					return nil
				},
				ImportStatePersist: true,
			},
			{
				// The import's first update gives it the ownership tag.
				Config: importConfig(`"/byhand", "/byhand2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("servicehub_route.byhand", plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					r, err := kc.Routes.Get(ctx, handRoute.ID)
					if err != nil {
						return err
					}
					if routeToken(r) == "" || *r.CreatedAt != *handRoute.CreatedAt {
						return fmt.Errorf("route after its first update: tags %q, created_at %d (was %d)", strList(r.Tags), *r.CreatedAt, *handRoute.CreatedAt)
					}
					return nil
				},
			},
			emptyPlanStep(importConfig(`"/byhand", "/byhand2"`)),
		},
	})
}

// TestAccShared_defaultTags: the provider's default_tags go on every entity
// it writes, never into a resource's tags; tags_all shows them; a change
// of them updates each resource in place, and a default tag removed in
// Kong by hand is put back.
func TestAccShared_defaultTags(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("shared", "shared-v1", "/shared")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	// The implementation also gives one of the default tags as its own.
	more := []string{`tags = ["own", "tf-managed"]`, `tags = ["route-own"]`, ""}
	teamA := sharedConfig(srv, `default_tags = ["tf-managed", "team-a"]`, more...)
	teamB := sharedConfig(srv, `default_tags = ["tf-managed", "team-b"]`, more...)
	kongHolds := func(team string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			svc, r, p, err := kongOf(kc, s)
			if err != nil {
				return err
			}
			for what, c := range map[string]struct {
				tags []*string
				want []string
			}{
				"implementation": {svc.Tags, []string{"own", "tf-managed", team}},
				"route":          {r.Tags, []string{"route-own", "tf-managed", team}},
				"plugin":         {p.Tags, []string{"tf-managed", team}},
			} {
				got := userTags(c.tags)
				slices.Sort(got)
				slices.Sort(c.want)
				if !slices.Equal(got, c.want) || tokenIn(c.tags) == "" {
					return fmt.Errorf("the %s's tags in Kong are %q, want %q and its token", what, strList(c.tags), c.want)
				}
			}
			return nil
		}
	}
	set := func(tags ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(tags))
		for i, t := range tags {
			checks[i] = knownvalue.StringExact(t)
		}
		return knownvalue.SetExact(checks)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: teamA,
				Check:  kongHolds("team-a"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(sharedImpl, jp("tags"), set("own", "tf-managed")),
					statecheck.ExpectKnownValue(sharedImpl, jp("tags_all"), set("own", "tf-managed", "team-a")),
					statecheck.ExpectKnownValue(sharedRoute, jp("tags"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("route-own")})),
					statecheck.ExpectKnownValue(sharedRoute, jp("tags_all"), set("route-own", "tf-managed", "team-a")),
					statecheck.ExpectKnownValue(sharedPlugin, jp("tags"), knownvalue.Null()),
					statecheck.ExpectKnownValue(sharedPlugin, jp("tags_all"), set("tf-managed", "team-a")),
				},
			},
			emptyPlanStep(teamA),
			{
				// A change of default_tags: each resource updated in place,
				// tags unchanged.
				Config: teamB,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{
						sharedImpl: plancheck.ResourceActionUpdate, sharedRoute: plancheck.ResourceActionUpdate, sharedPlugin: plancheck.ResourceActionUpdate,
					}),
					plancheck.ExpectKnownValue(sharedImpl, jp("tags_all"), set("own", "tf-managed", "team-b")),
					plancheck.ExpectKnownValue(sharedRoute, jp("tags_all"), set("route-own", "tf-managed", "team-b")),
					plancheck.ExpectKnownValue(sharedPlugin, jp("tags_all"), set("tf-managed", "team-b")),
					plancheck.ExpectKnownValue(sharedImpl, jp("tags"), set("own", "tf-managed")),
					plancheck.ExpectKnownValue(sharedPlugin, jp("tags"), knownvalue.Null()),
				}},
				Check: kongHolds("team-b"),
			},
			emptyPlanStep(teamB),
			{
				// A default tag removed by hand: the plan puts it back, and
				// shows it in tags_all, not in tags.
				PreConfig: func() {
					r, err := kc.Routes.Get(ctx, kong.String(srv.n("shared")))
					if err != nil {
						t.Fatal(err)
					}
					r.Tags = slices.DeleteFunc(r.Tags, func(t *string) bool { return *t == "team-b" })
					if _, err := kc.Routes.Create(ctx, r); err != nil {
						t.Fatal(err)
					}
				},
				Config: teamB,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{sharedRoute: plancheck.ResourceActionUpdate}),
					plancheck.ExpectKnownValue(sharedRoute, jp("tags_all"), set("route-own", "tf-managed", "team-b")),
				}},
				Check: kongHolds("team-b"),
			},
			emptyPlanStep(teamB),
		},
	})
}

// TestAccShared_defaultTagsBadInput: default tags are checked as tags are,
// at plan time, naming the setting.
func TestAccShared_defaultTagsBadInput(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	for tag, want := range map[string]string{
		"servicehub:mine":               `Invalid default_tags.*"servicehub:mine" is invalid: tags starting with "servicehub:" are reserved`,
		"managed-by-ingress-controller": `Invalid default_tags.*"managed-by-ingress-controller" is invalid:.*Ingress Controller`,
		"a,b":                           `Invalid default_tags.*"a,b" is invalid`,
	} {
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testFactories(),
			Steps: []resource.TestStep{{
				Config:      providerConfig(srv.AdminURL, fmt.Sprintf("default_tags = [%q]", tag)) + simpleImpl,
				PlanOnly:    true,
				ExpectError: errorRE(want),
			}},
		})
	}
}

// TestDefaultTagsFromEnvironment: SERVICEHUB_DEFAULT_TAGS is read as tags
// separated by commas when the configuration sets none.
func TestDefaultTagsFromEnvironment(t *testing.T) {
	t.Setenv(defaultTagsEnv, " team-a, tf-managed,,team-a ")
	var diags diag.Diagnostics
	got := resolveDefaultTags(context.Background(), types.SetNull(types.StringType), &diags)
	if diags.HasError() || fmt.Sprint(got) != "[team-a tf-managed]" {
		t.Fatalf("from the environment: %v %v", got, diags)
	}
	t.Setenv(defaultTagsEnv, "ok,servicehub:x")
	diags = nil
	resolveDefaultTags(context.Background(), types.SetNull(types.StringType), &diags)
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), defaultTagsEnv) {
		t.Fatalf("a bad tag from the environment: %v", diags)
	}
	// The configuration wins.
	diags = nil
	if got := resolveDefaultTags(context.Background(), types.SetValueMust(types.StringType, []attr.Value{types.StringValue("mine")}), &diags); fmt.Sprint(got) != "[mine]" || diags.HasError() {
		t.Fatalf("from the configuration: %v %v", got, diags)
	}
}

// TestAccShared_destroyLeavesOthers: a destroy that would take down
// plugins this configuration does not manage (another tool's, another
// workspace's) fails naming each, and deletes neither them nor the
// implementation or route they are on; this configuration's own plugin,
// destroyed in the same apply, goes first. force_destroy takes them down.
func TestAccShared_destroyLeavesOthers(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("shared", "shared-v1", "/shared")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	config := sharedConfig(srv, "")
	forced := sharedConfig(srv, "", "force_destroy = true", "force_destroy = true")
	// Others' plugins, with ids chosen here so that the expected errors
	// can name them: decK's, say, and another workspace's of this
	// provider on the implementation; one on the route.
	onImpl := []*kong.Plugin{
		{ID: kong.String(uuid.NewString()), Name: kong.String("cors"), Tags: kong.StringSlice("team-edge")},
		{ID: kong.String(uuid.NewString()), Name: kong.String("request-size-limiting"), Tags: kong.StringSlice("servicehub:create=" + servicehubToken)},
	}
	onRoute := &kong.Plugin{ID: kong.String(uuid.NewString()), Name: kong.String("cors"), Tags: kong.StringSlice("team-edge")}
	var others []*kong.Plugin
	add := func(p *kong.Plugin) {
		got, err := kc.Plugins.Create(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		others = append(others, got)
	}
	scope := func(kind string) func() {
		return func() {
			if kind == "routes" {
				r, err := kc.Routes.Get(ctx, kong.String(srv.n("shared")))
				if err != nil {
					t.Fatal(err)
				}
				onRoute.Route = &kong.Route{ID: r.ID}
				add(onRoute)
				return
			}
			svc, err := kc.Services.Get(ctx, kong.String(srv.n("shared-v1")))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range onImpl {
				p.Service = &kong.Service{ID: svc.ID}
				add(p)
			}
		}
	}
	stillThere := func(what string, get func() error) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if err := get(); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			for _, p := range others {
				if _, err := kc.Plugins.Get(ctx, p.ID); err != nil {
					return fmt.Errorf("another's plugin %s (%s) was taken down: %w", *p.ID, *p.Name, err)
				}
			}
			return nil
		}
	}
	var updated int
	implThere := func() error { _, err := kc.Services.Get(ctx, kong.String(srv.n("shared-v1"))); return err }
	routeThere := func() error { _, err := kc.Routes.Get(ctx, kong.String(srv.n("shared"))); return err }
	// The implementation's refusal names its plugins, each with its id
	// and tags, in order, and says whose the token one is.
	implRefused := errorRE(fmt.Sprintf(`Unable to delete implementation: others' entities on it.*not deleted, nor anything on it.*`+
		`plugin "cors" \(id %s, tags \[team-edge\]\).*plugin "request-size-limiting" \(id %s, tags \[servicehub:create=%s\]; made by this provider, in another workspace or state\).*`+
		`terraform import servicehub_plugin.*force_destroy = true`, *onImpl[0].ID, *onImpl[1].ID, servicehubToken))
	routeRefused := errorRE(fmt.Sprintf(`Unable to delete route: others' entities on it.*plugin "cors" \(id %s, tags \[team-edge\]\).*force_destroy = true on the servicehub_route`, *onRoute.ID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if implThere() == nil || routeThere() == nil {
				return fmt.Errorf("force_destroy left the implementation or the route")
			}
			for _, p := range others {
				if _, err := kc.Plugins.Get(ctx, p.ID); err == nil {
					return fmt.Errorf("force_destroy left the plugin %s", *p.ID)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Plugins of others on the implementation: its delete fails
				// naming them. The route and this configuration's plugin,
				// deleted before it (Terraform orders dependents first),
				// had nothing of others on them.
				PreConfig:   scope("services"),
				Config:      config,
				Destroy:     true,
				ExpectError: implRefused,
				Check:       stillThere("the implementation", implThere),
			},
			{
				Config: config, // the route and the plugin again
				Check:  stillThere("the implementation", implThere),
			},
			{
				// Also a plugin of another's on the route: the route's
				// delete fails first, naming it alone.
				PreConfig: func() {
					scope("routes")()
				},
				Config:      config,
				Destroy:     true,
				ExpectError: routeRefused,
				Check:       stillThere("the route", routeThere),
			},
			{
				// force_destroy, applied, lets the final destroy take them
				// down (CheckDestroy). It is the provider's, not Kong's:
				// applying it writes nothing to Kong.
				PreConfig: func() {
					svc, err := kc.Services.Get(ctx, kong.String(srv.n("shared-v1")))
					if err != nil {
						t.Fatal(err)
					}
					updated = *svc.UpdatedAt
					sleepPastSecond()
				},
				Config: forced,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// (The plugin went with the refused destroy before.)
					onlyChanges(map[string]plancheck.ResourceActionType{
						sharedImpl: plancheck.ResourceActionUpdate, sharedRoute: plancheck.ResourceActionUpdate,
						sharedPlugin: plancheck.ResourceActionCreate,
					}),
					plancheck.ExpectKnownValue(sharedImpl, jp("updated_at"), knownvalue.Int64Func(func(int64) error { return nil })),
				}},
				Check: func(*terraform.State) error {
					svc, err := kc.Services.Get(ctx, kong.String(srv.n("shared-v1")))
					if err != nil {
						return err
					}
					if *svc.UpdatedAt != updated {
						return fmt.Errorf("setting force_destroy wrote the Gateway Service: updated_at %d, was %d", *svc.UpdatedAt, updated)
					}
					return nil
				},
			},
		},
	})
}

// servicehubToken is a create token of another workspace's run.
const servicehubToken = "3f0c9c2e-0d8a-4c8e-9d3a-1b2c3d4e5f60"

// TestAccShared_ingressController: what Kong's Ingress Controller manages
// is neither imported nor written: importing fails saying why, and so does
// giving its tag.
func TestAccShared_ingressController(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("kic-svc", "kic-route", "/kic")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	kic := kong.StringSlice(servicehub.IngressControllerTag, "k8s-namespace:default")
	svc, err := kc.Services.Create(ctx, &kong.Service{Name: kong.String(srv.n("kic-svc")), Host: kong.String("kic.internal"), Tags: kic})
	if err != nil {
		t.Fatal(err)
	}
	route, err := kc.Routes.Create(ctx, &kong.Route{Name: kong.String(srv.n("kic-route")), Paths: kong.StringSlice(srv.n("/kic")),
		Service: &kong.Service{ID: svc.ID}, Tags: kic})
	if err != nil {
		t.Fatal(err)
	}
	plugin, err := kc.Plugins.Create(ctx, &kong.Plugin{Name: kong.String("cors"), Service: &kong.Service{ID: svc.ID}, Tags: kic})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = kc.Routes.Delete(ctx, route.ID)
		_ = kc.Services.Delete(ctx, svc.ID)
	})
	provider := providerConfig(srv.AdminURL)
	config := provider + srv.hcl(`
resource "servicehub_implementation" "kic" {
  service = "kic"
  version = "v1"
  name    = "kic-svc"
  host    = "kic.internal"
}

resource "servicehub_route" "kic" {
  implementation_id = servicehub_implementation.kic.id
  name              = "kic-route"
  paths             = ["/kic"]
}

resource "servicehub_plugin" "kic" {
  implementation_id = servicehub_implementation.kic.id
  name              = "cors"
}
`)
	why := `tagged managed-by-ingress-controller: Kong's Ingress Controller manages it`
	importStep := func(addr, id, noun string) resource.TestStep {
		return resource.TestStep{
			Config: config, ResourceName: addr, ImportState: true, ImportStateId: id,
			ExpectError: errorRE(`Unable to read ` + noun + `: the Ingress Controller's.*` + why),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			importStep("servicehub_implementation.kic", srv.n("kic-svc"), "implementation"),
			importStep("servicehub_route.kic", srv.n("kic-route"), "route"),
			importStep("servicehub_plugin.kic", *plugin.ID, "plugin"),
			{
				Config: provider + `
resource "servicehub_implementation" "mine" {
  service = "kic"
  version = "v2"
  name    = "not-the-controllers"
  host    = "kic.internal"
  tags    = ["managed-by-ingress-controller"]
}
`,
				PlanOnly:    true,
				ExpectError: errorRE(`Invalid tags.*"managed-by-ingress-controller" is invalid:.*Ingress Controller`),
			},
		},
	})
	// Nothing was written to them.
	got, err := kc.Services.Get(ctx, svc.ID)
	if err != nil || fmt.Sprint(strList(got.Tags)) != fmt.Sprint(strList(kic)) || *got.UpdatedAt != *svc.UpdatedAt {
		t.Errorf("the controller's Gateway Service was written: %+v, %v", got, err)
	}
	r, err := kc.Routes.Get(ctx, route.ID)
	if err != nil || fmt.Sprint(strList(r.Tags)) != fmt.Sprint(strList(kic)) || *r.UpdatedAt != *route.UpdatedAt {
		t.Errorf("the controller's route was written: %+v, %v", r, err)
	}
}

// TestAccShared_ingressControllerTagAddedLater: an entity of this state
// that the controller's tag has since been put on is not written again:
// the refresh fails saying why.
func TestAccShared_ingressControllerTagAddedLater(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("shared", "shared-v1", "/shared")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	config := sharedConfig(srv, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					r, err := kc.Routes.Get(ctx, kong.String(srv.n("shared")))
					if err != nil {
						t.Fatal(err)
					}
					r.Tags = append(r.Tags, kong.String(servicehub.IngressControllerTag))
					if _, err := kc.Routes.Create(ctx, r); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: errorRE(`Unable to read route: the Ingress Controller's.*terraform state rm servicehub_route`),
			},
			{
				// Untagged again, the configuration is whole and the final
				// destroy can run.
				PreConfig: func() {
					r, err := kc.Routes.Get(ctx, kong.String(srv.n("shared")))
					if err != nil {
						t.Fatal(err)
					}
					r.Tags = slices.DeleteFunc(r.Tags, func(t *string) bool { return *t == servicehub.IngressControllerTag })
					if _, err := kc.Routes.Create(ctx, r); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
			},
		},
	})
}
