package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Plan time for servicehub_route: Kong's rules on the configuration, and
// Kong's strip_path default, which depends on the protocols.

// ValidateConfig applies Kong's rules for Routes at plan time: its field
// rules, the checks per protocol ("must set one of", fields a protocol
// forbids, snis without a TLS protocol, mixed protocol families), and the
// regexes its router compiles.
func (r *routeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	routeKong.checkConfig(req, resp)
}

// ModifyPlan plans strip_path as Kong defaults it: false when the first
// protocol is grpc or grpcs (Kong rejects true there), true otherwise. The
// schema default cannot see the protocols.
func (r *routeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	config, plan, ok := planned[routeModel](ctx, req, resp)
	if !ok {
		return
	}
	if config.StripPath.IsNull() {
		switch first := firstProtocol(plan.Protocols); {
		case first.IsUnknown():
			plan.StripPath = types.BoolUnknown()
		case first.ValueString() == "grpc" || first.ValueString() == "grpcs":
			plan.StripPath = types.BoolValue(false)
		default:
			plan.StripPath = types.BoolValue(true)
		}
	}
	// The framework marked updated_at unknown (or not) before strip_path
	// was settled here; decide again, against the state.
	if !req.State.Raw.IsNull() {
		var state routeModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		plan.UpdatedAt = state.UpdatedAt
		resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
		if resp.Plan.Raw.Equal(req.State.Raw) {
			return
		}
		plan.UpdatedAt = types.Int64Unknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

// firstProtocol picks the protocol that selects Kong's subschema; unknown
// when the list or its first element is.
func firstProtocol(l types.List) types.String {
	if l.IsUnknown() {
		return types.StringUnknown()
	}
	if l.IsNull() || len(l.Elements()) == 0 {
		return types.StringValue(kongschema.RouteDefaultProtocols[0])
	}
	s, ok := l.Elements()[0].(types.String)
	if !ok {
		return types.StringUnknown()
	}
	return s
}
