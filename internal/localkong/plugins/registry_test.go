package plugins

import (
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

var gateways = []pdk.Gateway{
	{Version: kongschema.MustParseVersion("3.4.0")},
	{Version: kongschema.MustParseVersion("3.6.1")},
	{Version: kongschema.MustParseVersion("3.8.0")},
	{Version: kongschema.MustParseVersion("3.10.0")},
	{Version: kongschema.KonnectVersion, ControlPlane: true},
}

// Every plugin has a schema in every Kong played, whose document is one
// Kong's schema parser reads back to the same document.
func TestEverySchemaRoundTrips(t *testing.T) {
	for _, g := range gateways {
		set := For(g)
		if len(set.Names()) != len(registry) {
			t.Fatalf("%v: %d names for %d plugins", g.Version, len(set.Names()), len(registry))
		}
		for _, name := range set.Names() {
			e := set.Get(name)
			if e.Schema == nil || e.Priority == 0 {
				t.Fatalf("%s in %v: schema %v, priority %d", name, g.Version, e.Schema, e.Priority)
			}
			doc := e.Schema.Document()
			back, err := kongschema.ParsePluginSchemaDocument(name, doc)
			if err != nil {
				t.Fatalf("%s in %v: %v", name, g.Version, err)
			}
			if got, want := mustJSON(t, back.Document()), mustJSON(t, doc); got != want {
				t.Errorf("%s in %v: document does not round-trip:\n got %s\nwant %s", name, g.Version, got, want)
			}
		}
	}
}

func TestVersionedFields(t *testing.T) {
	has := func(g pdk.Gateway, plugin, field string) bool {
		return For(g).Schema(plugin).FieldAt([]string{field}) != nil
	}
	v := func(s string) pdk.Gateway { return pdk.Gateway{Version: kongschema.MustParseVersion(s)} }
	for _, c := range []struct {
		plugin, field, since, before string
	}{
		{"cors", "allow_origin_absent", "3.10.0", "3.9.3"},
		{"cors", "private_network", "3.5.0", "3.4.2"},
		{"basic-auth", "realm", "3.6.0", "3.5.0"},
		{"key-auth", "realm", "3.7.0", "3.6.1"},
		{"acl", "always_use_authenticated_groups", "3.8.0", "3.7.1"},
		{"jwt", "realm", "3.8.0", "3.7.1"},
		{"rate-limiting", "redis", "3.6.0", "3.5.0"},
		{"prometheus", "wasm_metrics", "3.10.0", "3.9.3"},
	} {
		if !has(v(c.since), c.plugin, c.field) || has(v(c.before), c.plugin, c.field) {
			t.Errorf("%s.config.%s: want it from %s, not in %s", c.plugin, c.field, c.since, c.before)
		}
	}
	if For(v("3.8.0")).Get("correlation-id").Priority != 1 || For(v("3.9.0")).Get("correlation-id").Priority != 100001 {
		t.Errorf("correlation-id's priority went from 1 to 100001 in 3.9.0")
	}
}
