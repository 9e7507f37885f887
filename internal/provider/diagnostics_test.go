package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// rejected is Kong's schema violation as servicehub reports it.
func rejected(fields map[string]any) *servicehub.RejectedError {
	return &servicehub.RejectedError{Fields: kongschema.FlattenFields(fields), Err: errors.New("schema violation")}
}

func implementationNamed(id, name string) servicehub.Implementation {
	return servicehub.Implementation{Gateway: kong.Service{ID: kong.String(id), Name: kong.String(name)}}
}

func TestAddEntityError_implementation(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantPaths []path.Path // attribute diagnostics, in order
		wantText  []string
	}{
		{
			name: "schema violation names attributes",
			err: rejected(map[string]any{
				"@entity":            []any{"failed conditional validation given value of field 'protocol'"},
				"tls_verify":         "value must be null",
				"client_certificate": map[string]any{"id": "expected a valid UUID"},
				"ca_certificates":    []any{nil, "expected a valid UUID"},
			}),
			wantPaths: []path.Path{
				path.Empty(),
				path.Root("ca_certificates").AtListIndex(1),
				path.Root("client_certificate_id"),
				path.Root("tls_verify"),
			},
			wantText: []string{"failed conditional validation", "value must be null"},
		},
		{
			name:      "unknown field goes to the resource",
			err:       rejected(map[string]any{"foo": "unknown field"}),
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"foo: unknown field"},
		},
		{
			name:      "version taken",
			err:       &servicehub.VersionTakenError{Service: "pay", Version: "v1", Existing: implementationNamed("id-1", "pay-v1")},
			wantPaths: []path.Path{path.Root("version")},
			wantText:  []string{`Gateway Service "pay-v1" (id id-1)`, "terraform import servicehub_implementation.<name> pay-v1"},
		},
		{
			name:      "name taken",
			err:       &servicehub.NameTakenError{Name: "pay-v1", ID: "id-2"},
			wantPaths: []path.Path{path.Root("name")},
			wantText:  []string{`A Gateway Service named "pay-v1" already exists in this runtime group (id id-2)`},
		},
		{
			name:      "401 explains the token settings",
			err:       &servicehub.AccessError{Status: 401, Err: errors.New("GET /services: HTTP 401: Invalid credentials. Token or User credentials required")},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"Kong rejected the credentials", "admin_token", "konnect_token"},
		},
		{
			name:      "403 names what the token may not touch",
			err:       &servicehub.AccessError{Status: 403, Err: errors.New("PUT /services/pay-v1: HTTP 403: Forbidden")},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"Unable to create implementation: permission denied", "lacks permission for Gateway Services in this workspace"},
		},
		{
			name: "still referenced by routes",
			err: &servicehub.RejectedError{ReferencedBy: "routes",
				Err: errors.New("DELETE /services/x: HTTP 400: an existing 'routes' entity references this 'services' entity")},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"still in use", "routes still reference"},
		},
		{
			name:      "transport error",
			err:       errors.New("GET http://kong/services: connection refused"),
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"connection refused"},
		},
		{
			name: "missing certificate",
			err: &servicehub.MissingReferenceError{Field: "client_certificate", Err: errors.New("foreign key"),
				Message: `the foreign key '{id="x"}' does not reference an existing 'certificates' entity.`},
			wantPaths: []path.Path{path.Root("client_certificate_id")},
			wantText:  []string{"Certificate not found", `There is no certificate with this id in the runtime group: the foreign key '{id="x"}'`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addEntityError(&diags, implementationKong, "create", tt.err)
			if len(diags) != len(tt.wantPaths) {
				t.Fatalf("got %d diagnostics, want %d: %v", len(diags), len(tt.wantPaths), diags)
			}
			var all strings.Builder
			for i, d := range diags {
				var got path.Path
				if wp, ok := d.(diag.DiagnosticWithPath); ok {
					got = wp.Path()
				}
				if got.String() != tt.wantPaths[i].String() {
					t.Errorf("diagnostic %d path = %s, want %s", i, got, tt.wantPaths[i])
				}
				all.WriteString(d.Summary() + "\n" + d.Detail() + "\n")
			}
			for _, want := range tt.wantText {
				if !strings.Contains(all.String(), want) {
					t.Errorf("diagnostics lack %q:\n%s", want, all.String())
				}
			}
		})
	}
}

// TestAddEntityError_route checks that Kong's errors at apply time land on
// the attributes they concern.
func TestAddEntityError_route(t *testing.T) {
	var diags diag.Diagnostics
	addEntityError(&diags, routeKong, "create", rejected(map[string]any{
		"@entity":    []any{"must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"},
		"methods":    []any{nil, "invalid value: get"},
		"sources":    "cannot set 'sources' when 'protocols' is 'http' or 'https'",
		"expression": "unknown field",
	}))
	want := []string{
		"[] Unable to create route: Kong rejected the route: must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'. A route must say which requests it matches.",
		// Not an attribute: reported on the resource, with the field.
		"[] Unable to create route: Kong rejected the route: expression: unknown field.",
		"[methods[1]] Unable to create route: Kong rejected methods: invalid value: get. HTTP methods are upper case: \"GET\".",
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

	// The default protocols are said where Kong's message names protocols
	// and the configuration did not set them; at apply time (set nil) the
	// configuration is not known, so nothing is said.
	const mustSet = "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"
	const def = `the route's protocols are the default, ["http", "https"]`
	for _, tc := range []struct {
		set  map[string]bool
		want bool
	}{{map[string]bool{"tags": true}, true}, {map[string]bool{"protocols": true}, false}, {nil, false}} {
		if got := routeKong.note("", mustSet, tc.set); strings.Contains(got, def) != tc.want || !strings.Contains(got, "A route must say which requests it matches.") {
			t.Errorf("set %v: note %q", tc.set, got)
		}
	}
	if got := routeKong.note("paths", "invalid value: get", nil); got != "" {
		t.Errorf("the methods note on paths: %q", got)
	}

	diags = nil
	addEntityError(&diags, routeKong, "update", &servicehub.MissingReferenceError{Field: "service", Err: errors.New("foreign key"),
		Message: "the foreign key '{id=\"x\"}' does not reference an existing 'services' entity."})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "[implementation_id] Implementation not found") {
		t.Errorf("foreign key error:\n%s", diagText(diags))
	}

	diags = nil
	addEntityError(&diags, routeKong, "delete", &servicehub.AccessError{Status: 403, Err: errors.New("DELETE /routes/x: HTTP 403: Forbidden")})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "Unable to delete route: permission denied") ||
		!strings.Contains(diagText(diags), "lacks permission for Routes in this workspace") {
		t.Errorf("403:\n%s", diagText(diags))
	}

	diags = nil
	addEntityError(&diags, routeKong, "read", &servicehub.AccessError{Status: 401, TokenSent: true, Err: errors.New("GET /routes/x: HTTP 401: Unauthorized")})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "Unable to read route: Kong rejected the credentials") ||
		!strings.Contains(diagText(diags), "admin_token") {
		t.Errorf("401:\n%s", diagText(diags))
	}

	diags = nil
	addEntityError(&diags, routeKong, "create", &servicehub.RouteNameTakenError{Name: "foo", ID: "id-1"})
	if len(diags) != 1 || !strings.Contains(diagText(diags), "[name] Route name already in use") ||
		!strings.Contains(diagText(diags), "terraform import servicehub_route.<name> foo") {
		t.Errorf("name taken:\n%s", diagText(diags))
	}
}
