package localkong

import (
	"strings"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// The operations below mirror Kong's DAO (insert, upsert, update, delete);
// callers hold the store's write lock for the whole operation so that the
// checks and the write are atomic.

// selector is how a path key designates an entity: by id or by name.
type selector struct{ field, value string }

// find returns the row a selector designates, or nil.
func (sp *space) find(k *kind, sel selector) map[string]any {
	if sel.field == "id" {
		return sp.get(k.name, sel.value)
	}
	return sp.byField(k.name, sel.field, sel.value)
}

// parseKey turns a path segment into a selector: a UUID means an id lookup
// only; anything else is a name, validated first (code 10), for kinds that
// have one. Kinds without a name key reject it as an invalid primary key.
func parseKey(k *kind, key string) (selector, *apiError) {
	if isUUID(key) {
		return selector{"id", lowerID(key)}, nil
	}
	if !k.byName {
		return selector{}, errInvalidPrimaryKey("id", "expected a valid UUID")
	}
	if err := kongschema.ValidateName(key); err != nil {
		return selector{}, errInvalidUnique(err.Error())
	}
	return selector{"name", key}, nil
}

func (s *store) insert(sp *space, k *kind, body map[string]any) (map[string]any, *apiError) {
	if err := sp.resolveForeign(k, body); err != nil {
		return nil, err
	}
	e, v := k.process(s.rules, kongschema.Insert, body, nil)
	if !v.Empty() {
		return nil, errSchema(v)
	}
	setID(e, "")
	stamp(e, nil)
	if err := s.save(sp, k, e, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// upsert is PUT: a full replacement (defaults for anything missing, and
// created_at reset unless sent) of the entity the URL key designates, or its
// creation. The key in the URL wins over the body.
func (s *store) upsert(sp *space, k *kind, sel selector, body map[string]any) (map[string]any, *apiError) {
	body[sel.field] = sel.value
	if err := sp.resolveForeign(k, body); err != nil {
		return nil, err
	}
	e, v := k.process(s.rules, kongschema.Upsert, body, nil)
	if !v.Empty() {
		return nil, errSchema(v)
	}
	old := sp.find(k, sel)
	if sel.field == "id" {
		e["id"] = sel.value
	} else {
		e[sel.field] = sel.value
	}
	fallback := ""
	if old != nil {
		fallback = old["id"].(string)
	}
	setID(e, fallback)
	stamp(e, nil)
	if err := s.save(sp, k, e, old); err != nil {
		return nil, err
	}
	return e, nil
}

// update is PATCH: a top-level merge into old, validated as a whole. The
// primary key never changes; created_at may.
func (s *store) update(sp *space, k *kind, old, body map[string]any) (map[string]any, *apiError) {
	if err := sp.resolveForeign(k, body); err != nil {
		return nil, err
	}
	e, v := k.process(s.rules, kongschema.Update, body, clone(old))
	if !v.Empty() {
		return nil, errSchema(v)
	}
	e["id"] = old["id"]
	stamp(e, old)
	if err := s.save(sp, k, e, old); err != nil {
		return nil, err
	}
	return e, nil
}

func (s *store) remove(sp *space, k *kind, e map[string]any) *apiError {
	if k.inUse != nil {
		if err := k.inUse(s, sp, e); err != nil {
			return err
		}
	}
	sp.remove(k, e)
	s.touched(k)
	if id, ok := strings.CutPrefix(sp.group, "cp:"); ok && k == kindServices {
		s.catalog.serviceRemoved(id, e["id"].(string))
	}
	return nil
}

// resolveForeign replaces foreign keys given by a unique field
// ({"name":…}) with the referenced id. Kong's DAO does this before any
// validation (resolve_foreign), so an unknown name (code 13) wins over
// schema errors in the same body.
func (sp *space) resolveForeign(k *kind, body map[string]any) *apiError {
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
func (s *store) save(sp *space, k *kind, e, old map[string]any) *apiError {
	// Postgres returns uuids lowercased; go-kong sends whole entities as
	// references, of which only the id is kept.
	for _, fk := range k.foreign {
		if id := refID(e[fk.field]); id != "" {
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
	for _, fk := range k.foreign {
		if id := refID(e[fk.field]); id != "" && sp.get(fk.reference, id) == nil {
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

// stamp sets the timestamps: created_at stays as sent, else comes from old
// (PATCH) or now; updated_at is always now.
func stamp(e, old map[string]any) {
	ts := now()
	if e["created_at"] == nil {
		if old != nil && old["created_at"] != nil {
			e["created_at"] = old["created_at"]
		} else {
			e["created_at"] = ts
		}
	}
	e["updated_at"] = ts
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
