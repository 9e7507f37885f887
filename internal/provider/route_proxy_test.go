package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
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
	srv := startKong(t, localkong.Options{}).uses("echo-v1", "echo", "/foo")
	upstream := startUpstream(t)
	foo := srv.n("/foo")
	config := func(strip bool) string {
		return providerConfig(srv.AdminURL) + srv.hcl(implConfig("echo", "echo-v1", upstream)+
			routeConfig("test", "echo", fmt.Sprintf(`
  name       = "echo"
  methods    = ["GET"]
  paths      = ["/foo"]
  strip_path = %t
`, strip)))
	}
	type echo struct{ Method, Path string }
	// get requests path through the proxy and checks the status and the
	// path the upstream saw ("" when the upstream must not be reached).
	get := func(method, path string, wantStatus int, wantPath string) resource.TestCheckFunc {
		answered := func(status int, body []byte) (echo, error) {
			var e echo
			if status != wantStatus {
				return e, fmt.Errorf("%s %s: status %d, want %d", method, path, status, wantStatus)
			}
			if wantPath == "" {
				return e, nil
			}
			if err := json.Unmarshal(body, &e); err != nil {
				return e, fmt.Errorf("%s %s: not the upstream's answer: %w", method, path, err)
			}
			if e.Path != wantPath || e.Method != method {
				return e, fmt.Errorf("%s %s reached the upstream as %s %s, want %s %s", method, path, e.Method, e.Path, method, wantPath)
			}
			return e, nil
		}
		return func(*terraform.State) error {
			status, body, err := proxyGet(srv.ProxyURL, method, "", path, func(status int, body []byte) bool {
				_, err := answered(status, body)
				return err == nil
			})
			if err != nil {
				return err
			}
			_, err = answered(status, body)
			return err
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config(true),
				Check: resource.ComposeAggregateTestCheckFunc(
					get(http.MethodGet, foo+"/bar", http.StatusOK, "/bar"),
					get(http.MethodGet, foo, http.StatusOK, "/"),
					get(http.MethodPost, foo+"/bar", http.StatusNotFound, ""),
					get(http.MethodGet, srv.n("/other"), http.StatusNotFound, ""),
				),
			},
			{
				Config: config(false),
				Check: resource.ComposeAggregateTestCheckFunc(
					get(http.MethodGet, foo+"/bar", http.StatusOK, foo+"/bar"),
				),
			},
		},
	})
}

// TestAccRoute_example applies the documentation example as written.
func TestAccRoute_example(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1", "payments-v1-api", "ledger-db", "ledger-db-v1")
	example, err := os.ReadFile("../../examples/resources/servicehub_route/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	config := providerConfig(srv.AdminURL) + srv.hcl(string(example))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			emptyPlanStep(config),
		},
	})
}
