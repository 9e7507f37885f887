package provider

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// startUpstream runs localkong's demo upstream: 200 with a JSON echo, and
// /status/<code> answering that code. Against an external Kong,
// KONG_TEST_UPSTREAM_URL names one that Kong reaches instead.
func startUpstream(t *testing.T) string {
	t.Helper()
	if extKong != nil && extKong.upstreamURL != "" {
		return extKong.upstreamURL
	}
	up := httptest.NewServer(localkong.NewUpstream())
	t.Cleanup(up.Close)
	return up.URL
}

// proxyCall sends GET path through the proxy with the given Host header
// ("" for the proxy's own) and checks the status code.
func proxyCall(t *testing.T, proxyURL, host, path string, want int) {
	t.Helper()
	status, _, err := proxyGet(proxyURL, http.MethodGet, host, path, func(status int, _ []byte) bool { return status == want })
	if err != nil {
		t.Fatal(err)
	}
	if status != want {
		t.Fatalf("GET %s (Host %q) through the proxy: %d, want %d", path, host, status, want)
	}
}

// paymentsStatusConfig implements payments v1, without routes, and reads
// its status.
const paymentsStatusConfig = `
resource "servicehub_implementation" "payments" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal"
}

data "servicehub_version_status" "test" {
  service    = "payments"
  version    = "v1"
  depends_on = [servicehub_implementation.payments]
}
`

func emptyStatusChecks() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(statusDS, jp("routes"), knownvalue.ListExact([]knownvalue.Check{})),
		statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(map[string]knownvalue.Check{})),
		statecheck.ExpectKnownValue(statusDS, jp("total_requests"), knownvalue.Int64Exact(0)),
	}
}

func TestAccVersionStatus_notImplemented(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v2")
	config := providerConfig(srv.AdminURL) + srv.hcl(`
resource "servicehub_implementation" "v2" {
  service = "payments"
  version = "v2"
  name    = "payments-v2"
  url     = "http://payments.internal"
}

data "servicehub_version_status" "test" {
  service    = "payments"
  version    = "v1"
  depends_on = [servicehub_implementation.v2]
}
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: append(emptyStatusChecks(),
				statecheck.ExpectKnownValue(statusDS, jp("implemented"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue(statusDS, jp("implementation_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(statusDS, jp("implementation_name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(statusDS, jp("enabled"), knownvalue.Null()),
				statecheck.ExpectKnownValue(statusDS, jp("upstream_url"), knownvalue.Null()),
			),
		}},
	})
}

// trafficConfig is payments v1 with two routes (one on a host) and billing
// v1 with one, all reaching upstream; the data source reads payments v1.
func trafficConfig(adminURL, proxyURL, upstream string) string {
	return providerConfig(adminURL, fmt.Sprintf("proxy_url = %q", proxyURL)) + fmt.Sprintf(`
resource "servicehub_implementation" "payments" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = %[1]q
}

resource "servicehub_route" "pay" {
  implementation_id = servicehub_implementation.payments.id
  name              = "pay"
  methods           = ["GET"]
  paths             = ["/pay", "/payments"]
  strip_path        = false
}

resource "servicehub_route" "charge" {
  implementation_id = servicehub_implementation.payments.id
  name              = "charge"
  hosts             = ["api.example.com"]
  paths             = ["/charge"]
}

resource "servicehub_implementation" "billing" {
  service = "billing"
  version = "v1"
  name    = "billing-v1"
  url     = %[1]q
}

resource "servicehub_route" "bill" {
  implementation_id = servicehub_implementation.billing.id
  name              = "bill"
  paths             = ["/bill"]
}

data "servicehub_version_status" "test" {
  service    = "payments"
  version    = "v1"
  depends_on = [servicehub_route.pay, servicehub_route.charge, servicehub_route.bill]
}
`, upstream)
}

func TestAccVersionStatus_routesAndTraffic(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1", "pay", "charge", "billing", "billing-v1", "bill",
		"/pay", "/payments", "/charge", "/bill")
	upstream := startUpstream(t)
	_, proxyPort, _ := net.SplitHostPort(srv.ProxyURL[len("http://"):])
	config := srv.hcl(trafficConfig(srv.AdminURL, srv.ProxyURL, upstream))

	routes := knownvalue.ListExact([]knownvalue.Check{
		knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":      knownvalue.NotNull(),
			"name":    knownvalue.StringExact(srv.n("charge")),
			"methods": knownvalue.ListExact([]knownvalue.Check{}),
			"paths":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(srv.n("/charge"))}),
			"hosts":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("api.example.com")}),
			"urls":    knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("http://api.example.com:" + proxyPort + srv.n("/charge"))}),
		}),
		knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":      knownvalue.NotNull(),
			"name":    knownvalue.StringExact(srv.n("pay")),
			"methods": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("GET")}),
			"paths":   knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(srv.n("/pay")), knownvalue.StringExact(srv.n("/payments"))}),
			"hosts":   knownvalue.ListExact([]knownvalue.Check{}),
			"urls": knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact(srv.ProxyURL + srv.n("/pay")),
				knownvalue.StringExact(srv.ProxyURL + srv.n("/payments")),
			}),
		}),
	})
	sameID := func(route string) statecheck.StateCheck {
		return statecheck.CompareValuePairs(statusDS, jp("routes").AtSliceIndex(map[string]int{"charge": 0, "pay": 1}[route]).AtMapKey("id"),
			"servicehub_route."+route, jp("id"), compare.ValuesSame())
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(statusDS, jp("implemented"), knownvalue.Bool(true)),
					statecheck.CompareValuePairs(statusDS, jp("implementation_id"), "servicehub_implementation.payments", jp("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(statusDS, jp("implementation_name"), knownvalue.StringExact(srv.n("payments-v1"))),
					statecheck.ExpectKnownValue(statusDS, jp("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(statusDS, jp("upstream_url"), knownvalue.StringExact(upstream)),
					statecheck.ExpectKnownValue(statusDS, jp("routes"), routes),
					sameID("charge"),
					sameID("pay"),
					// No traffic yet.
					statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					statecheck.ExpectKnownValue(statusDS, jp("total_requests"), knownvalue.Int64Exact(0)),
				},
			},
			{
				PreConfig: func() {
					for range 3 {
						proxyCall(t, srv.ProxyURL, "", srv.n("/pay"), 200)
					}
					proxyCall(t, srv.ProxyURL, "", srv.n("/payments")+"/status/201", 201)
					proxyCall(t, srv.ProxyURL, "api.example.com", srv.n("/charge")+"/status/500", 500)
					proxyCall(t, srv.ProxyURL, "", srv.n("/charge"), 404) // wrong host: no route, not counted
					proxyCall(t, srv.ProxyURL, "", srv.n("/bill"), 200)   // billing's
					proxyCall(t, srv.ProxyURL, "", srv.n("/bill")+"/status/500", 500)
					trafficSettled()
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(statusDS, jp("implemented"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(statusDS, jp("routes"), routes),
					statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(map[string]knownvalue.Check{
						"200": knownvalue.Int64Exact(3),
						"201": knownvalue.Int64Exact(1),
						"500": knownvalue.Int64Exact(1),
					})),
					statecheck.ExpectKnownValue(statusDS, jp("total_requests"), knownvalue.Int64Exact(5)),
				},
			},
		},
	})
}

// The data source reads through the provider's workspace: the same Gateway
// Service name in another workspace is another service, and its traffic
// is not counted.
func TestAccVersionStatus_workspace(t *testing.T) {
	t.Parallel()
	skipExternal(t, "creates workspaces, which a shared Kong should not get (and Kong OSS has none)")
	srv := startKong(t, localkong.Options{})
	upstream := startUpstream(t)
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	if _, err := kc.Workspaces.Create(ctx, &kong.Workspace{Name: kong.String("team-a")}); err != nil {
		t.Fatal(err)
	}
	// payments-v1 in the default workspace, behind the provider's back.
	svc, err := kc.Services.Create(ctx, &kong.Service{Name: kong.String("payments-v1"), URL: kong.String(upstream)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Routes.CreateInService(ctx, svc.ID, &kong.Route{Name: kong.String("default-pay"), Paths: kong.StringSlice("/default/pay")}); err != nil {
		t.Fatal(err)
	}

	config := providerConfig(srv.AdminURL, `workspace = "team-a"`, fmt.Sprintf("proxy_url = %q", srv.ProxyURL)) + fmt.Sprintf(`
resource "servicehub_implementation" "payments" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = %q
}

resource "servicehub_route" "pay" {
  implementation_id = servicehub_implementation.payments.id
  name              = "pay"
  paths             = ["/team-a/pay"]
}

data "servicehub_version_status" "test" {
  service    = "payments"
  version    = "v1"
  depends_on = [servicehub_route.pay]
}
`, upstream)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					proxyCall(t, srv.ProxyURL, "", "/team-a/pay", 200)
					proxyCall(t, srv.ProxyURL, "", "/team-a/pay/status/503", 503)
					for range 4 {
						proxyCall(t, srv.ProxyURL, "", "/default/pay", 200)
					}
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(statusDS, jp("implementation_id"), "servicehub_implementation.payments", jp("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(map[string]knownvalue.Check{
						"200": knownvalue.Int64Exact(1),
						"503": knownvalue.Int64Exact(1),
					})),
					statecheck.ExpectKnownValue(statusDS, jp("total_requests"), knownvalue.Int64Exact(2)),
				},
			},
		},
	})
}

// Without a metrics endpoint the data source still answers everything
// else; the warning itself is asserted in TestVersionStatusWarning.
func TestAccVersionStatus_metricsMissing(t *testing.T) {
	t.Parallel()
	cases := map[string]func(adminURL string) string{
		"404":                func(adminURL string) string { return adminURL + "/no-metrics-here" },
		"connection refused": func(string) string { return freeURL(t, "/metrics") },
	}
	for name, metricsURL := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1", "pay", "/pay")
			config := providerConfig(srv.AdminURL, fmt.Sprintf("metrics_url = %q", metricsURL(srv.AdminURL))) + srv.hcl(`
resource "servicehub_implementation" "payments" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal"
}

resource "servicehub_route" "pay" {
  implementation_id = servicehub_implementation.payments.id
  name              = "pay"
  paths             = ["/pay"]
}

data "servicehub_version_status" "test" {
  service    = "payments"
  version    = "v1"
  depends_on = [servicehub_route.pay]
}
`)
			// proxy_url's default, or KONG_PROXY_URL against an external Kong.
			proxyURL := "http://localhost:8000"
			if extKong != nil {
				proxyURL = srv.ProxyURL
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				Steps: []resource.TestStep{{
					Config: config,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(statusDS, jp("implemented"), knownvalue.Bool(true)),
						statecheck.CompareValuePairs(statusDS, jp("implementation_id"), "servicehub_implementation.payments", jp("id"), compare.ValuesSame()),
						statecheck.ExpectKnownValue(statusDS, jp("upstream_url"), knownvalue.StringExact("http://payments.internal")),
						statecheck.ExpectKnownValue(statusDS, jp("routes").AtSliceIndex(0).AtMapKey("urls"),
							knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(proxyURL + srv.n("/pay"))})),
						statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(map[string]knownvalue.Check{})),
						statecheck.ExpectKnownValue(statusDS, jp("total_requests"), knownvalue.Int64Exact(0)),
					},
				}},
			})
		})
	}
}

// Konnect control planes serve no /metrics (localkong -konnect answers 404).
func TestAccVersionStatus_konnect(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{Konnect: true, AdminToken: "kpat_status"})
	cp := srv.AdminURL + "/v2/control-planes/4f1a7e0c-6d1b-4c6e-9a43-0f2b8e1d5c77/core-entities"
	config := providerConfig(cp, `konnect_token = "kpat_status"`) + paymentsStatusConfig
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(statusDS, jp("implemented"), knownvalue.Bool(true)),
				statecheck.ExpectKnownValue(statusDS, jp("implementation_name"), knownvalue.StringExact("payments-v1")),
				statecheck.ExpectKnownValue(statusDS, jp("routes"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			},
		}},
	})
}

func TestAccVersionStatus_malformedMetrics(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1")
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!doctype html><title>Kong Manager</title>\n")
	}))
	t.Cleanup(page.Close)
	config := providerConfig(srv.AdminURL, fmt.Sprintf("metrics_url = %q", page.URL+"/metrics")) + srv.hcl(paymentsStatusConfig)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)Malformed Kong metrics.*not valid Prometheus text\s+exposition`),
		}},
	})
}

func TestAccVersionStatus_invalidConfiguration(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	ds := `
data "servicehub_version_status" "test" {
  service = "payments"
  version = "v1"
}
`
	bad := func(extra, want string) resource.TestStep {
		return resource.TestStep{Config: providerConfig(srv.AdminURL, extra) + ds, ExpectError: regexp.MustCompile(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			bad(`proxy_url = "localhost:8000"`, `Invalid proxy URL`),
			bad(`proxy_url = "http://localhost:8000/?x=1"`, `must not have a query`),
			bad(`metrics_url = "kong:8100/metrics"`, `Invalid metrics URL`),
			{
				Config:      providerConfig(srv.AdminURL) + `data "servicehub_version_status" "test" {` + "\n" + `service = "pay/ments"` + "\n" + `version = "v1"` + "\n}\n",
				ExpectError: regexp.MustCompile(`must not contain ',' or '/'`),
			},
		},
	})
}

// TestAccVersionStatus_example applies the documentation's example next to
// an implementation of the version it reads.
func TestAccVersionStatus_example(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../examples/data-sources/servicehub_version_status/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1", "foo", "/foo")
	upstream := startUpstream(t)
	config := providerConfig(srv.AdminURL, fmt.Sprintf("proxy_url = %q", srv.ProxyURL)) + srv.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "payments_v1" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = %q
}

resource "servicehub_route" "foo" {
  implementation_id = servicehub_implementation.payments_v1.id
  name              = "foo"
  methods           = ["GET"]
  paths             = ["/foo"]
}
`, upstream)+string(example))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			// Read at plan time, before anything exists: the next plan
			// sees the implementation, so it is not empty.
			{
				Config:             config,
				ExpectNonEmptyPlan: true,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("payments_v1_implemented", knownvalue.Bool(false)),
				},
			},
			{
				PreConfig: func() {
					proxyCall(t, srv.ProxyURL, "", srv.n("/foo"), 200)
					proxyCall(t, srv.ProxyURL, "", srv.n("/foo")+"/status/502", 502)
					proxyCall(t, srv.ProxyURL, "", srv.n("/foo")+"/status/500", 500)
					trafficSettled()
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("payments_v1_implemented", knownvalue.Bool(true)),
					statecheck.ExpectKnownOutputValue("payments_v1_urls", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(srv.ProxyURL + srv.n("/foo"))})),
					statecheck.ExpectKnownOutputValue("payments_v1_server_errors", knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownOutputValue("payments_v1_total_requests", knownvalue.Int64Exact(3)),
				},
			},
		},
	})
}

// readVersionStatus configures the provider with providerAttrs and reads the
// data source in-process, returning its diagnostics and state: the only
// way to see warnings, which terraform-plugin-testing does not expose.
func readVersionStatus(t *testing.T, providerAttrs map[string]string, service, version string) (diag.Diagnostics, versionStatusModel) {
	t.Helper()
	ctx := context.Background()
	p := &servicehubProvider{version: "test"}
	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	var pr provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: ps.Schema, Raw: objectValue(t, ps.Schema.Type(), providerAttrs)}}, &pr)
	if pr.Diagnostics.HasError() {
		t.Fatalf("configure: %v", pr.Diagnostics)
	}

	d := NewVersionStatusDataSource().(*versionStatusDataSource)
	var cr datasource.ConfigureResponse
	d.Configure(ctx, datasource.ConfigureRequest{ProviderData: pr.DataSourceData}, &cr)
	var ds datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &ds)
	typ := ds.Schema.Type().TerraformType(ctx)
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: ds.Schema, Raw: tftypes.NewValue(typ, nil)}}
	d.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: ds.Schema,
		Raw: objectValue(t, ds.Schema.Type(), map[string]string{"service": service, "version": version})}}, &resp)

	var m versionStatusModel
	if !resp.Diagnostics.HasError() {
		if diags := resp.State.Get(ctx, &m); diags.HasError() {
			t.Fatalf("state: %v", diags)
		}
	}
	return resp.Diagnostics, m
}

// objectValue is a configuration of schema type typ with the given string
// attributes set and every other attribute null.
func objectValue(t *testing.T, typ attr.Type, set map[string]string) tftypes.Value {
	t.Helper()
	obj, ok := typ.TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q", name)
		}
		vals[name] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(obj, vals)
}

func TestVersionStatusWarning(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	konnect := startKong(t, localkong.Options{Konnect: true})
	cp := konnect.AdminURL + "/v2/control-planes/7d5e0a3c-1b2f-4e6a-8c9d-0e1f2a3b4c5d/core-entities"
	guarded := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"message":"Invalid credentials. Token or User credentials required"}`)
	}))
	t.Cleanup(guarded.Close)
	refused := freeURL(t, "/metrics")

	for _, admin := range []string{srv.AdminURL, cp} {
		api, err := kongapi.New(kongapi.Config{AdminURL: admin, KonnectToken: map[string]string{cp: "kpat_x"}[admin]})
		if err != nil {
			t.Fatal(err)
		}
		_, err = api.Kong.Services.Create(context.Background(), &kong.Service{
			Name: kong.String("payments-v1"), URL: kong.String("http://payments.internal"),
			Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1"),
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	cases := []struct {
		name  string
		attrs map[string]string
		want  []string
	}{
		{"no endpoint", map[string]string{"admin_url": srv.AdminURL, "metrics_url": srv.AdminURL + "/nothing"},
			[]string{srv.AdminURL + "/nothing", "HTTP 404", "There is no metrics endpoint there", "KONG_METRICS_URL"}},
		// Prometheus on Konnect is asked for with metrics_url; without it
		// analytics is read (version_status_analytics_test.go).
		{"konnect", map[string]string{"admin_url": cp, "konnect_token": "kpat_x", "metrics_url": cp + "/metrics"},
			[]string{cp + "/metrics", "HTTP 404", "Konnect control planes serve none"}},
		{"refused", map[string]string{"admin_url": srv.AdminURL, "metrics_url": refused},
			[]string{refused, "connection refused", "Nothing answers at that address"}},
		{"unauthorized", map[string]string{"admin_url": srv.AdminURL, "metrics_url": guarded.URL + "/metrics"},
			[]string{"HTTP 401", "Invalid credentials", "refused the provider's credentials"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags, m := readVersionStatus(t, c.attrs, "payments", "v1")
			if diags.HasError() || diags.WarningsCount() != 1 {
				t.Fatalf("diagnostics = %v", diags)
			}
			w := diags.Warnings()[0]
			if w.Summary() != "Status codes unavailable" {
				t.Errorf("summary = %q", w.Summary())
			}
			for _, s := range c.want {
				if !strings.Contains(w.Detail(), s) {
					t.Errorf("detail lacks %q:\n%s", s, w.Detail())
				}
			}
			if !m.Implemented.ValueBool() || m.ImplementationName.ValueString() != "payments-v1" ||
				m.UpstreamURL.ValueString() != "http://payments.internal" || m.StatusCodes == nil || m.TotalRequests.ValueInt64() != 0 {
				t.Errorf("state = %+v", m)
			}
		})
	}

	// With metrics, and for a version with no implementation, no warning.
	for _, version := range []string{"v1", "v9"} {
		diags, m := readVersionStatus(t, map[string]string{"admin_url": srv.AdminURL}, "payments", version)
		if len(diags) != 0 {
			t.Errorf("%s: diagnostics = %v", version, diags)
		}
		if m.Implemented.ValueBool() != (version == "v1") {
			t.Errorf("%s: implemented = %v", version, m.Implemented)
		}
	}
}

func TestVersionStatusEnvironment(t *testing.T) {
	srv := startKong(t, localkong.Options{})
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	svc, err := kc.Services.Create(ctx, &kong.Service{
		Name: kong.String(srv.n("payments-v1")), URL: kong.String("http://payments.internal"),
		Tags: kong.StringSlice("servicehub:service="+srv.n("payments"), "servicehub:version=v1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kc.Services.Delete(ctx, svc.ID) })
	route, err := kc.Routes.CreateInService(ctx, svc.ID, &kong.Route{Name: kong.String(srv.n("pay")), Paths: kong.StringSlice(srv.n("/pay"))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kc.Routes.Delete(ctx, route.ID) })
	refused := freeURL(t, "/metrics")
	t.Setenv("KONG_PROXY_URL", "https://gw.example.com:9443/kong/")
	t.Setenv("KONG_METRICS_URL", refused)

	diags, m := readVersionStatus(t, map[string]string{"admin_url": srv.AdminURL}, srv.n("payments"), "v1")
	if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), refused) {
		t.Errorf("diagnostics = %v", diags)
	}
	if len(m.Routes) != 1 || len(m.Routes[0].URLs) != 1 || m.Routes[0].URLs[0] != "https://gw.example.com:9443/kong"+srv.n("/pay") {
		t.Errorf("routes = %+v", m.Routes)
	}

	// The attributes win over the environment.
	diags, m = readVersionStatus(t, map[string]string{"admin_url": srv.AdminURL, "metrics_url": srv.AdminURL + "/metrics", "proxy_url": "http://127.0.0.1:8000"},
		srv.n("payments"), "v1")
	if len(diags) != 0 || m.Routes[0].URLs[0] != "http://127.0.0.1:8000"+srv.n("/pay") {
		t.Errorf("diagnostics = %v, routes = %+v", diags, m.Routes)
	}

	// A bad value names the variable it came from.
	t.Setenv("KONG_PROXY_URL", "gw.example.com")
	p := &servicehubProvider{version: "test"}
	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	var pr provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: ps.Schema,
		Raw: objectValue(t, ps.Schema.Type(), map[string]string{"admin_url": srv.AdminURL})}}, &pr)
	if !pr.Diagnostics.HasError() || !strings.Contains(pr.Diagnostics.Errors()[0].Detail(), "KONG_PROXY_URL") {
		t.Errorf("diagnostics = %v", pr.Diagnostics)
	}
}
