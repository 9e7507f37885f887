package kongschema

import "regexp"

// Field mirrors a Kong schema field definition. Every validator is optional:
// nil means "not set", so a conditional check can overlay a partial
// definition onto a field the way Kong's metatable __index does.
type Field struct {
	Type        string // string, integer, number, boolean, array, set, map, record, foreign, json
	Required    bool
	Default     any
	HasDefault  bool // Default is meaningful even when nil (JSON null)
	Auto        bool
	UUID        bool
	Timestamp   bool
	Unique      bool
	Abstract    bool
	Reference   string // foreign: referenced entity
	Err         string // replaces the message of any failing validator
	Elements    *Field // array, set
	Keys        *Field // map
	Values      *Field // map
	Fields      []NamedField
	Checks      []Check // record entity checks
	EqNull      bool    // eq = null
	Ne          any     // ne = value (non-nil when set)
	NotOneOf    []any
	OneOf       []any
	Between     *[2]float64
	LenEq       *int
	LenMin      *int
	LenMax      *int
	StartsWith  *string
	MatchNone   []Pattern
	Match       *Pattern
	MatchAll    []Pattern
	MatchAny    *AnyPattern
	Contains    any
	Custom      func(string) string // returns "" when valid; strings only
	ExclSubsets [][]string
	Transient   bool
	Indexed     bool
	OnDelete    string

	// Attributes of plugin schemas (see schemajson.go).
	Eq       any      // eq = value other than null (EqNull is eq = null)
	Gt       *float64 // gt
	NotMatch *Pattern // not_match
	IsRegex  bool     // is_regex: a PCRE the router could compile
	// Referenceable fields may hold a vault reference ({vault://…});
	// encrypted ones are stored encrypted by Kong. Both mark secrets.
	Referenceable bool
	Encrypted     bool
	// Shorthands are a record's shorthand_fields: deprecated names whose
	// value Kong moves elsewhere before validating.
	Shorthands []Shorthand
}

// Shorthand is a deprecated field of a record that Kong accepts and moves:
// its value goes to each of ReplacedWith (paths within the record). Kong
// does the move with a Lua function its schema documents leave out; the
// paths come from the field's deprecation.replaced_with.
type Shorthand struct {
	Name         string
	Field        *Field
	ReplacedWith [][]string
}

// NamedField is one entry of a schema's ordered field list.
type NamedField struct {
	Name  string
	Field *Field
}

// Pattern is a Lua pattern with its Go equivalent and error text.
type Pattern struct {
	Lua string
	Re  *regexp.Regexp
	Err string
}

// AnyPattern is Kong's match_any: one of the patterns must match.
type AnyPattern struct {
	Patterns []Pattern
	Err      string
}

func pat(lua, re, err string) Pattern {
	return Pattern{Lua: lua, Re: regexp.MustCompile(re), Err: err}
}

func mustRe(re string) *regexp.Regexp { return regexp.MustCompile(re) }

func intp(n int) *int       { return &n }
func strp(s string) *string { return &s }
func between(lo, hi float64) *[2]float64 {
	return &[2]float64{lo, hi}
}

func anys[T any](xs ...T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// clone returns a shallow copy of f that may be modified.
func (f *Field) clone() *Field {
	c := *f
	return &c
}

// with returns a copy of f with o's attributes applied over it, the way a
// Lua table with __index = f behaves when o sets some keys.
func (f *Field) with(o *Field) *Field {
	c := f.clone()
	if o.Type != "" {
		c.Type = o.Type
	}
	if o.Required {
		c.Required = true
	}
	if o.HasDefault {
		c.Default, c.HasDefault = o.Default, true
	}
	if o.Err != "" {
		c.Err = o.Err
	}
	if o.Elements != nil {
		c.Elements = o.Elements
	}
	if o.EqNull {
		c.EqNull = true
	}
	if o.Ne != nil {
		c.Ne = o.Ne
	}
	if o.NotOneOf != nil {
		c.NotOneOf = o.NotOneOf
	}
	if o.OneOf != nil {
		c.OneOf = o.OneOf
	}
	if o.Between != nil {
		c.Between = o.Between
	}
	if o.LenEq != nil {
		c.LenEq = o.LenEq
	}
	if o.LenMin != nil {
		c.LenMin = o.LenMin
	}
	if o.Contains != nil {
		c.Contains = o.Contains
	}
	if o.Match != nil {
		c.Match = o.Match
	}
	if o.Eq != nil {
		c.Eq = o.Eq
	}
	if o.Gt != nil {
		c.Gt = o.Gt
	}
	if o.NotMatch != nil {
		c.NotMatch = o.NotMatch
	}
	if o.LenMax != nil {
		c.LenMax = o.LenMax
	}
	if o.StartsWith != nil {
		c.StartsWith = o.StartsWith
	}
	if o.MatchAll != nil {
		c.MatchAll = o.MatchAll
	}
	if o.MatchNone != nil {
		c.MatchNone = o.MatchNone
	}
	if o.MatchAny != nil {
		c.MatchAny = o.MatchAny
	}
	if o.IsRegex {
		c.IsRegex = true
	}
	if o.Custom != nil { // a then_match's custom_validator (jwt's rsa_public_key)
		c.Custom = o.Custom
	}
	return c
}

// schema is an entity (or record) schema.
type schema struct {
	name         string
	primaryKey   string
	endpointKey  string
	fields       []NamedField
	byName       map[string]*Field
	checks       []Check
	subschemaKey string
	subschemas   map[string]*subschema
	// shorthand expands write-only fields (services' url) before anything
	// else; it returns field errors, which stop processing.
	shorthand func(data map[string]any) map[string]any
	// shorthandParts names the fields each shorthand field writes.
	shorthandParts map[string][]string
	// transform runs after validation (ca_certificates' cert_digest).
	transform func(data map[string]any)
}

type subschema struct {
	name   string
	fields map[string]*Field
	checks []Check
}

func newSchema(s *schema) *schema {
	s.byName = make(map[string]*Field, len(s.fields))
	for _, nf := range s.fields {
		s.byName[nf.Name] = nf.Field
	}
	return s
}

// recordSchema wraps a record field so it can be validated like an entity.
func recordSchema(f *Field) *schema {
	return newSchema(&schema{fields: f.Fields, checks: f.Checks})
}

// subschemaFor returns the subschema chosen by the subschema key: a string
// value, or the first element of a set that names one.
func (s *schema) subschemaFor(data map[string]any) *subschema {
	if s.subschemas == nil {
		return nil
	}
	switch k := data[s.subschemaKey].(type) {
	case string:
		return s.subschemas[k]
	case []any:
		for _, e := range k {
			if name, ok := e.(string); ok {
				if ss := s.subschemas[name]; ss != nil {
					return ss
				}
			}
		}
	}
	return nil
}

// field resolves a field by name, preferring the subschema's definition.
func (s *schema) field(name string, ss *subschema) *Field {
	f := s.byName[name]
	if f == nil {
		return nil
	}
	if ss != nil {
		if sf := ss.fields[name]; sf != nil {
			return sf
		}
	}
	return f
}
