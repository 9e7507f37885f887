package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

type routeModel struct {
	ID               types.String `tfsdk:"id"`
	ImplementationID types.String `tfsdk:"implementation_id"`
	Name             types.String `tfsdk:"name"`

	Methods types.List `tfsdk:"methods"`
	Paths   types.List `tfsdk:"paths"`
	Hosts   types.List `tfsdk:"hosts"`
	Headers types.Map  `tfsdk:"headers"`

	Protocols               types.List   `tfsdk:"protocols"`
	StripPath               types.Bool   `tfsdk:"strip_path"`
	PreserveHost            types.Bool   `tfsdk:"preserve_host"`
	RegexPriority           types.Int64  `tfsdk:"regex_priority"`
	PathHandling            types.String `tfsdk:"path_handling"`
	HTTPSRedirectStatusCode types.Int64  `tfsdk:"https_redirect_status_code"`
	RequestBuffering        types.Bool   `tfsdk:"request_buffering"`
	ResponseBuffering       types.Bool   `tfsdk:"response_buffering"`
	SNIs                    types.List   `tfsdk:"snis"`
	Sources                 types.Set    `tfsdk:"sources"`
	Destinations            types.Set    `tfsdk:"destinations"`
	Tags                    types.List   `tfsdk:"tags"`
	// TagsAll and ForceDestroy are the provider's (tags.go,
	// route_resource.go).
	TagsAll      types.Set  `tfsdk:"tags_all"`
	ForceDestroy types.Bool `tfsdk:"force_destroy"`

	CreatedAt types.Int64 `tfsdk:"created_at"`
	UpdatedAt types.Int64 `tfsdk:"updated_at"`
}

var (
	peerType    = types.ObjectType{AttrTypes: map[string]attr.Type{"ip": types.StringType, "port": types.Int64Type}}
	headersType = types.ListType{ElemType: types.StringType}
)

// expand turns a planned model into the route to write; attributes the
// plan leaves null are left unset, so Kong applies its default. The plan is
// fully known at apply time.
func (m routeModel) expand(ctx context.Context) (kong.Route, diag.Diagnostics) {
	var diags diag.Diagnostics
	r := kong.Route{
		ID:                      m.ID.ValueStringPointer(),
		Name:                    m.Name.ValueStringPointer(),
		StripPath:               m.StripPath.ValueBoolPointer(),
		PreserveHost:            m.PreserveHost.ValueBoolPointer(),
		RegexPriority:           intPointer(m.RegexPriority),
		PathHandling:            m.PathHandling.ValueStringPointer(),
		HTTPSRedirectStatusCode: intPointer(m.HTTPSRedirectStatusCode),
		RequestBuffering:        m.RequestBuffering.ValueBoolPointer(),
		ResponseBuffering:       m.ResponseBuffering.ValueBoolPointer(),
		CreatedAt:               intPointer(m.CreatedAt),
		UpdatedAt:               intPointer(m.UpdatedAt), // of the state: what the run read; a plan's is unknown
	}
	if !m.ImplementationID.IsNull() {
		r.Service = &kong.Service{ID: m.ImplementationID.ValueStringPointer()}
	}
	for _, l := range []struct {
		from types.List
		to   *[]*string
	}{
		{m.Protocols, &r.Protocols}, {m.Methods, &r.Methods}, {m.Paths, &r.Paths},
		{m.Hosts, &r.Hosts}, {m.SNIs, &r.SNIs}, {m.Tags, &r.Tags},
	} {
		*l.to = stringsOf(l.from, &diags)
	}
	r.Tags = written(r.Tags, m.TagsAll)
	if !m.Headers.IsNull() {
		diags.Append(m.Headers.ElementsAs(ctx, &r.Headers, false)...)
	}
	var d diag.Diagnostics
	r.Sources, d = expandPeers(ctx, m.Sources)
	diags.Append(d...)
	r.Destinations, d = expandPeers(ctx, m.Destinations)
	diags.Append(d...)
	return r, diags
}

// peerModel is one sources or destinations entry.
type peerModel struct {
	IP   types.String `tfsdk:"ip"`
	Port types.Int64  `tfsdk:"port"`
}

func expandPeers(ctx context.Context, s types.Set) ([]*kong.CIDRPort, diag.Diagnostics) {
	var ms []peerModel
	diags := s.ElementsAs(ctx, &ms, false)
	var out []*kong.CIDRPort
	for _, p := range ms {
		out = append(out, &kong.CIDRPort{IP: p.IP.ValueStringPointer(), Port: intPointer(p.Port)})
	}
	return out, diags
}

// flattenRoute records what Kong returned. prior is the plan (create,
// update) or the state (read, import); it decides whether a collection Kong
// reports as empty or null is shown as empty or as null, so neither form
// in the configuration gives a perpetual diff; and, with the provider's
// default tags (t), which tags are the route's own.
func flattenRoute(ctx context.Context, r *kong.Route, prior routeModel, t tagging) (routeModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := routeModel{
		ID:                      types.StringPointerValue(r.ID),
		ImplementationID:        optionalString(servicehub.ServiceID(r)),
		Name:                    types.StringPointerValue(r.Name),
		StripPath:               boolOr(r.StripPath, false),
		PreserveHost:            boolOr(r.PreserveHost, false),
		RegexPriority:           types.Int64Value(int64(intOrZero(r.RegexPriority))),
		PathHandling:            types.StringValue(stringOf(r.PathHandling)),
		HTTPSRedirectStatusCode: types.Int64Value(int64(intOrZero(r.HTTPSRedirectStatusCode))),
		RequestBuffering:        boolOr(r.RequestBuffering, true),
		ResponseBuffering:       boolOr(r.ResponseBuffering, true),
		ForceDestroy:            types.BoolValue(prior.ForceDestroy.ValueBool()),
		CreatedAt:               types.Int64Value(int64(intOrZero(r.CreatedAt))),
		UpdatedAt:               types.Int64Value(int64(intOrZero(r.UpdatedAt))),
	}
	var d diag.Diagnostics
	var own []*string
	own, m.TagsAll = t.read(r.Tags, prior.Tags, prior.TagsAll)
	for _, l := range []struct {
		vals  []*string
		prior types.List
		to    *types.List
	}{
		{r.Protocols, prior.Protocols, &m.Protocols}, {r.Methods, prior.Methods, &m.Methods},
		{r.Paths, prior.Paths, &m.Paths}, {r.Hosts, prior.Hosts, &m.Hosts},
		{r.SNIs, prior.SNIs, &m.SNIs}, {own, prior.Tags, &m.Tags},
	} {
		*l.to, d = stringList(ctx, l.vals, l.prior)
		diags.Append(d...)
	}
	m.Headers, d = flattenHeaders(ctx, r.Headers, prior.Headers)
	diags.Append(d...)
	m.Sources, d = flattenPeers(r.Sources, prior.Sources)
	diags.Append(d...)
	m.Destinations, d = flattenPeers(r.Destinations, prior.Destinations)
	diags.Append(d...)
	return m, diags
}

func flattenHeaders(ctx context.Context, h map[string][]string, prior types.Map) (types.Map, diag.Diagnostics) {
	if len(h) == 0 {
		if isEmpty(prior) {
			return types.MapValueMust(headersType, map[string]attr.Value{}), nil
		}
		return types.MapNull(headersType), nil
	}
	// A header with no values reads back as [] from Kong; nil would make
	// the list null.
	for k, v := range h {
		if v == nil {
			h[k] = []string{}
		}
	}
	return types.MapValueFrom(ctx, headersType, h)
}

func flattenPeers(ps []*kong.CIDRPort, prior types.Set) (types.Set, diag.Diagnostics) {
	if len(ps) == 0 {
		if isEmpty(prior) {
			return types.SetValueMust(peerType, []attr.Value{}), nil
		}
		return types.SetNull(peerType), nil
	}
	var diags diag.Diagnostics
	elems := make([]attr.Value, 0, len(ps))
	for _, p := range ps {
		obj, d := types.ObjectValue(peerType.AttrTypes, map[string]attr.Value{
			"ip":   types.StringPointerValue(p.IP),
			"port": int64Value(p.Port),
		})
		diags.Append(d...)
		elems = append(elems, obj)
	}
	s, d := types.SetValue(peerType, elems)
	diags.Append(d...)
	return s, diags
}

// isEmpty reports whether a known collection has no elements.
func isEmpty(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	if v.IsNull() || v.IsUnknown() {
		return false
	}
	switch c := v.(type) {
	case basetypes.ListValue:
		return len(c.Elements()) == 0
	case basetypes.MapValue:
		return len(c.Elements()) == 0
	case basetypes.SetValue:
		return len(c.Elements()) == 0
	}
	return false
}

// boolOr reads a flag Kong always returns; def stands in when it does not.
func boolOr(p *bool, def bool) types.Bool {
	if p == nil {
		return types.BoolValue(def)
	}
	return types.BoolValue(*p)
}

// intOrZero reads a number Kong always returns.
func intOrZero(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
