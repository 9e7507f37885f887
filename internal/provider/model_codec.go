package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// codec reads a resource's model struct T from the Terraform value of its
// schema (config, plan or state) and writes it back, as the framework's
// Get and Set do, but with the struct's fields matched to attributes once.
// The framework matches them on every call, parsing each struct tag and
// compiling a regexp per field (reflect.getStructTags): with its reflection
// that was about a fifth of a plan's CPU time, for four or five calls per
// resource. Models hold only framework value types (types.String, …,
// types.Dynamic), so each field is exactly its attribute type's
// ValueFromTerraform, and ToTerraformValue back.
type codec[T any] struct{ m *modelCodec }

// modelCodec is codec without the type parameter: the tests build one for
// a struct made from any schema (reflect.StructOf), so that every resource
// and data source the provider serves is checked, not a chosen few.
type modelCodec struct {
	rt     reflect.Type
	typ    tftypes.Object
	fields []codecField
}

type codecField struct {
	name  string
	index int
	typ   attr.Type
	tf    tftypes.Type
}

// schemaType is what a codec needs of a schema: resource, data source and
// ephemeral schemas all have it.
type schemaType interface{ Type() attr.Type }

// newCodec matches T's tfsdk tags to s's attributes; it panics when they
// differ, which the package's tests catch.
func newCodec[T any](s schemaType) *codec[T] {
	c := &codec[T]{m: newModelCodec(reflect.TypeFor[T](), s)}
	madeCodecs.Lock()
	madeCodecs.all = append(madeCodecs.all, c.m)
	madeCodecs.Unlock()
	return c
}

// madeCodecs are every codec newCodec made (at package initialisation):
// the tests check each against the framework, on values made from the
// schema, so a new model is checked without being named anywhere.
var madeCodecs struct {
	sync.Mutex
	all []*modelCodec
}

func newModelCodec(rt reflect.Type, s schemaType) *modelCodec {
	ctx := context.Background()
	obj, ok := s.Type().(basetypes.ObjectType)
	if !ok {
		panic(fmt.Sprintf("%s: the schema's type is %T, not an object", rt.Name(), s.Type()))
	}
	c := &modelCodec{rt: rt, typ: obj.TerraformType(ctx).(tftypes.Object)}
	for i := range rt.NumField() {
		name := rt.Field(i).Tag.Get("tfsdk")
		t, ok := obj.AttrTypes[name]
		if !ok {
			panic(fmt.Sprintf("%s.%s: tfsdk tag %q is not an attribute of the schema", rt.Name(), rt.Field(i).Name, name))
		}
		if !reflect.TypeOf(t.ValueType(ctx)).AssignableTo(rt.Field(i).Type) {
			panic(fmt.Sprintf("%s.%s: %T cannot hold %s", rt.Name(), rt.Field(i).Name, t.ValueType(ctx), name))
		}
		c.fields = append(c.fields, codecField{name: name, index: i, typ: t, tf: t.TerraformType(ctx)})
	}
	if len(c.fields) != len(obj.AttrTypes) {
		panic(fmt.Sprintf("%s has %d fields for %d attributes", rt.Name(), len(c.fields), len(obj.AttrTypes)))
	}
	return c
}

// get reads a model from a known, non-null object value.
func (c *codec[T]) get(ctx context.Context, raw tftypes.Value) (T, diag.Diagnostics) {
	var m T
	diags := c.m.get(ctx, raw, reflect.ValueOf(&m).Elem())
	return m, diags
}

// set writes a model as an object value of the schema's type.
func (c *codec[T]) set(ctx context.Context, m T) (tftypes.Value, diag.Diagnostics) {
	return c.m.set(ctx, reflect.ValueOf(m))
}

// get reads raw into rv, a settable struct of the codec's type.
func (c *modelCodec) get(ctx context.Context, raw tftypes.Value, rv reflect.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil || vals == nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read the resource's values. "+
			"This is always an error in the provider. Please report the following to the provider developer:\n\ncannot read %s as an object: %v", raw, err))
		return diags
	}
	for _, f := range c.fields {
		v, err := f.typ.ValueFromTerraform(ctx, vals[f.name])
		if err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("An unexpected error was encountered trying to read %s. "+
				"This is always an error in the provider. Please report the following to the provider developer:\n\n%v", f.name, err))
			continue
		}
		rv.Field(f.index).Set(reflect.ValueOf(v))
	}
	return diags
}

// set writes rv, a struct of the codec's type, as an object value.
func (c *modelCodec) set(ctx context.Context, rv reflect.Value) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	vals := make(map[string]tftypes.Value, len(c.fields))
	for _, f := range c.fields {
		av := rv.Field(f.index).Interface().(attr.Value)
		if av.IsNull() {
			// Also a field never assigned, whose zero value lacks the
			// element types a collection's ToTerraformValue needs.
			vals[f.name] = tftypes.NewValue(f.tf, nil)
			continue
		}
		v, err := av.ToTerraformValue(ctx)
		// UsableAs, not Equal: a Dynamic attribute (DynamicPseudoType,
		// alone or inside an object) holds a value of its own type, which
		// Terraform keeps with it.
		if err == nil && !v.Type().UsableAs(f.tf) {
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
