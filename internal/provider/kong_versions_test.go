package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccKongVersions: on each Kong, everything every Kong 3.4–3.10 has
// applies (so nothing the configuration leaves unset is sent: Kong 3.4
// refuses even "tls_sans": null), and each field or value the Kong lacks
// fails at apply, on its attribute, naming the release that has it, with
// nothing sent. In-process against localkong playing 3.4 (LTS), 3.6 (the
// newest release whose routes differ from 3.10's: no wildcard snis),
// 3.10 and Kong Gateway Enterprise 3.10.0.6; against an external Kong,
// that Kong.
func TestAccKongVersions(t *testing.T) {
	t.Parallel()
	if extKong != nil {
		testKongVersion(t, startKong(t, localkong.Options{}))
		return
	}
	for _, v := range []string{"3.4.2", "3.6.1", "3.10.0", "3.10.0.6"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			testKongVersion(t, startKong(t, localkong.Options{Version: v}))
		})
	}
}

func testKongVersion(t *testing.T, srv *testKong) {
	srv.uses("versions", "versions-v1", "versions-route")
	const upstream = `
  url              = "https://versions.internal:8443/api"
  tls_verify       = true
  tls_verify_depth = 3`
	config := func(implExtra, snis string) string {
		return providerConfig(srv.AdminURL) + srv.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service      = "versions"
  version      = "v1"
  name         = "versions-v1"
  retries      = 2
  read_timeout = 1000
  tags         = ["a"]
  %s
}

resource "servicehub_route" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "versions-route"
  protocols         = ["https"]
  methods           = ["GET"]
  paths             = ["/versions", "~/versions/\\d+$"]
  hosts             = ["*.versions.example.com"]
  headers           = { x-v = ["1"] }
  snis              = [%s]
  regex_priority    = 3
  tags              = ["a"]
}
`, implExtra, snis))
	}
	base := config(upstream, `"versions.example.com"`)
	// step applies config when Kong has f, and otherwise expects f's
	// error on attr, leaving Kong as it was.
	step := func(f kongschema.Feature, attr, cfg string) resource.TestStep {
		if f.In(srv.Version, srv.Flavor) {
			return resource.TestStep{Config: cfg}
		}
		return resource.TestStep{
			Config: cfg,
			ExpectError: errorRE(`Not available in this Kong: ` + regexp.QuoteMeta(f.What) + `.*` + attr + ` =.*` +
				regexp.QuoteMeta(f.What) + ` needs ` + regexp.QuoteMeta(f.Since) + `. The runtime group's Kong is ` +
				regexp.QuoteMeta(srv.Version.Describe())),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: base,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, jp("tls_sans"), knownvalue.Null()),
					statecheck.ExpectKnownValue(routeRes, jp("snis"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("versions.example.com")})),
				},
			},
			step(kongschema.FeatureTLSSANs, "tls_sans", config(upstream+"\n  tls_sans = { dnsnames = [\"versions.internal\"] }", `"versions.example.com"`)),
			step(kongschema.FeatureWildcardSNIs, "snis", config(upstream, `"versions.example.com", "*.versions.example.org"`)),
			step(kongschema.FeatureWebSocket, "protocol", config("protocol = \"wss\"\n  host = \"versions.internal\"", `"versions.example.com"`)),
			// Back where it started: the refused steps changed nothing.
			{Config: base},
			emptyPlanStep(base),
		},
	})
}
