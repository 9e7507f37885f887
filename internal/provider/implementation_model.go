package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

type implementationModel struct {
	ID      types.String `tfsdk:"id"`
	Service types.String `tfsdk:"service"`
	Version types.String `tfsdk:"version"`
	Name    types.String `tfsdk:"name"`

	URL      types.String `tfsdk:"url"`
	Protocol types.String `tfsdk:"protocol"`
	Host     types.String `tfsdk:"host"`
	Port     types.Int64  `tfsdk:"port"`
	Path     types.String `tfsdk:"path"`

	Retries        types.Int64 `tfsdk:"retries"`
	ConnectTimeout types.Int64 `tfsdk:"connect_timeout"`
	WriteTimeout   types.Int64 `tfsdk:"write_timeout"`
	ReadTimeout    types.Int64 `tfsdk:"read_timeout"`

	ClientCertificateID types.String `tfsdk:"client_certificate_id"`
	CACertificates      types.List   `tfsdk:"ca_certificates"`
	TLSVerify           types.Bool   `tfsdk:"tls_verify"`
	TLSVerifyDepth      types.Int64  `tfsdk:"tls_verify_depth"`
	Enabled             types.Bool   `tfsdk:"enabled"`
	Tags                types.Set    `tfsdk:"tags"`

	CreatedAt types.Int64 `tfsdk:"created_at"`
	UpdatedAt types.Int64 `tfsdk:"updated_at"`
}

// endpoint reads the url components; ok is false while any is unknown.
func (m implementationModel) endpoint() (servicehub.Endpoint, bool) {
	if m.Protocol.IsUnknown() || m.Host.IsUnknown() || m.Port.IsUnknown() || m.Path.IsUnknown() {
		return servicehub.Endpoint{}, false
	}
	return servicehub.Endpoint{
		Protocol: m.Protocol.ValueString(),
		Host:     m.Host.ValueString(),
		Port:     int(m.Port.ValueInt64()),
		Path:     m.Path.ValueStringPointer(),
	}, true
}

func (m *implementationModel) setEndpoint(e servicehub.Endpoint) {
	m.Protocol = types.StringValue(e.Protocol)
	m.Host = types.StringValue(e.Host)
	m.Port = types.Int64Value(int64(e.Port))
	m.Path = types.StringPointerValue(e.Path)
}

// expand turns a planned model into the implementation to write. The plan
// is fully known at apply time.
func (m implementationModel) expand(ctx context.Context) (servicehub.Implementation, diag.Diagnostics) {
	var diags diag.Diagnostics
	ep, _ := m.endpoint()
	impl := servicehub.Implementation{
		ID:                  m.ID.ValueString(),
		Service:             m.Service.ValueString(),
		Version:             m.Version.ValueString(),
		Name:                m.Name.ValueString(),
		Endpoint:            ep,
		Retries:             int(m.Retries.ValueInt64()),
		ConnectTimeout:      int(m.ConnectTimeout.ValueInt64()),
		WriteTimeout:        int(m.WriteTimeout.ValueInt64()),
		ReadTimeout:         int(m.ReadTimeout.ValueInt64()),
		ClientCertificateID: m.ClientCertificateID.ValueStringPointer(),
		TLSVerify:           m.TLSVerify.ValueBoolPointer(),
		Enabled:             m.Enabled.IsNull() || m.Enabled.ValueBool(),
		CreatedAt:           m.CreatedAt.ValueInt64(),
	}
	if !m.TLSVerifyDepth.IsNull() {
		d := int(m.TLSVerifyDepth.ValueInt64())
		impl.TLSVerifyDepth = &d
	}
	diags.Append(m.CACertificates.ElementsAs(ctx, &impl.CACertificates, false)...)
	diags.Append(m.Tags.ElementsAs(ctx, &impl.Tags, false)...)
	return impl, diags
}

// flatten records what Kong returned. prior is the plan (create, update) or
// the state (read, import); it decides the forms Kong cannot tell apart:
// the url's spelling, and an empty list or set versus none at all.
func flatten(ctx context.Context, impl servicehub.Implementation, prior implementationModel) (implementationModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := implementationModel{
		ID:                  types.StringValue(impl.ID),
		Service:             optionalString(impl.Service),
		Version:             optionalString(impl.Version),
		Name:                optionalString(impl.Name),
		URL:                 types.StringValue(servicehub.SyncURL(prior.URL.ValueString(), impl.Endpoint)),
		Retries:             types.Int64Value(int64(impl.Retries)),
		ConnectTimeout:      types.Int64Value(int64(impl.ConnectTimeout)),
		WriteTimeout:        types.Int64Value(int64(impl.WriteTimeout)),
		ReadTimeout:         types.Int64Value(int64(impl.ReadTimeout)),
		ClientCertificateID: types.StringPointerValue(impl.ClientCertificateID),
		TLSVerify:           types.BoolPointerValue(impl.TLSVerify),
		TLSVerifyDepth:      types.Int64Null(),
		Enabled:             types.BoolValue(impl.Enabled),
		CreatedAt:           types.Int64Value(impl.CreatedAt),
		UpdatedAt:           types.Int64Value(impl.UpdatedAt),
	}
	m.setEndpoint(impl.Endpoint)
	if impl.TLSVerifyDepth != nil {
		m.TLSVerifyDepth = types.Int64Value(int64(*impl.TLSVerifyDepth))
	}

	var d diag.Diagnostics
	m.CACertificates, d = stringList(ctx, impl.CACertificates, prior.CACertificates)
	diags.Append(d...)
	m.Tags, d = stringSet(ctx, impl.Tags, prior.Tags)
	diags.Append(d...)
	return m, diags
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// stringList keeps an empty list empty, and absent absent: Kong (through
// go-kong) reports both as nothing, and either difference would be a
// perpetual diff.
func stringList(ctx context.Context, vals []string, prior types.List) (types.List, diag.Diagnostics) {
	if len(vals) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return types.ListValueMust(types.StringType, []attr.Value{}), nil
		}
		return types.ListNull(types.StringType), nil
	}
	return types.ListValueFrom(ctx, types.StringType, vals)
}

func stringSet(ctx context.Context, vals []string, prior types.Set) (types.Set, diag.Diagnostics) {
	if len(vals) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return types.SetValueMust(types.StringType, []attr.Value{}), nil
		}
		return types.SetNull(types.StringType), nil
	}
	return types.SetValueFrom(ctx, types.StringType, vals)
}
