package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

func fullImplementation() servicehub.Implementation {
	return servicehub.Implementation{Service: "payments", Version: "v1", Gateway: kong.Service{
		ID: kong.String("6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"), Name: kong.String("payments-v1"),
		Protocol: kong.String("https"), Host: kong.String("pay.internal"), Port: kong.Int(8443), Path: kong.String("/api"),
		Retries:        kong.Int(1),
		ConnectTimeout: kong.Int(2), WriteTimeout: kong.Int(3), ReadTimeout: kong.Int(4),
		ClientCertificate: &kong.Certificate{ID: kong.String("11111111-1111-4111-8111-111111111111")},
		CACertificates:    kong.StringSlice("22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"),
		TLSVerify:         kong.Bool(true),
		TLSVerifyDepth:    kong.Int(2),
		Enabled:           kong.Bool(false),
		Tags:              kong.StringSlice("a", "b"),
		CreatedAt:         kong.Int(100),
		UpdatedAt:         kong.Int(200),
	}}
}

func TestFlattenExpandRoundTrip(t *testing.T) {
	ctx := context.Background()
	impl := fullImplementation()
	m, diags := flatten(ctx, impl, implementationModel{}, tagging{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := m.URL.ValueString(); got != "https://pay.internal:8443/api" {
		t.Errorf("url = %q", got)
	}
	back, diags := m.expand(ctx)
	if diags.HasError() {
		t.Fatal(diags)
	}
	back.Gateway.UpdatedAt = impl.Gateway.UpdatedAt // not an input
	if !reflect.DeepEqual(back, impl) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, impl)
	}
}

func TestFlattenNullsAndEmpties(t *testing.T) {
	ctx := context.Background()
	bare := servicehub.Implementation{Gateway: kong.Service{
		ID: kong.String("x"), Name: kong.String("n"), Enabled: kong.Bool(true),
		Protocol: kong.String("http"), Host: kong.String("h"), Port: kong.Int(80),
	}}

	m, _ := flatten(ctx, bare, implementationModel{}, tagging{})
	for name, v := range map[string]attr.Value{
		"service": m.Service, "version": m.Version, "path": m.Path, "tags": m.Tags,
		"ca_certificates": m.CACertificates, "tls_verify": m.TLSVerify, "tls_verify_depth": m.TLSVerifyDepth,
		"client_certificate_id": m.ClientCertificateID,
	} {
		if !v.IsNull() {
			t.Errorf("%s = %v, want null", name, v)
		}
	}

	// An empty list or set in the prior value stays empty: Kong cannot
	// tell it from none, and flipping it would be a perpetual diff.
	prior := implementationModel{
		Tags:           types.SetValueMust(types.StringType, []attr.Value{}),
		CACertificates: types.ListValueMust(types.StringType, []attr.Value{}),
		URL:            types.StringValue("http://h:80"),
	}
	m, _ = flatten(ctx, bare, prior, tagging{})
	if m.Tags.IsNull() || len(m.Tags.Elements()) != 0 || m.CACertificates.IsNull() || len(m.CACertificates.Elements()) != 0 {
		t.Errorf("empties not kept: tags %v ca %v", m.Tags, m.CACertificates)
	}
	if m.URL.ValueString() != "http://h:80" {
		t.Errorf("equivalent prior url replaced: %v", m.URL)
	}

	// A prior url that no longer matches Kong is replaced: that is drift.
	prior.URL = types.StringValue("http://elsewhere")
	if m, _ = flatten(ctx, bare, prior, tagging{}); m.URL.ValueString() != "http://h" {
		t.Errorf("drifted url kept: %v", m.URL)
	}
}

func TestExpandDefaults(t *testing.T) {
	m := implementationModel{
		Enabled:        types.BoolNull(),
		Tags:           types.SetNull(types.StringType),
		CACertificates: types.ListNull(types.StringType),
		TLSVerifyDepth: types.Int64Null(),
		Path:           types.StringNull(),
	}
	impl, diags := m.expand(context.Background())
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s := impl.Gateway; s.Enabled != nil || s.Tags != nil || s.CACertificates != nil || s.TLSVerifyDepth != nil || s.Path != nil {
		t.Errorf("expand = %+v", impl)
	}
}

// TestSyncURL: the user's own url spelling survives while it still
// expands to what Kong holds; otherwise the canonical url replaces it.
func TestSyncURL(t *testing.T) {
	e := kongschema.URLParts{Protocol: "http", Host: "service.test", Port: 80, Path: strPtr("/api")}
	if got := syncURL("http://service.test:80/api", e); got != "http://service.test:80/api" {
		t.Errorf("equivalent spelling replaced: %q", got)
	}
	if got := syncURL("http://other.test/api", e); got != "http://service.test/api" {
		t.Errorf("drifted url kept: %q", got)
	}
	if got := syncURL("", e); got != "http://service.test/api" {
		t.Errorf("no prior: %q", got)
	}
}
