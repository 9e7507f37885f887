package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// Admin API request budgets from the scale targets: a refresh is a handful
// of requests whatever the number of resources, a change costs its writes,
// and applying or destroying N implementations with N routes costs one
// request per entity plus a constant. TestAccRequestBudget checks the exact
// counts of the mechanism (kongapi.Cache) and that they are within these.
const (
	refreshBudget = 20
	changeBudget  = 10
	fixedBudget   = 10
)

// A refresh of many resources: the run's direct reads, then one listing of
// each kind (a page for up to 1000 entities).
const manyRefresh = kongapi.DirectReads + 2

// fleetConfig is n implementations with one route each; changed moves the
// paths of route 3.
func fleetConfig(adminURL string, n int, changed bool) string {
	which := -1
	if changed {
		which = 3
	}
	return providerConfig(adminURL) + fmt.Sprintf(`
resource "servicehub_implementation" "fleet" {
  count   = %d
  service = "fleet"
  version = "v${count.index}"
  name    = "fleet-v${count.index}"
  url     = "http://fleet-${count.index}.internal:8080/api"
}

resource "servicehub_route" "fleet" {
  count             = %d
  implementation_id = servicehub_implementation.fleet[count.index].id
  name              = "fleet-${count.index}"
  methods           = ["GET"]
  paths             = [count.index == %d ? "/changed" : "/fleet/${count.index}"]
}
`, n, n, which)
}

// TestAccRequestBudget counts the Admin API requests of each phase for 20
// implementations and 20 routes, exactly. One GET per resource on refresh
// would be 40, over the budget, so a regression to per-resource reads
// fails here, and so does any other change to what a phase sends.
func TestAccRequestBudget(t *testing.T) {
	t.Parallel()
	skipExternal(t, "counts Admin API requests with localkong's counter")
	const n = 20
	srv := startKong(t, localkong.Options{})
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	reset := func() { srv.ResetRequestCount() }
	budget := func(what string, want, limit int64) error {
		got := srv.RequestCount()
		t.Logf("%s: %d Admin API requests %v", what, got, srv.RequestCounts())
		srv.ResetRequestCount()
		if want > limit {
			return fmt.Errorf("%s: the mechanism costs %d Admin API requests, over the budget of %d", what, want, limit)
		}
		if got != want {
			return fmt.Errorf("%s: %d Admin API requests, want %d", what, got, want)
		}
		return nil
	}
	config := fleetConfig(srv.AdminURL, n, false)
	changed := fleetConfig(srv.AdminURL, n, true)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			// terraform destroy (the test framework's does not refresh):
			// the DELETEs, and the looks for claims of the implementations
			// (the run's direct reads, then one listing).
			return budget("destroy", 2*n+kongapi.DirectReads+1, 2*n+fixedBudget)
		},
		Steps: []resource.TestStep{
			{
				PreConfig: reset,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{checkFunc(func() error { return budget("plan of the create", 0, refreshBudget) })},
				},
				// One write per entity, nothing read back; the version
				// checks are the run's direct reads (Kong's ?tags=
				// filter), then one listing of the services.
				Check: func(*terraform.State) error {
					return budget("create", 2*n+kongapi.DirectReads+1, 2*n+fixedBudget)
				},
			},
			{
				PreConfig: reset,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{checkFunc(func() error { return budget("plan -refresh=false", 0, refreshBudget) })},
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error { return budget("no-op plan", manyRefresh, refreshBudget) })},
				},
			},
			{
				PreConfig: reset,
				Config:    changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						onlyChanges(map[string]plancheck.ResourceActionType{"servicehub_route.fleet[3]": plancheck.ResourceActionUpdate}),
						checkFunc(func() error { return budget("plan of one change", manyRefresh, refreshBudget) }),
					},
				},
				// A fresh read of the route before its PUT.
				Check: func(*terraform.State) error { return budget("apply of one change", 2, changeBudget) },
			},
			{
				// Out of band, among 40 cached entities: one implementation
				// edited, one route deleted. The refresh finds both.
				PreConfig: func() {
					svc, err := kc.Services.Get(ctx, kong.String("fleet-v5"))
					if err != nil {
						t.Fatal(err)
					}
					svc.Host = kong.String("rogue.internal")
					if _, err := kc.Services.Create(ctx, svc); err != nil {
						t.Fatal(err)
					}
					if err := kc.Routes.Delete(ctx, kong.String("fleet-11")); err != nil {
						t.Fatal(err)
					}
					reset()
				},
				Config:             changed,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
					PostApplyPostRefresh: []plancheck.PlanCheck{
						onlyChanges(map[string]plancheck.ResourceActionType{
							"servicehub_implementation.fleet[5]": plancheck.ResourceActionUpdate,
							"servicehub_route.fleet[11]":         plancheck.ResourceActionCreate,
						}),
						// The deleted route is missing from the listing and
						// read directly: Kong's 404.
						checkFunc(func() error { return budget("plan after out-of-band changes", manyRefresh+1, refreshBudget+1) }),
					},
				},
			},
			{
				PreConfig: reset,
				Config:    changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
					// Only after the apply's follow-up plans: what the
					// destroy costs is counted from here.
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
				},
				Check: func(*terraform.State) error {
					// The edited implementation: a fresh read and its PUT;
					// the deleted route: its PUT.
					if err := budget("apply restoring two entities", 3, changeBudget); err != nil {
						return err
					}
					if _, err := kc.Routes.Get(ctx, kong.String("fleet-11")); err != nil {
						return fmt.Errorf("fleet-11 not recreated: %w", err)
					}
					return nil
				},
			},
		},
	})
}

// TestAccRequestBudget_largeRuntimeGroup: a configuration of one
// implementation and one route, in a runtime group where others keep
// 20,000 Gateway Services and 20,000 Routes. What it costs must not depend
// on them: a plan is a GET per resource (listing the group would be 42
// requests). localkong is filled without HTTP (Populate, about a second).
func TestAccRequestBudget_largeRuntimeGroup(t *testing.T) {
	t.Parallel()
	skipExternal(t, "fills localkong in-process (Populate) and counts Admin API requests with localkong's counter")
	const others = 20000
	srv := startKong(t, localkong.Options{})
	if err := srv.Populate("other", others); err != nil {
		t.Fatal(err)
	}
	count := func(what string, want int64) error {
		got := srv.RequestCount()
		t.Logf("%s: %d Admin API requests %v", what, got, srv.RequestCounts())
		srv.ResetRequestCount()
		if got != want {
			return fmt.Errorf("%s among %d other services and routes: %d Admin API requests, want %d", what, others, got, want)
		}
		return nil
	}
	config := fleetConfig(srv.AdminURL, 1, false)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		// The read that finds the implementation this state's (its mark,
		// servicehub/owner.go), two DELETEs and the look for a claim
		// (Kong's ?tags= filter).
		CheckDestroy: func(*terraform.State) error { return count("destroy", 4) },
		Steps: []resource.TestStep{
			{
				PreConfig: srv.ResetRequestCount,
				Config:    config,
				// The version lookup (Kong's ?tags= filter), the POST of
				// the Gateway Service and the PUT of the route.
				Check: func(*terraform.State) error { return count("create", 3) },
			},
			{
				PreConfig: srv.ResetRequestCount,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{checkFunc(func() error { srv.ResetRequestCount(); return nil })},
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error { return count("no-op plan", 2) })},
				},
			},
		},
	})
}

// checkFunc runs f as a plan check, for checks that are about Kong rather
// than the plan.
type checkFunc func() error

func (f checkFunc) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// onlyChanges checks that the plan changes exactly these resources, in
// these ways, and leaves every other one alone.
func onlyChanges(want map[string]plancheck.ResourceActionType) plancheck.PlanCheck {
	return changesCheck(want)
}

type changesCheck map[string]plancheck.ResourceActionType

func (want changesCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	var problems []string
	seen := map[string]bool{}
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil {
			continue
		}
		a := rc.Change.Actions
		w, listed := want[rc.Address]
		seen[rc.Address] = listed
		switch {
		case listed && !actionIs(a, w):
			problems = append(problems, fmt.Sprintf("%s: %v, want %s", rc.Address, a, w))
		case !listed && !a.NoOp():
			problems = append(problems, fmt.Sprintf("%s: %v, want no change", rc.Address, a))
		}
	}
	for addr := range want {
		if !seen[addr] {
			problems = append(problems, addr+": not in the plan")
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		resp.Error = fmt.Errorf("unexpected plan:\n%s", strings.Join(problems, "\n"))
	}
}

func actionIs(a tfjson.Actions, w plancheck.ResourceActionType) bool {
	switch w {
	case plancheck.ResourceActionCreate:
		return a.Create()
	case plancheck.ResourceActionUpdate:
		return a.Update()
	case plancheck.ResourceActionNoop:
		return a.NoOp()
	}
	return false
}
