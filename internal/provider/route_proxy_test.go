package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccRoute_proxy sends real requests through localkong's proxy to an
// upstream, with strip_path on and then off.
func TestAccRoute_proxy(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	upstream := httptest.NewServer(localkong.NewUpstream())
	t.Cleanup(upstream.Close)
	config := func(strip bool) string {
		return providerConfig(srv.AdminURL) + implConfig("echo", "echo-v1", upstream.URL) +
			routeConfig("test", "echo", fmt.Sprintf(`
  name       = "echo"
  methods    = ["GET"]
  paths      = ["/foo"]
  strip_path = %t
`, strip))
	}
	// get requests path through the proxy and returns the path the
	// upstream saw.
	get := func(method, path string, wantStatus int, wantPath string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			req, err := http.NewRequest(method, srv.ProxyURL+path, nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != wantStatus {
				return fmt.Errorf("%s %s: status %d, want %d", method, path, resp.StatusCode, wantStatus)
			}
			if wantPath == "" {
				return nil
			}
			var echo struct {
				Method, Path string
			}
			if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
				return fmt.Errorf("%s %s: not the upstream's answer: %w", method, path, err)
			}
			if echo.Path != wantPath || echo.Method != method {
				return fmt.Errorf("%s %s reached the upstream as %s %s, want %s %s", method, path, echo.Method, echo.Path, method, wantPath)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(true),
				Check: resource.ComposeAggregateTestCheckFunc(
					get(http.MethodGet, "/foo/bar", http.StatusOK, "/bar"),
					get(http.MethodGet, "/foo", http.StatusOK, "/"),
					get(http.MethodPost, "/foo/bar", http.StatusNotFound, ""),
					get(http.MethodGet, "/other", http.StatusNotFound, ""),
				),
			},
			{
				Config: config(false),
				Check: resource.ComposeAggregateTestCheckFunc(
					get(http.MethodGet, "/foo/bar", http.StatusOK, "/foo/bar"),
				),
			},
		},
	})
}

// TestAccRoute_example applies the documentation example as written.
func TestAccRoute_example(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	example, err := os.ReadFile("../../examples/resources/servicehub_route/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	config := providerConfig(srv.AdminURL) + string(example)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			emptyPlanStep(config),
		},
	})
}
