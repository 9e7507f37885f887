package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

type pluginModel struct {
	ID               types.String  `tfsdk:"id"`
	ImplementationID types.String  `tfsdk:"implementation_id"`
	RouteID          types.String  `tfsdk:"route_id"`
	Name             types.String  `tfsdk:"name"`
	InstanceName     types.String  `tfsdk:"instance_name"`
	Config           types.Dynamic `tfsdk:"config"`
	ConfigSensitive  types.String  `tfsdk:"config_sensitive"`
	Enabled          types.Bool    `tfsdk:"enabled"`
	Protocols        types.Set     `tfsdk:"protocols"`
	Tags             types.Set     `tfsdk:"tags"`
}

// configJSON is a known config in Kong's JSON form: null attributes left
// out, as null and absent are the same to Kong's defaults. nil when null.
func configJSON(v types.Dynamic) servicehub.PluginConfig {
	if v.IsNull() || v.IsUnknown() || v.IsUnderlyingValueNull() {
		return nil
	}
	tv, err := v.UnderlyingValue().ToTerraformValue(context.Background())
	if err != nil {
		return nil
	}
	m, _ := jsonValue(tv).(map[string]any)
	return m
}

// expand is the plugin to write: config and config_sensitive merged, the
// scope, and what else the plan sets. The plan is fully known at apply.
func (m pluginModel) expand() (servicehub.Plugin, diag.Diagnostics) {
	var diags diag.Diagnostics
	k := kong.Plugin{
		ID:           m.ID.ValueStringPointer(),
		Name:         m.Name.ValueStringPointer(),
		InstanceName: m.InstanceName.ValueStringPointer(),
		Enabled:      kong.Bool(m.Enabled.IsNull() || m.Enabled.ValueBool()),
		Config:       kong.Configuration(servicehub.Merge(configJSON(m.Config), sensitiveJSON(m.ConfigSensitive))),
		Protocols:    stringsOf(m.Protocols, &diags),
		Tags:         stringsOf(m.Tags, &diags),
	}
	if !m.ImplementationID.IsNull() {
		k.Service = &kong.Service{ID: m.ImplementationID.ValueStringPointer()}
	}
	if !m.RouteID.IsNull() {
		k.Route = &kong.Route{ID: m.RouteID.ValueStringPointer()}
	}
	return servicehub.Plugin{Kong: k}, diags
}

func derefAll(ps []*string) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// patchDynamic is v with the value at path replaced by nv (JSON), made a
// Terraform value like the one it replaces where that fits, so the rest of
// the configuration keeps the types it was written with and a plan shows
// exactly the keys that changed.
func patchDynamic(v types.Dynamic, path []string, nv any) (types.Dynamic, error) {
	ctx := context.Background()
	var cur tftypes.Value
	if !v.IsNull() && !v.IsUnknown() && !v.IsUnderlyingValueNull() {
		tv, err := v.UnderlyingValue().ToTerraformValue(ctx)
		if err != nil {
			return v, err
		}
		cur = tv
	}
	out, err := setTF(cur, path, nv)
	if err != nil {
		return v, err
	}
	d, err := types.DynamicType.ValueFromTerraform(ctx, out)
	if err != nil {
		return v, err
	}
	return d.(basetypes.DynamicValue), nil
}

// setTF sets the value at path in an object value (an empty one when cur
// is the zero Value or null).
func setTF(cur tftypes.Value, path []string, nv any) (tftypes.Value, error) {
	if len(path) == 0 {
		return fromJSON(nv, cur), nil
	}
	attrs := map[string]tftypes.Value{}
	if cur.Type() != nil && !cur.IsNull() && cur.IsKnown() && (cur.Type().Is(tftypes.Object{}) || cur.Type().Is(tftypes.Map{})) {
		if err := cur.As(&attrs); err != nil {
			return cur, err
		}
	}
	next, err := setTF(attrs[path[0]], path[1:], nv)
	if err != nil {
		return cur, err
	}
	attrs[path[0]] = next
	return objectOf(attrs), nil
}

// objectOf is an object value of the given attributes.
func objectOf(attrs map[string]tftypes.Value) tftypes.Value {
	ts := make(map[string]tftypes.Type, len(attrs))
	for k, a := range attrs {
		ts[k] = a.Type()
	}
	return tftypes.NewValue(tftypes.Object{AttributeTypes: ts}, attrs)
}

// fromJSON makes a Terraform value of a JSON value, shaped like like (the
// value it replaces; the zero Value when none) where that fits: a list or
// set stays one when its elements fit, a map stays one; otherwise arrays
// are tuples and objects objects, as HCL writes them.
func fromJSON(v any, like tftypes.Value) tftypes.Value {
	lt := like.Type()
	switch t := v.(type) {
	case nil:
		if lt != nil {
			return tftypes.NewValue(lt, nil)
		}
		return tftypes.NewValue(tftypes.String, nil)
	case string:
		return tftypes.NewValue(tftypes.String, t)
	case bool:
		return tftypes.NewValue(tftypes.Bool, t)
	case float64:
		return tftypes.NewValue(tftypes.Number, new(big.Float).SetFloat64(t))
	case []any:
		var likeElems []tftypes.Value
		if lt != nil && like.IsKnown() && !like.IsNull() {
			_ = like.As(&likeElems)
		}
		elems := make([]tftypes.Value, len(t))
		for i, e := range t {
			var le tftypes.Value
			if i < len(likeElems) {
				le = likeElems[i]
			}
			elems[i] = fromJSON(e, le)
		}
		if lt != nil {
			var et tftypes.Type
			switch c := lt.(type) {
			case tftypes.List:
				et = c.ElementType
			case tftypes.Set:
				et = c.ElementType
			}
			if et != nil && allOfType(elems, et) {
				if _, isSet := lt.(tftypes.Set); isSet {
					return tftypes.NewValue(tftypes.Set{ElementType: et}, elems)
				}
				return tftypes.NewValue(tftypes.List{ElementType: et}, elems)
			}
		}
		ts := make([]tftypes.Type, len(elems))
		for i, e := range elems {
			ts[i] = e.Type()
		}
		return tftypes.NewValue(tftypes.Tuple{ElementTypes: ts}, elems)
	case map[string]any:
		likeAttrs := map[string]tftypes.Value{}
		if lt != nil && like.IsKnown() && !like.IsNull() && (lt.Is(tftypes.Object{}) || lt.Is(tftypes.Map{})) {
			_ = like.As(&likeAttrs)
		}
		attrs := make(map[string]tftypes.Value, len(t))
		for k, e := range t {
			attrs[k] = fromJSON(e, likeAttrs[k])
		}
		if m, ok := lt.(tftypes.Map); ok && allOfType(tfValuesOf(attrs), m.ElementType) {
			return tftypes.NewValue(m, attrs)
		}
		return objectOf(attrs)
	}
	return tftypes.NewValue(tftypes.String, fmt.Sprint(v))
}

func tfValuesOf(m map[string]tftypes.Value) []tftypes.Value {
	out := make([]tftypes.Value, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func allOfType(vs []tftypes.Value, t tftypes.Type) bool {
	for _, v := range vs {
		if !v.Type().Equal(t) {
			return false
		}
	}
	return true
}

// readState applies the read rule (servicehub.PluginSchema.ReadChanges)
// to a prior state: only the keys that differ take Kong's value.
func applyChanges(prior pluginModel, changes []servicehub.ConfigChange) (pluginModel, error) {
	var err error
	for _, c := range changes {
		if c.Sensitive {
			prior.ConfigSensitive, err = patchSensitive(prior.ConfigSensitive, c.Path, c.Value)
		} else {
			prior.Config, err = patchDynamic(prior.Config, c.Path, c.Value)
		}
		if err != nil {
			return prior, err
		}
	}
	return prior, nil
}

// config_sensitive is a JSON object in a string, not a Dynamic value like
// config: Terraform itself writes the state of every Dynamic attribute to
// its debug log, value and all, whenever it reads state
// (UpgradeResourceState: "ignoring dynamic block", in terraform's
// internal/terraform/upgrade_resource_state.go), sensitive or not. A string
// is not logged there.

// sensitiveJSON is a known config_sensitive decoded; nil when null or not
// a JSON object (ValidateConfig reports that).
func sensitiveJSON(v types.String) servicehub.PluginConfig {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(v.ValueString()), &m); err != nil {
		return nil
	}
	return dropNulls(m).(map[string]any)
}

// dropNulls leaves out null attributes of objects, as jsonValue does for
// config.
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = dropNulls(e)
		}
		return out
	}
	return v
}

// patchSensitive is config_sensitive with the value at path replaced.
func patchSensitive(v types.String, path []string, nv any) (types.String, error) {
	var m map[string]any
	if !v.IsNull() && !v.IsUnknown() {
		if err := json.Unmarshal([]byte(v.ValueString()), &m); err != nil {
			return v, fmt.Errorf("config_sensitive is not a JSON object")
		}
	}
	if m == nil {
		m = map[string]any{}
	}
	cur := m
	for _, name := range path[:len(path)-1] {
		next, ok := cur[name].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[name] = next
		}
		cur = next
	}
	cur[path[len(path)-1]] = nv
	b, err := json.Marshal(m)
	if err != nil {
		return v, err
	}
	return types.StringValue(string(b)), nil
}

// secretStrings are the string values of config_sensitive, to be masked
// wherever a message might echo one (Kong's "invalid value: …").
func secretStrings(sensitive servicehub.PluginConfig) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			if t != "" {
				out = append(out, t)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(sensitive)
	// Longest first, so a secret containing another is masked whole.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// maskSecrets replaces each secret in s.
func maskSecrets(s string, secrets []string) string {
	for _, sec := range secrets {
		s = strings.ReplaceAll(s, sec, "(sensitive value)")
	}
	return s
}

// seenKey is the private state key of the fingerprint of the last reading
// found right (servicehub.Seen): the state and what Kong held then. No
// value is in it, only a hash.
const seenKey = "seen"

func seenOf(m pluginModel, p servicehub.Plugin) string {
	var protocols []string
	if !m.Protocols.IsNull() && !m.Protocols.IsUnknown() {
		var diags diag.Diagnostics
		protocols = derefAll(stringsOf(m.Protocols, &diags))
	}
	return servicehub.Seen(configJSON(m.Config), sensitiveJSON(m.ConfigSensitive), protocols,
		servicehub.PluginConfig(p.Kong.Config), derefAll(p.Kong.Protocols))
}

func readSeen(ctx context.Context, p privateGetter, diags *diag.Diagnostics) string {
	b, d := p.GetKey(ctx, seenKey)
	diags.Append(d...)
	var s string
	_ = json.Unmarshal(b, &s) // unreadable: none, and the next read compares
	return s
}

func writeSeen(ctx context.Context, p privateSetter, seen string, diags *diag.Diagnostics) {
	b, _ := json.Marshal(seen) // private state values are JSON
	diags.Append(p.SetKey(ctx, seenKey, b)...)
}
