package provider

import (
	"context"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The codec is checked against the framework on every schema the provider
// serves, taken from its own lists of resources and data sources: a model
// struct is made for each schema (reflect.StructOf), and every codec the
// package made for its real models is checked on the values of the schema
// it was made for. A resource or data source added later is covered
// without being named here; dynamicSchema stands in for one with Dynamic
// attributes (a plugin's config) until the provider serves one.

// servedSchema is one schema with a way to hold values of it in a
// tfsdk.State (which takes resource and data source schemas alike).
type servedSchema struct {
	name  string
	typ   schemaType
	state func(tftypes.Value) tfsdk.State
}

// dynamicSchema has a Dynamic attribute at the top, in a nested attribute
// and in an object attribute's type.
func dynamicSchema() schema.Schema {
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true},
		"config": schema.DynamicAttribute{Optional: true},
		"nested": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"name":  schema.StringAttribute{Optional: true},
			"value": schema.DynamicAttribute{Optional: true},
		}},
		"object": schema.ObjectAttribute{Optional: true, AttributeTypes: map[string]attr.Type{
			"d": types.DynamicType, "n": types.Int64Type,
		}},
		"ordered": schema.ListNestedAttribute{Optional: true, NestedObject: schema.NestedAttributeObject{
			Attributes: map[string]schema.Attribute{"s": schema.StringAttribute{Optional: true}},
		}},
	}}
}

func resourceSchemaOf(s schema.Schema) func(tftypes.Value) tfsdk.State {
	return func(raw tftypes.Value) tfsdk.State { return tfsdk.State{Schema: s, Raw: raw} }
}

// servedSchemas are the provider's resources and data sources, and
// dynamicSchema.
func servedSchemas(t *testing.T) []servedSchema {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var out []servedSchema
	for _, f := range p.Resources(ctx) {
		r := f()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "servicehub"}, &md)
		var sr resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			t.Fatalf("%s: %v", md.TypeName, sr.Diagnostics)
		}
		out = append(out, servedSchema{name: "resource " + md.TypeName, typ: sr.Schema, state: resourceSchemaOf(sr.Schema)})
	}
	for _, f := range p.DataSources(ctx) {
		d := f()
		var md datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "servicehub"}, &md)
		var sr datasource.SchemaResponse
		d.Schema(ctx, datasource.SchemaRequest{}, &sr)
		if sr.Diagnostics.HasError() {
			t.Fatalf("%s: %v", md.TypeName, sr.Diagnostics)
		}
		s := sr.Schema
		out = append(out, servedSchema{name: "data source " + md.TypeName, typ: s,
			state: func(raw tftypes.Value) tfsdk.State { return tfsdk.State{Schema: s, Raw: raw} }})
	}
	if len(out) < 7 {
		t.Fatalf("only %d resources and data sources", len(out))
	}
	d := dynamicSchema()
	return append(out, servedSchema{name: "resource with Dynamic attributes", typ: d, state: resourceSchemaOf(d)})
}

// structFor is a model struct for s: a field per attribute, of the type its
// attribute type's values have.
func structFor(s schemaType) reflect.Type {
	ctx := context.Background()
	attrs := s.Type().(basetypes.ObjectType).AttrTypes
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	fields := make([]reflect.StructField, len(names))
	for i, n := range names {
		fields[i] = reflect.StructField{
			Name: fmt.Sprintf("F%d", i), Type: reflect.TypeOf(attrs[n].ValueType(ctx)), Tag: reflect.StructTag(`tfsdk:"` + n + `"`),
		}
	}
	return reflect.StructOf(fields)
}

// valuesOf are the values the codec is checked on: every attribute set
// (collections with two elements, Dynamic ones of several types), the same
// with every third value unknown, with Dynamic attributes unknown as a plan
// has them (of no type yet), and every attribute null.
func valuesOf(t *testing.T, s schemaType) map[string]tftypes.Value {
	t.Helper()
	typ := s.Type().TerraformType(context.Background()).(tftypes.Object)
	full := sample(typ, new(int), false)
	n := 0
	partial, err := tftypes.Transform(full, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 {
			return v, nil
		}
		if n++; n%3 == 1 {
			return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	nulls := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		nulls[name] = tftypes.NewValue(at, nil)
	}
	return map[string]tftypes.Value{
		"full":              full,
		"partly unknown":    partial,
		"dynamics unknown":  sample(typ, new(int), true),
		"null attributes":   tftypes.NewValue(typ, nulls),
		"full, other order": sample(typ, func() *int { i := 7; return &i }(), false),
	}
}

// sample makes a known value of t; *n makes elements (and set elements)
// differ. A Dynamic value takes a type in turn: string, object (with a
// list and an object inside), tuple; unknownDynamic makes it unknown, of
// DynamicPseudoType.
func sample(t tftypes.Type, n *int, unknownDynamic bool) tftypes.Value {
	*n++
	k := *n
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, fmt.Sprintf("s%d", k))
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, big.NewFloat(float64(k)))
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, k%2 == 0)
	case t.Is(tftypes.DynamicPseudoType):
		if unknownDynamic {
			return tftypes.NewValue(tftypes.DynamicPseudoType, tftypes.UnknownValue)
		}
		switch k % 3 {
		case 0:
			return sample(tftypes.String, n, false)
		case 1:
			return sample(tftypes.Object{AttributeTypes: map[string]tftypes.Type{
				"a": tftypes.String, "b": tftypes.List{ElementType: tftypes.Number},
				"c": tftypes.Object{AttributeTypes: map[string]tftypes.Type{"d": tftypes.Bool}},
			}}, n, false)
		default:
			return sample(tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Number}}, n, false)
		}
	}
	switch tt := t.(type) {
	case tftypes.List:
		return tftypes.NewValue(t, []tftypes.Value{sample(tt.ElementType, n, unknownDynamic), sample(tt.ElementType, n, unknownDynamic)})
	case tftypes.Set:
		return tftypes.NewValue(t, []tftypes.Value{sample(tt.ElementType, n, unknownDynamic), sample(tt.ElementType, n, unknownDynamic)})
	case tftypes.Map:
		return tftypes.NewValue(t, map[string]tftypes.Value{
			fmt.Sprintf("k%d", k): sample(tt.ElementType, n, unknownDynamic), fmt.Sprintf("l%d", k): sample(tt.ElementType, n, unknownDynamic),
		})
	case tftypes.Tuple:
		vals := make([]tftypes.Value, len(tt.ElementTypes))
		for i, et := range tt.ElementTypes {
			vals[i] = sample(et, n, unknownDynamic)
		}
		return tftypes.NewValue(t, vals)
	case tftypes.Object:
		names := make([]string, 0, len(tt.AttributeTypes))
		for name := range tt.AttributeTypes {
			names = append(names, name)
		}
		sort.Strings(names)
		vals := map[string]tftypes.Value{}
		for _, name := range names {
			vals[name] = sample(tt.AttributeTypes[name], n, unknownDynamic)
		}
		return tftypes.NewValue(t, vals)
	}
	panic(fmt.Sprintf("no sample of %s", t))
}

func TestCodec_everyServedSchema(t *testing.T) {
	dynamics := 0
	for _, s := range servedSchemas(t) {
		t.Run(s.name, func(t *testing.T) {
			c := newModelCodec(structFor(s.typ), s.typ)
			for what, v := range valuesOf(t, s.typ) {
				if what == "full" && hasDynamic(v) {
					dynamics++
				}
				compareWithFramework(t, what, c, s.state, v)
			}
		})
	}
	if dynamics == 0 {
		t.Error("no schema with a Dynamic value was checked")
	}
}

// hasDynamic: a value whose type is not its schema's (a Dynamic attribute
// holding a value) shows as an object type with DynamicPseudoType in it.
func hasDynamic(v tftypes.Value) bool {
	found := false
	_ = tftypes.Walk(v, func(_ *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if o, ok := v.Type().(tftypes.Object); ok {
			for _, at := range o.AttributeTypes {
				found = found || at.Is(tftypes.DynamicPseudoType)
			}
		}
		return true, nil
	})
	return found
}

// TestCodec_everyModel: each codec the package made (each resource's
// model) matches the framework on its schema's values.
func TestCodec_everyModel(t *testing.T) {
	served := servedSchemas(t)
	madeCodecs.Lock()
	all := append([]*modelCodec(nil), madeCodecs.all...)
	madeCodecs.Unlock()
	if len(all) < 2 {
		t.Fatalf("only %d codecs made", len(all))
	}
	for _, c := range all {
		var of *servedSchema
		for i := range served {
			if served[i].typ.Type().TerraformType(context.Background()).Equal(c.typ) {
				of = &served[i]
			}
		}
		if of == nil {
			t.Errorf("%s: its codec's schema is not one the provider serves", c.rt.Name())
			continue
		}
		t.Run(c.rt.Name(), func(t *testing.T) {
			for what, v := range valuesOf(t, of.typ) {
				compareWithFramework(t, what, c, of.state, v)
			}
		})
	}
}
