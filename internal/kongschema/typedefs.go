package kongschema

import (
	"sort"
	"strings"
)

// Protocol groups, each defined once. Kong derives constants.PROTOCOLS from
// constants.PROTOCOLS_WITH_SUBSYSTEM, which says whether nginx's http or
// stream subsystem proxies a protocol; the route subschemas and the services
// entity checks name further groups.
var protocolSubsystems = map[string]string{
	"http": "http", "https": "http", "grpc": "http", "grpcs": "http",
	"tcp": "stream", "tls": "stream", "udp": "stream", "tls_passthrough": "stream",
}

// enterpriseProtocols are what Kong Gateway Enterprise (and Konnect) add to
// constants.PROTOCOLS, both proxied by the http subsystem (WebSocket).
var enterpriseProtocols = []string{"ws", "wss"}

var (
	// Protocols is constants.PROTOCOLS of Kong OSS, sorted: the protocols a
	// service or route may use (no ws/wss).
	Protocols = ServiceProtocols(false)
	// HTTPProtocols are the OSS protocols of the http subsystem, sorted
	// (typedefs' http_protocols, the default protocols of a plugin).
	HTTPProtocols = subsystemProtocols("http")
	// StreamProtocols are the protocols of the stream subsystem, sorted: a
	// route with any of them uses the stream ("tcp") route subschema.
	StreamProtocols = subsystemProtocols("stream")
	// RouteDefaultProtocols is a route's default protocols, also the set that
	// selects the "http" route subschema.
	RouteDefaultProtocols = []string{"http", "https"}
	// GRPCProtocols select the "grpc" route subschema.
	GRPCProtocols = []string{"grpc", "grpcs"}
	// TLSProtocols are the route protocols that see a TLS handshake, so the
	// only ones whose routes may match snis (routes.lua), sorted.
	TLSProtocols = []string{"grpcs", "https", "tls", "tls_passthrough"}
)

// tcpTLSUDP is the stream group less tls_passthrough, which Kong keeps in a
// subset of its own: a route cannot mix it with tcp, tls or udp.
var tcpTLSUDP = []string{"tcp", "tls", "udp"}

// ServiceProtocols is constants.PROTOCOLS of an edition, sorted: Kong
// Gateway Enterprise and Konnect add ws and wss. Each call returns a new slice.
func ServiceProtocols(enterprise bool) []string {
	out := make([]string, 0, len(protocolSubsystems)+len(enterpriseProtocols))
	for p := range protocolSubsystems {
		out = append(out, p)
	}
	if enterprise {
		out = append(out, enterpriseProtocols...)
	}
	sort.Strings(out)
	return out
}

// ProtocolSubsystem names the nginx subsystem that proxies protocol: "http"
// (ws and wss included), "stream", or "" for no protocol Kong knows.
func ProtocolSubsystem(protocol string) string {
	for _, p := range enterpriseProtocols {
		if p == protocol {
			return "http"
		}
	}
	return protocolSubsystems[protocol]
}

func subsystemProtocols(subsystem string) []string {
	var out []string
	for p, s := range protocolSubsystems {
		if s == subsystem {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// orList renders words the way Kong's messages list them, each quoted with
// q: "'a', 'b' or 'c'".
func orList(q string, words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = q + w + q
	}
	if len(quoted) <= 1 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// Field constructors for Kong's typedefs. Each call returns a new Field so
// callers may adjust it.

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

func sniField() *Field {
	return &Field{Type: "string", Custom: sniRule}
}

func urlField() *Field {
	return &Field{Type: "string", Custom: urlRule}
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
