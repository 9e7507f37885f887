package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// analyticsConfig: a catalog version implemented through its link, a route
// to the upstream, and the version's status read three ways: by id (24h,
// the default), by service and version over 1h, and over 6h.
func analyticsConfig(p, upstream string) string {
	return p + fmt.Sprintf(`
resource "servicehub_service_version" "v1" {
  service = "payments"
  version = "v1"
}

resource "servicehub_implementation" "test" {
  service_version_id = servicehub_service_version.v1.id
  name               = "payments-v1"
  url                = %q
}

resource "servicehub_route" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "pay"
  paths             = ["/pay"]
}

data "servicehub_version_status" "by_id" {
  service_version_id = servicehub_service_version.v1.id
  depends_on         = [servicehub_route.test]
}

data "servicehub_version_status" "hour" {
  service    = "payments"
  version    = "v1"
  time_range = "1h"
  depends_on = [servicehub_route.test]
}

data "servicehub_version_status" "six_hours" {
  service    = "payments"
  version    = "v1"
  time_range = "6h"
  depends_on = [servicehub_route.test]
}
`, upstream)
}

func codes(m map[string]int64) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.Int64Exact(v)
	}
	return knownvalue.MapExact(checks)
}

// On Konnect, status comes from analytics: the counts of requests the
// proxy served for the implementation, by status code, over time_range;
// service_version_id names the version instead of service and version.
func TestAccVersionStatus_analytics(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	config := analyticsConfig(konnectProvider(srv), startUpstream(t))
	const byID, hour, six = "data.servicehub_version_status.by_id", "data.servicehub_version_status.hour", "data.servicehub_version_status.six_hours"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      konnectProvider(srv) + `data "servicehub_version_status" "x" { service_version_id = "9f5061ce-78f6-4452-9108-ad7c02821fd5" }`,
				ExpectError: errorRE(`Service version not found.*has no service version with id 9f5061ce-78f6-4452-9108-ad7c02821fd5`),
			},
			{
				Config: konnectProvider(srv) + `
data "servicehub_version_status" "x" {
  service    = "a"
  version    = "b"
  time_range = "2h"
}`,
				ExpectError: errorRE(`time_range "2h" is invalid: must be one of Konnect's relative time ranges: 15m, 1h, 6h, 12h, 24h, 7d, 30d`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, jp("status_source"), knownvalue.StringExact("konnect_analytics")),
					statecheck.ExpectKnownValue(byID, jp("time_range"), knownvalue.StringExact("24h")),
					statecheck.ExpectKnownValue(byID, jp("service"), knownvalue.StringExact("payments")),
					statecheck.ExpectKnownValue(byID, jp("version"), knownvalue.StringExact("v1")),
					statecheck.ExpectKnownValue(byID, jp("implementation_name"), knownvalue.StringExact("payments-v1")),
					statecheck.ExpectKnownValue(byID, jp("status_codes"), codes(nil)),
				},
			},
			{
				PreConfig: func() {
					for i := 0; i < 3; i++ {
						proxyCall(t, srv.ProxyURL, "", "/pay", 200)
					}
					proxyCall(t, srv.ProxyURL, "", "/pay/status/503", 503)
					// Two hours ago: inside 6h and 24h, outside 1h.
					svc, err := konnectKong(t, srv).Services.Get(context.Background(), kong.String("payments-v1"))
					if err != nil {
						t.Fatal(err)
					}
					srv.AddTraffic(localkong.TrafficRecord{
						Time: time.Now().Add(-2 * time.Hour), ControlPlaneID: srv.ControlPlaneID, ServiceID: *svc.ID, Status: 200, Count: 5,
					})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, jp("status_codes"), codes(map[string]int64{"200": 8, "503": 1})),
					statecheck.ExpectKnownValue(byID, jp("total_requests"), knownvalue.Int64Exact(9)),
					statecheck.ExpectKnownValue(hour, jp("status_codes"), codes(map[string]int64{"200": 3, "503": 1})),
					statecheck.ExpectKnownValue(hour, jp("total_requests"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue(six, jp("status_codes"), codes(map[string]int64{"200": 8, "503": 1})),
					statecheck.ExpectKnownValue(hour, jp("status_source"), knownvalue.StringExact("konnect_analytics")),
				},
			},
		},
	})
}

// Analytics unavailable (403 without Advanced Analytics, 408, 429) is a
// warning that names the cause; the implementation and routes are still
// read and nothing fails.
func TestVersionStatusAnalyticsWarning(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	if _, err := konnectKong(t, srv).Services.Create(context.Background(), &kong.Service{
		Name: kong.String("payments-v1"), URL: kong.String("http://payments.internal"),
		Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1"),
	}); err != nil {
		t.Fatal(err)
	}
	attrs := map[string]string{"admin_url": srv.ControlPlaneURL(""), "konnect_token": konnectToken}
	// Counts the metrics queries: an unavailable answer is never retried
	// or waited out (Konnect allows about 10 queries a minute).
	var queries atomic.Int64
	if err := srv.SetFaults(&localkong.Faults{Latency: time.Nanosecond, Match: func(r *http.Request) bool {
		if r.URL.Path == "/v2/metrics" {
			queries.Add(1)
		}
		return false
	}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		status int
		want   string
	}{
		{localkong.AnalyticsNoEntitlement, "no Advanced Analytics"},
		{localkong.AnalyticsTimeout, "longer than Konnect's 10 seconds (408)"},
		{localkong.AnalyticsRateLimited, "rate limit (about 10 queries a minute) was reached (429)"},
	} {
		if err := srv.SetAnalyticsUnavailable(c.status); err != nil {
			t.Fatal(err)
		}
		queries.Store(0)
		diags, m := readVersionStatus(t, attrs, "payments", "v1")
		if diags.HasError() || diags.WarningsCount() != 1 {
			t.Fatalf("%d: diagnostics = %v", c.status, diags)
		}
		w := diags.Warnings()[0]
		if !strings.Contains(w.Summary(), c.want) || !strings.Contains(w.Detail(), fmt.Sprintf("POST /v2/metrics: HTTP %d", c.status)) {
			t.Errorf("%d: warning %q: %s", c.status, w.Summary(), w.Detail())
		}
		if !m.Implemented.ValueBool() || m.ImplementationName.ValueString() != "payments-v1" || len(m.StatusCodes) != 0 ||
			m.TotalRequests.ValueInt64() != 0 || m.StatusSource.ValueString() != "konnect_analytics" {
			t.Errorf("%d: state = %+v", c.status, m)
		}
		if n := queries.Load(); n != 1 {
			t.Errorf("%d: %d metrics queries, want 1 (no retry)", c.status, n)
		}
	}
}

// An analytics answer cut at its cardinality limit (meta.truncated, the
// rest as ____OTHER____) is not read as complete: a warning says so, the
// status codes it gave are set, and total_requests counts every request.
func TestVersionStatusAnalyticsTruncated(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	svc, err := konnectKong(t, srv).Services.Create(context.Background(), &kong.Service{
		Name: kong.String("payments-v1"), URL: kong.String("http://payments.internal"),
		Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	for status, n := range map[int]int64{200: 5, 404: 2, 503: 1} {
		srv.AddTraffic(localkong.TrafficRecord{Time: time.Now(), ControlPlaneID: srv.ControlPlaneID, ServiceID: *svc.ID, Status: status, Count: n})
	}
	srv.SetAnalyticsLimit(2)
	attrs := map[string]string{"admin_url": srv.ControlPlaneURL(""), "konnect_token": konnectToken}
	diags, m := readVersionStatus(t, attrs, "payments", "v1")
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("diagnostics = %v", diags)
	}
	if w := diags.Warnings()[0]; w.Summary() != "Status codes incomplete: Konnect analytics truncated its answer" ||
		!strings.Contains(w.Detail(), "limit of 2 status codes") || !strings.Contains(w.Detail(), "1 requests with other status codes") {
		t.Errorf("warning %q: %s", w.Summary(), w.Detail())
	}
	if len(m.StatusCodes) != 2 || m.StatusCodes["200"] != 5 || m.StatusCodes["404"] != 2 || m.TotalRequests.ValueInt64() != 8 {
		t.Errorf("status codes %v, total %v; want 200: 5 and 404: 2 of 8", m.StatusCodes, m.TotalRequests)
	}
}

// The real terraform, with analytics unavailable each way: the apply
// succeeds, prints the warning naming the cause, and the other results
// are set.
func TestAccVersionStatus_analyticsWarningCLI(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	srv := startKonnect(t, localkong.Options{})
	if _, err := konnectKong(t, srv).Services.Create(context.Background(), &kong.Service{
		Name: kong.String("payments-v1"), URL: kong.String("http://payments.internal"),
		Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1"),
	}); err != nil {
		t.Fatal(err)
	}
	c.write("main.tf", cliRequiredProviders+konnectProvider(srv)+`
data "servicehub_version_status" "test" {
  service = "payments"
  version = "v1"
}

output "implemented" {
  value = data.servicehub_version_status.test.implemented
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
		out := c.mustRun(time.Minute, "apply", "-auto-approve", "-input=false", "-no-color")
		if !errorRE(regexp.QuoteMeta(want)).MatchString(out) || !strings.Contains(out, "implemented = true") {
			t.Errorf("%d: the apply output lacks the warning or the result:\n%s", status, out)
		}
	}
}
