package kongschema

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// FieldError is one entry of Kong's "fields" error tree. Path is empty for
// "@entity" errors; elements are field names (string) or zero-based element
// indexes (int).
type FieldError struct {
	Path    []any
	Message string
	// Hint explains a failed conditional entity check in words, e.g. which
	// protocols allow the field. Kong sends no hints: only PlanCheck sets it.
	Hint string
}

// String renders "a.b.0: message", or the bare message of an "@entity" error.
func (f FieldError) String() string {
	if len(f.Path) == 0 {
		return f.Message
	}
	parts := make([]string, len(f.Path))
	for i, p := range f.Path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".") + ": " + f.Message
}

// FlattenFields flattens a "fields" error tree in Kong's own message order:
// "@entity" first, then fields sorted by name, records by key and arrays by
// index (nil holes skipped). Other "@" keys are not field errors.
func FlattenFields(fields map[string]any) []FieldError {
	var out []FieldError
	switch v := fields[entityKey].(type) {
	case []any:
		for _, m := range v {
			if s, ok := m.(string); ok {
				out = append(out, FieldError{Message: s})
			}
		}
	case string:
		out = append(out, FieldError{Message: v})
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if !strings.HasPrefix(k, "@") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = flattenField(out, []any{k}, fields[k])
	}
	return out
}

// FieldErrors flattens the violation as Kong would send it.
func (v *Violation) FieldErrors() []FieldError {
	return FlattenFields(v.FieldsJSON())
}

func flattenField(out []FieldError, path []any, v any) []FieldError {
	switch v := v.(type) {
	case string:
		return append(out, FieldError{Path: path, Message: v})
	case []any:
		for i, el := range v {
			if el != nil {
				out = flattenField(out, appendPath(path, i), el)
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = flattenField(out, appendPath(path, k), v[k])
		}
	case nil:
	default:
		out = append(out, FieldError{Path: path, Message: fmt.Sprint(v)})
	}
	return out
}

// appendPath copies, so sibling entries never share a backing array.
func appendPath(path []any, el any) []any {
	p := make([]any, len(path), len(path)+1)
	copy(p, path)
	return append(p, el)
}
