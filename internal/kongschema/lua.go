package kongschema

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Kong's rules are written in Lua; these helpers reproduce the Lua
// behaviours the messages and checks depend on (tonumber, tostring, %q,
// tables that are both arrays and maps).

// luaToNumber mimics LuaJIT's tonumber(s): surrounding whitespace, decimal
// and hexadecimal forms, no inf/nan words.
func luaToNumber(s string) (float64, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, false
	}
	body := strings.TrimLeft(t, "+-")
	if len(t)-len(body) > 1 {
		return 0, false
	}
	if body == "" || strings.ContainsAny(body, "_") {
		return 0, false
	}
	low := strings.ToLower(body)
	if strings.HasPrefix(low, "inf") || strings.HasPrefix(low, "nan") {
		return 0, false
	}
	neg := strings.HasPrefix(t, "-")
	if strings.HasPrefix(low, "0x") && !strings.ContainsAny(low, ".p") {
		u, err := strconv.ParseUint(low[2:], 16, 64)
		if err != nil {
			return 0, false
		}
		f := float64(u)
		if neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// luaNumString formats a number the way Lua's tostring does (%.14g).
func luaNumString(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 14, 64)
}

// luaString renders a value as Lua's tostring/%s would for the kinds of
// values a JSON body can hold.
func luaString(v any) string {
	switch t := v.(type) {
	case nil:
		return "userdata: NULL" // ngx.null
	case string:
		return t
	case float64:
		return luaNumString(t)
	case bool:
		if t {
			return "true"
		}
		return "false"
	default:
		return "table"
	}
}

// luaQuote is Lua's string.format("%q", s).
func luaQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString("\\\n")
		case '\r':
			b.WriteString("\\r")
		case 0:
			b.WriteString("\\0")
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// isTable reports whether v is a Lua table once decoded (array or object).
func isTable(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

// asSequence returns v as a Lua sequence: JSON arrays, and empty objects,
// which cjson decodes to the same empty table.
func asSequence(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case map[string]any:
		if len(t) == 0 {
			return []any{}, true
		}
	}
	return nil, false
}

// asRecord returns v as a Lua table with string keys: JSON objects, and
// empty arrays.
func asRecord(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case []any:
		if len(t) == 0 {
			return map[string]any{}, true
		}
	}
	return nil, false
}

// isNonEmpty is Kong's is_nonempty: null, empty tables and "" are empty.
func isNonEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case string:
		return t != ""
	case []any:
		return len(t) > 0
	case map[string]any:
		return len(t) > 0
	}
	return true
}

// normalize deep-copies a decoded JSON value, turning the Go number types a
// caller may hand in into float64 so the rest of the package sees one form.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	case map[string][]string:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		return out
	case int:
		return float64(t)
	case int32:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	case float32:
		return float64(t)
	case json.Number:
		if f, err := t.Float64(); err == nil {
			return f
		}
		return t.String()
	}
	return v
}

func copyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return normalize(m).(map[string]any)
}
