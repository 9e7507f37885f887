package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// routeConfigOf builds a servicehub_route configuration: attrs as given,
// everything else null.
func routeConfigOf(t *testing.T, attrs map[string]tftypes.Value) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	NewRouteResource().Schema(ctx, resource.SchemaRequest{}, &sresp)
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

// TestRouteValidateConfig checks which of Kong's errors the resource-level
// check reports, where, and that it stays silent on what the attribute
// validators already report and while values are unknown.
func TestRouteValidateConfig(t *testing.T) {
	type want struct {
		path string // "" for the resource
		text string
	}
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
		// The attribute validators report these; saying them again here
		// would show each twice.
		{"bad method left to its validator", map[string]tftypes.Value{"methods": tfStrings("get")}, nil},
		{"bad regex left to its validator", map[string]tftypes.Value{"paths": tfStrings("~/a(")}, nil},
		{"host header left to its validator", map[string]tftypes.Value{"headers": tfHeaders("Host", "x")}, nil},
		{"bad ip left to its validator", map[string]tftypes.Value{"protocols": tfStrings("tcp"), "sources": tfPeers("nope")}, nil},
		{"unknown protocol left to its validator", map[string]tftypes.Value{"protocols": tfStrings("ftp"), "paths": tfStrings("/a")}, nil},
		// ...but other attributes' errors still are.
		{"combination errors beside element errors", map[string]tftypes.Value{"methods": tfStrings("get"), "sources": tfPeers("10.0.0.1")}, []want{
			{"sources", "cannot set 'sources'"},
		}},
		{"unknown matcher: wait for apply", map[string]tftypes.Value{"paths": unknownList}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp resource.ValidateConfigResponse
			(&routeResource{}).ValidateConfig(context.Background(), resource.ValidateConfigRequest{Config: routeConfigOf(t, tc.attrs)}, &resp)
			got := resp.Diagnostics
			if len(got) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tc.want), diagText(got))
			}
			for _, w := range tc.want {
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
		})
	}
}

func diagText(ds diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		p := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		b.WriteString("  [" + p + "] " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// TestAddRouteError checks that Kong's errors at apply time land on the
// attributes they concern.
func TestAddRouteError(t *testing.T) {
	var diags diag.Diagnostics
	addRouteError(&diags, "create", &kongapi.Error{StatusCode: 400, Code: kongapi.CodeSchemaViolation, Message: "schema violation", Fields: map[string]any{
		"@entity":    []any{"must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"},
		"methods":    []any{nil, "invalid value: get"},
		"sources":    "cannot set 'sources' when 'protocols' is 'http' or 'https'",
		"expression": "unknown field",
	}})
	want := []string{
		"[] Unable to create route: Kong rejected the route: must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'. A route must say which requests it matches.",
		// Not an attribute: reported on the resource, with the field.
		"[] Unable to create route: Kong rejected the route: expression: unknown field.",
		"[methods[1]] Unable to create route: Kong rejected methods: invalid value: get.",
		"[sources] Unable to create route: Kong rejected sources: cannot set 'sources' when 'protocols' is 'http' or 'https'.",
	}
	got := strings.Split(strings.TrimSpace(diagText(diags)), "\n")
	if len(got) != len(want) {
		t.Fatalf("got:\n%s", diagText(diags))
	}
	for i := range want {
		if strings.TrimSpace(got[i]) != want[i] {
			t.Errorf("diagnostic %d:\n got %s\nwant %s", i, strings.TrimSpace(got[i]), want[i])
		}
	}

	diags = nil
	addRouteError(&diags, "update", &kongapi.Error{StatusCode: 400, Code: kongapi.CodeForeignKey,
		Message: "the foreign key '{id=\"x\"}' does not reference an existing 'services' entity.", Fields: map[string]any{"service": map[string]any{"id": "x"}}})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "[implementation_id] Implementation not found") {
		t.Errorf("foreign key error:\n%s", diagText(diags))
	}

	diags = nil
	addRouteError(&diags, "delete", &kongapi.Error{StatusCode: 403, Method: "DELETE", Path: "/routes/x", Message: "Forbidden"})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "Unable to delete route: permission denied") ||
		!strings.Contains(diagText(diags), "lacks permission for Routes in this workspace") {
		t.Errorf("403:\n%s", diagText(diags))
	}

	diags = nil
	addRouteError(&diags, "read", &kongapi.Error{StatusCode: 401, Method: "GET", Path: "/routes/x", Message: "Unauthorized"})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "Unable to read route: Kong rejected the credentials") ||
		!strings.Contains(diagText(diags), "admin_token") {
		t.Errorf("401:\n%s", diagText(diags))
	}
}
