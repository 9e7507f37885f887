package kongschema

import (
	"fmt"
	"net/url"
	"sync"
)

// Rules are the entity rules of one Kong version, in the router flavour
// traditional_compatible. Only services and routes differ between the
// versions kongschema knows (see features.go); the other entities are
// DefaultVersion's. The package-level functions (ProcessService, Schema,
// Validate, …) are DefaultVersion's rules.
type Rules struct {
	version  Version
	services *schema
	routes   *schema
}

var rulesByVersion sync.Map // Version → *Rules

// For returns the rules of Kong v, built once per version.
func For(v Version) *Rules {
	if r, ok := rulesByVersion.Load(v); ok {
		return r.(*Rules)
	}
	nr := &Rules{version: v}
	if v == DefaultVersion {
		nr.services, nr.routes = schemaByName("services"), schemaByName("routes")
	} else {
		nr.services, nr.routes = servicesSchema(v), routesSchema(v)
	}
	r, _ := rulesByVersion.LoadOrStore(v, nr)
	return r.(*Rules)
}

// Version is the Kong the rules are of.
func (r *Rules) Version() Version { return r.version }

func (r *Rules) schema(entity string) *schema {
	switch entity {
	case "services":
		return r.services
	case "routes":
		return r.routes
	}
	return schemaByName(entity)
}

// ProcessService is the package's ProcessService under these rules.
func (r *Rules) ProcessService(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return process(r.services, op, body, existing, true)
}

// ProcessRoute is the package's ProcessRoute under these rules.
func (r *Rules) ProcessRoute(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return process(r.routes, op, body, existing, true)
}

// Schema is the package's Schema under these rules.
func (r *Rules) Schema(entity string) (map[string]any, bool) {
	s := r.schema(entity)
	if s == nil {
		return nil, false
	}
	return schemaDocument(s), true
}

// Validate is the package's Validate under these rules.
func (r *Rules) Validate(entity string, body map[string]any) (*Violation, bool) {
	s := r.schema(entity)
	if s == nil {
		return nil, false
	}
	_, v := process(s, Insert, body, nil, false)
	return v, true
}

// CoerceForm is the package's CoerceForm under these rules.
func (r *Rules) CoerceForm(entity string, values url.Values) (map[string]any, error) {
	s := r.schema(entity)
	if s == nil {
		return nil, fmt.Errorf("no entity named '%s'", entity)
	}
	out := DecodeForm(values)
	inferRecord(out, s)
	return out, nil
}
