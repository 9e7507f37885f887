package provider

import (
	"math/big"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// kongEntity says how a resource's attributes map onto a Kong entity. An
// attribute is the Kong field of the same name unless listed here, so the
// plan-time check and the diagnostics that place Kong's errors on
// attributes follow a new attribute without being told.
type kongEntity struct {
	kind     string // Kong's entity name, e.g. "services"
	noun     string // what users call it, e.g. "implementation"
	resource string // the Terraform type, e.g. "servicehub_implementation"
	// refs are attributes holding the id of another entity, which Kong
	// takes as {"id": …} in a field of another name.
	refs map[string]kongRef
	// local are attributes that are not Kong fields.
	local []string
	// shorthand is a Kong shorthand field and the fields it expands into,
	// whose errors belong to it when the configuration sets it.
	shorthand     string
	shorthandInto []string
	// notes add what a user needs to a message of Kong's, by the
	// message's start, or by "<field>: <start>" for one field's messages;
	// each is given the rest of the message (the offending value, say).
	notes map[string]func(rest string) string
	// defaults are said when Kong's message names an attribute ('protocols')
	// that the configuration leaves to its default, which the user may not
	// know they chose.
	defaults map[string]string
	// attrs are the resource's attribute types, to turn Kong's error paths
	// into attribute paths.
	attrs map[string]attr.Type
}

// say is a note that does not depend on the value.
func say(text string) func(string) string { return func(string) string { return text } }

// attributeTypes lists a schema's attributes by name.
func attributeTypes(s schema.Schema) map[string]attr.Type {
	out := make(map[string]attr.Type, len(s.Attributes))
	for name, a := range s.Attributes {
		out[name] = a.GetType()
	}
	return out
}

// kongRef is an attribute referring to another entity: the Kong field, and
// what to tell a user whose id names nothing.
type kongRef struct {
	field, title, noun, advice string
}

// checkConfig is the plan-time check of both resources: the configuration
// as the entity Kong would receive, through kongschema.PlanCheck, Kong's
// own rules. Values not known yet are left to apply time.
func (e kongEntity) checkConfig(req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	body, unknown, set := e.configBody(req.Config.Raw)
	e.addFieldErrors(&resp.Diagnostics, "", "Kong would reject", kongschema.PlanCheck(e.kind, body, unknown), set)
}

// configBody renders the configuration's known values in Kong's JSON form;
// unknown names the Kong fields whose values are not known yet, set the
// attributes the configuration sets.
func (e kongEntity) configBody(config tftypes.Value) (body map[string]any, unknown []string, set map[string]bool) {
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return nil, nil, nil
	}
	body, set = map[string]any{}, map[string]bool{}
	for name, v := range attrs {
		if v.IsNull() || slices.Contains(e.local, name) {
			continue
		}
		set[name] = true
		field := name
		if ref, ok := e.refs[name]; ok {
			field = ref.field
		}
		if !v.IsFullyKnown() {
			unknown = append(unknown, field)
			continue
		}
		j := jsonValue(v)
		if _, ok := e.refs[name]; ok {
			j = map[string]any{"id": j}
		}
		body[field] = j
	}
	return body, unknown, set
}

// jsonValue is a known Terraform value as encoding/json would decode it;
// null attributes of objects are left out, as go-kong leaves them out.
func jsonValue(v tftypes.Value) any {
	if v.IsNull() {
		return nil
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case t.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case t.Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		f, _ := n.Float64()
		return f
	case t.Is(tftypes.Map{}) || t.Is(tftypes.Object{}):
		var m map[string]tftypes.Value
		_ = v.As(&m)
		out := map[string]any{}
		for k, e := range m {
			if !e.IsNull() {
				out[k] = jsonValue(e)
			}
		}
		return out
	default: // list, set, tuple
		var l []tftypes.Value
		_ = v.As(&l)
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = jsonValue(e)
		}
		return out
	}
}

// attributePath maps a Kong error path to the attribute, down to the list
// element or nested attribute where the attribute's type has them.
func (e kongEntity) attributePath(kongPath []any, set map[string]bool) (path.Path, bool) {
	if len(kongPath) == 0 {
		return path.Empty(), false
	}
	field, _ := kongPath[0].(string)
	if e.shorthand != "" && set[e.shorthand] && slices.Contains(e.shorthandInto, field) {
		return path.Root(e.shorthand), true
	}
	name := field
	for a, ref := range e.refs {
		if ref.field == field {
			return path.Root(a), true // {"id": …} is one attribute
		}
	}
	t, ok := e.attrs[name]
	if !ok {
		return path.Empty(), false
	}
	p := path.Root(name)
	for _, seg := range kongPath[1:] {
		switch tt := t.(type) {
		case types.ListType:
			i, ok := seg.(int)
			if !ok {
				return p, true
			}
			p, t = p.AtListIndex(i), tt.ElemType
		case types.ObjectType:
			s, ok := seg.(string)
			if _, known := tt.AttrTypes[s]; !ok || !known {
				return p, true
			}
			p, t = p.AtName(s), tt.AttrTypes[s]
		default: // sets and maps: Kong's index or key names no element here
			return p, true
		}
	}
	return p, true
}
