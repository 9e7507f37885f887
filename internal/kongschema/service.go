package kongschema

// The services schema (kong/db/schema/entities/services.lua).

func timeoutField() *Field {
	return &Field{Type: "integer", Between: between(1, 2147483646), Default: float64(60000), HasDefault: true}
}

func servicesSchema() *schema {
	mustBeNull := &Field{EqNull: true}
	notTLS := &Field{NotOneOf: anys("https", "tls")}
	tlsOnly := func(field string) Check {
		return conditional("protocol", notTLS, field, mustBeNull, "")
	}
	// Kong lists tcp, tls, udp, grpc, grpcs: protocols with no URL path.
	streamish := anys(append(append([]string(nil), tcpTLSUDP...), GRPCProtocols...)...)
	return newSchema(&schema{
		name:        "services",
		primaryKey:  "id",
		endpointKey: "name",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"name", utf8NameField()},
			{"retries", &Field{Type: "integer", Default: float64(5), HasDefault: true, Between: between(0, 32767)}},
			{"protocol", protocolField().with(&Field{Required: true, Default: "http", HasDefault: true})},
			{"host", hostField().with(&Field{Required: true})},
			{"port", portField().with(&Field{Required: true, Default: float64(80), HasDefault: true})},
			{"path", pathField()},
			{"connect_timeout", timeoutField()},
			{"write_timeout", timeoutField()},
			{"read_timeout", timeoutField()},
			{"tags", tagsField()},
			{"client_certificate", foreignField("certificates")},
			{"tls_verify", &Field{Type: "boolean"}},
			{"tls_verify_depth", &Field{Type: "integer", Default: nil, HasDefault: true, Between: between(0, 64)}},
			{"ca_certificates", &Field{Type: "array", Elements: &Field{Type: "string", UUID: true}}},
			{"enabled", &Field{Type: "boolean", Required: true, Default: true, HasDefault: true}},
		},
		checks: []Check{
			conditional("protocol", &Field{OneOf: streamish}, "path", mustBeNull, ""),
			tlsOnly("client_certificate"),
			tlsOnly("tls_verify"),
			tlsOnly("tls_verify_depth"),
			tlsOnly("ca_certificates"),
		},
		shorthand: urlShorthand,
	})
}

// urlShorthand expands "url" into protocol, host, port and path, replacing
// whatever the body sent for them. A bad url value is the only error
// reported, as Kong stops there.
func urlShorthand(data map[string]any) map[string]any {
	v, present := data["url"]
	if !present {
		return nil
	}
	if v != nil {
		s, ok := v.(string)
		if !ok {
			return map[string]any{"url": typeErrors["string"]}
		}
		if s == "" {
			return map[string]any{"url": "length must be at least 1"}
		}
	}
	delete(data, "url")
	// A JSON null reaches Kong's parser as tostring(ngx.null).
	parts, ok := expandURL(luaString(v))
	if ok {
		for k, p := range parts {
			data[k] = p
		}
	}
	return nil
}

// ProcessService validates a service body and returns the canonical entity:
// every schema field present (nil when unset), defaults applied, url expanded,
// client_certificate normalised to {"id":…}. id/created_at/updated_at are
// validated when present and otherwise left for the caller (the store) to set.
// For Update, existing is the stored entity the body is merged into.
func ProcessService(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return process(schemaByName("services"), op, body, existing, true)
}
