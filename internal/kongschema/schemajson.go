package kongschema

import "fmt"

// Kong serves a schema as JSON (GET /schemas/plugins/{name}, kong/api/
// routes/kong.lua, through api_helpers.schema_to_jsonable): the Lua
// definition with functions left out. parseFields and parseChecks read such
// a document back into Fields and Checks, so that the same engine that
// validates services and routes validates what the runtime group says a
// plugin's configuration is, with its defaults and checks, whatever Kong
// version or edition it runs.
//
// What a document cannot carry is not checked here and is left to Kong on
// write: custom_validator and custom_entity_check functions, Lua patterns
// with no regexp equivalent, json_schema.

// parseFields reads a document's "fields": [{"<name>": {…}}, …].
func parseFields(list any, at string) ([]NamedField, error) {
	items, ok := list.([]any)
	if !ok {
		if m, isMap := list.(map[string]any); isMap && len(m) == 0 {
			return nil, nil // an empty Lua table encodes as {}
		}
		return nil, fmt.Errorf("%s: fields: expected an array, got %T", at, list)
	}
	out := make([]NamedField, 0, len(items))
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok || len(m) != 1 {
			return nil, fmt.Errorf("%s: fields[%d]: expected an object with one field", at, i)
		}
		for name, def := range m {
			fm, ok := def.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s.%s: expected an object", at, name)
			}
			f, err := parseField(fm, joinAt(at, name))
			if err != nil {
				return nil, err
			}
			out = append(out, NamedField{Name: name, Field: f})
		}
	}
	return out, nil
}

func joinAt(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// parseField reads one field definition. A partial one (the if_match of a
// conditional check) has no type.
func parseField(m map[string]any, at string) (*Field, error) {
	f := &Field{}
	f.Type, _ = m["type"].(string)
	flag := func(k string) bool { b, _ := m[k].(bool); return b }
	f.Required = flag("required")
	f.Auto = flag("auto")
	f.UUID = flag("uuid")
	f.Timestamp = flag("timestamp")
	f.Unique = flag("unique")
	f.Abstract = flag("abstract")
	f.Transient = flag("transient")
	f.IsRegex = flag("is_regex")
	f.Referenceable = flag("referenceable")
	f.Encrypted = flag("encrypted")
	f.Reference, _ = m["reference"].(string)
	f.OnDelete, _ = m["on_delete"].(string)
	f.Err, _ = m["err"].(string)
	if d, ok := m["default"]; ok {
		f.Default, f.HasDefault = normalize(d), true
	}
	if eq, ok := m["eq"]; ok {
		if eq == nil {
			f.EqNull = true
		} else {
			f.Eq = normalize(eq)
		}
	}
	if ne, ok := m["ne"]; ok && ne != nil {
		f.Ne = normalize(ne)
	}
	f.OneOf, _ = normalize(m["one_of"]).([]any)
	f.NotOneOf, _ = normalize(m["not_one_of"]).([]any)
	if c, ok := m["contains"]; ok && c != nil {
		f.Contains = normalize(c)
	}
	if n, ok := number(m["gt"]); ok {
		f.Gt = &n
	}
	if b, ok := m["between"].([]any); ok && len(b) == 2 {
		lo, ok1 := number(b[0])
		hi, ok2 := number(b[1])
		if ok1 && ok2 {
			f.Between = between(lo, hi)
		}
	}
	for k, dst := range map[string]**int{"len_eq": &f.LenEq, "len_min": &f.LenMin, "len_max": &f.LenMax} {
		if n, ok := number(m[k]); ok {
			*dst = intp(int(n))
		}
	}
	if s, ok := m["starts_with"].(string); ok {
		f.StartsWith = &s
	}
	if s, ok := m["match"].(string); ok {
		f.Match = patternOf(s, "")
	}
	if s, ok := m["not_match"].(string); ok {
		f.NotMatch = patternOf(s, "")
	}
	f.MatchAll = patternList(m["match_all"])
	f.MatchNone = patternList(m["match_none"])
	if ma, ok := m["match_any"].(map[string]any); ok {
		ap := &AnyPattern{}
		ap.Err, _ = ma["err"].(string)
		list, _ := ma["patterns"].([]any)
		complete := true
		for _, p := range list {
			s, _ := p.(string)
			if pt := patternOf(s, ""); pt != nil {
				ap.Patterns = append(ap.Patterns, *pt)
			} else {
				complete = false
			}
		}
		// One pattern left out could be the one a value matches.
		if complete && len(ap.Patterns) > 0 {
			f.MatchAny = ap
		}
	}
	if subsets, ok := m["mutually_exclusive_subsets"].([]any); ok {
		for _, s := range subsets {
			f.ExclSubsets = append(f.ExclSubsets, stringList(s))
		}
	}
	var err error
	for k, dst := range map[string]**Field{"elements": &f.Elements, "keys": &f.Keys, "values": &f.Values} {
		if sub, ok := m[k].(map[string]any); ok {
			if *dst, err = parseField(sub, at+"."+k); err != nil {
				return nil, err
			}
		}
	}
	if f.Type == "map" {
		// The engine validates a map's keys and values: an untyped side
		// accepts anything.
		if f.Keys == nil {
			f.Keys = &Field{}
		}
		if f.Values == nil {
			f.Values = &Field{}
		}
	}
	if fl, ok := m["fields"]; ok {
		if f.Fields, err = parseFields(fl, at); err != nil {
			return nil, err
		}
	}
	if cl, ok := m["entity_checks"]; ok {
		if f.Checks, err = parseChecks(cl, at); err != nil {
			return nil, err
		}
	}
	if sl, ok := m["shorthand_fields"]; ok {
		if f.Shorthands, err = parseShorthands(sl, at); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// patternOf compiles a Lua pattern; nil when it has no regexp equivalent,
// which leaves the validator to Kong.
func patternOf(lua, errText string) *Pattern {
	re, err := luaPattern(lua)
	if err != nil {
		return nil
	}
	return &Pattern{Lua: lua, Re: re, Err: errText}
}

// patternList reads match_all and match_none: [{"pattern": …, "err": …}].
func patternList(v any) []Pattern {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	var out []Pattern
	for _, it := range list {
		m, _ := it.(map[string]any)
		lua, _ := m["pattern"].(string)
		errText, _ := m["err"].(string)
		if p := patternOf(lua, errText); p != nil {
			out = append(out, *p)
		}
	}
	return out
}

func number(v any) (float64, bool) {
	n, ok := v.(float64)
	return n, ok
}

// stringList reads an array of strings; other elements are left out.
func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// parseShorthands reads a record's shorthand_fields. Where a value goes
// is its deprecation.replaced_with; a shorthand without one is accepted
// and not moved.
func parseShorthands(list any, at string) ([]Shorthand, error) {
	fields, err := parseFields(list, at+".shorthand_fields")
	if err != nil {
		return nil, err
	}
	raw, _ := list.([]any)
	out := make([]Shorthand, 0, len(fields))
	for i, nf := range fields {
		sh := Shorthand{Name: nf.Name, Field: nf.Field}
		def, _ := raw[i].(map[string]any)[nf.Name].(map[string]any)
		dep, _ := def["deprecation"].(map[string]any)
		with, _ := dep["replaced_with"].([]any)
		for _, w := range with {
			wm, _ := w.(map[string]any)
			if p := stringList(wm["path"]); len(p) > 0 {
				sh.ReplacedWith = append(sh.ReplacedWith, p)
			}
		}
		out = append(out, sh)
	}
	return out, nil
}

// parseChecks reads "entity_checks": [{"<checker>": <argument>}, …].
func parseChecks(list any, at string) ([]Check, error) {
	items, ok := list.([]any)
	if !ok {
		if m, isMap := list.(map[string]any); isMap && len(m) == 0 {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: entity_checks: expected an array, got %T", at, list)
	}
	var out []Check
	for i, it := range items {
		m, ok := it.(map[string]any)
		if !ok || len(m) != 1 {
			return nil, fmt.Errorf("%s: entity_checks[%d]: expected an object with one checker", at, i)
		}
		for kind, arg := range m {
			c, err := parseCheck(kind, arg, fmt.Sprintf("%s: entity_checks[%d]", at, i))
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
	}
	return out, nil
}

func parseCheck(kind string, arg any, at string) (Check, error) {
	names := stringList(arg)
	m, _ := arg.(map[string]any)
	str := func(k string) string { s, _ := m[k].(string); return s }
	match := func(k string) (*Field, error) {
		sub, ok := m[k].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: %s: %s is missing", at, kind, k)
		}
		return parseField(sub, at+"."+k)
	}
	switch kind {
	case "at_least_one_of":
		return atLeastOneOf(names...), nil
	case "only_one_of":
		return onlyOneOf(names...), nil
	case "mutually_required":
		return mutuallyRequired(names...), nil
	case "mutually_exclusive":
		return mutuallyExclusive(names...), nil
	case "distinct":
		return distinct(names...), nil
	case "mutually_exclusive_sets":
		return mutuallyExclusiveSets(stringList(m["set1"]), stringList(m["set2"])), nil
	case "conditional":
		ifMatch, err := match("if_match")
		if err != nil {
			return Check{}, err
		}
		thenMatch, err := match("then_match")
		if err != nil {
			return Check{}, err
		}
		return conditional(str("if_field"), ifMatch, str("then_field"), thenMatch, str("then_err")), nil
	case "conditional_at_least_one_of":
		ifMatch, err := match("if_match")
		if err != nil {
			return Check{}, err
		}
		var elseMatch *Field
		if _, ok := m["else_match"]; ok {
			if elseMatch, err = match("else_match"); err != nil {
				return Check{}, err
			}
		}
		return conditionalAtLeastOneOf(str("if_field"), ifMatch, stringList(m["then_at_least_one_of"]), str("then_err"),
			elseMatch, stringList(m["else_then_at_least_one_of"]), str("else_then_err")), nil
	}
	doc, _ := normalize(arg).(map[string]any)
	if doc == nil {
		doc = map[string]any{kind: normalize(arg)}
	}
	return opaqueCheck(kind, doc), nil
}

// shorthandsJSON renders shorthand_fields as Kong serves them.
func shorthandsJSON(shs []Shorthand) []any {
	out := make([]any, len(shs))
	for i, sh := range shs {
		def := fieldJSON(sh.Field)
		if len(sh.ReplacedWith) > 0 {
			with := make([]any, len(sh.ReplacedWith))
			for j, p := range sh.ReplacedWith {
				with[j] = map[string]any{"path": anys(p...)}
			}
			def["deprecation"] = map[string]any{"replaced_with": with}
		}
		out[i] = map[string]any{sh.Name: def}
	}
	return out
}
