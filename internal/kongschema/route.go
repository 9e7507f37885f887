package kongschema

import (
	"maps"
	"slices"
	"strings"
)

// The routes schema (routes.lua, routes_subschemas.lua) in the
// traditional_compatible router flavour, Kong's default.

// routesSchema builds Kong v's routes schema. Between 3.4 and 3.10 two
// things changed in this flavour (Kong/kong, git diff 3.4.0 master --
// kong/db/schema/entities/routes.lua): snis elements are typedefs.sni
// before 3.7.0 and typedefs.wildcard_host since (FeatureWildcardSNIs), and
// before 3.6.0 the ATC router validates only routes with paths, and sees
// only their paths (its check has field_sources {"id", "paths"}, and Kong
// passes a check no other field), since 3.6.0 every route, whole. Fields, defaults and the other checks are the same;
// field order differs slightly in 3.6, which localkong does not follow.
func routesSchema(v Version) *schema {
	protocols := &Field{
		Type:     "set",
		LenMin:   intp(1),
		Required: true,
		Elements: protocolField(),
		ExclSubsets: [][]string{
			RouteDefaultProtocols, tcpTLSUDP, {"tls_passthrough"}, GRPCProtocols,
		},
		Default: anys(RouteDefaultProtocols...), HasDefault: true,
	}
	snisErr := "'snis' can only be set when 'protocols' is " + orList("'", TLSProtocols)
	snisCheck := conditional("protocols",
		&Field{Elements: &Field{Type: "string", NotOneOf: anys(TLSProtocols...)}},
		"snis", &Field{LenEq: intp(0)}, snisErr)
	// path_handling "v1" only logs a deprecation warning.
	pathHandlingCheck := customCheck([]string{"path_handling"}, false, func(map[string]any) string { return "" })
	atcCheck := customCheck([]string{"id", "protocols", "snis", "sources", "destinations",
		"methods", "hosts", "paths", "headers", "expression", "regex_priority", "priority"}, true, atcRouteError)
	if !v.AtLeast(Version{Major: 3, Minor: 6}) {
		atcCheck = customCheck([]string{"id", "paths"}, true, func(in map[string]any) string {
			if paths, _ := in["paths"].([]any); len(paths) == 0 {
				return ""
			}
			return atcRouteError(in)
		})
	}
	snis := wildcardHostField()
	if !FeatureWildcardSNIs.In(v, "") {
		snis = sniField()
	}

	s := newSchema(&schema{
		name:         "routes",
		primaryKey:   "id",
		endpointKey:  "name",
		subschemaKey: "protocols",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"name", utf8NameField()},
			{"protocols", protocols},
			{"https_redirect_status_code", &Field{Type: "integer", OneOf: anys(426.0, 301.0, 302.0, 307.0, 308.0),
				Default: float64(426), HasDefault: true, Required: true}},
			{"strip_path", &Field{Type: "boolean", Required: true, Default: true, HasDefault: true}},
			{"preserve_host", &Field{Type: "boolean", Required: true, Default: false, HasDefault: true}},
			{"request_buffering", &Field{Type: "boolean", Required: true, Default: true, HasDefault: true}},
			{"response_buffering", &Field{Type: "boolean", Required: true, Default: true, HasDefault: true}},
			{"tags", tagsField()},
			{"service", foreignField("services")},
			{"snis", &Field{Type: "set", Elements: snis}},
			{"sources", sourcesField()},
			{"destinations", sourcesField()},
			{"methods", methodsField()},
			{"hosts", hostsField()},
			{"paths", routerPathsField()},
			{"headers", headersField(headerNameField().withMatchNone(pat("^[Hh][Oo][Ss][Tt]$", `^[Hh][Oo][Ss][Tt]$`,
				"cannot contain 'host' header, which must be specified in the 'hosts' attribute")))},
			{"regex_priority", &Field{Type: "integer", Default: float64(0), HasDefault: true}},
			{"path_handling", &Field{Type: "string", Default: "v0", HasDefault: true, OneOf: anys("v0", "v1")}},
		},
		checks: []Check{snisCheck, pathHandlingCheck, atcCheck},
	})
	s.subschemas = routeSubschemas()
	return s
}

func (f *Field) withMatchNone(p Pattern) *Field {
	c := f.clone()
	c.MatchNone = []Pattern{p}
	return c
}

func routeSubschemas() map[string]*subschema {
	errFor := func(group []string) func(string) string {
		return func(f string) string { return "cannot set '" + f + "' when 'protocols' is " + orList("'", group) }
	}
	httpErr, streamErr, grpcErr := errFor(RouteDefaultProtocols), errFor(StreamProtocols), errFor(GRPCProtocols)

	http := &subschema{
		name: "http",
		fields: map[string]*Field{
			"sources":      without(sourcesField(), httpErr("sources")),
			"destinations": without(sourcesField(), httpErr("destinations")),
		},
		checks: []Check{conditionalAtLeastOneOf("protocols",
			&Field{Contains: "https"}, []string{"methods", "hosts", "headers", "paths", "snis"},
			"must set one of %s when 'protocols' is 'https'",
			&Field{Contains: "http"}, []string{"methods", "hosts", "headers", "paths"},
			"must set one of %s when 'protocols' is 'http'")},
	}
	streamProtocols := anys(tcpTLSUDP...)
	stream := &subschema{
		name: "tcp",
		fields: map[string]*Field{
			"methods": without(methodsField(), streamErr("methods")),
			"hosts":   without(hostsField(), streamErr("hosts")),
			"paths":   without(routerPathsField(), streamErr("paths")),
			"headers": without(headersField(headerNameField()), streamErr("headers")),
		},
		checks: []Check{
			conditionalAtLeastOneOf("protocols",
				&Field{Elements: &Field{Type: "string", OneOf: streamProtocols}},
				[]string{"sources", "destinations", "snis"},
				"must set one of %s when 'protocols' is "+orList("'", tcpTLSUDP), nil, nil, ""),
			conditionalAtLeastOneOf("protocols",
				&Field{Elements: &Field{Type: "string", OneOf: anys("tls_passthrough")}},
				[]string{"snis"}, "must set snis when 'protocols' is 'tls_passthrough'", nil, nil, ""),
		},
	}
	grpc := &subschema{
		name: "grpc",
		fields: map[string]*Field{
			"strip_path": {Type: "boolean", Required: true, Default: false, HasDefault: true, Ne: true,
				Err: grpcErr("strip_path")},
			"methods":      without(methodsField(), grpcErr("methods")),
			"sources":      without(sourcesField(), grpcErr("sources")),
			"destinations": without(sourcesField(), grpcErr("destinations")),
		},
		checks: []Check{conditionalAtLeastOneOf("protocols",
			&Field{Contains: "grpcs"}, []string{"hosts", "headers", "paths", "snis"},
			"must set one of %s when 'protocols' is 'grpcs'",
			&Field{Contains: "grpc"}, []string{"hosts", "headers", "paths"},
			"must set one of %s when 'protocols' is 'grpc'")},
	}
	out := map[string]*subschema{}
	for _, g := range []struct {
		protocols []string
		ss        *subschema
	}{{RouteDefaultProtocols, http}, {StreamProtocols, stream}, {GRPCProtocols, grpc}} {
		for _, p := range g.protocols {
			out[p] = g.ss
		}
	}
	return out
}

// atcRouteError stands in for the ATC router's validation of the
// expression Kong builds from the route: the regexes it would hand to the
// Rust regex engine (regex paths, ~* header values) must be valid there too.
// Only the regex part is checked; other ATC failures need invalid input the
// field rules already reject.
func atcRouteError(in map[string]any) string {
	const prefix = "Router Expression failed validation: "
	if paths, ok := in["paths"].([]any); ok {
		for _, p := range paths {
			s, _ := p.(string)
			if strings.HasPrefix(s, "~") {
				re := "^" + strings.ReplaceAll(s[1:], "?<", "?P<")
				if msg := atcRegexError(re); msg != "" {
					return prefix + msg
				}
			}
		}
	}
	if headers, ok := in["headers"].(map[string]any); ok {
		names := slices.Sorted(maps.Keys(headers))
		for _, k := range names {
			vals, _ := headers[k].([]any)
			for _, v := range vals {
				s, _ := v.(string)
				if strings.HasPrefix(s, "~*") {
					if msg := atcRegexError(strings.ToLower(s[2:])); msg != "" {
						return prefix + msg
					}
				}
			}
		}
	}
	return ""
}

// ProcessRoute is ProcessService for routes. "service" comes back as
// {"id":…}, nil, or {"name":…} when given by name (the store resolves it).
func ProcessRoute(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return process(schemaByName("routes"), op, body, existing, true)
}
