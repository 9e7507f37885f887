package store

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

const entConsumers = "consumers"

// Consumers is /consumers: named by username, also unique by custom_id.
var Consumers = &Kind{
	name: entConsumers,
	process: func(_ *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
		e, v, _ := kongschema.Process(entConsumers, op, body, existing)
		return e, v
	},
	key: "username", unique: []string{"username", "custom_id"},
}

// lookup is pdk.Lookup over one namespace, each call under the read lock.
type lookup struct {
	s  *Store
	ns string
}

var _ pdk.Lookup = lookup{}

// Lookups reads the consumers and plugin entities of namespace ns for the
// plugins' handlers.
func (s *Store) Lookups(ns string) pdk.Lookup { return lookup{s: s, ns: ns} }

func (l lookup) space() *Space { return l.s.spaces[l.ns] }

func (l lookup) Consumer(idOrUsername string) map[string]any {
	l.s.mu.RLock()
	defer l.s.mu.RUnlock()
	sp := l.space()
	if sp == nil {
		return nil
	}
	if IsUUID(idOrUsername) {
		if c := sp.get(entConsumers, lowerID(idOrUsername)); c != nil {
			return c
		}
	}
	return sp.byField(entConsumers, "username", idOrUsername)
}

func (l lookup) Entity(dao, key string) map[string]any {
	l.s.mu.RLock()
	defer l.s.mu.RUnlock()
	k, sp := l.s.Kind(dao), l.space()
	if k == nil || sp == nil || k.key == "" {
		return nil
	}
	if e := sp.byField(k.name, k.key, key); e != nil {
		return l.s.Present(sp, k, e)
	}
	return nil
}

func (l lookup) ConsumerEntities(dao, consumerID string) []map[string]any {
	l.s.mu.RLock()
	defer l.s.mu.RUnlock()
	k, sp := l.s.Kind(dao), l.space()
	if k == nil || sp == nil {
		return nil
	}
	var out []map[string]any
	for _, e := range sp.sorted(k.name) {
		if RefID(e["consumer"]) == consumerID {
			out = append(out, l.s.Present(sp, k, e))
		}
	}
	return out
}
