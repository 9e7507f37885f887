package kongschema

// Schema returns the JSON schema document Kong serves at GET /schemas/{entity}:
// {"fields":[{"<name>":{…}},…],"entity_checks":[…]}, functions left out,
// foreign fields without their nested schema, no shorthand fields. Each
// call returns a fresh document.
func Schema(entity string) (map[string]any, bool) {
	s := schemaByName(entity)
	if s == nil {
		return nil, false
	}
	return schemaDocument(s), true
}

func schemaDocument(s *schema) map[string]any {
	doc := map[string]any{
		"fields":        fieldsJSON(s.fields),
		"entity_checks": checksJSON(s.checks),
	}
	return normalize(doc).(map[string]any)
}

// Entities lists the entity names Schema, Process and Validate know.
func Entities() []string {
	return []string{"services", "routes", "certificates", "ca_certificates", "snis",
		"consumers", "upstreams", "targets", "plugins", "tags"}
}

func fieldsJSON(fields []NamedField) []any {
	out := make([]any, len(fields))
	for i, nf := range fields {
		out[i] = map[string]any{nf.Name: fieldJSON(nf.Field)}
	}
	return out
}

func checksJSON(checks []Check) []any {
	out := make([]any, len(checks))
	for i, c := range checks {
		arg := c.Arg
		// Checks built from a bare field list carry it under their own name.
		if list, ok := arg[c.Kind]; ok && len(arg) == 1 {
			out[i] = map[string]any{c.Kind: normalize(list)}
			continue
		}
		out[i] = map[string]any{c.Kind: normalize(arg)}
	}
	return out
}

// matchJSON renders a check's partial field definition (if_match,
// then_match): only the attributes it sets.
func matchJSON(f *Field) map[string]any {
	out := fieldJSON(f)
	if f.Type == "" {
		delete(out, "type")
	}
	return out
}

func patternsJSON(ps []Pattern) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = map[string]any{"pattern": p.Lua, "err": p.Err}
	}
	return out
}

func fieldJSON(f *Field) map[string]any {
	out := map[string]any{"type": f.Type}
	set := func(k string, cond bool, v any) {
		if cond {
			out[k] = v
		}
	}
	set("required", f.Required, true)
	set("default", f.HasDefault, normalize(f.Default))
	set("auto", f.Auto, true)
	set("uuid", f.UUID, true)
	set("timestamp", f.Timestamp, true)
	set("unique", f.Unique, true)
	set("abstract", f.Abstract, true)
	set("transient", f.Transient, true)
	set("reference", f.Reference != "", f.Reference)
	set("on_delete", f.OnDelete != "", f.OnDelete)
	set("err", f.Err != "", f.Err)
	set("eq", f.EqNull, nil)
	set("eq", f.Eq != nil, f.Eq)
	set("ne", f.Ne != nil, f.Ne)
	if f.Gt != nil {
		out["gt"] = *f.Gt
	}
	if f.NotMatch != nil {
		out["not_match"] = f.NotMatch.Lua
	}
	set("is_regex", f.IsRegex, true)
	set("referenceable", f.Referenceable, true)
	set("encrypted", f.Encrypted, true)
	set("one_of", f.OneOf != nil, f.OneOf)
	set("not_one_of", f.NotOneOf != nil, f.NotOneOf)
	if f.Between != nil {
		out["between"] = []any{f.Between[0], f.Between[1]}
	}
	if f.LenEq != nil {
		out["len_eq"] = float64(*f.LenEq)
	}
	if f.LenMin != nil {
		out["len_min"] = float64(*f.LenMin)
	}
	if f.LenMax != nil {
		out["len_max"] = float64(*f.LenMax)
	}
	if f.StartsWith != nil {
		out["starts_with"] = *f.StartsWith
	}
	if f.Match != nil {
		out["match"] = f.Match.Lua
	}
	set("match_none", f.MatchNone != nil, patternsJSON(f.MatchNone))
	set("match_all", f.MatchAll != nil, patternsJSON(f.MatchAll))
	if f.MatchAny != nil {
		pats := make([]any, len(f.MatchAny.Patterns))
		for i, p := range f.MatchAny.Patterns {
			pats[i] = p.Lua
		}
		out["match_any"] = map[string]any{"patterns": pats, "err": f.MatchAny.Err}
	}
	set("contains", f.Contains != nil, f.Contains)
	if f.ExclSubsets != nil {
		sets := make([]any, len(f.ExclSubsets))
		for i, s := range f.ExclSubsets {
			sets[i] = anys(s...)
		}
		out["mutually_exclusive_subsets"] = sets
	}
	if f.Elements != nil {
		out["elements"] = fieldJSON(f.Elements)
	}
	if f.Keys != nil {
		out["keys"] = fieldJSON(f.Keys)
	}
	if f.Values != nil {
		out["values"] = fieldJSON(f.Values)
	}
	if f.Type == "record" && !f.Abstract {
		out["fields"] = fieldsJSON(f.Fields)
		if len(f.Checks) > 0 {
			out["entity_checks"] = checksJSON(f.Checks)
		}
		if len(f.Shorthands) > 0 {
			out["shorthand_fields"] = shorthandsJSON(f.Shorthands)
		}
	}
	return out
}
