package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// expectImporting asserts that the plan imports addr, as an import block
// does, whatever else it does to it.
type expectImporting string

func (e expectImporting) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != string(e) {
			continue
		}
		if rc.Change == nil || rc.Change.Importing == nil {
			resp.Error = fmt.Errorf("%s: planned without importing", e)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: not in the plan", e)
}

// TestAccMigration_fromKongProvider is the guide "Migrating from
// terraform-provider-kong": entities that provider made (untagged by us)
// are taken over with import blocks; the plan imports both, updates the
// implementation in place to add the Service Hub tags, leaves the route
// alone, and nothing in Kong is recreated.
func TestAccMigration_fromKongProvider(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1")
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()

	// What kong_service and kong_route left behind (the test's destroy
	// removes them once imported; the cleanup, if it fails before).
	svc, err := kc.Services.Create(ctx, &kong.Service{
		Name: kong.String(srv.n("payments-v1")),
		URL:  kong.String("http://payments.internal:8080"),
		Tags: kong.StringSlice("team:payments"),
	})
	if err != nil {
		t.Fatal(err)
	}
	route, err := kc.Routes.Create(ctx, &kong.Route{
		Name:    kong.String(srv.n("payments")),
		Paths:   kong.StringSlice("/payments"),
		Service: &kong.Service{ID: svc.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = kc.Routes.Delete(ctx, route.ID)
		_ = kc.Services.Delete(ctx, svc.ID)
	})

	const impl, rt = "servicehub_implementation.payments_v1", "servicehub_route.payments"
	config := providerConfig(srv.AdminURL) + srv.hcl(`
import {
  to = servicehub_implementation.payments_v1
  id = "payments-v1"
}

resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal:8080"
  tags    = ["team:payments"]
}

import {
  to = servicehub_route.payments
  id = "payments"
}

resource "servicehub_route" "payments" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "payments"
  paths             = ["/payments"]
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						expectImporting(impl),
						expectImporting(rt),
						plancheck.ExpectResourceAction(impl, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(rt, plancheck.ResourceActionNoop),
						// Only service and version change: the rest came in with the import.
						plancheck.ExpectKnownValue(impl, jp("id"), knownvalue.StringExact(*svc.ID)),
						plancheck.ExpectKnownValue(impl, jp("port"), knownvalue.Int64Exact(8080)),
					},
					// terraform-plugin-testing then requires the next plan to be empty.
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(impl, jp("id"), knownvalue.StringExact(*svc.ID)),
					statecheck.ExpectKnownValue(impl, jp("service"), knownvalue.StringExact(srv.n("payments"))),
					statecheck.ExpectKnownValue(impl, jp("version"), knownvalue.StringExact("v1")),
					statecheck.ExpectKnownValue(impl, jp("tags"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("team:payments"),
					})),
					statecheck.ExpectKnownValue(rt, jp("id"), knownvalue.StringExact(*route.ID)),
					statecheck.ExpectKnownValue(rt, jp("implementation_id"), knownvalue.StringExact(*svc.ID)),
				},
				Check: checkKong(kc, srv.n("payments-v1"), func(s *kong.Service) error {
					// The import's first update gives it the provider's
					// ownership tag, a create token of its own.
					token := tokenIn(s.Tags)
					got := slices.DeleteFunc(kongTags(s), func(t string) bool { return t == token })
					slices.Sort(got)
					want := []string{"servicehub:service=" + srv.n("payments"), "servicehub:version=v1", "team:payments"}
					if !slices.Equal(got, want) || token == "" {
						return fmt.Errorf("tags = %q, want %q and a servicehub:create token", kongTags(s), want)
					}
					if *s.CreatedAt != *svc.CreatedAt {
						return fmt.Errorf("Gateway Service recreated: created_at %d, was %d", *s.CreatedAt, *svc.CreatedAt)
					}
					return nil
				}),
			},
			emptyPlanStep(config),
		},
	})
}
