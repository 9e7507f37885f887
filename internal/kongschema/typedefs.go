package kongschema

// Field constructors for Kong's typedefs. Each call returns a new Field so
// callers may adjust it.

// Protocols is constants.PROTOCOLS, sorted (OSS: no ws/wss).
var Protocols = []string{"grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp"}

func uuidField() *Field {
	return &Field{Type: "string", UUID: true, Auto: true}
}

func timestampField() *Field {
	return &Field{Type: "integer", Timestamp: true, Auto: true}
}

func utf8NameField() *Field {
	return &Field{Type: "string", Unique: true, Custom: utf8NameRule}
}

func protocolField() *Field {
	return &Field{Type: "string", OneOf: anys(Protocols...)}
}

func hostField() *Field {
	return &Field{Type: "string", Custom: hostRule}
}

func portField() *Field {
	return &Field{Type: "integer", Between: between(0, 65535)}
}

func pathField() *Field {
	return &Field{
		Type:       "string",
		StartsWith: strp("/"),
		MatchNone:  []Pattern{pat("//", `//`, "must not have empty segments")},
		Custom: func(s string) string {
			msg, _ := servicePathRule(s)
			return msg
		},
	}
}

func tagField() *Field {
	return &Field{Type: "string", Required: true, Custom: tagRule}
}

func tagsField() *Field {
	return &Field{Type: "set", Elements: tagField()}
}

func wildcardHostField() *Field {
	return &Field{Type: "string", Custom: wildcardHostRule}
}

func ipOrCIDRField() *Field {
	return &Field{Type: "string", Custom: ipOrCIDRRule}
}

func headerNameField() *Field {
	return &Field{Type: "string", Custom: headerNameRule}
}

// hostPortField is typedefs.host_with_optional_port.
func hostPortField() *Field {
	return &Field{Type: "string", Custom: func(s string) string {
		_, err := normalizeIP(s)
		return err
	}}
}

func foreignField(ref string) *Field {
	return &Field{Type: "foreign", Reference: ref}
}

// sourcesField is typedefs.sources / destinations: records of ip and port.
func sourcesField() *Field {
	return &Field{Type: "set", Elements: &Field{
		Type: "record",
		Fields: []NamedField{
			{"ip", ipOrCIDRField()},
			{"port", portField()},
		},
		Checks: []Check{atLeastOneOf("ip", "port")},
	}}
}

func methodsField() *Field {
	return &Field{Type: "set", Elements: &Field{
		Type:  "string",
		Match: &Pattern{Lua: "^%u+$", Re: mustRe(`^[A-Z]+$`)},
	}}
}

func hostsField() *Field {
	return &Field{Type: "array", Elements: &Field{
		Type: "string",
		MatchAll: []Pattern{pat("^[^*]*%*?[^*]*$", `^[^*]*\*?[^*]*$`,
			"invalid wildcard: must have at most one wildcard")},
		MatchAny: &AnyPattern{
			Patterns: []Pattern{
				pat("^%*%.", `^\*\.`, ""),
				pat("%.%*$", `\.\*$`, ""),
				pat("^[^*]*$", `^[^*]*$`, ""),
			},
			Err: "invalid wildcard: must be placed at leftmost or rightmost label",
		},
		Custom: routeHostRule,
	}}
}

func routerPathsField() *Field {
	return &Field{Type: "array", Elements: &Field{
		Type:      "string",
		MatchNone: []Pattern{pat("//", `//`, "must not have empty segments")},
		MatchAny: &AnyPattern{
			Patterns: []Pattern{pat("^/", `^/`, ""), pat("^~/", `^~/`, "")},
			Err:      "should start with: / (fixed path) or ~/ (regex path)",
		},
		Custom: routePathRule,
	}}
}

func headersField(keys *Field) *Field {
	return &Field{
		Type:   "map",
		Keys:   keys,
		Values: &Field{Type: "array", Elements: &Field{Type: "string"}},
	}
}

func certificateField(required bool) *Field {
	return &Field{Type: "string", Required: required, Custom: certRule}
}

func keyField(required bool) *Field {
	return &Field{Type: "string", Required: required, Custom: keyRule}
}

// without returns a copy of f that must be null, failing with err (the
// no_* typedefs used by route subschemas).
func without(f *Field, err string) *Field {
	c := f.clone()
	c.EqNull = true
	c.Err = err
	return c
}
