package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// ModifyPlan keeps url and its components in step, so either form plans
// exactly what Kong will store and neither drifts:
//   - url set: the components are its expansion under Kong's rules, known
//     at plan time;
//   - components set: unset ones take Kong's defaults (protocol http, port
//     80, no path) rather than their prior values, so removing one from the
//     configuration clears it, and url is rendered from them.
func (r *implementationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var config, plan implementationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
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
		ep, err := servicehub.ParseURL(config.URL.ValueString())
		if err != nil {
			return // reported by the url validator
		}
		plan.setEndpoint(ep)
	default:
		plan.Protocol = orDefault(config.Protocol, types.StringValue("http"))
		plan.Host = config.Host
		plan.Port = config.Port
		if plan.Port.IsNull() {
			plan.Port = types.Int64Value(80)
		}
		plan.Path = config.Path
		if ep, ok := plan.endpoint(); ok {
			plan.URL = types.StringValue(servicehub.SyncURL(priorURL, ep))
		} else {
			plan.URL = types.StringUnknown()
		}
	}

	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
	// The framework only marks updated_at unknown when the configuration
	// changed; the defaults above can plan a change on their own.
	if !req.State.Raw.IsNull() && !resp.Plan.Raw.Equal(req.State.Raw) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), types.Int64Unknown())...)
	}
}

func orDefault(v, def types.String) types.String {
	if v.IsNull() {
		return def
	}
	return v
}

func (r *implementationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("url"), path.MatchRoot("host")),
		protocolRules{},
	}
}

// protocolRules mirrors Kong's conditional checks on services: TLS settings
// only with https or tls (wss too, in Kong Enterprise), and no path for
// stream and gRPC protocols.
type protocolRules struct{}

var tlsProtocols = []string{"https", "tls", "wss"}
var pathlessProtocols = []string{"tcp", "tls", "udp", "grpc", "grpcs"}

func (protocolRules) Description(context.Context) string {
	return "TLS settings need protocol https or tls; tcp, tls, udp, grpc and grpcs take no path"
}
func (v protocolRules) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (protocolRules) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var c implementationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	protocol, pathSet, from := "", false, "protocol"
	switch {
	case c.URL.IsUnknown():
		return
	case !c.URL.IsNull():
		ep, err := servicehub.ParseURL(c.URL.ValueString())
		if err != nil {
			return
		}
		protocol, pathSet, from = ep.Protocol, ep.Path != nil, "url"
	case c.Protocol.IsUnknown():
		return
	default:
		protocol = orDefault(c.Protocol, types.StringValue("http")).ValueString()
		pathSet = !c.Path.IsNull() && !c.Path.IsUnknown()
	}

	if !contains(tlsProtocols, protocol) {
		for _, a := range []struct {
			name string
			set  bool
		}{
			{"client_certificate_id", isSet(c.ClientCertificateID)},
			{"ca_certificates", isSet(c.CACertificates)},
			{"tls_verify", isSet(c.TLSVerify)},
			{"tls_verify_depth", isSet(c.TLSVerifyDepth)},
		} {
			if a.set {
				resp.Diagnostics.AddAttributeError(path.Root(a.name), a.name+" requires protocol https or tls",
					fmt.Sprintf("%s can only be set when the protocol is \"https\" or \"tls\"; the %s gives %q. Kong would reject it: %s: value must be null.",
						a.name, from, protocol, kongField(a.name)))
			}
		}
	}
	if pathSet && contains(pathlessProtocols, protocol) {
		attr := "path"
		if from == "url" {
			attr = "url"
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "path not allowed with protocol "+protocol,
			fmt.Sprintf("A Gateway Service with protocol %q cannot have a path; remove it from %s. Kong would reject it: path: value must be null.", protocol, attr))
	}
}

func isSet(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// kongField maps an attribute to Kong's field name where they differ.
func kongField(attr string) string {
	if attr == "client_certificate_id" {
		return "client_certificate"
	}
	return attr
}

func joinQuoted(list []string) string { return strings.Join(list, "`, `") }
