package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Plan time for servicehub_implementation: Kong's rules on the
// configuration, and a plan that says exactly what Kong will store.

func (r *implementationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.AtLeastOneOf(path.MatchRoot("url"), path.MatchRoot("host")),
	}
}

// ValidateConfig applies Kong's rules for Gateway Services at plan time,
// and checks that url and its components agree when both are set.
func (r *implementationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	implementationKong.checkConfig(req, resp)
	config, diags := implementationCodec.get(ctx, req.Config.Raw)
	if diags.HasError() {
		resp.Diagnostics.Append(diags...)
		return
	}
	validateLinkConfig(config, &resp.Diagnostics)
	checkURLAgrees(config, &resp.Diagnostics)
}

// checkURLAgrees: url and protocol, host, port and path may all be set, as
// terraform plan -generate-config-out writes them for an imported
// implementation; then each component set must be what url expands to.
// Components left unset are taken from url.
func checkURLAgrees(config implementationModel, diags *diag.Diagnostics) {
	if config.URL.IsNull() || config.URL.IsUnknown() {
		return
	}
	ep, err := kongschema.ExpandURL(config.URL.ValueString())
	if err != nil {
		return // Kong's own message, from checkConfig
	}
	disagree := func(attr string, set, fromURL any) {
		diags.AddAttributeError(path.Root(attr), "url and "+attr+" disagree",
			fmt.Sprintf("%s is %s, but url %q has %s %s. Set the upstream either as url or as protocol, host, port and path; "+
				"when both are set (as generated import configuration does), they must agree.",
				attr, set, config.URL.ValueString(), attr, fromURL))
	}
	if v := config.Protocol; !v.IsNull() && !v.IsUnknown() && v.ValueString() != ep.Protocol {
		disagree("protocol", fmt.Sprintf("%q", v.ValueString()), fmt.Sprintf("%q", ep.Protocol))
	}
	if v := config.Host; !v.IsNull() && !v.IsUnknown() && v.ValueString() != ep.Host {
		disagree("host", fmt.Sprintf("%q", v.ValueString()), fmt.Sprintf("%q", ep.Host))
	}
	if v := config.Port; !v.IsNull() && !v.IsUnknown() && v.ValueInt64() != int64(ep.Port) {
		disagree("port", fmt.Sprint(v.ValueInt64()), fmt.Sprint(ep.Port))
	}
	if v := config.Path; !v.IsNull() && !v.IsUnknown() && (ep.Path == nil || v.ValueString() != *ep.Path) {
		fromURL := "no path"
		if ep.Path != nil {
			fromURL = fmt.Sprintf("%q", *ep.Path)
		}
		disagree("path", fmt.Sprintf("%q", v.ValueString()), fromURL)
	}
}

// ModifyPlan keeps url and its components in step, so either form plans
// exactly what Kong will store and neither drifts:
//   - url set: the components are its expansion under Kong's rules, known
//     at plan time (components also set agree with it, or are unknown and
//     stay so);
//   - components set: unset ones take Kong's defaults (protocol http, port
//     80, no path) rather than their prior values, so removing one from the
//     configuration clears it, and url is rendered from them.
func (r *implementationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	defer refuseReadOnly(ctx, r.writable, "implementation", req, resp)
	config, plan, ok := plannedBy(ctx, implementationCodec, req, resp)
	if !ok {
		return
	}
	priorURL := stringAttr(req.State.Raw, "url")

	switch {
	case config.URL.IsUnknown():
		plan.Protocol = types.StringUnknown()
		plan.Host = types.StringUnknown()
		plan.Port = types.Int64Unknown()
		plan.Path = types.StringUnknown()
		keepConfigured(config, &plan)
	case !config.URL.IsNull():
		ep, err := kongschema.ExpandURL(config.URL.ValueString())
		if err != nil {
			return // reported by ValidateConfig
		}
		plan.setEndpoint(ep)
		keepConfigured(config, &plan)
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
	plan.TagsAll = r.tags.planAll(plan.Tags)
	raw, diags := implementationCodec.set(ctx, plan)
	// The framework only marks updated_at unknown when the configuration
	// changed; the defaults above can plan a change on their own.
	if !diags.HasError() && !req.State.Raw.IsNull() && !raw.Equal(req.State.Raw) {
		plan.UpdatedAt = types.Int64Unknown()
		if sameExcept(raw, req.State.Raw, "force_destroy", "updated_at") {
			// force_destroy alone: a change of state, not of Kong (Update).
			plan.UpdatedAt = int64Attr(req.State.Raw, "updated_at")
		}
		raw, diags = implementationCodec.set(ctx, plan)
	}
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Plan.Raw = raw
	}
}

// keepConfigured plans the components the configuration sets alongside
// url as configured: Terraform requires that of every configured value.
func keepConfigured(config implementationModel, plan *implementationModel) {
	if !config.Protocol.IsNull() {
		plan.Protocol = config.Protocol
	}
	if !config.Host.IsNull() {
		plan.Host = config.Host
	}
	if !config.Port.IsNull() {
		plan.Port = config.Port
	}
	if !config.Path.IsNull() {
		plan.Path = config.Path
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

// plannedBy is planned through a codec (model_codec.go).
func plannedBy[T any](ctx context.Context, c *codec[T], req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) (config, plan T, ok bool) {
	if req.Plan.Raw.IsNull() {
		return config, plan, false // destroy
	}
	config, diags := c.get(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	plan, diags = c.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	return config, plan, !resp.Diagnostics.HasError()
}
