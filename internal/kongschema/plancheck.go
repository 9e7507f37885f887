package kongschema

import (
	"fmt"
	"strconv"
	"strings"
)

// PlanCheck validates what a configuration says of an entity before
// anything is sent. body is the entity's JSON form (as encoding/json decodes
// it: float64, []any, map[string]any) holding the KNOWN values the
// configuration sets; fields absent from body get Kong's insert defaults,
// except the names in unknown, whose values are not known yet. Field rules
// run on every field in body; an entity check (and, for routes, the protocol
// subschema's rules and checks) runs only when none of the fields it reads is
// unknown; an unknown field is never "required field missing". It returns
// Kong's errors as FieldErrors, in Kong's order; nil when valid.
//
// Services are checked with the rules of Kong Gateway Enterprise and
// Konnect, which accept all Kong OSS accepts and ws/wss besides, so a
// configuration is only rejected when no edition would take it. A failed
// conditional entity check gives the field it constrains a Hint. An entity
// Kong does not have is reported as an "@entity" error.
func PlanCheck(entity string, body map[string]any, unknown []string) []FieldError {
	s := schemaByName(entity)
	if entity == "services" {
		s = enterpriseServices()
	}
	if s == nil {
		return []FieldError{{Message: fmt.Sprintf("kongschema: no entity named %q", entity)}}
	}
	c := &vctx{unknown: map[string]bool{}, hints: map[string]string{}}
	for _, name := range unknown {
		c.unknown[name] = true
	}
	// A shorthand overwrites its parts: they are as known as it is.
	for field, parts := range s.shorthandParts {
		_, set := body[field]
		for _, p := range parts {
			switch {
			case c.unknown[field]:
				c.unknown[p] = true
			case set:
				delete(c.unknown, p)
			}
		}
	}
	_, v := c.process(s, Insert, body, nil, true)
	if v.Empty() {
		return nil
	}
	errs := v.FieldErrors()
	for i, e := range errs {
		if len(e.Path) == 1 {
			errs[i].Hint = c.hints[e.Path[0].(string)]
		}
	}
	return errs
}

// conditionalHint words a failed conditional entity check from its
// definition: which values of ifField let thenField be what it is, quoting
// the value ifField has. When ifMatch lists the values that allow thenField
// (not_one_of) they are named; otherwise the value that forbids it is.
func conditionalHint(ifField string, ifMatch *Field, ifValue any, thenField string, thenMatch *Field, thenErr any) string {
	allowed, verb := ifMatch.NotOneOf, "is"
	if allowed == nil && ifMatch.Elements != nil {
		// Kong matched every element, so one allowed element would do.
		allowed, verb = ifMatch.Elements.NotOneOf, "contains"
	}
	var list string
	if allowed != nil {
		words := make([]string, len(allowed))
		for i, a := range allowed {
			words[i] = luaString(a)
		}
		list = orList(`"`, words)
	}
	actual := hintValue(ifValue)
	switch {
	case thenMatch.EqNull || (thenMatch.LenEq != nil && *thenMatch.LenEq == 0):
		if allowed != nil {
			return fmt.Sprintf("%s can only be set when %s %s %s (it is %s)", thenField, ifField, verb, list, actual)
		}
		return fmt.Sprintf("%s cannot be set when %s is %s", thenField, ifField, actual)
	case thenMatch.Required:
		if allowed != nil {
			return fmt.Sprintf("%s is required unless %s %s %s (it is %s)", thenField, ifField, verb, list, actual)
		}
		return fmt.Sprintf("%s is required when %s is %s", thenField, ifField, actual)
	}
	return fmt.Sprintf("%s: %s when %s is %s", thenField, subMessage(thenErr), ifField, actual)
}

// hintValue quotes a value for a hint: "http", or ["http", "https"].
func hintValue(v any) string {
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case []any:
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = hintValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return luaString(v)
}
