// Package kongschema holds Kong Gateway 3.x entity rules as plain Go, shared by
// the provider's plan-time validators and by localkong, so both agree with Kong.
//
// Entities are handled in their JSON form: map[string]any as produced by
// encoding/json (float64 numbers, []any, map[string]any, nil for null).
//
// The rules are Kong's schema engine (kong/db/schema) re-expressed in Go:
// fields with validators run in Kong's order, entity checks, subschemas and
// the insert/upsert/update processing, so messages come out as Kong words
// them. Routes follow the default traditional_compatible router flavour.
// Two parts can only be approximated: the ATC router's own validation is
// reduced to checking route regexes against RE2-style syntax, and OpenSSL's
// parse error texts for certificates and keys are fixed strings.
package kongschema

// Op says which Admin API operation a body arrives with; defaults and merge
// semantics differ between them (spec §5.4, §5.5).
type Op int

const (
	Insert Op = iota // POST: defaults for missing fields
	Upsert           // PUT: full replacement, defaults for missing fields
	Update           // PATCH: top-level merge into the existing entity
)

// Violation is a Kong schema violation (error code 2).
type Violation struct {
	// Entity holds the "@entity" messages in the order the checks ran.
	Entity []string
	// Fields maps a field to a string, to []any (per element, nil holes) or to
	// map[string]any (record / foreign key sub-errors), as Kong's "fields".
	Fields map[string]any
}

// Empty reports whether no error was recorded.
func (v *Violation) Empty() bool {
	return v == nil || (len(v.Entity) == 0 && len(v.Fields) == 0)
}
