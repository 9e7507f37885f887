package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// konnect_url overrides where the catalog is reached: here a proxy in
// front of localkong, which must see the catalog's requests (and admin_url
// none of them).
func TestAccProvider_konnectURL(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	target, _ := url.Parse(srv.AdminURL)
	var seen atomic.Int64
	rp := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v3/") {
			seen.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      konnectProvider(srv, `konnect_url = "ftp://x"`) + serviceVersionConfig("p", "v1", ""),
				ExpectError: errorRE(`Invalid Konnect URL.*scheme must be http or https`),
			},
			{
				Config: konnectProvider(srv, `konnect_url = "`+front.URL+`/"`) + serviceVersionConfig("p", "v1", ""),
				Check: func(*terraform.State) error {
					if seen.Load() == 0 {
						return fmt.Errorf("no catalog request went through konnect_url")
					}
					return nil
				},
			},
		},
	})
}

// konnectConfigure configures the provider in-process with attrs.
func konnectConfigure(t *testing.T, attrs map[string]string) (provider.ConfigureResponse, *servicehub.Client) {
	t.Helper()
	ctx := context.Background()
	p := &servicehubProvider{version: "test"}
	var ps provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &ps)
	var pr provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: ps.Schema, Raw: objectValue(t, ps.Schema.Type(), attrs)}}, &pr)
	client, _ := pr.ResourceData.(*servicehub.Client)
	return pr, client
}

// The control plane id and the catalog's base come from a control plane's
// admin_url; a Kong Gateway admin_url has no catalog, and a konnect_url
// given with one is a warning, not an error.
func TestProvider_konnectDerivation(t *testing.T) {
	// Not parallel: the environment must not choose for the configuration
	// (make testacc-external sets KONG_METRICS_URL, a user's shell may too).
	for _, env := range []string{"KONG_METRICS_URL", "KONG_PROXY_URL", "KONNECT_SERVER_URL", "KONG_ADMIN_URL"} {
		t.Setenv(env, "")
	}
	pr, c := konnectConfigure(t, map[string]string{
		"admin_url": "https://eu.api.konghq.com/v2/control-planes/7d5e0a3c-1b2f-4e6a-8c9d-0e1f2a3b4c5d/core-entities", "konnect_token": "kpat_x",
	})
	if pr.Diagnostics.HasError() || c.Catalog.Available() != nil || c.Catalog.ControlPlaneID() != "7d5e0a3c-1b2f-4e6a-8c9d-0e1f2a3b4c5d" || c.Analytics == nil {
		t.Fatalf("Konnect admin_url: %v, catalog %v", pr.Diagnostics, c.Catalog.Available())
	}
	pr, c = konnectConfigure(t, map[string]string{
		"admin_url": "https://eu.api.konghq.com/v2/control-planes/7d5e0a3c-1b2f-4e6a-8c9d-0e1f2a3b4c5d/core-entities", "konnect_token": "kpat_x",
		"metrics_url": "http://dp:8100/metrics",
	})
	if pr.Diagnostics.HasError() || c.Analytics != nil {
		t.Fatalf("metrics_url given: analytics must stay off (%v)", pr.Diagnostics)
	}
	pr, c = konnectConfigure(t, map[string]string{"admin_url": "http://kong:8001", "konnect_url": "https://us.api.konghq.com"})
	if pr.Diagnostics.HasError() || pr.Diagnostics.WarningsCount() != 1 || c.Catalog.Available() == nil ||
		!strings.Contains(pr.Diagnostics.Warnings()[0].Detail(), "admin_url is not a Konnect control plane") {
		t.Fatalf("Kong Gateway with konnect_url: %v", pr.Diagnostics)
	}
}
