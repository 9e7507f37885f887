package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

func TestAddKongError(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		wantPaths []path.Path // attribute diagnostics, in order
		wantText  []string
	}{
		{
			name: "schema violation names attributes",
			err: &kongapi.Error{StatusCode: 400, Code: 2, Message: "3 schema violations", Fields: map[string]any{
				"@entity":            []any{"failed conditional validation given value of field 'protocol'"},
				"tls_verify":         "value must be null",
				"client_certificate": map[string]any{"id": "expected a valid UUID"},
				"ca_certificates":    []any{nil, "expected a valid UUID"},
			}},
			wantPaths: []path.Path{
				path.Root("ca_certificates").AtListIndex(1),
				path.Root("client_certificate_id"),
				path.Root("tls_verify"),
				path.Empty(),
			},
			wantText: []string{"failed conditional validation", "value must be null"},
		},
		{
			name:      "unknown field goes to the resource",
			err:       &kongapi.Error{StatusCode: 400, Code: 2, Message: "schema violation (foo: unknown field)", Fields: map[string]any{"foo": "unknown field"}},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"foo: unknown field"},
		},
		{
			name:      "version taken",
			err:       &servicehub.VersionTakenError{Service: "pay", Version: "v1", Existing: servicehub.Implementation{ID: "id-1", Name: "pay-v1"}},
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
			err:       &kongapi.Error{StatusCode: 401, Method: "GET", Path: "/services", Message: "Invalid credentials. Token or User credentials required"},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"Kong rejected the credentials", "admin_token", "konnect_token"},
		},
		{
			name:      "403 names what the token may not touch",
			err:       &kongapi.Error{StatusCode: 403, Method: "PUT", Path: "/services/pay-v1", Message: "Forbidden"},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"Unable to create implementation: permission denied", "lacks permission for Gateway Services in this workspace"},
		},
		{
			name: "still referenced by routes",
			err: &kongapi.Error{StatusCode: 400, Code: 4, Message: "an existing 'routes' entity references this 'services' entity",
				Fields: map[string]any{"@referenced_by": "routes"}},
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"still in use", "routes still reference"},
		},
		{
			name:      "transport error",
			err:       errors.New("GET http://kong/services: connection refused"),
			wantPaths: []path.Path{path.Empty()},
			wantText:  []string{"connection refused"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var diags diag.Diagnostics
			addKongError(&diags, "create", tt.err)
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
