package store

import (
	"fmt"
	"reflect"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// Plugins are the plugins of the Kong played, as the store needs them:
// their schemas (kong.db.plugins.schema's subschemas) and the entities
// they add (their daos.lua). ../plugins.Set is one.
type Plugins interface {
	// Schema is the schema of the plugin named name, nil for one that is
	// not enabled.
	Schema(name string) *pdk.Schema
	// DAOs are the entities the plugins add.
	DAOs() []*pdk.DAO
}

// noPlugins is the Plugins of a store given none: every name is unknown.
type noPlugins struct{}

func (noPlugins) Schema(string) *pdk.Schema { return nil }
func (noPlugins) DAOs() []*pdk.DAO          { return nil }

const entPlugins = "plugins"

// PluginsKind is /plugins: each row is one plugin's configuration, global
// or scoped to a route, a service and/or a consumer, at most one per name
// and scope (its cache_key), and deleted with what it is scoped to.
var PluginsKind = &Kind{
	name: entPlugins, process: processPlugin,
	key: "instance_name", keyRule: kongschema.ValidateName, unique: []string{"instance_name"},
	cacheKey: []string{"name", "route", "service", "consumer"},
	foreign: []foreignKey{
		{field: "route", reference: entRoutes, cascade: true},
		{field: "service", reference: entServices, cascade: true},
		{field: "consumer", reference: entConsumers, cascade: true},
	},
	precheck: pluginProtocols,
	present: func(s *Store, _ *Space, _ *Kind, e map[string]any) map[string]any {
		name, _ := e["name"].(string)
		if sch := s.plugins.Schema(name); sch != nil {
			return sch.Present(e)
		}
		return e
	},
}

// subschemaError is the plugins entity's subschema_error.
const subschemaError = "plugin '%s' not enabled; add it to the 'plugins' configuration property"

// processPlugin validates a plugin with its own schema, chosen by name
// (the sent one, or on PATCH the stored one). A PATCH merges the config
// it sends into the stored config, record by record, as Kong's
// merge_values does.
func processPlugin(s *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
	name, present := body["name"]
	if !present && op == kongschema.Update {
		name = existing["name"]
	}
	if name == nil {
		return nil, &kongschema.Violation{Fields: map[string]any{"name": "required field missing"}}
	}
	str, _ := name.(string)
	sch := s.plugins.Schema(str)
	if sch == nil {
		return nil, &kongschema.Violation{Fields: map[string]any{"name": fmt.Sprintf(subschemaError, luaKey(name))}}
	}
	if op == kongschema.Update {
		if cfg, ok := body["config"].(map[string]any); ok {
			if old, ok := existing["config"].(map[string]any); ok {
				body = clone(body)
				body["config"] = mergeRecord(sch.Config(), cfg, old)
			}
		}
	}
	return sch.Process(op, body, existing)
}

// luaKey renders a subschema key as Kong's message does: a string as is,
// a list by its first element.
func luaKey(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		if len(t) > 0 {
			return luaKey(t[0])
		}
	}
	return fmt.Sprint(v)
}

// mergeRecord is merge_values for a record: top's values over bottom's,
// records merged field by field, anything else replaced.
func mergeRecord(f *kongschema.Field, top, bottom map[string]any) map[string]any {
	out := make(map[string]any, len(bottom)+len(top))
	for k, v := range bottom {
		out[k] = v
	}
	for k, v := range top {
		out[k] = v
	}
	for _, nf := range f.Fields {
		t, ok := top[nf.Name].(map[string]any)
		b, okb := bottom[nf.Name].(map[string]any)
		if ok && okb && nf.Field.Type == "record" {
			out[nf.Name] = mergeRecord(nf.Field, t, b)
		}
	}
	return out
}

// pluginProtocols is the plugins DAO's check_protocols_match, run on what
// a write sends before anything else: a plugin scoped to a route shares a
// protocol with it; one scoped to a service shares one with at least one
// of its routes, if it has any. A PATCH that sends one of protocols,
// route and service is checked with the stored others.
func pluginProtocols(_ *Store, sp *Space, op kongschema.Op, body, old map[string]any) *Error {
	protocols, route, service := body["protocols"], body["route"], body["service"]
	if op == kongschema.Update {
		if protocols == nil && route == nil && service == nil {
			return nil
		}
		if old != nil && (protocols == nil || route == nil || service == nil) {
			protocols, route, service = or(protocols, old["protocols"]), or(route, old["route"]), or(service, old["service"])
		}
	}
	list, ok := protocols.([]any)
	if !ok {
		return nil
	}
	shares := func(r map[string]any) bool {
		for _, p := range list {
			for _, rp := range stringList(r["protocols"]) {
				if p == rp {
					return true
				}
			}
		}
		return false
	}
	if id := RefID(route); id != "" {
		if r := sp.get(entRoutes, lowerID(id)); r != nil && !shares(r) {
			return ErrFieldViolation("protocols", "must match the associated route's protocols")
		}
		return nil
	}
	if id := RefID(service); id != "" {
		routed := false
		for _, r := range sp.sorted(entRoutes) {
			if RefID(r["service"]) != lowerID(id) {
				continue
			}
			if shares(r) {
				return nil
			}
			routed = true
		}
		if routed {
			return ErrFieldViolation("protocols", "must match the protocols of at least one route pointing to this Plugin's service")
		}
	}
	return nil
}

func or(a, b any) any {
	if a != nil {
		return a
	}
	return b
}

// checkCacheKey refuses a second entity with the same cache key (Kong's
// unique cache_key column): 409, naming the key's fields.
func (sp *Space) checkCacheKey(k *Kind, e map[string]any, oldID string) *Error {
	key := cacheKeyOf(k, e)
	for _, row := range sp.sorted(k.name) {
		if row["id"] == e["id"] || row["id"] == oldID {
			continue
		}
		if reflect.DeepEqual(cacheKeyOf(k, row), key) {
			return errUniqueFields(key)
		}
	}
	return nil
}

// cacheKeyOf is the entity's cache key fields, foreign keys by id.
func cacheKeyOf(k *Kind, e map[string]any) map[string]any {
	out := make(map[string]any, len(k.cacheKey))
	for _, f := range k.cacheKey {
		v := e[f]
		if id := RefID(v); id != "" {
			v = map[string]any{"id": id}
		}
		out[f] = v
	}
	return out
}

// EnabledPlugins lists the enabled plugins of namespace ns, ordered by id,
// for the proxy's run loop (RouteEntry.NS names a route's namespace).
func (s *Store) EnabledPlugins(ns string) []map[string]any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp := s.spaces[ns]
	if sp == nil {
		return nil
	}
	var out []map[string]any
	for _, p := range sp.sorted(entPlugins) {
		if p["enabled"] == true {
			out = append(out, s.Present(sp, PluginsKind, p))
		}
	}
	return out
}

// PluginNames lists the names of the plugins configured in namespace ns,
// each once, in the order of their first row, as GET / reports them
// (enabled_in_cluster).
func (s *Store) PluginNames(ns string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sp := s.spaces[ns]
	if sp == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range sp.sorted(entPlugins) {
		if n, ok := p["name"].(string); ok && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}
