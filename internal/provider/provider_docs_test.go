package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// envInDescription is how a provider setting's description names the
// environment variable it falls back to.
var envInDescription = regexp.MustCompile("May also be set with `([A-Z_]+)`")

// settingsTable is the table of provider settings in the registry's index
// page, as the provider's schema says it must read: every setting, its
// environment variable (or none) and whether it is sensitive, by name.
func settingsTable(t *testing.T) string {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	attrs := resp.Provider.Block.Attributes
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
	var b strings.Builder
	b.WriteString("| setting | environment variable | sensitive |\n|---|---|---|\n")
	for _, a := range attrs {
		env := "none"
		if m := envInDescription.FindAllStringSubmatch(a.Description, -1); len(m) == 1 {
			env = "`" + m[0][1] + "`"
		} else if len(m) > 1 {
			t.Errorf("%s: the description names %d environment variables", a.Name, len(m))
		}
		sensitive := "no"
		if a.Sensitive {
			sensitive = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", a.Name, env, sensitive)
	}
	return b.String()
}

// TestProviderSettingsTable: the index page's table of settings is the
// schema's, so a setting added, renamed, given an environment variable or
// made sensitive fails here until the table says so. On failure it prints
// the table to paste into templates/index.md.tmpl (then make generate).
func TestProviderSettingsTable(t *testing.T) {
	const page = "../../templates/index.md.tmpl"
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<!-- settings:begin[^\n]*-->\n(.*?)<!-- settings:end -->`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s has no settings:begin / settings:end markers", page)
	}
	if got, want := string(m[1]), settingsTable(t); got != want {
		t.Errorf("the settings table of %s differs from the provider's schema; it should read:\n\n%s", page, want)
	}
}

// TestProviderSettingsEnvironment: each environment variable the schema
// names is the one Configure reads. Set to a bad value, each one is
// reported on its setting; a token is checked through the rule that
// needs it (a workspace has no meaning on Konnect).
func TestProviderSettingsEnvironment(t *testing.T) {
	vars := map[string]string{}
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range resp.Provider.Block.Attributes {
		if m := envInDescription.FindStringSubmatch(a.Description); m != nil {
			vars[a.Name] = m[1]
			t.Setenv(m[1], "")
		}
	}
	cases := map[string]map[string]string{ // setting → the environment that must be reported on it
		"admin_url":       {"KONG_ADMIN_URL": "kong:8001"},
		"tls_skip_verify": {"KONG_TLS_SKIP_VERIFY": "maybe"},
		"metrics_url":     {"KONG_METRICS_URL": "ftp://kong/metrics"},
		"proxy_url":       {"KONG_PROXY_URL": "ftp://kong:8000"},
		"konnect_url":     {"KONNECT_SERVER_URL": "ftp://eu.api.konghq.com"},
		"workspace":       {"KONG_WORKSPACE": "team-a", "KONNECT_TOKEN": "kpat_x"},
	}
	checked := map[string]bool{}
	for setting, env := range cases {
		t.Run(setting, func(t *testing.T) {
			for k, v := range env {
				t.Setenv(k, v)
				checked[k] = true
			}
			if _, ok := env[vars[setting]]; !ok {
				t.Fatalf("the schema names %q for %s, the test sets %v", vars[setting], setting, env)
			}
			var got []string
			for _, d := range configureProvider(t, nil) {
				if d.Severity == tfprotov6.DiagnosticSeverityError && d.Attribute != nil && len(d.Attribute.Steps()) > 0 {
					if s, ok := d.Attribute.Steps()[0].(tftypes.AttributeName); ok && string(s) == setting {
						return
					}
				}
				got = append(got, d.Summary)
			}
			t.Errorf("%v: no error on %s; diagnostics: %q", env, setting, got)
		})
	}
	for setting, env := range vars {
		if !checked[env] && env != "KONG_ADMIN_TOKEN" { // only sent as a header: TestAccProvider_tokensNeverLogged authenticates with it
			t.Errorf("%s (%s) is not checked here", env, setting)
		}
	}
}
