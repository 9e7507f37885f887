package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccPlugin_atTheProxy: plugins written by servicehub_plugin run at
// the runtime group's proxy, and the version status counts their answers
// (Kong's prometheus plugin counts a 429 or a 401 like any response):
// rate-limiting on the implementation refuses the third call in a minute;
// disabled, it no longer does; key-auth on the route then refuses a call
// without a key.
func TestAccPlugin_atTheProxy(t *testing.T) {
	t.Parallel()
	k := startKong(t, localkong.Options{}).uses("limited", "limited-v1", "lim", "/lim")
	upstream := startUpstream(t)
	config := func(rateLimited bool, keyAuth bool) string {
		c := providerConfig(k.AdminURL, fmt.Sprintf("proxy_url = %q", k.ProxyURL)) + k.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "limited" {
  service = "limited"
  version = "v1"
  name    = "limited-v1"
  url     = %q
}

resource "servicehub_route" "lim" {
  implementation_id = servicehub_implementation.limited.id
  name              = "lim"
  paths             = ["/lim"]
}

resource "servicehub_plugin" "rate_limit" {
  implementation_id = servicehub_implementation.limited.id
  name              = "rate-limiting"
  enabled           = %t
  config            = { minute = 2, policy = "local" }
}

data "servicehub_version_status" "test" {
  service    = "limited"
  version    = "v1"
  depends_on = [servicehub_route.lim, servicehub_plugin.rate_limit]
}
`, upstream, rateLimited))
		if keyAuth {
			c += `
resource "servicehub_plugin" "key_auth" {
  route_id = servicehub_route.lim.id
  name     = "key-auth"
}
`
		}
		return c
	}
	codes := func(want map[string]int64) statecheck.StateCheck {
		checks := map[string]knownvalue.Check{}
		for code, n := range want {
			checks[code] = knownvalue.Int64Exact(n)
		}
		return statecheck.ExpectKnownValue(statusDS, jp("status_codes"), knownvalue.MapExact(checks))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config(true, false), ConfigStateChecks: []statecheck.StateCheck{codes(map[string]int64{})}},
			{
				PreConfig: func() {
					proxyCall(t, k.ProxyURL, "", k.n("/lim"), 200)
					proxyCall(t, k.ProxyURL, "", k.n("/lim"), 200)
					proxyCall(t, k.ProxyURL, "", k.n("/lim"), 429)
					trafficSettled()
				},
				Config:            config(true, false),
				ConfigStateChecks: []statecheck.StateCheck{codes(map[string]int64{"200": 2, "429": 1})},
			},
			{Config: config(false, true)},
			{
				PreConfig: func() {
					proxyCall(t, k.ProxyURL, "", k.n("/lim"), 401)
					trafficSettled()
				},
				Config:            config(false, true),
				ConfigStateChecks: []statecheck.StateCheck{codes(map[string]int64{"200": 2, "429": 1, "401": 1})},
			},
			{
				Config: config(false, false),
				Check: func(*terraform.State) error {
					proxyCall(t, k.ProxyURL, "", k.n("/lim"), 200)
					return nil
				},
			},
		},
	})
}
