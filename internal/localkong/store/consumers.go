package store

import (
	"errors"

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

// DAOKind is an entity a plugin adds, as the store keeps it and the Admin
// API serves it.
type DAOKind struct {
	*Kind
	// Path is its collection's path ("key-auths"), Nested its path under
	// a consumer ("key-auth").
	Path, Nested string
	// NestedKey is pdk.DAO's: what else names it under a consumer.
	NestedKey string
}

// daoKind is the Kind of a plugin's DAO: unique and foreign fields as its
// schema marks them.
func daoKind(d *pdk.DAO) *Kind {
	es := d.Schema
	k := &Kind{
		name: d.Name(), schema: es, key: es.EndpointKey(), cacheKey: d.CacheKey,
		ttl: d.TTL, onWrite: d.OnWrite,
		process: func(_ *Store, op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
			return es.Process(op, body, existing)
		},
	}
	if k.key != "" {
		k.keyRule = func(v string) error {
			if msg := es.ValidateKey(v); msg != "" {
				return errors.New(msg)
			}
			return nil
		}
	}
	for _, nf := range es.Fields() {
		if nf.Field.Unique {
			k.unique = append(k.unique, nf.Name)
		}
		if nf.Field.Type == "foreign" {
			k.foreign = append(k.foreign, foreignKey{field: nf.Name, reference: nf.Field.Reference, cascade: nf.Field.OnDelete == "cascade"})
		}
	}
	if k.ttl {
		k.present = presentTTL
	}
	return k
}

// DAOs are the plugins' entities this store keeps.
func (s *Store) DAOs() []DAOKind { return s.daos }

// Kind is the collection named name (a DAO's name, "keyauth_credentials",
// or a core entity's), nil when the store keeps none.
func (s *Store) Kind(name string) *Kind {
	for _, k := range s.kinds {
		if k.name == name {
			return k
		}
	}
	return nil
}

// Schema is the JSON schema document of a kind that kongschema's Rules do
// not serve (a plugin's entity), and whether it has one.
func (k *Kind) Schema() (map[string]any, bool) {
	if k.schema == nil {
		return nil, false
	}
	return k.schema.Document(), true
}

// Validate is /schemas/{entity}/validate for such a kind.
func (k *Kind) Validate(body map[string]any) *kongschema.Violation {
	return k.schema.Validate(body)
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
