package store

import (
	"errors"
	"net/url"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

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

// CoerceForm types form arguments by the kind's schema, for kinds
// kongschema's Rules do not know (a plugin's entity).
func (k *Kind) CoerceForm(vals url.Values) (map[string]any, bool) {
	if k.schema == nil {
		return nil, false
	}
	return k.schema.CoerceForm(vals), true
}
