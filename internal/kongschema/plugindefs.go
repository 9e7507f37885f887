package kongschema

import "net/url"

// Building blocks for schemas written outside this package: localkong's
// plugins declare their schema.lua (and daos.lua) in Go with these, so the
// same engine validates them and renders their documents. Each function
// returns a fresh value the caller may change.

// Typedefs of kong/db/schema/typedefs.lua that plugin schemas use.

// TypedefProtocols is typedefs.protocols: a set of any protocol Kong
// proxies, by default the http subsystem's.
func TypedefProtocols() *Field {
	return &Field{Type: "set", Required: true, Default: anys(HTTPProtocols...), HasDefault: true, Elements: protocolField()}
}

// TypedefProtocolsHTTP is typedefs.protocols_http: the http subsystem's
// protocols only.
func TypedefProtocolsHTTP() *Field {
	return &Field{Type: "set", Required: true, Default: anys(HTTPProtocols...), HasDefault: true,
		Elements: &Field{Type: "string", OneOf: anys(HTTPProtocols...)}}
}

// TypedefNoConsumer is typedefs.no_consumer: a plugin that may not be
// scoped to a consumer (an authentication plugin identifies one).
func TypedefNoConsumer() *Field {
	return &Field{Type: "foreign", Reference: "consumers", EqNull: true}
}

// TypedefHeaderName is typedefs.header_name.
func TypedefHeaderName() *Field { return headerNameField() }

// TypedefIPOrCIDR is typedefs.ip_or_cidr.
func TypedefIPOrCIDR() *Field { return ipOrCIDRField() }

// TypedefHTTPMethod is typedefs.http_method: upper-case letters.
func TypedefHTTPMethod() *Field {
	return &Field{Type: "string", Match: &Pattern{Lua: "^%u+$", Re: mustRe(`^[A-Z]+$`)}}
}

// TypedefPath is typedefs.path.
func TypedefPath() *Field { return pathField() }

// TypedefHost is typedefs.host.
func TypedefHost() *Field { return hostField() }

// TypedefPort is typedefs.port.
func TypedefPort() *Field { return portField() }

// TypedefSNI is typedefs.sni.
func TypedefSNI() *Field { return sniField() }

// TypedefTimeout is typedefs.timeout: milliseconds up to 2^31-2.
func TypedefTimeout() *Field {
	return &Field{Type: "integer", Between: between(0, 2147483646)}
}

// TypedefUUID is typedefs.uuid (auto-generated ids).
func TypedefUUID() *Field { return uuidField() }

// TypedefAutoTimestamp is typedefs.auto_timestamp_s.
func TypedefAutoTimestamp() *Field { return timestampField() }

// TypedefTags is typedefs.tags.
func TypedefTags() *Field { return tagsField() }

// Overrides, as a typedef called with a table (typedefs.port({ default = 6379 })).

// WithDefault returns a copy of f with a default value (JSON form: float64
// numbers, []any lists).
func (f *Field) WithDefault(v any) *Field {
	c := f.clone()
	c.Default, c.HasDefault = normalize(v), true
	return c
}

// AsRequired returns a copy of f that is required.
func (f *Field) AsRequired() *Field {
	c := f.clone()
	c.Required = true
	return c
}

// Entity checkers (kong/db/schema/init.lua, Schema.entity_checkers), by
// dotted path for fields inside records ("config.allow").

// AtLeastOneOf is at_least_one_of.
func AtLeastOneOf(names ...string) Check { return atLeastOneOf(names...) }

// OnlyOneOf is only_one_of.
func OnlyOneOf(names ...string) Check { return onlyOneOf(names...) }

// MutuallyRequired is mutually_required.
func MutuallyRequired(names ...string) Check { return mutuallyRequired(names...) }

// MutuallyExclusive is mutually_exclusive.
func MutuallyExclusive(names ...string) Check { return mutuallyExclusive(names...) }

// Conditional is conditional without a then_err: when ifField passes
// ifMatch (a partial field definition), thenField must pass thenMatch.
func Conditional(ifField string, ifMatch *Field, thenField string, thenMatch *Field) Check {
	return conditional(ifField, ifMatch, thenField, thenMatch, "")
}

// Values are, for a Field's Default, OneOf or Eq, the values JSON decodes
// to: strings as they are, numbers as float64.
func Values[T any](xs ...T) []any { return normalize(anys(xs...)).([]any) }

// Number is a pointer to n, for Gt.
func Number(n float64) *float64 { return &n }

// Length is a pointer to n, for LenMin, LenMax and LenEq.
func Length(n int) *int { return &n }

// LuaPattern is a Lua pattern for Match, NotMatch and the pattern lists,
// with err as its message where the validator takes one. It panics on a
// pattern RE2 cannot express: schemas are declared once, at start.
func LuaPattern(lua, err string) *Pattern {
	p := patternOf(lua, err)
	if p == nil {
		panic("kongschema: Lua pattern without a regexp equivalent: " + lua)
	}
	return p
}

// IsRegex is the is_regex validator: s compiles as a PCRE.
func IsRegex(s string) bool { return isPCRE(s) }

// Validate is POST /schemas/plugins/validate for a plugin of this schema:
// Kong's insert rules without a database, so a foreign key given by name
// is a missing primary key. Config shorthands are moved first.
func (p *PluginSchema) Validate(body map[string]any) *Violation {
	body = copyMap(body)
	if body == nil {
		body = map[string]any{}
	}
	if cfg, ok := body["config"].(map[string]any); ok {
		body["config"] = ExpandShorthands(p.Config(), cfg)
	}
	_, v := process(p.entity, Insert, body, nil, false)
	return v
}

// TypedefURL is typedefs.url.
func TypedefURL() *Field { return urlField() }

// CustomEntityCheck is a custom_entity_check on fieldSources whose
// function never refuses (the log plugins' deprecation warnings of 3.4 to
// 3.6): it is in the schema document, and nothing is checked.
func CustomEntityCheck(fieldSources ...string) Check {
	return customCheck(fieldSources, false, func(map[string]any) string { return "" })
}

// CoerceForm is CoerceForm for a plugin of this schema: config's
// arguments are typed by the plugin's config record.
func (p *PluginSchema) CoerceForm(values url.Values) map[string]any {
	out := DecodeForm(values)
	name, had := out["name"]
	out["name"] = p.name
	inferRecord(out, p.entity)
	if had {
		out["name"] = name
	} else {
		delete(out, "name")
	}
	return out
}

// CoerceForm is CoerceForm for the entity.
func (e *EntitySchema) CoerceForm(values url.Values) map[string]any {
	out := DecodeForm(values)
	inferRecord(out, e.s)
	return out
}
