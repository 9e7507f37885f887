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

// Queue is typedefs.queue (kong/tools/queue_schema.lua), the log plugins'
// batching settings; concurrency_limit came with 3.8.0.
func Queue(g Gateway) *kongschema.Field {
	num := func(typ string, def float64, lo, hi float64) *kongschema.Field {
		f := &kongschema.Field{Type: typ, Default: def, HasDefault: true}
		if hi > 0 {
			f.Between = &[2]float64{lo, hi}
		}
		return f
	}
	q := Record(
		F("max_batch_size", num("integer", 1, 1, 1000000)),
		F("max_coalescing_delay", num("number", 1, 0, 3600)),
		F("max_entries", num("integer", 10000, 1, 1000000)),
		F("max_bytes", &kongschema.Field{Type: "integer"}),
		F("max_retry_time", num("number", 60, 0, 0)),
		F("initial_retry_delay", num("number", 0.01, 0.001, 1000000)),
		F("max_retry_delay", num("number", 60, 0.001, 1000000)),
	)
	if g.Since(3, 8) {
		q.Fields = append(q.Fields, F("concurrency_limit", &kongschema.Field{Type: "integer", Default: float64(1), HasDefault: true,
			OneOf: kongschema.Values(-1, 1)}))
	}
	return q
}
