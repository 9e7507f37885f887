package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
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
	defer refuseReadOnly(ctx, r.writable, "route", req, resp)
	config, plan, ok := plannedBy(ctx, routeCodec, req, resp)
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
	plan.TagsAll = r.tags.planAll(plan.Tags)
	// The framework marked updated_at unknown (or not) before strip_path
	// and tags_all were settled here; decide again, against the state.
	if !req.State.Raw.IsNull() {
		v, err := types.Int64Type.ValueFromTerraform(ctx, attrOf(req.State.Raw, "updated_at"))
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("updated_at"), "Value Conversion Error", err.Error())
			return
		}
		plan.UpdatedAt = v.(types.Int64)
		raw, diags := routeCodec.set(ctx, plan)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		// Unchanged, or force_destroy alone (a change of state, not of
		// Kong: Update).
		if sameExcept(raw, req.State.Raw, "force_destroy") {
			resp.Plan.Raw = raw
			return
		}
		plan.UpdatedAt = types.Int64Unknown()
	}
	raw, diags := routeCodec.set(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Plan.Raw = raw
	}
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
