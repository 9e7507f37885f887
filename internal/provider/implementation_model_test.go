package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

func strPtr(s string) *string { return &s }

func fullImplementation() servicehub.Implementation {
	depth := 2
	verify := true
	return servicehub.Implementation{
		ID: "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", Service: "payments", Version: "v1", Name: "payments-v1",
		Endpoint:       servicehub.Endpoint{Protocol: "https", Host: "pay.internal", Port: 8443, Path: strPtr("/api")},
		Retries:        1,
		ConnectTimeout: 2, WriteTimeout: 3, ReadTimeout: 4,
		ClientCertificateID: strPtr("11111111-1111-4111-8111-111111111111"),
		CACertificates:      []string{"22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"},
		TLSVerify:           &verify,
		TLSVerifyDepth:      &depth,
		Enabled:             false,
		Tags:                []string{"a", "b"},
		CreatedAt:           100,
		UpdatedAt:           200,
	}
}

func TestFlattenExpandRoundTrip(t *testing.T) {
	ctx := context.Background()
	impl := fullImplementation()
	m, diags := flatten(ctx, impl, implementationModel{})
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
	back.UpdatedAt = impl.UpdatedAt // not an input
	if !reflect.DeepEqual(back, impl) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, impl)
	}
}

func TestFlattenNullsAndEmpties(t *testing.T) {
	ctx := context.Background()
	bare := servicehub.Implementation{
		ID: "x", Name: "n", Enabled: true,
		Endpoint: servicehub.Endpoint{Protocol: "http", Host: "h", Port: 80},
	}

	m, _ := flatten(ctx, bare, implementationModel{})
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
	m, _ = flatten(ctx, bare, prior)
	if m.Tags.IsNull() || len(m.Tags.Elements()) != 0 || m.CACertificates.IsNull() || len(m.CACertificates.Elements()) != 0 {
		t.Errorf("empties not kept: tags %v ca %v", m.Tags, m.CACertificates)
	}
	if m.URL.ValueString() != "http://h:80" {
		t.Errorf("equivalent prior url replaced: %v", m.URL)
	}

	// A prior url that no longer matches Kong is replaced: that is drift.
	prior.URL = types.StringValue("http://elsewhere")
	if m, _ = flatten(ctx, bare, prior); m.URL.ValueString() != "http://h" {
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
	if !impl.Enabled || impl.Tags != nil || impl.CACertificates != nil || impl.TLSVerifyDepth != nil || impl.Path != nil {
		t.Errorf("expand = %+v", impl)
	}
}
