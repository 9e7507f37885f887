package kongschema

import "strings"

// Entity checks of plugin schemas name fields inside records with dotted
// paths ("config.policy"); Kong resolves them with get_field, set_field and
// get_schema_field (kong/db/schema/init.lua), as these do.

// getPath is get_field: the value at a dotted path, and whether it is
// there. A null or a non-record on the way means it is not.
func getPath(m map[string]any, name string) (any, bool) {
	for {
		hd, tl, dotted := strings.Cut(name, ".")
		v, ok := m[hd]
		if !dotted {
			return v, ok
		}
		next, isMap := v.(map[string]any)
		if !isMap {
			return nil, false
		}
		m, name = next, tl
	}
}

// setPath is set_field: it stores v at a dotted path, making the records
// on the way. Where something other than a record is on the way already
// (an error of the record itself), that stands and v is dropped.
func setPath(m map[string]any, name string, v any) {
	for {
		hd, tl, dotted := strings.Cut(name, ".")
		if !dotted {
			m[hd] = v
			return
		}
		next, ok := m[hd].(map[string]any)
		if !ok {
			if m[hd] != nil {
				return
			}
			next = map[string]any{}
			m[hd] = next
		}
		m, name = next, tl
	}
}

// fieldPath is get_schema_field: the definition of a field by dotted path,
// its first segment from the subschema ss when it has one; nil when there
// is none.
func (s *schema) fieldPath(name string, ss *subschema) *Field {
	hd, tl, dotted := strings.Cut(name, ".")
	var f *Field
	if ss != nil {
		f = ss.fields[hd]
	}
	if f == nil {
		f = s.byName[hd]
	}
	for dotted && f != nil {
		hd, tl, dotted = strings.Cut(tl, ".")
		f = recordField(f, hd)
	}
	return f
}

// recordField is a record's field by name; nil when f has none.
func recordField(f *Field, name string) *Field {
	for _, nf := range f.Fields {
		if nf.Name == name {
			return nf.Field
		}
	}
	return nil
}

// isPCRE is Kong's is_regex validator: the value compiles as a PCRE.
func isPCRE(s string) bool { return pcreCompile(s) == "" }
