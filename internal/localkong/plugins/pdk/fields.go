package pdk

import "github.com/servicehub/terraform-provider-servicehub/internal/kongschema"

// Shorthands for declaring schemas the way schema.lua reads.

// F is one named field: { name = field }.
func F(name string, f *kongschema.Field) kongschema.NamedField {
	return kongschema.NamedField{Name: name, Field: f}
}

// Record is a record of fields. It is required, as Kong makes the records
// of an entity (make_records_required), so that it always comes back whole.
func Record(fields ...kongschema.NamedField) *kongschema.Field {
	return &kongschema.Field{Type: "record", Required: true, Fields: fields}
}

// Config is the config field of a plugin's schema.
func Config(fields ...kongschema.NamedField) kongschema.NamedField {
	return F("config", Record(fields...))
}

// Flag is a required boolean with a default (most plugin switches).
func Flag(def bool) *kongschema.Field {
	return &kongschema.Field{Type: "boolean", Required: true, Default: def, HasDefault: true}
}

// Strings is an array of strings (elements may carry validators).
func Strings(elements *kongschema.Field) *kongschema.Field {
	if elements == nil {
		elements = &kongschema.Field{Type: "string"}
	}
	return &kongschema.Field{Type: "array", Elements: elements}
}

// Consumer is the consumer field of a credential: required, and deleted
// with its consumer.
func Consumer() *kongschema.Field {
	return &kongschema.Field{Type: "foreign", Reference: "consumers", Required: true, OnDelete: "cascade"}
}
