package kongschema

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// newViolation turns Kong's error table into a Violation.
func newViolation(errs map[string]any) *Violation {
	if len(errs) == 0 {
		return nil
	}
	v := &Violation{Fields: map[string]any{}}
	for k, e := range errs {
		if k == entityKey {
			list, _ := e.([]any)
			for _, m := range list {
				if s, ok := m.(string); ok {
					v.Entity = append(v.Entity, s)
				}
			}
			continue
		}
		v.Fields[k] = e
	}
	return v
}

// Message renders Kong's "schema violation (...)" / "N schema violations (...)" text (spec §2.2).
func (v *Violation) Message() string {
	if v.Empty() {
		return ""
	}
	buf := append([]string(nil), v.Entity...)
	names := slices.Sorted(maps.Keys(v.Fields))
	for _, name := range names {
		switch e := v.Fields[name].(type) {
		case []any:
			for i, sub := range e {
				if sub != nil {
					buf = append(buf, fmt.Sprintf("%s.%d: %s", name, i+1, subMessage(sub)))
				}
			}
		case map[string]any:
			keys := slices.Sorted(maps.Keys(e))
			for _, k := range keys {
				buf = append(buf, fmt.Sprintf("%s.%s: %s", name, k, subMessage(e[k])))
			}
		default:
			buf = append(buf, fmt.Sprintf("%s: %s", name, luaString(e)))
		}
	}
	if len(buf) == 1 {
		return "schema violation (" + buf[0] + ")"
	}
	return fmt.Sprintf("%d schema violations (%s)", len(buf), strings.Join(buf, "; "))
}

// subMessage renders a second-level error: strings as is, tables the way
// Penlight's pretty.write prints them.
func subMessage(e any) string {
	if isTable(e) {
		return prettyWrite(e)
	}
	return luaString(e)
}

// FieldsJSON returns the "fields" object of the error body, "@entity" included when present.
func (v *Violation) FieldsJSON() map[string]any {
	if v == nil {
		return map[string]any{}
	}
	out := make(map[string]any, len(v.Fields)+1)
	for k, e := range v.Fields {
		out[k] = e
	}
	if len(v.Entity) > 0 {
		out[entityKey] = anys(v.Entity...)
	}
	return out
}

var luaIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var luaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "goto": true, "if": true, "in": true,
	"local": true, "nil": true, "not": true, "or": true, "repeat": true, "return": true,
	"then": true, "true": true, "until": true, "while": true,
}

// prettyWrite reproduces pl.pretty.write(t) with its default two-space
// indent, as Kong uses for nested error tables in messages.
func prettyWrite(v any) string {
	var lines []string
	line := ""
	put := func(s string) { line += s }
	putln := func(s string) {
		if line != "" {
			lines = append(lines, line+s)
			line = ""
		} else {
			lines = append(lines, s)
		}
	}
	eatComma := func() {
		n := len(lines) - 1
		if n >= 0 && strings.HasSuffix(lines[n], ",") {
			lines[n] = lines[n][:len(lines[n])-1]
		}
	}
	var write func(v any, oldIndent, indent string)
	write = func(v any, oldIndent, indent string) {
		newIndent := indent + "  "
		switch t := v.(type) {
		case string:
			putln(quoteString(t) + ",")
		case []any:
			putln("{")
			i := 0
			for ; i < len(t) && t[i] != nil; i++ {
				put(indent)
				write(t[i], indent, newIndent)
			}
			for ; i < len(t); i++ {
				if t[i] != nil {
					put(indent + "[" + strconv.Itoa(i+1) + "] = ")
					write(t[i], indent, newIndent)
				}
			}
			eatComma()
			putln(oldIndent + "},")
		case map[string]any:
			putln("{")
			keys := slices.Sorted(maps.Keys(t))
			for _, k := range keys {
				key := k
				if !luaIdent.MatchString(k) || luaKeywords[k] {
					key = "[" + quoteString(k) + "]"
				}
				put(indent + key + " = ")
				write(t[k], indent, newIndent)
			}
			eatComma()
			putln(oldIndent + "},")
		default:
			putln(luaString(v) + ",")
		}
	}
	write(v, "", "  ")
	eatComma()
	return strings.Join(lines, "\n")
}

var longQuote = regexp.MustCompile(`\[=*\[|\]=*\]`)

// quoteString is Penlight's stringx.quote_string: %q, or a long bracket
// string when the text has newlines or bracket sequences.
func quoteString(s string) string {
	if !strings.Contains(s, "\n") && !longQuote.MatchString(s) {
		return luaQuote(s)
	}
	eq := ""
	for _, m := range longQuote.FindAllString(s, -1) {
		if n := strings.Count(m, "="); n >= len(eq) {
			eq = strings.Repeat("=", n+1)
		}
	}
	if strings.HasPrefix(s, "\n") {
		s = "\n" + s
	}
	return "[" + eq + "[" + s + "]" + eq + "]"
}
