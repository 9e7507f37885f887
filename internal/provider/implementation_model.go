package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

type implementationModel struct {
	ID      types.String `tfsdk:"id"`
	Service types.String `tfsdk:"service"`
	Version types.String `tfsdk:"version"`
	Name    types.String `tfsdk:"name"`
	// ServiceVersionID is not Kong's: the catalog link (implementation_link.go).
	ServiceVersionID types.String `tfsdk:"service_version_id"`

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
	TLSSANs             types.Object `tfsdk:"tls_sans"`
	Enabled             types.Bool   `tfsdk:"enabled"`
	Tags                types.Set    `tfsdk:"tags"`
	// TagsAll and ForceDestroy are the provider's: tags with its
	// default_tags (tags.go), and what a destroy may take down with the
	// Gateway Service (servicehub/guard.go).
	TagsAll      types.Set  `tfsdk:"tags_all"`
	ForceDestroy types.Bool `tfsdk:"force_destroy"`

	CreatedAt types.Int64 `tfsdk:"created_at"`
	UpdatedAt types.Int64 `tfsdk:"updated_at"`
}

// endpoint reads the url components; ok is false while any is unknown.
func (m implementationModel) endpoint() (kongschema.URLParts, bool) {
	if m.Protocol.IsUnknown() || m.Host.IsUnknown() || m.Port.IsUnknown() || m.Path.IsUnknown() {
		return kongschema.URLParts{}, false
	}
	return kongschema.URLParts{
		Protocol: m.Protocol.ValueString(),
		Host:     m.Host.ValueString(),
		Port:     int(m.Port.ValueInt64()),
		Path:     m.Path.ValueStringPointer(),
	}, true
}

func (m *implementationModel) setEndpoint(e kongschema.URLParts) {
	m.Protocol = types.StringValue(e.Protocol)
	m.Host = types.StringValue(e.Host)
	m.Port = types.Int64Value(int64(e.Port))
	m.Path = types.StringPointerValue(e.Path)
}

// syncURL returns the url to record for e: prior when it still expands to
// e, so a user's own spelling ("http://x:80/") never shows as drift, and
// otherwise e's canonical url.
func syncURL(prior string, e kongschema.URLParts) string {
	if prior != "" {
		if p, err := kongschema.ExpandURL(prior); err == nil && p.Equal(e) {
			return prior
		}
	}
	return e.String()
}

// expand turns a planned model into the implementation to write; every
// attribute the plan leaves null is left unset, so Kong applies its
// default. The plan is fully known at apply time.
func (m implementationModel) expand(ctx context.Context) (servicehub.Implementation, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := kong.Service{
		ID:             m.ID.ValueStringPointer(),
		Name:           m.Name.ValueStringPointer(),
		Protocol:       m.Protocol.ValueStringPointer(),
		Host:           m.Host.ValueStringPointer(),
		Port:           intPointer(m.Port),
		Path:           m.Path.ValueStringPointer(),
		Retries:        intPointer(m.Retries),
		ConnectTimeout: intPointer(m.ConnectTimeout),
		WriteTimeout:   intPointer(m.WriteTimeout),
		ReadTimeout:    intPointer(m.ReadTimeout),
		TLSVerify:      m.TLSVerify.ValueBoolPointer(),
		TLSVerifyDepth: intPointer(m.TLSVerifyDepth),
		Enabled:        m.Enabled.ValueBoolPointer(),
		CreatedAt:      intPointer(m.CreatedAt),
		UpdatedAt:      intPointer(m.UpdatedAt), // of the state: what the run read; a plan's is unknown
	}
	if !m.ClientCertificateID.IsNull() {
		s.ClientCertificate = &kong.Certificate{ID: m.ClientCertificateID.ValueStringPointer()}
	}
	s.CACertificates = stringsOf(m.CACertificates, &diags)
	s.Tags = written(stringsOf(m.Tags, &diags), m.TagsAll)
	if !m.TLSSANs.IsNull() {
		var sans sansModel
		diags.Append(m.TLSSANs.As(ctx, &sans, basetypes.ObjectAsOptions{})...)
		s.TLSSANs = &kong.SANs{}
		diags.Append(sans.DNSNames.ElementsAs(ctx, &s.TLSSANs.DNSNames, false)...)
		diags.Append(sans.URIs.ElementsAs(ctx, &s.TLSSANs.Uris, false)...)
	}
	return servicehub.Implementation{Service: m.Service.ValueString(), Version: m.Version.ValueString(), Linked: !m.ServiceVersionID.IsNull(), Gateway: s}, diags
}

// flatten records what Kong returned. prior is the plan (create, update) or
// the state (read, import); it decides the forms Kong cannot tell apart:
// the url's spelling, and an empty list or set versus none at all; and,
// with the provider's default tags (t), which tags are the resource's own.
func flatten(ctx context.Context, impl servicehub.Implementation, prior implementationModel, t tagging) (implementationModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := impl.Gateway
	m := implementationModel{
		ID:             types.StringPointerValue(s.ID),
		Service:        optionalString(impl.Service),
		Version:        optionalString(impl.Version),
		Name:           types.StringPointerValue(s.Name),
		Retries:        types.Int64Value(int64(intOrZero(s.Retries))),
		ConnectTimeout: types.Int64Value(int64(intOrZero(s.ConnectTimeout))),
		WriteTimeout:   types.Int64Value(int64(intOrZero(s.WriteTimeout))),
		ReadTimeout:    types.Int64Value(int64(intOrZero(s.ReadTimeout))),
		TLSVerify:      types.BoolPointerValue(s.TLSVerify),
		TLSVerifyDepth: int64Value(s.TLSVerifyDepth),
		Enabled:        types.BoolValue(impl.Enabled()),
		ForceDestroy:   types.BoolValue(prior.ForceDestroy.ValueBool()),
		CreatedAt:      types.Int64Value(int64(intOrZero(s.CreatedAt))),
		UpdatedAt:      types.Int64Value(int64(intOrZero(s.UpdatedAt))),
	}
	ep := kongschema.URLParts{Protocol: stringOf(s.Protocol), Host: stringOf(s.Host), Path: s.Path}
	if s.Port != nil {
		ep.Port = *s.Port
	}
	m.setEndpoint(ep)
	m.URL = types.StringValue(syncURL(prior.URL.ValueString(), ep))
	m.ClientCertificateID = types.StringNull()
	if s.ClientCertificate != nil {
		m.ClientCertificateID = types.StringPointerValue(s.ClientCertificate.ID)
	}
	var d diag.Diagnostics
	m.CACertificates, d = stringList(ctx, s.CACertificates, prior.CACertificates)
	diags.Append(d...)
	var own []*string
	own, m.TagsAll = t.read(s.Tags, prior.Tags, prior.TagsAll)
	m.Tags, d = stringSet(ctx, own, prior.Tags)
	diags.Append(d...)
	m.TLSSANs, d = flattenSANs(ctx, s.TLSSANs, prior.TLSSANs)
	diags.Append(d...)
	return m, diags
}

// sansModel is tls_sans.
type sansModel struct {
	DNSNames types.List `tfsdk:"dnsnames"`
	URIs     types.List `tfsdk:"uris"`
}

var sansType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"dnsnames": types.ListType{ElemType: types.StringType},
	"uris":     types.ListType{ElemType: types.StringType},
}}

// flattenSANs reads tls_sans back. Kong answers null both for none and
// for an empty one (tls_sans = {}), so prior decides between those.
func flattenSANs(ctx context.Context, sans *kong.SANs, prior types.Object) (types.Object, diag.Diagnostics) {
	p := sansModel{DNSNames: types.ListNull(types.StringType), URIs: types.ListNull(types.StringType)}
	if !prior.IsNull() && !prior.IsUnknown() {
		prior.As(ctx, &p, basetypes.ObjectAsOptions{})
	}
	if sans == nil {
		if prior.IsNull() || prior.IsUnknown() || len(p.DNSNames.Elements())+len(p.URIs.Elements()) > 0 {
			return types.ObjectNull(sansType.AttrTypes), nil
		}
		sans = &kong.SANs{}
	}
	var diags, d diag.Diagnostics
	p.DNSNames, d = stringList(ctx, sans.DNSNames, p.DNSNames)
	diags.Append(d...)
	p.URIs, d = stringList(ctx, sans.Uris, p.URIs)
	diags.Append(d...)
	obj, d := types.ObjectValueFrom(ctx, sansType.AttrTypes, p)
	diags.Append(d...)
	return obj, diags
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
func stringList(_ context.Context, vals []*string, prior types.List) (types.List, diag.Diagnostics) {
	if len(vals) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return types.ListValueMust(types.StringType, []attr.Value{}), nil
		}
		return types.ListNull(types.StringType), nil
	}
	return types.ListValue(types.StringType, stringElems(vals))
}

func stringSet(_ context.Context, vals []*string, prior types.Set) (types.Set, diag.Diagnostics) {
	if len(vals) == 0 {
		if !prior.IsNull() && !prior.IsUnknown() && len(prior.Elements()) == 0 {
			return types.SetValueMust(types.StringType, []attr.Value{}), nil
		}
		return types.SetNull(types.StringType), nil
	}
	return types.SetValue(types.StringType, stringElems(vals))
}

// stringsOf is a known list or set of strings as go-kong's, a null one nil
// and a null element a nil pointer: what the framework's ElementsAs makes
// of it, without its reflection.
func stringsOf(c interface {
	IsNull() bool
	IsUnknown() bool
	Elements() []attr.Value
}, diags *diag.Diagnostics) []*string {
	if c.IsNull() {
		return nil
	}
	if c.IsUnknown() {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to convert a list of strings. "+
			"This is always an error in the provider. Please report the following to the provider developer:\n\nthe list is unknown")
		return nil
	}
	elems := c.Elements()
	out := make([]*string, 0, len(elems))
	for _, e := range elems {
		v, ok := e.(types.String)
		if !ok || v.IsUnknown() {
			diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to convert a list of strings. "+
				"This is always an error in the provider. Please report the following to the provider developer:\n\n"+
				fmt.Sprintf("element %s is not a known string", e))
			return nil
		}
		out = append(out, v.ValueStringPointer())
	}
	return out
}

// stringElems are go-kong's strings as Terraform values, a nil one null:
// what ListValueFrom and SetValueFrom make of them, without their
// reflection (a Read flattens several lists).
func stringElems(vals []*string) []attr.Value {
	out := make([]attr.Value, len(vals))
	for i, v := range vals {
		out[i] = types.StringPointerValue(v)
	}
	return out
}

// intPointer is an Int64 attribute as go-kong's *int; nil when null.
func intPointer(v types.Int64) *int {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := int(v.ValueInt64())
	return &n
}

// int64Value is go-kong's *int as an Int64 attribute; null when nil.
func int64Value(p *int) types.Int64 {
	if p == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(*p))
}

func stringOf(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
