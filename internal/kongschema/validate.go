package kongschema

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Generic validator messages (Kong's schema/init.lua validation_errors).
const (
	msgRequired       = "required field missing"
	msgUnknown        = "unknown field"
	msgMissingPK      = "missing primary key"
	msgUUID           = "expected a valid UUID"
	msgTimestamp      = "expected a valid timestamp"
	msgMustBeNull     = "value must be null"
	msgRequiredCheck  = "field required for entity check"
	msgUnknownType    = "unknown type: "
	msgConditional    = "failed conditional validation given value of field '%s'"
	msgAtLeastOneOf   = "at least one of these fields must be non-empty: %s"
	msgMutuallyReq    = "all or none of these fields must be set: %s"
	msgMutuallyExcl   = "these sets are mutually exclusive: %s"
	msgDistinct       = "values of these fields must be distinct: %s"
	updatingPrefix    = "when updating, "
	updatingSuffix    = " when updating"
	entityKey         = "@entity"
	placeholderUUID   = "00000000-0000-0000-0000-000000000000"
	foreignNameMarker = "\x00byname"
)

var typeErrors = map[string]string{
	"array":   "expected an array",
	"set":     "expected a set",
	"map":     "expected a map",
	"record":  "expected a record",
	"string":  "expected a string",
	"number":  "expected a number",
	"boolean": "expected a boolean",
	"integer": "expected an integer",
}

var uuidRe = regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// vctx carries what changes message wording (Kong patches some messages
// while validating an update) and, for PlanCheck, what is not known yet.
type vctx struct {
	updating bool
	// unknown names fields whose values are not known yet, by dotted path
	// ("url", "config.redis.host"): they are never "required field
	// missing", and no entity check or subschema that reads one runs.
	unknown map[string]bool
	// hints, when not nil, collects a sentence per top-level field that a
	// conditional entity check failed on (see conditionalHint).
	hints map[string]string
	// depth is 1 while the entity itself is validated, more inside its
	// records and foreign keys, whose fields hints do not name.
	depth int
	// at is the path of the field being validated (names and element
	// indexes), so that unknown can name nested fields: "config.redis.host".
	at []string
}

// unknownAt reports whether the field name of the record being validated
// is not known yet.
func (c *vctx) unknownAt(name string) bool {
	return len(c.unknown) > 0 && c.unknown[c.pathOf(name)]
}

// pathOf is the dotted path of name (itself possibly dotted, as entity
// checks name nested fields) in the record being validated.
func (c *vctx) pathOf(name string) string {
	if len(c.at) == 0 {
		return name
	}
	return strings.Join(c.at, ".") + "." + name
}

// skips reports whether a check reads a field that is not known yet, or a
// record holding one, or a field inside one.
func (c *vctx) skips(ch *Check) bool {
	if len(c.unknown) == 0 {
		return false
	}
	for _, f := range ch.fields {
		full := c.pathOf(f)
		for u := range c.unknown {
			if u == full || strings.HasPrefix(u, full+".") || strings.HasPrefix(full, u+".") {
				return true
			}
		}
	}
	return false
}

// validateField checks one value against a field definition. It returns
// nil when valid, otherwise Kong's error: a string, a []any of per-element
// errors (nil holes) or a map[string]any of record/foreign errors.
func (c *vctx) validateField(f *Field, v any) any {
	if v == nil {
		if f.Required {
			return msgRequired
		}
		return nil
	}
	if f.EqNull {
		return or(f.Err, msgMustBeNull)
	}
	if f.Abstract {
		// Specialised by plugin subschemas, which are not modelled here.
		return nil
	}
	switch f.Type {
	case "array", "set":
		seq, ok := asSequence(v)
		if !ok {
			return typeErrors[f.Type]
		}
		if errs := c.validateElements(f.Elements, seq); errs != nil {
			return errs
		}
		v = seq
	case "map":
		if err := c.validateMap(f, v); err != nil {
			return err
		}
	case "record":
		rec, ok := asRecord(v)
		if !ok {
			return typeErrors["record"]
		}
		rs := recordSchema(f)
		cp := c.processAuto(rs, copyMap(rec), Insert)
		if errs := c.validate(rs, cp, true); errs != nil {
			return errs
		}
		return nil
	case "foreign":
		return c.validateForeign(f, v)
	case "integer":
		n, ok := v.(float64)
		if !ok || n != math.Floor(n) || math.IsInf(n, 0) {
			return typeErrors["integer"]
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return typeErrors["number"]
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return typeErrors["boolean"]
		}
	case "string":
		if _, ok := v.(string); !ok {
			return typeErrors["string"]
		}
	case "json":
		// Any JSON value; its json_schema, when it has one, is not modelled.
		return nil
	}
	if msg := runValidators(f, v); msg != "" {
		return or(f.Err, msg)
	}
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// validateElements validates each element as a required value and returns
// the per-index errors, trimmed after the last failing element.
func (c *vctx) validateElements(el *Field, seq []any) any {
	if el == nil {
		return nil
	}
	req := el.clone()
	req.Required = true
	var errs []any
	for i, e := range seq {
		c.at = append(c.at, strconv.Itoa(i))
		err := c.validateField(req, e)
		c.at = c.at[:len(c.at)-1]
		if err != nil {
			for len(errs) < i {
				errs = append(errs, nil)
			}
			errs = append(errs, err)
		}
	}
	if errs == nil {
		return nil
	}
	return errs
}

func (c *vctx) validateMap(f *Field, v any) any {
	keys := f.Keys.clone()
	keys.Required = true
	vals := f.Values.clone()
	vals.Required = true
	switch t := v.(type) {
	case []any:
		// A JSON array is a Lua table with integer keys.
		for i, e := range t {
			if err := c.validateField(keys, float64(i+1)); err != nil {
				return err
			}
			if err := c.validateField(vals, e); err != nil {
				return err
			}
		}
	case map[string]any:
		// Kong reports the first failing pair in table order; sort for a
		// stable answer.
		names := slices.Sorted(maps.Keys(t))
		for _, k := range names {
			if err := c.validateField(keys, k); err != nil {
				return err
			}
			if err := c.validateField(vals, t[k]); err != nil {
				return err
			}
		}
	default:
		return typeErrors["map"]
	}
	return nil
}

// validateForeign checks a foreign key: the referenced primary key first,
// then, when that fails on a table, the foreign schema (so a bad
// service.protocol is reported as such).
func (c *vctx) validateForeign(f *Field, v any) any {
	fs := schemaByName(f.Reference)
	if fs == nil {
		return nil
	}
	pkErrs := c.validatePrimaryKey(fs, v)
	if pkErrs == nil {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		if errs := c.validate(fs, t, false); errs != nil {
			return errs
		}
	case []any:
		if len(t) > 0 {
			errs := make([]any, len(t))
			for i := range t {
				errs[i] = msgUnknown
			}
			return errs
		}
	}
	return pkErrs
}

func (c *vctx) validatePrimaryKey(fs *schema, v any) map[string]any {
	pk := fs.primaryKey
	m, _ := v.(map[string]any)
	val, present := m[pk]
	switch {
	case !present || val == false:
		return map[string]any{pk: msgMissingPK}
	case val == nil:
		return map[string]any{pk: msgRequired}
	}
	if err := c.validateField(fs.byName[pk], val); err != nil {
		return map[string]any{pk: err}
	}
	return nil
}

// runValidators applies the value validators in Kong's order and returns
// the first failure's default message.
func runValidators(f *Field, v any) string {
	if f.Eq != nil && !isTable(v) && v != f.Eq {
		return "value must be " + luaString(f.Eq)
	}
	if f.Ne != nil && v == f.Ne {
		return "value must not be " + luaString(v)
	}
	if f.NotOneOf != nil {
		for _, o := range f.NotOneOf {
			if v == o {
				return "must not be one of: " + joinLua(f.NotOneOf)
			}
		}
	}
	if f.OneOf != nil {
		found := false
		for _, o := range f.OneOf {
			if v == o {
				found = true
				break
			}
		}
		if !found {
			return "expected one of: " + joinLua(f.OneOf)
		}
	}
	if f.Gt != nil {
		if n, ok := v.(float64); ok && n <= *f.Gt {
			return "value must be greater than " + luaNumString(*f.Gt)
		}
	}
	if f.Timestamp {
		if n, ok := v.(float64); ok && n <= 0 {
			return msgTimestamp
		}
	}
	if f.UUID {
		if s, ok := v.(string); ok && !uuidRe.MatchString(s) {
			return msgUUID
		}
	}
	if f.IsRegex {
		if s, ok := v.(string); ok && !isPCRE(s) {
			return "not a valid regex: " + s
		}
	}
	if f.Between != nil {
		if n, ok := v.(float64); ok && (n < f.Between[0] || n > f.Between[1]) {
			return fmt.Sprintf("value should be between %d and %d", int64(f.Between[0]), int64(f.Between[1]))
		}
	}
	s, isStr := v.(string)
	lenMin := f.LenMin
	if isStr && lenMin == nil && f.Type == "string" {
		lenMin = intp(1) // Kong rejects "" for every string field
	}
	if f.LenEq != nil || lenMin != nil || f.LenMax != nil {
		n := valueLen(v)
		switch {
		case f.LenEq != nil && n != *f.LenEq:
			return fmt.Sprintf("length must be %d", *f.LenEq)
		case lenMin != nil && n < *lenMin:
			return fmt.Sprintf("length must be at least %d", *lenMin)
		case f.LenMax != nil && n > *f.LenMax:
			return fmt.Sprintf("length must be at most %d", *f.LenMax)
		}
	}
	if isStr {
		if f.StartsWith != nil && !strings.HasPrefix(s, *f.StartsWith) {
			return "should start with: " + *f.StartsWith
		}
		if f.NotMatch != nil && f.NotMatch.Re.MatchString(s) {
			return "invalid value: " + s
		}
		for _, p := range f.MatchNone {
			if p.Re.MatchString(s) {
				return p.Err
			}
		}
		if f.Match != nil && !f.Match.Re.MatchString(s) {
			return "invalid value: " + s
		}
		for _, p := range f.MatchAll {
			if !p.Re.MatchString(s) {
				return p.Err
			}
		}
		if f.MatchAny != nil {
			ok := false
			for _, p := range f.MatchAny.Patterns {
				if p.Re.MatchString(s) {
					ok = true
					break
				}
			}
			if !ok { // Kong's MATCH_ANY text when the field gives none
				return or(f.MatchAny.Err, "invalid value: "+s)
			}
		}
	}
	if f.Contains != nil {
		seq, _ := v.([]any)
		found := false
		for _, e := range seq {
			if e == f.Contains {
				found = true
				break
			}
		}
		if !found {
			return "expected to contain: " + luaString(f.Contains)
		}
	}
	if isStr && f.Custom != nil {
		if msg := f.Custom(s); msg != "" {
			return msg
		}
	}
	if f.ExclSubsets != nil {
		if msg := exclusiveSubsets(v, f.ExclSubsets); msg != "" {
			return msg
		}
	}
	return ""
}

func valueLen(v any) int {
	switch t := v.(type) {
	case string:
		return len(t)
	case []any:
		return len(t)
	case map[string]any:
		return len(t)
	}
	return 0
}

func joinLua(xs []any) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = luaString(x)
	}
	return strings.Join(parts, ", ")
}

// quotedList renders Kong's quoted_list: 'a', 'b'.
func quotedList(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = "'" + w + "'"
	}
	return strings.Join(parts, ", ")
}

func exclusiveSubsets(v any, subsets [][]string) string {
	seq, _ := v.([]any)
	owner := map[string]int{}
	for i, set := range subsets {
		for _, e := range set {
			owner[e] = i
		}
	}
	var member []int
	seen := map[int]bool{}
	for _, e := range seq {
		s, ok := e.(string)
		if !ok {
			continue
		}
		if i, ok := owner[s]; ok && !seen[i] {
			seen[i] = true
			member = append(member, i)
		}
	}
	if len(member) <= 1 {
		return ""
	}
	parts := make([]string, len(member))
	for i, m := range member {
		parts[i] = "(" + quotedList(subsets[m]) + ")"
	}
	return fmt.Sprintf(msgMutuallyExcl, strings.Join(parts, ", "))
}

// validate checks an entity (or record) and returns Kong's error table, or
// nil. full demands required fields to be present (insert, upsert).
func (c *vctx) validate(s *schema, input map[string]any, full bool) map[string]any {
	c.depth++
	defer func() { c.depth-- }()
	top := c.depth == 1
	// With its key unknown no subschema applies: the entity's own field
	// rules run, the subschema's rules and checks do not.
	if s.subschemaKey != "" && !(top && c.unknown[s.subschemaKey]) {
		key, present := input[s.subschemaKey]
		if !present || key == nil {
			return map[string]any{s.subschemaKey: msgRequired}
		}
		if s.subschemaFor(input) == nil {
			return map[string]any{s.subschemaKey: msgUnknownType + firstKey(key)}
		}
	}
	ss := s.subschemaFor(input)
	errs := map[string]any{}
	for k, v := range input {
		f := s.field(k, ss)
		if f == nil {
			errs[k] = msgUnknown
			continue
		}
		c.at = append(c.at, k)
		err := c.validateField(f, v)
		c.at = c.at[:len(c.at)-1]
		if err != nil {
			errs[k] = err
		}
	}
	for _, nf := range s.fields {
		if !nf.Field.Required || c.unknownAt(nf.Name) {
			continue
		}
		v, present := input[nf.Name]
		if (present && v == nil) || (full && !present) {
			errs[nf.Name] = msgRequired
		}
	}
	lookup := func(name string) *Field { return s.fieldPath(name, nil) }
	for i := range s.checks {
		if !c.skips(&s.checks[i]) {
			c.runCheck(&s.checks[i], lookup, input, full, errs)
		}
	}
	if ss != nil {
		sublookup := func(name string) *Field { return s.fieldPath(name, ss) }
		for i := range ss.checks {
			if !c.skips(&ss.checks[i]) {
				c.runCheck(&ss.checks[i], sublookup, input, full, errs)
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// firstKey renders the subschema key the way Kong's "unknown type: %s"
// does: a string as is, a set by its first element.
func firstKey(key any) string {
	switch t := key.(type) {
	case []any:
		if len(t) == 0 {
			return "nil"
		}
		return luaString(t[0])
	case map[string]any:
		return "nil"
	}
	return luaString(key)
}

func addEntityError(errs map[string]any, msg string) {
	list, _ := errs[entityKey].([]any)
	errs[entityKey] = append(list, msg)
}
