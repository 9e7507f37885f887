package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// Konnect's request budgets (Konnect rate-limits its APIs): a plan's
// refresh of many versions, linked implementations and routes sends a
// few catalog requests, whatever their number.
const (
	konnectCatalogBudget = 4  // the catalog's part of a refresh
	konnectRefreshBudget = 10 // a refresh in all: core entities, catalog, control plane
)

// A refresh of many through the Konnect caches: the core entities'
// direct reads and listings (manyRefresh), and the catalog's
// (konnectapi.Cache: its direct reads, then a listing of APIs and one of
// implementations).
const konnectManyCatalog = konnectapi.DirectReads + 2

// konnectFleetConfig is n catalog versions, each implemented by a linked
// Gateway Service with one route; changed moves the paths of route 3.
func konnectFleetConfig(p string, n int, changed bool) string {
	which := -1
	if changed {
		which = 3
	}
	return p + fmt.Sprintf(`
resource "servicehub_service_version" "fleet" {
  count   = %[1]d
  service = "fleet"
  version = "v${count.index}"
}

resource "servicehub_implementation" "fleet" {
  count              = %[1]d
  service_version_id = servicehub_service_version.fleet[count.index].id
  name               = "fleet-v${count.index}"
  url                = "http://fleet-${count.index}.internal:8080/api"
}

resource "servicehub_route" "fleet" {
  count             = %[1]d
  implementation_id = servicehub_implementation.fleet[count.index].id
  name              = "fleet-${count.index}"
  methods           = ["GET"]
  paths             = [count.index == %[2]d ? "/changed" : "/fleet/${count.index}"]
}
`, n, which)
}

// TestAccRequestBudget_konnect counts what each phase sends to Konnect for
// 40 service versions, 40 linked implementations and 40 routes: in all,
// to the catalog (/v3), and to the Control Planes API. Without the
// catalog's cache a no-op plan sent 124 requests, 120 of them to the
// catalog (three per version).
func TestAccRequestBudget_konnect(t *testing.T) {
	t.Parallel()
	const n = 40
	srv := startKonnect(t, localkong.Options{})
	p := konnectProvider(srv)
	// count checks a phase's requests exactly (all, catalog, control
	// planes), and that they are within the budgets given (0: none).
	count := func(what string, all, catalog, planes int64, budget, catalogBudget int64) error {
		got, k := srv.RequestCount(), srv.KonnectRequestCounts()
		t.Logf("%s: %d requests (catalog %d, control planes %d, analytics %d) %v", what, got,
			k[localkong.KonnectCatalog], k[localkong.KonnectControlPlanes], k[localkong.KonnectAnalytics], srv.RequestCounts())
		srv.ResetRequestCount()
		switch {
		case budget > 0 && all > budget, catalogBudget > 0 && catalog > catalogBudget:
			return fmt.Errorf("%s: the mechanism costs %d requests (%d to the catalog), over the budget of %d (%d)", what, all, catalog, budget, catalogBudget)
		case got != all || k[localkong.KonnectCatalog] != catalog || k[localkong.KonnectControlPlanes] != planes:
			return fmt.Errorf("%s: %d requests (catalog %d, control planes %d), want %d (%d, %d)", what,
				got, k[localkong.KonnectCatalog], k[localkong.KonnectControlPlanes], all, catalog, planes)
		}
		return nil
	}
	reset := func() { srv.ResetRequestCount() }
	refresh := int64(manyRefresh + konnectManyCatalog)
	config, changed := konnectFleetConfig(p, n, false), konnectFleetConfig(p, n, true)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		// terraform destroy without a refresh (the test framework's): per
		// version its DELETE, per implementation the DELETEs of its link
		// and Gateway Service, per route its DELETE; the looks for the
		// links (the catalog's direct reads, then a listing), and for
		// claims (the core entities' direct reads, then a listing), and for
		// plugins of others on each route and implementation
		// (servicehub/guard.go: as many filtered reads, then one listing of
		// the plugins); the control plane, once.
		CheckDestroy: func(*terraform.State) error {
			return count("destroy", 4*n+konnectapi.DirectReads+1+2*(kongapi.DirectReads+1)+1, 2*n+konnectapi.DirectReads+1, 1, 4*n+fixedBudget, 0)
		},
		Steps: []resource.TestStep{
			{
				PreConfig: reset,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Nothing to read; the control plane, once.
					checkFunc(func() error { return count("plan of the create", 1, 0, 1, 0, 0) }),
				}},
				// One write per entity, two per implementation (its Gateway
				// Service and its link); the control plane, once; the
				// version checks of the Gateway Services (core direct reads,
				// then a listing) and the implementations' checks of their
				// versions, answered from the creates, and of the versions'
				// links (the catalog's direct reads, then a listing).
				Check: func(*terraform.State) error {
					return count("create", 4*n+1+kongapi.DirectReads+1+konnectapi.DirectReads+1, n+n+konnectapi.DirectReads+1, 1, 4*n+fixedBudget, 0)
				},
			},
			{
				PreConfig: reset,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
					// A no-op plan writes nothing, so the control plane is not read.
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error {
						return count("no-op plan", refresh, konnectManyCatalog, 0, konnectRefreshBudget, konnectCatalogBudget)
					})},
				},
			},
			{
				PreConfig: reset,
				Config:    changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					onlyChanges(map[string]plancheck.ResourceActionType{"servicehub_route.fleet[3]": plancheck.ResourceActionUpdate}),
					// The refresh of the apply, and the control plane for the change.
					checkFunc(func() error {
						return count("plan of one change", refresh+1, konnectManyCatalog, 1, konnectRefreshBudget, konnectCatalogBudget)
					}),
				}},
				// A fresh read of the route, its PUT; the control plane.
				Check: func(*terraform.State) error { return count("apply of one change", 3, 0, 1, changeBudget, 0) },
			},
			{
				// The plan of a destroy: its refresh, and the control plane
				// for the deletes.
				PreConfig:          reset,
				Config:             p,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error {
						return count("plan of the destroy", refresh+1, konnectManyCatalog, 1, konnectRefreshBudget, konnectCatalogBudget)
					})},
				},
			},
			{
				PreConfig: reset,
				Config:    changed,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error { reset(); return nil })},
				},
			},
		},
	})
}
