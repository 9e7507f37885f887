package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// Plan time for servicehub_plugin: the configuration checked against the
// runtime group's own schema of the plugin (GET /schemas/plugins/{name},
// read once per name per run), only when what it checks has changed, so a
// plan with nothing to do sends nothing for plugins.

func (r *pluginResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("implementation_id"), path.MatchRoot("route_id")),
	}
}

// ValidateConfig checks what needs no runtime group: config and
// config_sensitive are objects.
func (r *pluginResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	// ExactlyOneOf lets two set attributes pass while one is unknown (the
	// id of a resource not created yet): both set is an error already.
	if !attrOf(req.Config.Raw, "implementation_id").IsNull() && !attrOf(req.Config.Raw, "route_id").IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("route_id"), "Invalid plugin scope",
			"implementation_id and route_id are both set: a plugin is on exactly one implementation or one route. "+
				"For the same plugin on both, declare two servicehub_plugin resources.")
	}
	if v := attrOf(req.Config.Raw, "config"); !v.IsNull() && v.IsKnown() {
		if t := v.Type(); !t.Is(tftypes.Object{}) && !t.Is(tftypes.Map{}) {
			resp.Diagnostics.AddAttributeError(path.Root("config"), "Invalid config",
				fmt.Sprintf("config must be an object of the plugin's configuration fields, such as { minute = 3 }, not a %s. "+
					"Write it as HCL, not as a JSON string (no jsonencode).", friendlyType(t)))
		}
	}
	// The value itself is never repeated: it is secret.
	if s := stringAttr(req.Config.Raw, "config_sensitive"); s != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
			resp.Diagnostics.AddAttributeError(path.Root("config_sensitive"), "Invalid config_sensitive",
				"config_sensitive must be a JSON object of configuration fields, as jsonencode makes one: "+
					"config_sensitive = jsonencode({ redis = { password = var.redis_password } }).")
		}
	}
}

func friendlyType(t tftypes.Type) string {
	switch {
	case t.Is(tftypes.String):
		return "string"
	case t.Is(tftypes.Number):
		return "number"
	case t.Is(tftypes.Bool):
		return "bool"
	}
	return "list"
}

// ModifyPlan checks the plugin against the runtime group's schema of it
// when the plan creates it or changes what the schema constrains: an
// unknown plugin name names the closest enabled ones; a wrong type, an
// unknown field, a failed entity check is an error at its config path;
// a secret written in config is a warning pointing to config_sensitive.
// Values not known yet are left to Kong at apply.
func (r *pluginResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	defer refuseReadOnly(ctx, r.writable, "plugin", req, resp)
	r.tags.planTagsAll(ctx, req, resp)
	if req.Plan.Raw.IsNull() || r.plugins == nil {
		return // a destroy, or validation before the provider is configured
	}
	name := attrOf(req.Config.Raw, "name")
	if !name.IsKnown() || name.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() && !checkedChanged(req.Config.Raw, req.State.Raw) {
		return
	}
	var plugin string
	_ = name.As(&plugin)
	ps, err := r.plugins.Schema(ctx, plugin)
	if err != nil {
		addPluginError(&resp.Diagnostics, "plan", err, pluginModel{})
		return
	}

	var unknown []string
	config := knownJSON(attrOf(req.Config.Raw, "config"), nil, &unknown)
	sensitiveAttr := attrOf(req.Config.Raw, "config_sensitive")
	if !sensitiveAttr.IsKnown() {
		// Any key could be overridden by what is not known yet: Kong
		// checks it all at apply.
		return
	}
	cfgMap, _ := config.(map[string]any)
	sensMap := sensitiveJSON(stringValue(sensitiveAttr))
	body := map[string]any{"config": servicehub.Merge(cfgMap, sensMap)}
	for i, u := range unknown {
		unknown[i] = strings.TrimSuffix("config."+u, ".")
	}
	var protoUnknown []string
	if p := knownJSON(attrOf(req.Config.Raw, "protocols"), nil, &protoUnknown); p != nil {
		body["protocols"] = p
	}
	if len(protoUnknown) > 0 {
		unknown = append(unknown, "protocols")
	}
	// The scope's id is not what is checked (Kong looks it up on write), but
	// a plugin that may not be on a service or route says so through it.
	for attr, field := range map[string]string{"implementation_id": "service", "route_id": "route"} {
		if !attrOf(req.Config.Raw, attr).IsNull() {
			body[field] = map[string]any{"id": "00000000-0000-0000-0000-000000000000"}
		}
	}
	if contains(unknown, "config") {
		delete(body, "config")
	}

	secrets := secretStrings(sensMap)
	for _, f := range ps.Check(body, unknown) {
		p, ok := pluginAttrPath(f.Path, sensMap)
		if len(f.Path) == 0 && strings.Contains(f.Message, "'config.") {
			p, ok = path.Root("config"), true
		}
		msg := maskSecrets(strings.TrimSuffix(f.Message, "."), secrets)
		at := kongPathString(f.Path)
		switch {
		case !ok:
			resp.Diagnostics.AddError("Invalid plugin", fmt.Sprintf("Kong would reject the %q plugin: %s.", plugin, maskSecrets(f.String(), secrets)))
		case at == "" || strings.HasSuffix(at, "@entity"):
			resp.Diagnostics.AddAttributeError(p, "Invalid "+attrName(p.String()), fmt.Sprintf("Kong would reject the %q plugin's %s: %s.", plugin, attrName(p.String()), msg))
		default:
			resp.Diagnostics.AddAttributeError(p, "Invalid "+attrName(p.String()), fmt.Sprintf("Kong would reject %s: %s.", at, msg))
		}
	}
	for _, secret := range ps.SecretPaths() {
		sp := strings.Split(secret, ".")
		if !hasPath(cfgMap, sp) {
			continue
		}
		p := path.Root("config")
		for _, s := range sp {
			p = p.AtName(s)
		}
		resp.Diagnostics.AddAttributeWarning(p, "Secret in config",
			fmt.Sprintf("The %q plugin's schema marks config.%s as a secret (Kong stores it encrypted, or it may refer to a vault). "+
				"Values in config are shown in plans; move it to config_sensitive, which is merged over config and never shown:\n\n"+
				"  config_sensitive = jsonencode({ %s })", plugin, secret, nestedHCL(sp)))
	}
}

// checkedChanged reports whether the configuration changes what the
// plan-time check looks at.
func checkedChanged(config, state tftypes.Value) bool {
	for _, attr := range []string{"name", "config", "config_sensitive", "protocols", "implementation_id", "route_id"} {
		if !attrOf(config, attr).Equal(attrOf(state, attr)) {
			return true
		}
	}
	return false
}

// knownJSON is jsonValue of the known parts of v: values not known yet are
// left out and their paths (dotted, from at) collected; a list, set or map
// holding one is not known as a whole.
func knownJSON(v tftypes.Value, at []string, unknown *[]string) any {
	if !v.IsKnown() {
		*unknown = append(*unknown, strings.Join(at, "."))
		return nil
	}
	if v.IsNull() {
		return nil
	}
	t := v.Type()
	if t.Is(tftypes.Object{}) || t.Is(tftypes.Map{}) {
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			j := knownJSON(e, append(append([]string{}, at...), k), unknown)
			if j != nil {
				out[k] = j
			}
		}
		return out
	}
	if !v.IsFullyKnown() {
		*unknown = append(*unknown, strings.Join(at, "."))
		return nil
	}
	return jsonValue(v)
}

// pluginAttrPath maps a Kong error path onto the attribute it concerns:
// config.… (or config_sensitive.… where that wrote it), protocols, the
// scope; ok is false for a path no attribute holds.
func pluginAttrPath(kongPath []any, sensitive servicehub.PluginConfig) (path.Path, bool) {
	if len(kongPath) == 0 {
		return path.Empty(), false
	}
	if kongPath[0] == "@entity" {
		// The plugin's entity checks are on its config ("config.second",
		// …): the whole config is where to look.
		return path.Root("config"), true
	}
	head, _ := kongPath[0].(string)
	switch head {
	case "config":
	case "service":
		return path.Root("implementation_id"), true
	case "route":
		return path.Root("route_id"), true
	case "name", "instance_name", "protocols", "enabled", "tags":
		return path.Root(head), true
	default:
		return path.Empty(), false
	}
	var names []string
	for _, seg := range kongPath[1:] {
		if s, ok := seg.(string); ok {
			if s == "@entity" {
				break
			}
			names = append(names, s)
		} else {
			break // an element: the value written is a list
		}
	}
	root := "config"
	if writtenIn(sensitive, names) {
		root = "config_sensitive"
	}
	p := path.Root(root)
	for _, seg := range kongPath[1:] {
		switch s := seg.(type) {
		case string:
			if s == "@entity" {
				return p, true
			}
			p = p.AtName(s)
		case int:
			p = p.AtListIndex(s)
		}
	}
	return p, true
}

// kongPathString renders a Kong error path as Kong's messages do
// ("config.redis.host"); "" for the entity itself.
func kongPathString(kongPath []any) string {
	parts := make([]string, 0, len(kongPath))
	for _, seg := range kongPath {
		switch s := seg.(type) {
		case string:
			parts = append(parts, s)
		case int:
			parts = append(parts, strconv.Itoa(s))
		}
	}
	return strings.Join(parts, ".")
}

// writtenIn reports whether the value at p comes from m: m holds p, or a
// value other than an object on the way to it (a list written whole).
func writtenIn(m map[string]any, p []string) bool {
	if len(p) == 0 || m == nil {
		return false
	}
	var cur any = m
	for _, name := range p {
		rec, ok := cur.(map[string]any)
		if !ok {
			return cur != nil
		}
		if cur, ok = rec[name]; !ok {
			return false
		}
	}
	return true
}

func hasPath(m map[string]any, p []string) bool {
	var cur any = m
	for _, name := range p {
		rec, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = rec[name]; !ok {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// nestedHCL renders the object holding a secret at p: redis = { password = … }.
func nestedHCL(p []string) string {
	out := p[len(p)-1] + " = var." + strings.ReplaceAll(strings.Join(p, "_"), "-", "_")
	for i := len(p) - 2; i >= 0; i-- {
		out = p[i] + " = { " + out + " }"
	}
	return out
}

// addPluginError reports a failed operation (op: "create", "read", …, or
// "plan" for the plan-time schema read) on a plugin whose model m is, with
// config_sensitive's values masked wherever a message could echo one.
func addPluginError(diags *diag.Diagnostics, op string, err error, m pluginModel) {
	sensitive := sensitiveJSON(m.ConfigSensitive)
	secrets := secretStrings(sensitive)
	summary := "Unable to " + op + " plugin"
	var (
		taken    *servicehub.PluginTakenError
		unknown  *servicehub.UnknownPluginError
		rejected *servicehub.RejectedError
	)
	switch {
	case errors.As(err, &taken):
		addPluginTaken(diags, taken)
	case errors.As(err, &unknown):
		addUnknownPlugin(diags, unknown)
	case errors.As(err, &rejected) && len(rejected.Fields) > 0:
		for _, f := range rejected.Fields {
			msg := maskSecrets(strings.TrimSuffix(f.Message, "."), secrets)
			if p, ok := pluginAttrPath(f.Path, sensitive); ok {
				at := kongPathString(f.Path)
				if at == "" || strings.HasSuffix(at, "@entity") || !strings.Contains(at, ".") {
					diags.AddAttributeError(p, summary, fmt.Sprintf("Kong rejected %s: %s.", attrName(p.String()), msg))
				} else {
					diags.AddAttributeError(p, summary, fmt.Sprintf("Kong rejected %s: %s.", at, msg))
				}
				continue
			}
			diags.AddError(summary, "Kong rejected the plugin: "+maskSecrets(f.String(), secrets)+".")
		}
	default:
		var inner diag.Diagnostics
		addPluginEntityError(&inner, op, err)
		for _, d := range inner {
			if wp, ok := d.(diag.DiagnosticWithPath); ok {
				diags.AddAttributeError(wp.Path(), d.Summary(), maskSecrets(d.Detail(), secrets))
			} else {
				diags.AddError(d.Summary(), maskSecrets(d.Detail(), secrets))
			}
		}
	}
}

// stringValue is a known string value as the framework's type.
func stringValue(v tftypes.Value) types.String {
	if v.IsNull() || !v.IsKnown() {
		return types.StringNull()
	}
	var s string
	_ = v.As(&s)
	return types.StringValue(s)
}
