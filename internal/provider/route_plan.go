package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// ModifyPlan plans strip_path as Kong defaults it: false when the first
// protocol is grpc or grpcs (Kong rejects true there), true otherwise. The
// schema default cannot see the protocols.
func (r *routeResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var config, plan routeModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
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
		return types.StringValue(defaultRouteProtocols[0])
	}
	s, ok := l.Elements()[0].(types.String)
	if !ok {
		return types.StringUnknown()
	}
	return s
}

// ValidateConfig runs Kong's own route checks (kongschema.ProcessRoute) on
// the configuration once every matching attribute is known, so a plan
// fails with Kong's messages on: "must set one of" per protocol, fields a
// protocol forbids, snis without a TLS protocol, mixed protocol families,
// strip_path with grpc, regexes the router rejects. Single-value rules are
// the attribute validators' job; Kong's errors on an attribute they already
// fault are dropped, so nothing is reported twice.
func (r *routeResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var c routeModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, ok := routeBody(ctx, c)
	if !ok {
		return
	}
	_, v := kongschema.ProcessRoute(kongschema.Insert, body, nil)
	if v.Empty() {
		return
	}
	faulted := attributeRuleFailures(c)
	var errs []kongapi.FieldError
	for _, f := range (&kongapi.Error{Fields: v.FieldsJSON()}).FieldErrors() {
		if len(f.Path) > 0 && faulted[f.Path[0].(string)] {
			continue
		}
		errs = append(errs, f)
	}
	addRouteFieldErrors(&resp.Diagnostics, "Invalid route", "Kong would reject", errs)
}

// routeBody renders the attributes Kong's cross-field checks read as the
// JSON form kongschema takes. ok is false while any is unknown.
func routeBody(ctx context.Context, c routeModel) (map[string]any, bool) {
	for _, v := range []attr.Value{c.Protocols, c.Methods, c.Hosts, c.Paths, c.Headers, c.SNIs, c.Sources, c.Destinations, c.StripPath} {
		if !fullyKnown(ctx, v) {
			return nil, false
		}
	}
	body := map[string]any{}
	for name, l := range map[string]types.List{
		"protocols": c.Protocols, "methods": c.Methods, "hosts": c.Hosts, "paths": c.Paths, "snis": c.SNIs,
	} {
		if !l.IsNull() {
			body[name] = jsonStrings(l.Elements())
		}
	}
	if !c.Headers.IsNull() {
		h := map[string]any{}
		for k, v := range c.Headers.Elements() {
			l, _ := v.(types.List)
			h[k] = jsonStrings(l.Elements())
		}
		body["headers"] = h
	}
	for name, s := range map[string]types.Set{"sources": c.Sources, "destinations": c.Destinations} {
		if s.IsNull() {
			continue
		}
		peers := []any{}
		for _, e := range s.Elements() {
			obj, _ := e.(types.Object)
			p := map[string]any{}
			if ip, _ := obj.Attributes()["ip"].(types.String); !ip.IsNull() {
				p["ip"] = ip.ValueString()
			}
			if port, _ := obj.Attributes()["port"].(types.Int64); !port.IsNull() {
				p["port"] = float64(port.ValueInt64())
			}
			peers = append(peers, p)
		}
		body[name] = peers
	}
	if !c.StripPath.IsNull() {
		body["strip_path"] = c.StripPath.ValueBool()
	}
	return body, true
}

func jsonStrings(elems []attr.Value) []any {
	out := make([]any, 0, len(elems))
	for _, e := range elems {
		if s, ok := e.(types.String); ok && !s.IsNull() {
			out = append(out, s.ValueString())
		}
	}
	return out
}

func fullyKnown(ctx context.Context, v attr.Value) bool {
	tv, err := v.ToTerraformValue(ctx)
	return err == nil && tv.IsFullyKnown()
}

// attributeRuleFailures names the attributes whose own validators fail.
func attributeRuleFailures(c routeModel) map[string]bool {
	out := map[string]bool{}
	anyFails := func(l types.List, check func(string) error) bool {
		for _, e := range l.Elements() {
			if s, ok := e.(types.String); ok && !s.IsNull() && check(s.ValueString()) != nil {
				return true
			}
		}
		return false
	}
	out["protocols"] = !c.Protocols.IsNull() && (len(c.Protocols.Elements()) == 0 ||
		anyFails(c.Protocols, func(p string) error {
			if contains(kongschema.Protocols, p) {
				return nil
			}
			return errInvalid
		}))
	out["methods"] = anyFails(c.Methods, kongschema.ValidateMethod)
	out["hosts"] = anyFails(c.Hosts, kongschema.ValidateRouteHost)
	out["paths"] = anyFails(c.Paths, kongschema.ValidateRoutePath)
	out["snis"] = anyFails(c.SNIs, kongschema.ValidateSNI)
	for k, v := range c.Headers.Elements() {
		l, _ := v.(types.List)
		if kongschema.ValidateHeaderName(k) != nil || anyFails(l, func(s string) error {
			if s == "" {
				return errInvalid
			}
			return nil
		}) {
			out["headers"] = true
		}
	}
	for name, s := range map[string]types.Set{"sources": c.Sources, "destinations": c.Destinations} {
		for _, e := range s.Elements() {
			obj, _ := e.(types.Object)
			ip, _ := obj.Attributes()["ip"].(types.String)
			port, _ := obj.Attributes()["port"].(types.Int64)
			if (!ip.IsNull() && kongschema.ValidateIPOrCIDR(ip.ValueString()) != nil) ||
				(!port.IsNull() && (port.ValueInt64() < 0 || port.ValueInt64() > 65535)) {
				out[name] = true
			}
		}
	}
	return out
}

var errInvalid = errors.New("invalid")
