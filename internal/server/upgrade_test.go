package server

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/provider"
)

// The passthrough must answer exactly as the framework does: compared on a
// stored state of every resource type the provider serves (from its own
// schema, so a new one is covered without being named here; an attribute
// the schema no longer has included), and of one with Dynamic attributes
// (a plugin's config), and left to the framework for anything else.
func TestUpgradePassthroughMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	fw := providerserver.NewProtocol6(withDynamic{provider.New("test")()})()
	s, ok := detachServer(fw).(detachedServer)
	if !ok {
		t.Fatal("not wrapped")
	}
	sch, err := fw.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || len(sch.Diagnostics) > 0 {
		t.Fatalf("%v %v", err, sch.Diagnostics)
	}
	if len(sch.ResourceSchemas) < 4 || sch.ResourceSchemas[dynamicType] == nil {
		t.Fatalf("only %d resource types", len(sch.ResourceSchemas))
	}
	states := map[string]string{}
	for typ, rs := range sch.ResourceSchemas {
		v := stateJSON(rs.ValueType(), new(int)).(map[string]any)
		v["an_attribute_since_removed"] = "x"
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		states[typ] = string(b)
	}
	for typ, js := range states {
		req := &tfprotov6.UpgradeResourceStateRequest{TypeName: typ, Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(js)}}
		got, ok := s.passthrough(ctx, req)
		if !ok {
			t.Fatalf("%s: no passthrough", typ)
		}
		want, err := fw.UpgradeResourceState(ctx, req)
		if err != nil || len(want.Diagnostics) > 0 {
			t.Fatalf("%s: the framework: %v %v", typ, err, want.Diagnostics)
		}
		// Compared as values: msgpack writes a map's keys in Go's map
		// order, so equal states need not be equal bytes.
		st := s.schemas.get(ctx, fw)[typ].typ
		same := func(a, b *tfprotov6.DynamicValue) bool {
			av, aerr := a.Unmarshal(st)
			bv, berr := b.Unmarshal(st)
			return aerr == nil && berr == nil && av.Equal(bv) && a.JSON == nil && b.JSON == nil
		}
		if !same(got.UpgradedState, want.UpgradedState) {
			t.Errorf("%s: passthrough differs from the framework's", typ)
		}
		if v, err := got.UpgradedState.Unmarshal(st); err != nil || !v.IsFullyKnown() || v.IsNull() {
			t.Errorf("%s: upgraded to %v (%v)", typ, v, err)
		}
		wrapped, err := s.UpgradeResourceState(ctx, req)
		if err != nil || !same(wrapped.UpgradedState, want.UpgradedState) {
			t.Errorf("%s: the wrapped server's answer differs: %v", typ, err)
		}
	}
	// UpgradeResourceState is for resources: a data source's name that is
	// not also a resource's is the framework's to answer.
	for typ := range sch.DataSourceSchemas {
		if sch.ResourceSchemas[typ] != nil {
			continue
		}
		req := &tfprotov6.UpgradeResourceStateRequest{TypeName: typ, RawState: &tfprotov6.RawState{JSON: []byte(`{}`)}}
		if _, ok := s.passthrough(ctx, req); ok {
			t.Errorf("data source %s: passed through; the framework must answer", typ)
		}
	}
	for what, req := range map[string]*tfprotov6.UpgradeResourceStateRequest{
		"other version": {TypeName: "servicehub_route", Version: 1, RawState: &tfprotov6.RawState{JSON: []byte(states["servicehub_route"])}},
		"unknown type":  {TypeName: "servicehub_nothing", RawState: &tfprotov6.RawState{JSON: []byte(`{}`)}},
		"bad state":     {TypeName: "servicehub_route", RawState: &tfprotov6.RawState{JSON: []byte(`{"name":[1]}`)}},
		"flatmap":       {TypeName: "servicehub_route", RawState: &tfprotov6.RawState{Flatmap: map[string]string{"id": "x"}}},
		"no state":      {TypeName: "servicehub_route"},
	} {
		if _, ok := s.passthrough(ctx, req); ok {
			t.Errorf("%s: passed through; the framework must answer", what)
		}
	}
	// And those the framework answers with its diagnostics, as before.
	resp, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "servicehub_route", RawState: &tfprotov6.RawState{JSON: []byte(`{"name":[1]}`)},
	})
	if err != nil || len(resp.Diagnostics) == 0 {
		t.Errorf("a state that does not decode: %v, %v; want the framework's error", resp, err)
	}
}

// stateJSON is a stored state's JSON for a value of t: every attribute set,
// collections with two elements, a Dynamic value as Terraform stores one
// ({"value": …, "type": …}), in turn a string and an object.
func stateJSON(t tftypes.Type, n *int) any {
	*n++
	k := *n
	switch {
	case t.Is(tftypes.String):
		return fmt.Sprintf("s%d", k)
	case t.Is(tftypes.Number):
		return k
	case t.Is(tftypes.Bool):
		return k%2 == 0
	case t.Is(tftypes.DynamicPseudoType):
		var in tftypes.Type = tftypes.String
		if k%2 == 1 {
			in = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
				"a": tftypes.List{ElementType: tftypes.Number}, "b": tftypes.Map{ElementType: tftypes.String},
			}}
		}
		return map[string]any{"value": stateJSON(in, n), "type": typeJSON(in)}
	}
	switch tt := t.(type) {
	case tftypes.List:
		return []any{stateJSON(tt.ElementType, n), stateJSON(tt.ElementType, n)}
	case tftypes.Set:
		return []any{stateJSON(tt.ElementType, n), stateJSON(tt.ElementType, n)}
	case tftypes.Map:
		return map[string]any{fmt.Sprintf("k%d", k): stateJSON(tt.ElementType, n), fmt.Sprintf("l%d", k): stateJSON(tt.ElementType, n)}
	case tftypes.Object:
		names := make([]string, 0, len(tt.AttributeTypes))
		for name := range tt.AttributeTypes {
			names = append(names, name)
		}
		sort.Strings(names)
		m := map[string]any{}
		for _, name := range names {
			m[name] = stateJSON(tt.AttributeTypes[name], n)
		}
		return m
	}
	panic(fmt.Sprintf("no state for %s", t))
}

// typeJSON is a type as a state writes it beside a Dynamic value: "string",
// ["list", "number"], ["object", {"a": …}] (Terraform's type JSON).
func typeJSON(t tftypes.Type) any {
	switch tt := t.(type) {
	case tftypes.List:
		return []any{"list", typeJSON(tt.ElementType)}
	case tftypes.Map:
		return []any{"map", typeJSON(tt.ElementType)}
	case tftypes.Object:
		attrs := map[string]any{}
		for name, at := range tt.AttributeTypes {
			attrs[name] = typeJSON(at)
		}
		return []any{"object", attrs}
	}
	switch {
	case t.Is(tftypes.String):
		return "string"
	case t.Is(tftypes.Number):
		return "number"
	case t.Is(tftypes.Bool):
		return "bool"
	}
	panic(fmt.Sprintf("no type JSON for %s", t))
}

// withDynamic is the provider with one more resource type, whose schema has
// Dynamic attributes, until the provider serves one of its own.
type withDynamic struct{ fwprovider.Provider }

const dynamicType = "servicehub_dynamic_test"

func (p withDynamic) Resources(ctx context.Context) []func() resource.Resource {
	return append(p.Provider.Resources(ctx), func() resource.Resource { return dynamicResource{} })
}

type dynamicResource struct{}

func (dynamicResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = dynamicType
}

func (dynamicResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":     schema.StringAttribute{Computed: true},
		"config": schema.DynamicAttribute{Optional: true},
		"nested": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"value": schema.DynamicAttribute{Optional: true},
		}},
	}}
}

func (dynamicResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (dynamicResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (dynamicResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (dynamicResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
