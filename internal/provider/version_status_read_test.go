package provider

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

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
		{"konnect", map[string]string{"admin_url": cp, "konnect_token": "kpat_x"},
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
		Name: kong.String("payments-v1"), URL: kong.String("http://payments.internal"),
		Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Routes.CreateInService(ctx, svc.ID, &kong.Route{Name: kong.String("pay"), Paths: kong.StringSlice("/pay")}); err != nil {
		t.Fatal(err)
	}
	refused := freeURL(t, "/metrics")
	t.Setenv("KONG_PROXY_URL", "https://gw.example.com:9443/kong/")
	t.Setenv("KONG_METRICS_URL", refused)

	diags, m := readVersionStatus(t, map[string]string{"admin_url": srv.AdminURL}, "payments", "v1")
	if diags.WarningsCount() != 1 || !strings.Contains(diags.Warnings()[0].Detail(), refused) {
		t.Errorf("diagnostics = %v", diags)
	}
	if len(m.Routes) != 1 || len(m.Routes[0].URLs) != 1 || m.Routes[0].URLs[0] != "https://gw.example.com:9443/kong/pay" {
		t.Errorf("routes = %+v", m.Routes)
	}

	// The attributes win over the environment.
	diags, m = readVersionStatus(t, map[string]string{"admin_url": srv.AdminURL, "metrics_url": srv.AdminURL + "/metrics", "proxy_url": "http://127.0.0.1:8000"},
		"payments", "v1")
	if len(diags) != 0 || m.Routes[0].URLs[0] != "http://127.0.0.1:8000/pay" {
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
