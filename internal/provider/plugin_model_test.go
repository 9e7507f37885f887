package provider

import (
	"context"
	"math/big"
	"reflect"
	"sort"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

func num(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }
func str(s string) tftypes.Value  { return tftypes.NewValue(tftypes.String, s) }

// dyn is a Dynamic value of an HCL object.
func dyn(t *testing.T, attrs map[string]tftypes.Value) types.Dynamic {
	t.Helper()
	v, err := types.DynamicType.ValueFromTerraform(context.Background(), objectOf(attrs))
	if err != nil {
		t.Fatal(err)
	}
	return v.(basetypes.DynamicValue)
}

// The read rule's changes patch only their keys: the rest of the
// configuration keeps the values and types it was written with (a null
// attribute, a set made with toset), so the plan shows those keys alone.
func TestPatchDynamic(t *testing.T) {
	t.Parallel()
	set := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("a"), str("b")})
	config := dyn(t, map[string]tftypes.Value{
		"minute": num(3),
		"day":    tftypes.NewValue(tftypes.Number, nil),
		"names":  set,
		"redis":  objectOf(map[string]tftypes.Value{"host": str("r")}),
	})
	got, err := patchDynamic(config, []string{"redis", "port"}, 6380.0)
	if err != nil {
		t.Fatal(err)
	}
	got, err = patchDynamic(got, []string{"names"}, []any{"b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	got, err = patchDynamic(got, []string{"fault_tolerant"}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := dyn(t, map[string]tftypes.Value{
		"minute":         num(3),
		"day":            tftypes.NewValue(tftypes.Number, nil),
		"names":          tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("b"), str("c")}),
		"redis":          objectOf(map[string]tftypes.Value{"host": str("r"), "port": num(6380)}),
		"fault_tolerant": tftypes.NewValue(tftypes.Bool, false),
	})
	if !got.Equal(want) {
		t.Errorf("patched:\n%s\nwant:\n%s", got, want)
	}
	// A null written value taken by Kong's null keeps its type.
	got, err = patchDynamic(config, []string{"minute"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := configJSON(got); m["minute"] != nil || len(m) != 2 {
		t.Errorf("after null: %v", m)
	}
	// Nothing written yet (an import): an object is made.
	got, err = patchDynamic(types.DynamicNull(), []string{"origins"}, []any{"https://a", "https://b"})
	if err != nil {
		t.Fatal(err)
	}
	if m := configJSON(got); !reflect.DeepEqual(m, map[string]any{"origins": []any{"https://a", "https://b"}}) {
		t.Errorf("from nothing: %v", m)
	}
}

func TestPatchSensitive(t *testing.T) {
	t.Parallel()
	got, err := patchSensitive(types.StringValue(`{"redis":{"password":"a","username":"u"}}`), []string{"redis", "password"}, "b")
	if err != nil {
		t.Fatal(err)
	}
	if got.ValueString() != `{"redis":{"password":"b","username":"u"}}` {
		t.Errorf("got %s", got.ValueString())
	}
	got, _ = patchSensitive(types.StringNull(), []string{"host"}, "{vault://env/h}")
	if !reflect.DeepEqual(sensitiveJSON(got), servicehub.PluginConfig{"host": "{vault://env/h}"}) {
		t.Errorf("from null: %s", got.ValueString())
	}
}

// knownJSON leaves out what is not known yet and names where it was: a
// list holding an unknown element is unknown as a whole.
func TestKnownJSON(t *testing.T) {
	t.Parallel()
	unknownStr := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	v := objectOf(map[string]tftypes.Value{
		"minute": num(3),
		"redis":  objectOf(map[string]tftypes.Value{"host": unknownStr, "port": num(6379)}),
		"allow":  tftypes.NewValue(tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.String}}, []tftypes.Value{str("a"), unknownStr}),
		"off":    tftypes.NewValue(tftypes.Bool, nil),
	})
	var unknown []string
	got := knownJSON(v, nil, &unknown)
	sort.Strings(unknown)
	if want := map[string]any{"minute": 3.0, "redis": map[string]any{"port": 6379.0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("known parts %v, want %v", got, want)
	}
	if want := []string{"allow", "redis.host"}; !reflect.DeepEqual(unknown, want) {
		t.Errorf("unknown %v, want %v", unknown, want)
	}
}

// Kong's error paths land on the attribute that wrote the value.
func TestPluginAttrPath(t *testing.T) {
	t.Parallel()
	sensitive := servicehub.PluginConfig{"redis": map[string]any{"password": "x"}}
	for _, tc := range []struct {
		kong []any
		want path.Path
	}{
		{[]any{"config", "minute"}, path.Root("config").AtName("minute")},
		{[]any{"config", "redis", "password"}, path.Root("config_sensitive").AtName("redis").AtName("password")},
		{[]any{"config", "redis", "host"}, path.Root("config").AtName("redis").AtName("host")},
		{[]any{"config", "metrics", 1, "@entity", 0}, path.Root("config").AtName("metrics").AtListIndex(1)},
		{[]any{"@entity", 0}, path.Root("config")},
		{[]any{"config", "@entity", 0}, path.Root("config")},
		{[]any{"service"}, path.Root("implementation_id")},
		{[]any{"route"}, path.Root("route_id")},
		{[]any{"protocols", 1}, path.Root("protocols")},
	} {
		got, ok := pluginAttrPath(tc.kong, sensitive)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("%v → %s (%v), want %s", tc.kong, got, ok, tc.want)
		}
	}
	if _, ok := pluginAttrPath([]any{"ordering"}, nil); ok {
		t.Error("a field no attribute holds was placed")
	}
}

func TestMaskSecrets(t *testing.T) {
	t.Parallel()
	secrets := secretStrings(servicehub.PluginConfig{"a": "hunter2", "b": []any{"hunter2-long", 3.0}, "c": map[string]any{"d": ""}})
	if got := maskSecrets("invalid value: hunter2-long; also hunter2", secrets); got != "invalid value: (sensitive value); also (sensitive value)" {
		t.Errorf("masked: %q", got)
	}
}
