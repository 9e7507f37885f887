package kongschema

import (
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// CoerceForm turns form-encoded (or multipart) arguments into the JSON form
// a body would have, as Kong's Admin API does (spec §1.2): nested keys
// (service.id, hosts[1], hosts[], headers.x-foo[]) build objects and
// arrays, then values are typed by the entity schema: numbers, booleans, a
// single value for an array/set field becomes an array, "" becomes null.
// Unknown keys are kept as strings (validation reports them).
func CoerceForm(entity string, values url.Values) (map[string]any, error) {
	return For(DefaultVersion).CoerceForm(entity, values)
}

// DecodeForm is CoerceForm without a schema, as Kong decodes the arguments
// of an endpoint that has none: keys nest, values stay strings.
func DecodeForm(values url.Values) map[string]any {
	root := map[string]any{}
	keys := slices.Sorted(maps.Keys(values))
	for _, k := range keys {
		vals := values[k]
		name, segs, ok := splitFormKey(k)
		if !ok {
			if len(vals) == 1 {
				root[k] = vals[0]
			} else {
				root[k] = anys(vals...)
			}
			continue
		}
		for _, v := range vals {
			setFormPath(root, name, segs, v)
		}
	}
	return finishForm(root).(map[string]any)
}

type formSeg struct {
	key    string
	index  int  // array position (1-based) when > 0
	append bool // "[]"
}

// splitFormKey splits "headers.x-foo[]" into "headers" and its segments.
// ok is false for a plain key, or one Kong would not decode (a leading or
// trailing dot, an unclosed bracket).
func splitFormKey(k string) (string, []formSeg, bool) {
	if strings.HasPrefix(k, ".") || strings.HasSuffix(k, ".") {
		return "", nil, false
	}
	i := strings.IndexAny(k[min(1, len(k)):], ".[")
	if i < 0 {
		return "", nil, false
	}
	i++
	name, rest := k[:i], k[i:]
	var segs []formSeg
	for rest != "" {
		var raw string
		bracket := rest[0] == '['
		if bracket {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return "", nil, false
			}
			raw, rest = rest[1:end], rest[end+1:]
		} else if rest[0] == '.' {
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			raw, rest = rest[1:end+1], rest[end+1:]
		} else {
			return "", nil, false
		}
		seg := formSeg{key: raw}
		if raw == "" {
			seg.append = true
		} else if n, ok := luaToNumber(raw); ok && n >= 1 && n == float64(int(n)) {
			seg.index = int(n)
		}
		segs = append(segs, seg)
	}
	return name, segs, len(segs) > 0
}

// formArray collects array elements by position and by append order.
type formArray struct {
	indexed  map[int]any
	appended []any
}

func newContainer(next formSeg) any {
	if next.append || next.index > 0 {
		return &formArray{indexed: map[int]any{}}
	}
	return map[string]any{}
}

func setFormPath(root map[string]any, name string, segs []formSeg, value string) {
	child, ok := root[name]
	if !ok || !isContainer(child) {
		child = newContainer(segs[0])
		root[name] = child
	}
	cur := child
	for i, seg := range segs {
		last := i == len(segs)-1
		var next any
		if !last {
			next = newContainer(segs[i+1])
		}
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[seg.key] = value
				return
			}
			if existing, ok := c[seg.key]; ok && isContainer(existing) {
				next = existing
			} else {
				c[seg.key] = next
			}
		case *formArray:
			switch {
			case seg.index > 0 && last:
				c.indexed[seg.index] = value
				return
			case seg.index > 0:
				if existing, ok := c.indexed[seg.index]; ok && isContainer(existing) {
					next = existing
				} else {
					c.indexed[seg.index] = next
				}
			case last:
				c.appended = append(c.appended, value)
				return
			default:
				c.appended = append(c.appended, next)
			}
		}
		cur = next
	}
}

func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, *formArray:
		return true
	}
	return false
}

// finishForm turns formArrays into []any (positions in order, then
// appended values).
func finishForm(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = finishForm(e)
		}
		return t
	case *formArray:
		idx := make([]int, 0, len(t.indexed))
		for i := range t.indexed {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		out := make([]any, 0, len(idx)+len(t.appended))
		for _, i := range idx {
			out = append(out, finishForm(t.indexed[i]))
		}
		for _, e := range t.appended {
			out = append(out, finishForm(e))
		}
		return out
	}
	return v
}

// inferRecord types the known fields of a form-decoded table in place.
func inferRecord(m map[string]any, s *schema) {
	ss := s.subschemaFor(m)
	for k, v := range m {
		f := s.field(k, ss)
		if f == nil {
			if k == "url" && s.shorthand != nil {
				m[k] = inferValue(v, &Field{Type: "string"})
			}
			continue
		}
		m[k] = inferValue(v, f)
	}
}

// inferValue is Kong's arguments.infer_value.
func inferValue(v any, f *Field) any {
	if f == nil {
		return v
	}
	if v == "" || v == nil {
		return nil
	}
	switch f.Type {
	case "number", "integer":
		if s, ok := v.(string); ok {
			if n, ok := luaToNumber(s); ok {
				return n
			}
		}
	case "boolean":
		switch v {
		case "true":
			return true
		case "false":
			return false
		}
	case "array", "set":
		seq, ok := v.([]any)
		if !ok {
			if isTable(v) {
				return v
			}
			seq = []any{v}
		}
		for i, e := range seq {
			seq[i] = inferValue(e, f.Elements)
		}
		return seq
	case "foreign":
		if m, ok := v.(map[string]any); ok {
			if fs := schemaByName(f.Reference); fs != nil {
				inferRecord(m, fs)
			}
		}
	case "map":
		if m, ok := v.(map[string]any); ok {
			for k, e := range m {
				m[k] = inferValue(e, f.Values)
			}
		}
	case "record":
		if m, ok := v.(map[string]any); ok && !f.Abstract {
			inferRecord(m, recordSchema(f))
		}
	}
	return v
}
