package kongschema

import (
	"math"
	"sync"
)

var (
	registryOnce sync.Once
	registry     map[string]*schema
)

// schemaByName returns the schema of an entity in DefaultVersion, or nil.
// Only services and routes differ between versions (see For); foreign keys
// resolve through these, whose primary and endpoint keys never change.
func schemaByName(name string) *schema {
	registryOnce.Do(func() {
		registry = map[string]*schema{}
		for _, s := range []*schema{
			servicesSchema(DefaultVersion), routesSchema(DefaultVersion), certificatesSchema(), caCertificatesSchema(),
			snisSchema(), consumersSchema(), upstreamsSchema(), targetsSchema(),
			pluginsSchema(), tagsSchema(),
		} {
			registry[s.name] = s
		}
	})
	return registry[name]
}

// process runs Kong's write path for one entity: shorthands, auto fields
// and defaults, the PATCH merge, foreign-key-by-name detection, validation,
// then builds the canonical entity. resolveByName leaves {"name":…}
// foreign keys for the store; without it they fail as Kong's validation
// endpoint does (missing primary key).
func process(s *schema, op Op, body, existing map[string]any, resolveByName bool) (map[string]any, *Violation) {
	return (&vctx{}).process(s, op, body, existing, resolveByName)
}

// process is process with c's unknown fields left out: neither their
// values nor their defaults are validated.
func (c *vctx) process(s *schema, op Op, body, existing map[string]any, resolveByName bool) (map[string]any, *Violation) {
	c.updating = op == Update
	data := copyMap(body)
	if data == nil {
		data = map[string]any{}
	}
	for k := range c.unknown {
		delete(data, k)
	}
	if s.shorthand != nil {
		if errs := s.shorthand(data); errs != nil {
			return nil, newViolation(errs)
		}
	}
	// Kong stamps updated_at before validating, so a client value is never
	// checked; it is kept only when it is a valid timestamp.
	updatedAt := data["updated_at"]
	delete(data, "updated_at")

	data = c.processAuto(s, data, op)
	for k := range c.unknown {
		delete(data, k)
	}
	if op == Update {
		// The stored row has every column; missing ones read as null.
		merged := map[string]any{}
		for _, nf := range s.fields {
			if nf.Name != "updated_at" {
				merged[nf.Name] = normalize(existing[nf.Name])
			}
		}
		for k, v := range data {
			merged[k] = v
		}
		data = merged
	}

	byName := map[string]map[string]any{}
	if resolveByName {
		for _, nf := range s.fields {
			if nf.Field.Type != "foreign" {
				continue
			}
			if ref := foreignByName(c, schemaByName(nf.Field.Reference), data[nf.Name]); ref != nil {
				byName[nf.Name] = ref
				data[nf.Name] = map[string]any{"id": placeholderUUID}
			}
		}
	}

	if errs := c.validate(s, data, op != Update); errs != nil {
		return nil, newViolation(errs)
	}

	out := make(map[string]any, len(s.fields))
	for _, nf := range s.fields {
		v := data[nf.Name]
		switch {
		case byName[nf.Name] != nil:
			v = byName[nf.Name]
		case nf.Field.Type == "foreign":
			v = foreignKey(schemaByName(nf.Field.Reference), v)
		default:
			v = selectFill(nf.Field, v)
		}
		out[nf.Name] = v
	}
	if op == Update {
		if id, ok := existing["id"]; ok && id != nil {
			out["id"] = id
		}
	}
	if _, ok := s.byName["updated_at"]; ok {
		out["updated_at"] = nil
		switch {
		case validTimestamp(updatedAt):
			out["updated_at"] = updatedAt
		case op == Update && validTimestamp(normalize(existing["updated_at"])):
			out["updated_at"] = normalize(existing["updated_at"])
		}
	}
	if s.transform != nil {
		s.transform(out)
	}
	return out, nil
}

func validTimestamp(v any) bool {
	n, ok := v.(float64)
	return ok && n > 0 && n == math.Floor(n) && !math.IsInf(n, 0)
}

// foreignKey reduces a validated foreign value to its primary key.
func foreignKey(fs *schema, v any) any {
	m, ok := v.(map[string]any)
	if !ok || fs == nil {
		return v
	}
	return map[string]any{fs.primaryKey: m[fs.primaryKey]}
}

// foreignByName reports the {"<unique field>": value} a foreign value
// would be resolved by: Kong looks an entity up by a unique field when the
// primary key is missing or invalid and that field's value is valid.
func foreignByName(c *vctx, fs *schema, v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok || fs == nil || c.validatePrimaryKey(fs, m) == nil {
		return nil
	}
	for _, nf := range fs.fields {
		if !nf.Field.Unique && nf.Name != fs.endpointKey {
			continue
		}
		val, ok := m[nf.Name]
		if !ok || val == nil {
			continue
		}
		if c.validateField(nf.Field, val) == nil {
			return map[string]any{nf.Name: val}
		}
	}
	return nil
}

// ForeignByName reports whether a foreign-key value sent for a field that
// references entity (e.g. a route's "service", referencing "services") is
// to be resolved through a unique field, and returns that field and value:
// {"name":"foo"} → ("name", "foo", true). Kong resolves such keys before
// validating, and answers code 13 when nothing matches.
func ForeignByName(entity string, value any) (field string, key any, ok bool) {
	ref := foreignByName(&vctx{}, schemaByName(entity), normalize(value))
	for k, v := range ref {
		return k, v, true
	}
	return "", nil, false
}

// Process runs ProcessService-style processing for any entity Schema()
// knows, returning ok=false for an unknown one. Entities without a
// dedicated Process function get Kong's generic field rules.
func Process(entity string, op Op, body, existing map[string]any) (map[string]any, *Violation, bool) {
	s := schemaByName(entity)
	if s == nil {
		return nil, nil, false
	}
	out, v := process(s, op, body, existing, true)
	return out, v, true
}

// Validate is POST /schemas/{entity}/validate: insert rules, no database,
// so foreign keys given by name are not resolved. ok is false for an
// unknown entity.
func Validate(entity string, body map[string]any) (v *Violation, ok bool) {
	s := schemaByName(entity)
	if s == nil {
		return nil, false
	}
	_, v = process(s, Insert, body, nil, false)
	return v, true
}
