package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Plan time for servicehub_implementation: Kong's rules on the
// configuration, and a plan that says exactly what Kong will store.

func (r *implementationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("url"), path.MatchRoot("host")),
	}
}

// ValidateConfig applies Kong's rules for Gateway Services at plan time.
func (r *implementationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	implementationKong.checkConfig(req, resp)
	validateLinkConfig(ctx, req, resp)
}

// ModifyPlan keeps url and its components in step, so either form plans
// exactly what Kong will store and neither drifts:
//   - url set: the components are its expansion under Kong's rules, known
//     at plan time;
//   - components set: unset ones take Kong's defaults (protocol http, port
//     80, no path) rather than their prior values, so removing one from the
//     configuration clears it, and url is rendered from them.
func (r *implementationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	config, plan, ok := planned[implementationModel](ctx, req, resp)
	if !ok {
		return
	}
	priorURL := ""
	if !req.State.Raw.IsNull() {
		var state implementationModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		priorURL = state.URL.ValueString()
	}

	switch {
	case config.URL.IsUnknown():
		plan.Protocol = types.StringUnknown()
		plan.Host = types.StringUnknown()
		plan.Port = types.Int64Unknown()
		plan.Path = types.StringUnknown()
	case !config.URL.IsNull():
		ep, err := kongschema.ExpandURL(config.URL.ValueString())
		if err != nil {
			return // reported by ValidateConfig
		}
		plan.setEndpoint(ep)
	default:
		plan.Protocol = config.Protocol
		if plan.Protocol.IsNull() {
			plan.Protocol = types.StringValue("http")
		}
		plan.Host = config.Host
		plan.Port = config.Port
		if plan.Port.IsNull() {
			plan.Port = types.Int64Value(80)
		}
		plan.Path = config.Path
		if ep, ok := plan.endpoint(); ok {
			plan.URL = types.StringValue(syncURL(priorURL, ep))
		} else {
			plan.URL = types.StringUnknown()
		}
	}

	r.planLink(ctx, req, resp, config, &plan)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	// The framework only marks updated_at unknown when the configuration
	// changed; the defaults above can plan a change on their own.
	if !req.State.Raw.IsNull() && !resp.Plan.Raw.Equal(req.State.Raw) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), types.Int64Unknown())...)
	}
}

// planned reads the configuration and the proposed plan of a create or
// update into models; ok is false for a destroy, or when either failed.
func planned[T any](ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) (config, plan T, ok bool) {
	if req.Plan.Raw.IsNull() {
		return config, plan, false // destroy
	}
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	return config, plan, !resp.Diagnostics.HasError()
}
