package store

import (
	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// The operations below mirror Kong's DAO (insert, upsert, update, delete);
// callers hold the store's write lock for the whole operation so that the
// checks and the write are atomic.

// Selector is how a path key designates an entity: by id or by name.
type Selector struct{ Field, Value string }

// ByID selects the entity with this id.
func ByID(id string) Selector { return Selector{Field: "id", Value: id} }

// Find returns the row a selector designates, or nil.
func (sp *Space) Find(k *Kind, sel Selector) map[string]any {
	if sel.Field == "id" {
		return sp.get(k.name, sel.Value)
	}
	return sp.byField(k.name, sel.Field, sel.Value)
}

// ParseKey turns a path segment into a selector: a UUID means an id lookup
// only; anything else is a name, validated first (code 10), for kinds that
// have one. Kinds without a name key reject it as an invalid primary key.
func ParseKey(k *Kind, key string) (Selector, *Error) {
	if IsUUID(key) {
		return ByID(lowerID(key)), nil
	}
	if k.key == "" {
		return Selector{}, errInvalidPrimaryKey("id", "expected a valid UUID")
	}
	if k.keyRule != nil {
		if err := k.keyRule(key); err != nil {
			return Selector{}, errInvalidUnique(err.Error())
		}
	}
	return Selector{Field: k.key, Value: key}, nil
}

// Insert is POST: a new entity, defaults filled in, under a fresh id
// unless the body gives one.
func (s *Store) Insert(sp *Space, k *Kind, body map[string]any) (map[string]any, *Error) {
	return s.write(sp, k, kongschema.Insert, Selector{}, nil, body)
}

// Upsert is PUT: a full replacement (defaults for anything missing, and
// created_at reset unless sent) of the entity the URL key designates, or its
// creation. The key in the URL wins over the body.
func (s *Store) Upsert(sp *Space, k *Kind, sel Selector, body map[string]any) (map[string]any, *Error) {
	body[sel.Field] = sel.Value
	return s.write(sp, k, kongschema.Upsert, sel, sp.Find(k, sel), body)
}

// Update is PATCH: a merge into old, validated as a whole. The primary key
// never changes; created_at may.
func (s *Store) Update(sp *Space, k *Kind, old, body map[string]any) (map[string]any, *Error) {
	return s.write(sp, k, kongschema.Update, Selector{}, old, body)
}

// write is the DAO's insert, upsert and update: options out of the body,
// the kind's own checks of what was sent, foreign keys by name, Kong's
// write path, then the database's checks and the save. It returns the
// entity as the Admin API shows it.
func (s *Store) write(sp *Space, k *Kind, op kongschema.Op, sel Selector, old, body map[string]any) (map[string]any, *Error) {
	ttl, err := takeTTL(k, body)
	if err != nil {
		return nil, err
	}
	if k.precheck != nil {
		if err := k.precheck(s, sp, op, body, old); err != nil {
			return nil, err
		}
	}
	if err := sp.resolveForeign(k, body); err != nil {
		return nil, err
	}
	var existing map[string]any
	if op == kongschema.Update {
		existing = clone(old)
	}
	e, v := k.process(s, op, body, existing)
	if !v.Empty() {
		return nil, ErrSchema(v)
	}
	switch op {
	case kongschema.Insert:
		setID(e, "")
		stamp(e, nil)
	case kongschema.Upsert:
		if sel.Field == "id" {
			e["id"] = sel.Value
		} else {
			e[sel.Field] = sel.Value
		}
		fallback := ""
		if old != nil {
			fallback = old["id"].(string)
		}
		setID(e, fallback)
		stamp(e, nil)
	case kongschema.Update:
		e["id"] = old["id"]
		stamp(e, old)
	}
	if k.onWrite != nil {
		k.onWrite(e, body)
	}
	if err := s.save(sp, k, e, old, ttl); err != nil {
		return nil, err
	}
	return s.Present(sp, k, e), nil
}

// Remove is DELETE of e, unless something still references it. What
// references it with on_delete = "cascade" (plugins on a service, a
// consumer's credentials) goes with it.
func (s *Store) Remove(sp *Space, k *Kind, e map[string]any) *Error {
	if k.inUse != nil {
		if err := k.inUse(s, sp, e); err != nil {
			return err
		}
	}
	s.removeCascading(sp, k, e)
	return nil
}

func (s *Store) removeCascading(sp *Space, k *Kind, e map[string]any) {
	sp.remove(k, e)
	s.touched(k)
	for _, fn := range s.removed {
		fn(sp, k, e)
	}
	for _, ck := range s.kinds {
		for _, fk := range ck.foreign {
			if fk.reference != k.name || !fk.cascade {
				continue
			}
			for _, row := range sp.sorted(ck.name) {
				if RefID(row[fk.field]) == e["id"] {
					s.removeCascading(sp, ck, row)
				}
			}
		}
	}
}

// resolveForeign replaces foreign keys given by a unique field
// ({"name":…}) with the referenced id. Kong's DAO does this before any
// validation (resolve_foreign), so an unknown name (code 13) wins over
// schema errors in the same body.
func (sp *Space) resolveForeign(k *Kind, body map[string]any) *Error {
	for _, fk := range k.foreign {
		field, key, ok := kongschema.ForeignByName(fk.reference, body[fk.field])
		if !ok {
			continue
		}
		value, _ := key.(string)
		target := sp.byField(fk.reference, field, value)
		if target == nil {
			return errUnresolved(fk.field, fk.reference, field, key)
		}
		body[fk.field] = map[string]any{"id": target["id"]}
	}
	return nil
}

// save runs the database-side checks in Postgres order (primary key,
// unique indexes, foreign keys) and stores e in place of old.
func (s *Store) save(sp *Space, k *Kind, e, old map[string]any, ttl float64) *Error {
	// Postgres returns uuids lowercased; go-kong sends whole entities as
	// references, of which only the id is kept.
	for _, fk := range k.foreign {
		if id := RefID(e[fk.field]); id != "" {
			e[fk.field] = map[string]any{"id": lowerID(id)}
		}
	}
	if k.resolve != nil {
		if err := k.resolve(s, sp, e); err != nil {
			return err
		}
	}
	id := e["id"].(string)
	var oldID string
	if old != nil {
		oldID = old["id"].(string)
	}
	if k.ttl {
		sp.purgeExpired(k)
	}
	if other := sp.get(k.name, id); other != nil && id != oldID {
		return errPrimaryKey(id)
	}
	for _, f := range k.unique {
		v, ok := e[f].(string)
		if !ok {
			continue
		}
		if other := sp.byField(k.name, f, v); other != nil && other["id"] != id && other["id"] != oldID {
			return errUnique(f, v)
		}
	}
	if len(k.cacheKey) > 0 {
		if err := sp.checkCacheKey(k, e, oldID); err != nil {
			return err
		}
	}
	for _, fk := range k.foreign {
		if id := RefID(e[fk.field]); id != "" && sp.get(fk.reference, id) == nil {
			return errForeignKey(fk.field, fk.reference, id)
		}
	}
	if k.refs != nil {
		if err := k.refs(sp, e); err != nil {
			return err
		}
	}
	// An upsert by name may move the row to a new id; whatever pointed at
	// the old id would dangle, so Postgres refuses.
	if old != nil && oldID != id && k.inUse != nil {
		if err := k.inUse(s, sp, old); err != nil {
			return err
		}
	}
	sp.put(k, e, old)
	if k.ttl {
		sp.setExpiry(k, id, ttl)
	}
	s.touched(k)
	return nil
}

// setID lowercases a given id (Postgres returns uuids lowercased) or fills
// in fallback, or a fresh v4 UUID.
func setID(e map[string]any, fallback string) {
	if id, ok := e["id"].(string); ok && id != "" {
		e["id"] = lowerID(id)
		return
	}
	if fallback == "" {
		fallback = uuid.NewString()
	}
	e["id"] = fallback
}

// stamp sets the timestamps of an entity that has them: created_at stays
// as sent, else comes from old (PATCH) or now; updated_at is always now.
func stamp(e, old map[string]any) {
	ts := now()
	if v, has := e["created_at"]; has && v == nil {
		if old != nil && old["created_at"] != nil {
			e["created_at"] = old["created_at"]
		} else {
			e["created_at"] = ts
		}
	}
	if _, has := e["updated_at"]; has {
		e["updated_at"] = ts
	}
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
