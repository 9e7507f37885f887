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

// kongOutcomes pins, per Kong release, which of the values only some Kong
// 3.x has apply there, read from Kong's own source and releases, not from
// kongschema's feature table: the provider's gate and localkong both follow
// that table, so a mistake in it would pass against localkong. Each row
// holds from its release to the next row of the same edition (Kong OSS,
// three numbers; Kong Gateway Enterprise, four), which is how a row is
// found for an external Kong too.
var kongOutcomes = []struct {
	kong                              string
	tlsSANs, wildcardSNIs, webSockets bool
	source                            string
}{
	{"3.4.2", false, false, false, "Kong/kong 3.4.2: services.lua has no tls_sans; routes.lua snis elements = typedefs.sni (no wildcard); " +
		"constants.lua protocols_with_subsystem has no ws, wss"},
	{"3.4.3.12", false, false, true, "Kong Gateway Enterprise 3.4: WebSocket services (ws, wss: the EE constants.lua's \"EE websockets\") since 3.0.0.0; " +
		"snis as Kong 3.4; tls_sans only from 3.10.0.6"},
	{"3.6.1", false, false, false, "Kong/kong 3.6.1: routes.lua snis still typedefs.sni"},
	{"3.7.0", false, true, false, "Kong/kong 3.7.0: routes.lua snis_elements_type = typedefs.wildcard_host unless router_flavor is traditional (commit 4268427c78, CHANGELOG 3.7.0)"},
	{"3.10.0", false, true, false, "Kong/kong master (3.10.0): as 3.7 for snis; still no tls_sans, ws or wss in Kong OSS"},
	{"3.10.0.5", false, true, true, "Kong Gateway Enterprise 3.10.0.5: tls_sans is newer (go-kong TestServiceWithTLSSANs: RunWhenEnterprise \">=3.10.0.6\")"},
	{"3.10.0.6", true, true, true, "Kong Gateway Enterprise 3.10.0.6: services.tls_sans (changelog 3.10.0.6; go-kong TestServiceWithTLSSANs)"},
}

// kongOutcome is the row for Kong v, with router flavour flavor (snis take
// wildcards only outside traditional: routes.lua); ok is false for a Kong
// older than every row of its edition.
func kongOutcome(v kongschema.Version, flavor string) (tlsSANs, wildcardSNIs, webSockets bool, source string, ok bool) {
	for _, r := range kongOutcomes {
		rv := kongschema.MustParseVersion(r.kong)
		if rv.Enterprise == v.Enterprise && v.AtLeast(rv) {
			tlsSANs, wildcardSNIs, webSockets, source, ok = r.tlsSANs, r.wildcardSNIs && flavor != "traditional", r.webSockets, r.source, true
		}
	}
	return tlsSANs, wildcardSNIs, webSockets, source, ok
}

// TestAccKongVersions: on each Kong, everything every Kong 3.4–3.10 has
// applies (so nothing the configuration leaves unset is sent: Kong 3.4
// refuses even "tls_sans": null), and each field or value the Kong lacks
// fails at apply, on its attribute, naming the release that has it, with
// nothing sent; which ones apply is kongOutcomes'. In-process against
// localkong playing each release of kongOutcomes; against an external
// Kong, that Kong.
func TestAccKongVersions(t *testing.T) {
	t.Parallel()
	if extKong != nil {
		testKongVersion(t, startKong(t, localkong.Options{}))
		return
	}
	for _, r := range kongOutcomes {
		t.Run(r.kong, func(t *testing.T) {
			t.Parallel()
			testKongVersion(t, startKong(t, localkong.Options{Version: r.kong}))
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
	tlsSANs, wildcardSNIs, webSockets, source, ok := kongOutcome(srv.Version, srv.Flavor)
	if !ok {
		t.Skipf("no outcome pinned for %s: add a row to kongOutcomes", srv.Version.Describe())
	}
	t.Logf("%s (%s): tls_sans %v, wildcard snis %v, ws/wss %v — %s", srv.Version, srv.Flavor, tlsSANs, wildcardSNIs, webSockets, source)
	// step applies config when Kong has it, and otherwise expects f's
	// error on attr, leaving Kong as it was.
	step := func(has bool, f kongschema.Feature, attr, cfg string) resource.TestStep {
		if has {
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
			step(tlsSANs, kongschema.FeatureTLSSANs, "tls_sans", config(upstream+"\n  tls_sans = { dnsnames = [\"versions.internal\"] }", `"versions.example.com"`)),
			step(wildcardSNIs, kongschema.FeatureWildcardSNIs, "snis", config(upstream, `"versions.example.com", "*.versions.example.org"`)),
			step(webSockets, kongschema.FeatureWebSocket, "protocol", config("protocol = \"wss\"\n  host = \"versions.internal\"", `"versions.example.com"`)),
			// Back where it started: the refused steps changed nothing.
			{Config: base},
			emptyPlanStep(base),
		},
	})
}
