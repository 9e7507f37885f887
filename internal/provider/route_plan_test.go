package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// configOf builds a configuration of r: attrs as given, everything else
// null.
func configOf(t *testing.T, r fwresource.Resource, attrs map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var sresp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	return tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}
}

func tfStrings(ss ...string) tftypes.Value {
	vals := make([]tftypes.Value, len(ss))
	for i, s := range ss {
		vals[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
}

var tfPeerType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"ip": tftypes.String, "port": tftypes.Number}}

func tfPeers(ip string) tftypes.Value {
	return tftypes.NewValue(tftypes.Set{ElementType: tfPeerType}, []tftypes.Value{
		tftypes.NewValue(tfPeerType, map[string]tftypes.Value{
			"ip":   tftypes.NewValue(tftypes.String, ip),
			"port": tftypes.NewValue(tftypes.Number, nil),
		}),
	})
}

func tfHeaders(name string, values ...string) tftypes.Value {
	lt := tftypes.List{ElementType: tftypes.String}
	return tftypes.NewValue(tftypes.Map{ElementType: lt}, map[string]tftypes.Value{name: tfStrings(values...)})
}

// want is one diagnostic a plan-time check must report.
type want struct {
	path string // "" for the resource
	text string
}

// TestRouteValidateConfig checks which of Kong's errors the plan-time check
// reports, where, each once, and that it waits while values are unknown.
func TestRouteValidateConfig(t *testing.T) {
	unknownList := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, tftypes.UnknownValue)
	for _, tc := range []struct {
		name  string
		attrs map[string]tftypes.Value
		want  []want
	}{
		{"valid", map[string]tftypes.Value{"paths": tfStrings("/a")}, nil},
		{"no matcher", map[string]tftypes.Value{"tags": tfStrings("x")}, []want{
			{"", "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"},
		}},
		{"empty matchers count as unset", map[string]tftypes.Value{"protocols": tfStrings("http"), "paths": tfStrings(), "hosts": tfStrings()}, []want{
			{"", "must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"},
		}},
		{"sources with http", map[string]tftypes.Value{"paths": tfStrings("/a"), "sources": tfPeers("10.0.0.1")}, []want{
			{"sources", "Kong would reject sources: cannot set 'sources' when 'protocols' is 'http' or 'https'."},
		}},
		{"tcp with paths", map[string]tftypes.Value{"protocols": tfStrings("tcp"), "paths": tfStrings("/a")}, []want{
			{"", "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"},
			{"paths", "cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'"},
		}},
		{"snis without tls, reported once", map[string]tftypes.Value{"protocols": tfStrings("http"), "paths": tfStrings("/a"), "snis": tfStrings("a.example.com")}, []want{
			{"snis", "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'"},
		}},
		{"grpc strip_path", map[string]tftypes.Value{"protocols": tfStrings("grpc"), "paths": tfStrings("/a"),
			"strip_path": tftypes.NewValue(tftypes.Bool, true)}, []want{
			{"strip_path", "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'"},
		}},
		{"grpc takes Kong's strip_path default", map[string]tftypes.Value{"protocols": tfStrings("grpc"), "paths": tfStrings("/a")}, nil},
		{"mixed protocol families", map[string]tftypes.Value{"protocols": tfStrings("http", "tcp"), "paths": tfStrings("/a")}, []want{
			{"protocols", "these sets are mutually exclusive"},
		}},
		{"header regex the router rejects", map[string]tftypes.Value{"headers": tfHeaders("x-id", "~*a(")}, []want{
			{"", "Router Expression failed validation"},
		}},
		{"bad method", map[string]tftypes.Value{"methods": tfStrings("get")}, []want{
			{"methods[0]", "Kong would reject methods: invalid value: get."},
		}},
		{"bad regex", map[string]tftypes.Value{"paths": tfStrings("~/a(")}, []want{{"paths[0]", "invalid regex: '/a('"}}},
		{"host header", map[string]tftypes.Value{"headers": tfHeaders("Host", "x")}, []want{{"headers", "cannot contain 'host' header"}}},
		{"bad ip", map[string]tftypes.Value{"protocols": tfStrings("tcp"), "sources": tfPeers("nope")}, []want{
			{"sources", "invalid ip or cidr range: 'nope'"},
		}},
		{"unknown protocol", map[string]tftypes.Value{"protocols": tfStrings("ftp"), "paths": tfStrings("/a")}, []want{
			{"protocols", "Kong would reject protocols: unknown type: ftp. Kong's protocols are grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp."},
		}},
		{"element errors beside combination errors", map[string]tftypes.Value{"methods": tfStrings("get"), "sources": tfPeers("10.0.0.1")}, []want{
			{"methods[0]", "invalid value: get"},
			{"sources", "cannot set 'sources'"},
		}},
		{"unknown protocols: field rules still run", map[string]tftypes.Value{"protocols": unknownList, "paths": tfStrings("foo")}, []want{
			{"paths[0]", "should start with: / (fixed path) or ~/ (regex path)"},
		}},
		{"unknown matcher: wait for apply", map[string]tftypes.Value{"paths": unknownList}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp fwresource.ValidateConfigResponse
			(&routeResource{}).ValidateConfig(context.Background(), fwresource.ValidateConfigRequest{Config: configOf(t, &routeResource{}, tc.attrs)}, &resp)
			checkDiags(t, resp.Diagnostics, tc.want)
		})
	}
}

// checkDiags asserts that got holds exactly the errors wanted.
func checkDiags(t *testing.T, got diag.Diagnostics, wanted []want) {
	t.Helper()
	if len(got) != len(wanted) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(wanted), diagText(got))
	}
	for _, w := range wanted {
		found := false
		for _, d := range got {
			p := ""
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				p = wp.Path().String()
			}
			if p == w.path && strings.Contains(d.Detail(), w.text) && d.Severity() == diag.SeverityError {
				found = true
			}
		}
		if !found {
			t.Errorf("no error at %q containing %q in:\n%s", w.path, w.text, diagText(got))
		}
	}
}

func TestAccRoute_planTimeValidation(t *testing.T) {
	t.Parallel()
	// Nothing may reach Kong: a server that is not there proves it.
	config := func(body string) string {
		return providerConfig("http://127.0.0.1:1") + `
resource "servicehub_route" "test" {
  implementation_id = "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"
  name              = "r"
` + body + `
}
`
	}
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: config(body), PlanOnly: true, ExpectError: errorRE(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			step(`methods = ["get"]`, `Invalid methods.*Kong would reject methods: invalid value: get`),
			step(`paths = ["foo"]`, `Invalid paths.*should start with: / \(fixed path\) or ~/ \(regex path\)`),
			step(`paths = ["~/a("]`, `Invalid paths.*invalid regex: '/a\('`),
			step(`headers = { host = ["example.com"] }`, `cannot contain 'host' header, which must be specified in the 'hosts' attribute`),
			step(`headers = { "x foo" = ["1"] }`, `bad header name 'x foo'`),
			step("paths = [\"/a\"]\nsources = [{ ip = \"10.0.0.1\" }]", `Kong would reject sources: cannot set 'sources' when 'protocols' is 'http' or 'https'`),
			step("protocols = [\"tcp\"]\npaths = [\"/a\"]\ndestinations = [{ port = 80 }]", `Kong would reject paths: cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'`),
			step("protocols = [\"tcp\"]\nsources = [{}]", `at least one of these fields must be non-empty: 'ip', 'port'`),
			step(`tags = ["x"]`, `must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'`),
			step("protocols = [\"http\"]\nhosts = []", `must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'`),
			step("protocols = [\"tls_passthrough\"]", `must set snis when 'protocols' is 'tls_passthrough'`),
			step("protocols = [\"http\"]\npaths = [\"/a\"]\nsnis = [\"a.example.com\"]", `'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'`),
			step("protocols = [\"http\", \"tcp\"]\npaths = [\"/a\"]", `these sets are mutually exclusive: \('http', 'https'\), \('tcp', 'tls', 'udp'\)`),
			step("protocols = [\"grpc\"]\npaths = [\"/a\"]\nstrip_path = true", `cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'`),
			step("protocols = [\"ftp\"]\npaths = [\"/a\"]", `Invalid protocols.*Kong would reject protocols: unknown type: ftp`),
			step(`hosts = ["a.*.example.com"]`, `Invalid hosts.*invalid wildcard: must be placed at leftmost or rightmost label`),
			step(`headers = { x-id = ["~*a("] }`, `Router Expression failed validation`),
			step("paths = [\"/a\"]\nmethods = [\"GET\", \"GET\"]", `Duplicate List Value`),
			step("paths = [\"/a\"]\nhttps_redirect_status_code = 300", `Invalid https_redirect_status_code.*expected one of: 426, 301, 302, 307, 308`),
			step("paths = [\"/a\"]\npath_handling = \"v2\"", `Invalid path_handling.*expected one of: v0, v1`),
			step("paths = [\"/a\"]\nsnis = [\"10.0.0.1\"]", `Invalid snis.*must not be an IP`),
			step("protocols = [\"tcp\"]\nsources = [{ ip = \"300.0.0.1\" }]", `Invalid sources.*invalid ip or cidr range: '300.0.0.1'`),
			step("paths = [\"/a\"]\ntags = [\"servicehub:x\"]", `reserved for the provider`),
		},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      strings.Replace(config(`paths = ["/a"]`), `name              = "r"`, `name = "r 1"`, 1),
			PlanOnly:    true,
			ExpectError: errorRE(`Invalid name.*the only accepted ascii characters`),
		}},
	})
}
