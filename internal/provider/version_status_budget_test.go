package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// statusFleet makes n implementations of service "ledger" (versions v0 …)
// in srv's control plane, with traffic of their own: i+1 requests answered
// 200 and, for odd i, one answered 503; it returns their data sources.
func statusFleet(t *testing.T, srv *localkong.Server, n int) string {
	t.Helper()
	kc := konnectKong(t, srv)
	var b strings.Builder
	for i := range n {
		svc, err := kc.Services.Create(context.Background(), &kong.Service{
			Name: kong.String(fmt.Sprint("ledger-v", i)), URL: kong.String("http://ledger.internal"),
			Tags: kong.StringSlice("servicehub:service=ledger", fmt.Sprint("servicehub:version=v", i)),
		})
		if err != nil {
			t.Fatal(err)
		}
		srv.AddTraffic(localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID, ServiceID: *svc.ID, Status: 200, Count: int64(i + 1)})
		if i%2 == 1 {
			srv.AddTraffic(localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID, ServiceID: *svc.ID, Status: 503})
		}
		fmt.Fprintf(&b, "\ndata \"servicehub_version_status\" \"v%d\" {\n  service = \"ledger\"\n  version = \"v%d\"\n}\n", i, i)
	}
	return b.String()
}

// 20 version statuses on one control plane, in one run: one analytics
// query for all of them (Konnect allows about 10 a minute), each answer
// what its own query says.
func TestAccVersionStatus_analyticsOncePerRun(t *testing.T) {
	t.Parallel()
	const n = 20
	srv := startKonnect(t, localkong.Options{})
	config := konnectProvider(srv) + statusFleet(t, srv, n)
	var checks []statecheck.StateCheck
	for i := range n {
		want := map[string]int64{"200": int64(i + 1)}
		if i%2 == 1 {
			want["503"] = 1
		}
		addr := fmt.Sprint("data.servicehub_version_status.v", i)
		checks = append(checks, statecheck.ExpectKnownValue(addr, jp("status_codes"), codes(want)),
			statecheck.ExpectKnownValue(addr, jp("status_source"), knownvalue.StringExact("konnect_analytics")))
	}
	queries := func(what string) error {
		got := srv.KonnectRequestCounts()[localkong.KonnectAnalytics]
		t.Logf("%s: %d analytics queries for %d version statuses", what, got, n)
		srv.ResetRequestCount()
		if got != 1 {
			return fmt.Errorf("%s: %d analytics queries for %d version statuses, want 1", what, got, n)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{PreConfig: srv.ResetRequestCount, Config: config, ConfigStateChecks: checks},
			{
				PreConfig: srv.ResetRequestCount,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{checkFunc(func() error { srv.ResetRequestCount(); return nil })},
					PostApplyPostRefresh: []plancheck.PlanCheck{checkFunc(func() error { return queries("plan") })},
				},
			},
		},
	})
}

// Analytics unavailable, with 20 version statuses: the one query fails,
// every status says why as before, and nothing is asked again.
func TestAccVersionStatus_analyticsUnavailableOncePerRunCLI(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	srv := startKonnect(t, localkong.Options{})
	c.write("main.tf", cliRequiredProviders+konnectProvider(srv)+statusFleet(t, srv, 20)+`
output "implemented" {
  value = data.servicehub_version_status.v7.implemented
}
`)
	for status, want := range map[int]string{
		localkong.AnalyticsNoEntitlement: `Warning: Status codes unavailable: Konnect refused the analytics query (403): the organization has no Advanced Analytics`,
		localkong.AnalyticsTimeout:       `Warning: Status codes unavailable: the analytics query took longer than Konnect's 10 seconds (408)`,
		localkong.AnalyticsRateLimited:   `Warning: Status codes unavailable: Konnect's analytics rate limit (about 10 queries a minute) was reached (429)`,
	} {
		if err := srv.SetAnalyticsUnavailable(status); err != nil {
			t.Fatal(err)
		}
		srv.ResetRequestCount()
		out := c.mustRun(time.Minute, "plan", "-input=false", "-no-color")
		if !errorRE(regexp.QuoteMeta(want)).MatchString(out) || !strings.Contains(out, "implemented = true") ||
			!strings.Contains(out, "19 more similar warnings") {
			t.Errorf("%d: the plan output lacks the warnings or the result:\n%s", status, out)
		}
		if got := srv.KonnectRequestCounts()[localkong.KonnectAnalytics]; got != 1 {
			t.Errorf("%d: %d analytics queries, want 1", status, got)
		}
	}
}
