package kongschema

// Schemas of the entities Kong serves at /schemas besides services, routes
// and certificates. They carry the real field names, types and defaults so
// schema documents and form coercion are right; validation uses the same
// generic rules.

func snisSchema() *schema {
	return newSchema(&schema{
		name:        "snis",
		primaryKey:  "id",
		endpointKey: "name",
		fields: []NamedField{
			{"id", uuidField()},
			{"name", wildcardHostField().with(&Field{Required: true}).unique()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"tags", tagsField()},
			{"certificate", foreignField("certificates").with(&Field{Required: true})},
		},
	})
}

func (f *Field) unique() *Field {
	c := f.clone()
	c.Unique = true
	return c
}

func consumersSchema() *schema {
	return newSchema(&schema{
		name:        "consumers",
		primaryKey:  "id",
		endpointKey: "username",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"username", &Field{Type: "string", Unique: true}},
			{"custom_id", &Field{Type: "string", Unique: true}},
			{"tags", tagsField()},
		},
		checks: []Check{atLeastOneOf("custom_id", "username")},
	})
}

func targetsSchema() *schema {
	return newSchema(&schema{
		name:        "targets",
		primaryKey:  "id",
		endpointKey: "target",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", &Field{Type: "number", Timestamp: true, Auto: true}},
			{"updated_at", &Field{Type: "number", Timestamp: true, Auto: true}},
			{"upstream", &Field{Type: "foreign", Reference: "upstreams", Required: true, OnDelete: "cascade"}},
			{"target", &Field{Type: "string", Required: true, Custom: targetRule}},
			{"weight", &Field{Type: "integer", Default: float64(100), HasDefault: true, Between: between(0, 65535)}},
			{"tags", tagsField()},
		},
	})
}

func targetRule(s string) string {
	if _, err := normalizeIP(s); err != "" {
		if checkUTF8(s) > 0 {
			return "Invalid target; not a valid hostname or ip address"
		}
		return "Invalid target ('" + s + "'); not a valid hostname or ip address"
	}
	return ""
}

func upstreamNameRule(s string) string {
	prefix := "Invalid name ('" + s + "')"
	if checkUTF8(s) > 0 {
		prefix = "Invalid name"
	}
	h, err := normalizeIP(s)
	switch {
	case err != "":
		return prefix + "; must be a valid hostname"
	case h.typ != "name":
		return prefix + "; no ip addresses allowed"
	case h.hasPort:
		return prefix + "; no port allowed"
	}
	return ""
}

func upstreamsSchema() *schema {
	hashOn := func() *Field {
		return &Field{Type: "string", Default: "none", HasDefault: true,
			OneOf: anys("none", "consumer", "ip", "header", "cookie", "path", "query_arg", "uri_capture")}
	}
	simple := func() *Field { return &Field{Type: "string", LenMin: intp(1)} }
	headerIs := func(ifField, value, thenField string) Check {
		return conditional(ifField, &Field{Match: &Pattern{Lua: "^" + value + "$", Re: mustRe("^" + value + "$")}},
			thenField, &Field{Required: true}, "")
	}
	return newSchema(&schema{
		name:        "upstreams",
		primaryKey:  "id",
		endpointKey: "name",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", timestampField()},
			{"name", &Field{Type: "string", Required: true, Unique: true, Custom: upstreamNameRule}},
			{"updated_at", timestampField()},
			{"algorithm", &Field{Type: "string", Default: "round-robin", HasDefault: true,
				OneOf: anys("consistent-hashing", "least-connections", "round-robin", "latency")}},
			{"hash_on", hashOn()},
			{"hash_fallback", hashOn()},
			{"hash_on_header", headerNameField()},
			{"hash_fallback_header", headerNameField()},
			{"hash_on_cookie", &Field{Type: "string"}},
			{"hash_on_cookie_path", pathField().with(&Field{Default: "/", HasDefault: true})},
			{"hash_on_query_arg", simple()},
			{"hash_fallback_query_arg", simple()},
			{"hash_on_uri_capture", simple()},
			{"hash_fallback_uri_capture", simple()},
			{"slots", &Field{Type: "integer", Default: float64(10000), HasDefault: true, Between: between(10, 65536)}},
			{"healthchecks", healthchecksField()},
			{"tags", tagsField()},
			{"host_header", hostPortField()},
			{"client_certificate", foreignField("certificates")},
			{"use_srv_name", &Field{Type: "boolean", Default: false, HasDefault: true}},
		},
		checks: []Check{
			headerIs("hash_on", "header", "hash_on_header"),
			headerIs("hash_fallback", "header", "hash_fallback_header"),
			headerIs("hash_on", "cookie", "hash_on_cookie"),
			headerIs("hash_fallback", "cookie", "hash_on_cookie"),
			distinct("hash_on_header", "hash_fallback_header"),
			headerIs("hash_on", "query_arg", "hash_on_query_arg"),
			headerIs("hash_fallback", "query_arg", "hash_fallback_query_arg"),
			distinct("hash_on_query_arg", "hash_fallback_query_arg"),
			headerIs("hash_on", "uri_capture", "hash_on_uri_capture"),
			headerIs("hash_fallback", "uri_capture", "hash_fallback_uri_capture"),
			distinct("hash_on_uri_capture", "hash_fallback_uri_capture"),
		},
	})
}

// healthchecksField is the upstream healthchecks record with Kong's
// defaults at every level.
func healthchecksField() *Field {
	num := func(lo, hi, def float64) *Field { //nolint:unparam // Kong's between(lo, hi), as declared
		return &Field{Type: "number", Between: between(lo, hi), Default: def, HasDefault: true}
	}
	count := func() *Field {
		return &Field{Type: "integer", Between: between(0, 255), Default: float64(0), HasDefault: true}
	}
	statuses := func(codes ...float64) *Field {
		return &Field{Type: "array", Elements: &Field{Type: "integer", Between: between(100, 999)},
			Default: anys(codes...), HasDefault: true}
	}
	checkType := func() *Field {
		// Kong's order: tcp, http, https, grpc, grpcs.
		types := append(append([]string{"tcp"}, RouteDefaultProtocols...), GRPCProtocols...)
		return &Field{Type: "string", OneOf: anys(types...),
			Default: "http", HasDefault: true}
	}
	record := func(fields ...NamedField) *Field {
		f := &Field{Type: "record", Fields: fields}
		f.Default, f.HasDefault = recordDefaults(f), true
		return f
	}
	active := record(
		NamedField{"type", checkType()},
		NamedField{"timeout", num(0, 65535, 1)},
		NamedField{"concurrency", &Field{Type: "integer", Between: between(1, 2147483648), Default: float64(10), HasDefault: true}},
		NamedField{"http_path", pathField().with(&Field{Default: "/", HasDefault: true})},
		NamedField{"https_sni", &Field{Type: "string", Custom: wildcardHostRule}},
		NamedField{"https_verify_certificate", &Field{Type: "boolean", Required: true, Default: true, HasDefault: true}},
		NamedField{"headers", headersField(headerNameField())},
		NamedField{"healthy", record(
			NamedField{"interval", num(0, 65535, 0)},
			NamedField{"http_statuses", statuses(200, 302)},
			NamedField{"successes", count()},
		)},
		NamedField{"unhealthy", record(
			NamedField{"interval", num(0, 65535, 0)},
			NamedField{"http_statuses", statuses(429, 404, 500, 501, 502, 503, 504, 505)},
			NamedField{"tcp_failures", count()},
			NamedField{"timeouts", count()},
			NamedField{"http_failures", count()},
		)},
	)
	passive := record(
		NamedField{"type", checkType()},
		NamedField{"healthy", record(
			NamedField{"http_statuses", statuses(200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
				300, 301, 302, 303, 304, 305, 306, 307, 308)},
			NamedField{"successes", count()},
		)},
		NamedField{"unhealthy", record(
			NamedField{"http_statuses", statuses(429, 500, 503)},
			NamedField{"tcp_failures", count()},
			NamedField{"timeouts", count()},
			NamedField{"http_failures", count()},
		)},
	)
	return record(
		NamedField{"active", active},
		NamedField{"passive", passive},
		NamedField{"threshold", num(0, 100, 0)},
	)
}

// recordDefaults builds a record's default value from its fields' defaults.
func recordDefaults(f *Field) map[string]any {
	out := map[string]any{}
	for _, nf := range f.Fields {
		if nf.Field.HasDefault && nf.Field.Default != nil {
			out[nf.Name] = nf.Field.Default
		}
	}
	return out
}

func pluginsSchema() *schema {
	nullDefault := func(ref string) *Field {
		return &Field{Type: "foreign", Reference: ref, Default: nil, HasDefault: true, OnDelete: "cascade"}
	}
	return newSchema(&schema{
		name:        "plugins",
		primaryKey:  "id",
		endpointKey: "instance_name",
		fields: []NamedField{
			{"id", uuidField()},
			{"name", &Field{Type: "string", Required: true}},
			{"instance_name", utf8NameField()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"route", nullDefault("routes")},
			{"service", nullDefault("services")},
			{"consumer", nullDefault("consumers")},
			{"config", &Field{Type: "record", Abstract: true}},
			{"protocols", &Field{Type: "set", Required: true, Default: anys(HTTPProtocols...), HasDefault: true,
				Elements: protocolField()}},
			{"enabled", &Field{Type: "boolean", Required: true, Default: true, HasDefault: true}},
			{"tags", tagsField()},
		},
	})
}

func tagsSchema() *schema {
	return newSchema(&schema{
		name:        "tags",
		primaryKey:  "tag",
		endpointKey: "tag",
		fields: []NamedField{
			{"tag", tagField()},
			{"entity_name", &Field{Type: "string", Required: true}},
			{"entity_id", uuidField().with(&Field{Required: true})},
		},
	})
}
