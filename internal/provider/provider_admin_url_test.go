package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// configureProvider runs the provider's ConfigureProvider RPC, as
// Terraform does at plan, with these string settings and the rest null,
// and returns its diagnostics.
func configureProvider(t *testing.T, settings map[string]string) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schema.Provider.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range settings {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("no provider setting %q", name)
		}
		vals[name] = tftypes.NewValue(tftypes.String, v)
	}
	config, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// TestAdminURLWorkspaceWarning: an admin_url whose path is one segment,
// as Kong Gateway Enterprise spells a workspace, warns (naming the
// workspace setting to use instead) when workspace is not set, from the
// configuration or KONG_ADMIN_URL; nothing else does.
func TestAdminURLWorkspaceWarning(t *testing.T) {
	for _, env := range []string{"KONG_ADMIN_URL", "KONG_WORKSPACE", "KONNECT_TOKEN", "KONG_METRICS_URL", "KONNECT_SERVER_URL", "KONG_PROXY_URL"} {
		t.Setenv(env, "")
	}
	const cp = "https://eu.api.konghq.com/v2/control-planes/0b0b7d1a-8c1e-4a6e-9f3a-2d4c5e6f7a8b/core-entities"
	for _, tc := range []struct {
		name     string
		settings map[string]string
		env      string // KONG_ADMIN_URL
		warn     string // a part of the warning's detail; "" for no warning
	}{
		{"workspace in the path", map[string]string{"admin_url": "http://kong:8001/team-a"}, "",
			`Set workspace = "team-a" (or KONG_WORKSPACE) and admin_url = "http://kong:8001" instead`},
		{"trailing slash", map[string]string{"admin_url": "https://kong.example.com:8444/team-a/"}, "",
			`admin_url = "https://kong.example.com:8444"`},
		{"from the environment", nil, "http://kong:8001/team-b", "from the KONG_ADMIN_URL environment variable"},
		{"no path", map[string]string{"admin_url": "http://kong:8001"}, "", ""},
		{"workspace set", map[string]string{"admin_url": "http://kong:8001/kong-admin", "workspace": "team-a"}, "", ""},
		{"proxy prefix of two segments", map[string]string{"admin_url": "https://gw.example.com/kong/admin"}, "", ""},
		{"konnect control plane", map[string]string{"admin_url": cp, "konnect_token": "kpat_x"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KONG_ADMIN_URL", tc.env)
			var warnings []string
			for _, d := range configureProvider(t, tc.settings) {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					t.Fatalf("error: %s: %s", d.Summary, d.Detail)
				}
				warnings = append(warnings, d.Summary+": "+d.Detail)
			}
			if tc.warn == "" {
				if len(warnings) > 0 {
					t.Fatalf("want no warning, got %q", warnings)
				}
				return
			}
			if len(warnings) != 1 || !strings.Contains(warnings[0], "admin_url names a workspace in its path") || !strings.Contains(warnings[0], tc.warn) {
				t.Fatalf("want one warning containing %q, got %q", tc.warn, warnings)
			}
		})
	}
}
