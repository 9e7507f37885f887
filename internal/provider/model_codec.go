package provider

import (
	"context"
	"fmt"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// codec reads a resource's model struct T from the Terraform value of its
// schema (config, plan or state) and writes it back, as the framework's
// Get and Set do, but with the struct's fields matched to attributes once.
// The framework matches them on every call, parsing each struct tag and
// compiling a regexp per field (reflect.getStructTags): with its reflection
// that was about a fifth of a plan's CPU time, for four or five calls per
// resource. Models hold only framework value types (types.String, …), so
// each field is exactly its attribute type's ValueFromTerraform, and
// ToTerraformValue back.
type codec[T any] struct {
	typ    tftypes.Object
	fields []codecField
}

type codecField struct {
	name  string
	index int
	typ   attr.Type
	tf    tftypes.Type
}

// newCodec matches T's tfsdk tags to s's attributes; it panics when they
// differ, which the package's tests catch.
func newCodec[T any](s schema.Schema) *codec[T] {
	ctx := context.Background()
	rt := reflect.TypeFor[T]()
	c := &codec[T]{typ: s.Type().TerraformType(ctx).(tftypes.Object)}
	for i := range rt.NumField() {
		name := rt.Field(i).Tag.Get("tfsdk")
		a, ok := s.Attributes[name]
		if !ok {
			panic(fmt.Sprintf("%s.%s: tfsdk tag %q is not an attribute of the schema", rt.Name(), rt.Field(i).Name, name))
		}
		t := a.GetType()
		if !reflect.TypeOf(t.ValueType(ctx)).AssignableTo(rt.Field(i).Type) {
			panic(fmt.Sprintf("%s.%s: %T cannot hold %s", rt.Name(), rt.Field(i).Name, t.ValueType(ctx), name))
		}
		c.fields = append(c.fields, codecField{name: name, index: i, typ: t, tf: t.TerraformType(ctx)})
	}
	if len(c.fields) != len(s.Attributes) {
		panic(fmt.Sprintf("%s has %d fields for %d attributes", rt.Name(), len(c.fields), len(s.Attributes)))
	}
	return c
}

// get reads a model from a known, non-null object value.
func (c *codec[T]) get(ctx context.Context, raw tftypes.Value) (T, diag.Diagnostics) {
	var m T
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil || vals == nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read the resource's values. "+
			"This is always an error in the provider. Please report the following to the provider developer:\n\ncannot read %s as an object: %v", raw, err))
		return m, diags
	}
	rv := reflect.ValueOf(&m).Elem()
	for _, f := range c.fields {
		v, err := f.typ.ValueFromTerraform(ctx, vals[f.name])
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read %s. "+
				"This is always an error in the provider. Please report the following to the provider developer:\n\n%v", f.name, err))
			continue
		}
		rv.Field(f.index).Set(reflect.ValueOf(v))
	}
	return m, diags
}

// set writes a model as an object value of the schema's type.
func (c *codec[T]) set(ctx context.Context, m T) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	vals := make(map[string]tftypes.Value, len(c.fields))
	rv := reflect.ValueOf(m)
	for _, f := range c.fields {
		av := rv.Field(f.index).Interface().(attr.Value)
		if av.IsNull() {
			// Also a field never assigned, whose zero value lacks the
			// element types a collection's ToTerraformValue needs.
			vals[f.name] = tftypes.NewValue(f.tf, nil)
			continue
		}
		v, err := av.ToTerraformValue(ctx)
		if err == nil && !v.Type().Equal(f.tf) {
			err = fmt.Errorf("a %s value for an attribute of type %s", v.Type(), f.tf)
		}
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to write %s. "+
				"This is always an error in the provider. Please report the following to the provider developer:\n\n%v", f.name, err))
			continue
		}
		vals[f.name] = v
	}
	if diags.HasError() {
		return tftypes.NewValue(c.typ, nil), diags
	}
	return tftypes.NewValue(c.typ, vals), diags
}

// attrOf is one top-level attribute of an object value; null when the
// object is null.
func attrOf(raw tftypes.Value, name string) tftypes.Value {
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil || vals == nil {
		return tftypes.NewValue(tftypes.DynamicPseudoType, nil)
	}
	return vals[name]
}

// stringAttr is a top-level string attribute of an object value; "" when
// null, unknown or absent.
func stringAttr(raw tftypes.Value, name string) string {
	var s string
	v := attrOf(raw, name)
	if v.IsKnown() && !v.IsNull() {
		_ = v.As(&s)
	}
	return s
}
