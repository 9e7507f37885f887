package kongschema

// processAuto is Kong's process_auto_fields for insert, upsert and update:
// sets are deduplicated, records get their nested defaults, and outside an
// update missing fields get their default (or null when optional). data is
// modified and returned. Auto fields (id, timestamps) are left to the store.
func (c *vctx) processAuto(s *schema, data map[string]any, op Op) map[string]any {
	ss := s.subschemaFor(data)
	for _, nf := range s.fields {
		f := s.field(nf.Name, ss)
		v, present := data[nf.Name]
		v, present = adjust(c, f, v, present, op)
		if present {
			data[nf.Name] = v
		}
	}
	return data
}

// adjust is adjust_field_for_context; present=false means "leave absent".
func adjust(c *vctx, f *Field, v any, present bool, op Op) (any, bool) {
	if f.Abstract {
		return v, present
	}
	switch {
	case f.Type == "record":
		recurse := (present && v != nil) || (!present && op != Update && f.Required)
		if recurse {
			if !present {
				v, present = missingValue(c, f, op)
			}
			if rec, ok := asRecord(v); ok {
				return c.processAuto(recordSchema(f), copyMap(rec), op), true
			}
		}
	case present && isTable(v):
		switch f.Type {
		case "array":
			if seq, ok := asSequence(v); ok {
				v = adjustElements(c, f.Elements, seq, op)
			}
		case "set":
			if seq, ok := asSequence(v); ok {
				v = adjustElements(c, f.Elements, dedupe(seq), op)
			}
		case "map":
			if m, ok := v.(map[string]any); ok && f.Values != nil {
				for k, e := range m {
					m[k], _ = adjust(c, f.Values, e, true, op)
				}
			}
		}
	}
	if !present && op != Update {
		return missingValue(c, f, op)
	}
	return v, present
}

func adjustElements(c *vctx, el *Field, seq []any, op Op) []any {
	if el == nil {
		return seq
	}
	for i, e := range seq {
		seq[i], _ = adjust(c, el, e, true, op)
	}
	return seq
}

// missingValue is handle_missing_field: the default, else null for an
// optional field; a required field without default stays absent and fails
// validation later.
func missingValue(c *vctx, f *Field, op Op) (any, bool) {
	if f.HasDefault {
		return normalize(f.Default), true
	}
	if !f.Required {
		return nil, true
	}
	if f.Type == "record" {
		return c.processAuto(recordSchema(f), map[string]any{}, op), true
	}
	return nil, false
}

// dedupe is make_set: duplicate scalars are removed, first occurrence kept.
// Tables are compared by identity in Lua, so they are never duplicates.
func dedupe(seq []any) []any {
	out := make([]any, 0, len(seq))
	seen := map[any]bool{}
	for _, e := range seq {
		if isTable(e) {
			out = append(out, e)
			continue
		}
		if seen[e] {
			continue
		}
		seen[e] = true
		out = append(out, e)
	}
	return out
}

// selectFill completes records nested in arrays and sets with null for
// missing fields, as Kong does when reading an entity back.
func selectFill(f *Field, v any) any {
	switch f.Type {
	case "record":
		rec, ok := v.(map[string]any)
		if !ok {
			return v
		}
		for _, nf := range f.Fields {
			if _, present := rec[nf.Name]; !present {
				if nf.Field.HasDefault {
					rec[nf.Name] = normalize(nf.Field.Default)
				} else {
					rec[nf.Name] = nil
				}
			} else {
				rec[nf.Name] = selectFill(nf.Field, rec[nf.Name])
			}
		}
		return rec
	case "array", "set":
		seq, ok := asSequence(v)
		if !ok || f.Elements == nil {
			return v
		}
		for i, e := range seq {
			seq[i] = selectFill(f.Elements, e)
		}
		return seq
	}
	return v
}
