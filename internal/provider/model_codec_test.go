package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/kong/go-kong/kong"
)

// The codecs must do exactly what the framework's Get and Set do, for
// known, unknown and null values alike: compared here on full models, on
// models holding unknowns (as plans do), and on zero models.

func TestCodec_implementation(t *testing.T) {
	ctx := context.Background()
	impl := fullImplementation()
	impl.Gateway.TLSSANs = &kong.SANs{DNSNames: kong.StringSlice("a.internal"), Uris: kong.StringSlice("spiffe://x/y")}
	full, diags := flatten(ctx, impl, implementationModel{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	checkCodec(t, implementationCodec, implementationSchema(), full, implementationModel{},
		tftypes.NewAttributePath().WithAttributeName("id"),
		tftypes.NewAttributePath().WithAttributeName("tags"),
		tftypes.NewAttributePath().WithAttributeName("tls_sans").WithAttributeName("uris"))
}

func TestCodec_route(t *testing.T) {
	ctx := context.Background()
	r := &kong.Route{
		ID: kong.String("6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"), Name: kong.String("orders"),
		Service:   &kong.Service{ID: kong.String("11111111-1111-4111-8111-111111111111")},
		Protocols: kong.StringSlice("tcp", "tls"), SNIs: kong.StringSlice("api.example.com"),
		Headers:      map[string][]string{"x-version": {"1", "2"}, "x-empty": {}},
		Sources:      []*kong.CIDRPort{{IP: kong.String("10.0.0.0/8")}, {Port: kong.Int(80)}},
		Destinations: []*kong.CIDRPort{{IP: kong.String("10.0.0.0/8"), Port: kong.Int(443)}},
		StripPath:    kong.Bool(false), RegexPriority: kong.Int(1), PathHandling: kong.String("v1"), HTTPSRedirectStatusCode: kong.Int(301),
		RequestBuffering: kong.Bool(true), ResponseBuffering: kong.Bool(false), Tags: kong.StringSlice("team"),
		CreatedAt: kong.Int(100), UpdatedAt: kong.Int(200),
	}
	full, diags := flattenRoute(ctx, r, routeModel{Methods: listOf(), Hosts: listOf()})
	if diags.HasError() {
		t.Fatal(diags)
	}
	checkCodec(t, routeCodec, routeSchema(), full, routeModel{},
		tftypes.NewAttributePath().WithAttributeName("updated_at"),
		tftypes.NewAttributePath().WithAttributeName("headers"),
		tftypes.NewAttributePath().WithAttributeName("paths"))
}

// checkCodec compares the codec with the framework on full, on full with
// the values at unknown made unknown, and on zero.
func checkCodec[T any](t *testing.T, c *codec[T], s schema.Schema, full, zero T, unknown ...*tftypes.AttributePath) {
	t.Helper()
	ctx := context.Background()
	fw := func(m T) tftypes.Value {
		st := tfsdk.State{Schema: s}
		if diags := st.Set(ctx, m); diags.HasError() {
			t.Fatal(diags)
		}
		return st.Raw
	}
	raw, diags := c.set(ctx, full)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if want := fw(full); !raw.Equal(want) {
		t.Errorf("set\n got %s\nwant %s", raw, want)
	}
	// The framework cannot Set a model whose collections were never
	// assigned; the codec writes them as nulls.
	nulls, diags := c.set(ctx, zero)
	if diags.HasError() || !nulls.IsKnown() || nulls.IsNull() {
		t.Fatalf("zero model: %s, %v", nulls, diags)
	}
	partial, err := tftypes.Transform(raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		for _, u := range unknown {
			if p.Equal(u) {
				return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
			}
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if partial.IsFullyKnown() {
		t.Fatal("no value was made unknown")
	}
	state := func(raw tftypes.Value) tfsdk.State { return tfsdk.State{Schema: s, Raw: raw} }
	for what, v := range map[string]tftypes.Value{"full": raw, "partly unknown": partial, "null attributes": nulls} {
		compareWithFramework(t, what, c.m, state, v)
	}
}

// compareWithFramework reads v with the codec and with the framework's
// Get, field by field, then writes what was read with the codec and with
// the framework's Set.
func compareWithFramework(t *testing.T, what string, c *modelCodec, state func(tftypes.Value) tfsdk.State, v tftypes.Value) {
	t.Helper()
	ctx := context.Background()
	want := reflect.New(c.rt)
	if diags := state(v).Get(ctx, want.Interface()); diags.HasError() {
		t.Fatalf("%s: the framework's Get: %v", what, diags)
	}
	got := reflect.New(c.rt).Elem()
	if diags := c.get(ctx, v, got); diags.HasError() {
		t.Fatalf("%s: get: %v", what, diags)
	}
	for i := range got.NumField() {
		g, w := got.Field(i).Interface().(attr.Value), want.Elem().Field(i).Interface().(attr.Value)
		if !g.Equal(w) || reflect.TypeOf(g) != reflect.TypeOf(w) {
			t.Errorf("%s: get %s = %s, want %s", what, c.rt.Field(i).Tag.Get("tfsdk"), g, w)
		}
	}
	back, diags := c.set(ctx, got)
	if diags.HasError() {
		t.Fatalf("%s: set: %v", what, diags)
	}
	st := state(tftypes.NewValue(c.typ, nil))
	if diags := st.Set(ctx, want.Interface()); diags.HasError() {
		t.Fatalf("%s: the framework's Set: %v", what, diags)
	}
	if !back.Equal(st.Raw) {
		t.Errorf("%s: set\n got %s\nwant %s", what, back, st.Raw)
	}
	if v.IsFullyKnown() && !back.Equal(v) {
		t.Errorf("%s: get then set does not give the value back:\n got %s\nwant %s", what, back, v)
	}
}

func listOf(vals ...string) types.List {
	elems := make([]attr.Value, len(vals))
	for i, v := range vals {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

// TestNewCodec_mismatch: a model that does not match its schema is caught
// when the package loads, not at the first plan.
func TestNewCodec_mismatch(t *testing.T) {
	for what, f := range map[string]func(){
		"unknown tag": func() {
			newCodec[struct {
				A types.String `tfsdk:"b"`
			}](schema.Schema{Attributes: map[string]schema.Attribute{"a": schema.StringAttribute{Optional: true}}})
		},
		"wrong type": func() {
			newCodec[struct {
				A types.Int64 `tfsdk:"a"`
			}](schema.Schema{Attributes: map[string]schema.Attribute{"a": schema.StringAttribute{Optional: true}}})
		},
		"missing field": func() {
			newCodec[struct {
				A types.String `tfsdk:"a"`
			}](schema.Schema{Attributes: map[string]schema.Attribute{
				"a": schema.StringAttribute{Optional: true}, "b": schema.StringAttribute{Optional: true},
			}})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", what)
				}
			}()
			f()
		}()
	}
}

// stringList and stringSet make what the framework's ListValueFrom and
// SetValueFrom make of go-kong's strings, nil ones included.
func TestStringElemsMatchTheFramework(t *testing.T) {
	ctx := context.Background()
	vals := []*string{kong.String("b"), nil, kong.String("a")}
	wantL, _ := types.ListValueFrom(ctx, types.StringType, vals)
	wantS, _ := types.SetValueFrom(ctx, types.StringType, vals)
	gotL, dl := stringList(ctx, vals, types.ListNull(types.StringType))
	gotS, ds := stringSet(ctx, vals, types.SetNull(types.StringType))
	if dl.HasError() || ds.HasError() || !gotL.Equal(wantL) || !gotS.Equal(wantS) {
		t.Errorf("list %s (%v), want %s; set %s (%v), want %s", gotL, dl, wantL, gotS, ds, wantS)
	}
}

// stringsOf makes what the framework's ElementsAs makes of a list.
func TestStringsOfMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	for what, l := range map[string]types.List{
		"values": types.ListValueMust(types.StringType, []attr.Value{types.StringValue("b"), types.StringNull(), types.StringValue("a")}),
		"empty":  types.ListValueMust(types.StringType, []attr.Value{}),
		"null":   types.ListNull(types.StringType),
	} {
		var want []*string
		if d := l.ElementsAs(ctx, &want, false); d.HasError() {
			t.Fatal(d)
		}
		var diags diag.Diagnostics
		got := stringsOf(l, &diags)
		if diags.HasError() || !reflect.DeepEqual(got, want) || (got == nil) != (want == nil) {
			t.Errorf("%s: %v (%v), want %v", what, got, diags, want)
		}
	}
	var diags diag.Diagnostics
	if stringsOf(types.ListUnknown(types.StringType), &diags); !diags.HasError() {
		t.Error("an unknown list converted without an error")
	}
}
