package kongschema

// The services schema (kong/db/schema/entities/services.lua).

func timeoutField() *Field {
	return &Field{Type: "integer", Between: between(1, 2147483646), Default: float64(60000), HasDefault: true}
}

// servicesSchema builds the services schema of Kong v: Kong OSS's or, for
// Kong Gateway Enterprise (and Konnect), with what Enterprise adds: ws and
// wss (FeatureWebSocket), and tls_sans from 3.10.0.6 (FeatureTLSSANs).
// Kong OSS's services.lua has the same fields, defaults and checks from 3.4
// to 3.10 (only descriptions changed). The Enterprise differences are from
// Kong Enterprise 3.10.0.0's services.lua (its "EE websockets" blocks, as
// published on the Kong/kong branch FTI-6378): ws and
// wss are protocols, and wss may carry client_certificate and tls_verify,
// though not tls_verify_depth or ca_certificates. Its url shorthand also
// defaults wss to port 443 (OSS: 80); ExpandURL follows Enterprise there
// (see defaultURLPort), which OSS cannot observe since it rejects wss.
func servicesSchema(v Version) *schema {
	enterprise := v.Enterprise
	mustBeNull := &Field{EqNull: true}
	tlsOnly := func(field string, tls ...string) Check {
		return conditional("protocol", &Field{NotOneOf: anys(tls...)}, field, mustBeNull, "")
	}
	tls := []string{"https", "tls"}
	wsTLS := tls
	if enterprise {
		wsTLS = []string{"https", "wss", "tls"} // Enterprise's order
	}
	// Kong lists tcp, tls, udp, grpc, grpcs: protocols with no URL path.
	streamish := anys(append(append([]string(nil), tcpTLSUDP...), GRPCProtocols...)...)
	fields := []NamedField{
		{"id", uuidField()},
		{"created_at", timestampField()},
		{"updated_at", timestampField()},
		{"name", utf8NameField()},
		{"retries", &Field{Type: "integer", Default: float64(5), HasDefault: true, Between: between(0, 32767)}},
		{"protocol", protocolField().with(&Field{Required: true, Default: "http", HasDefault: true,
			OneOf: anys(ServiceProtocols(enterprise)...)})},
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
	}
	if FeatureTLSSANs.In(v, "") {
		fields = append(fields, NamedField{"tls_sans", tlsSANsField()})
	}
	return newSchema(&schema{
		name:        "services",
		primaryKey:  "id",
		endpointKey: "name",
		fields:      fields,
		checks: []Check{
			conditional("protocol", &Field{OneOf: streamish}, "path", mustBeNull, ""),
			tlsOnly("client_certificate", wsTLS...),
			tlsOnly("tls_verify", wsTLS...),
			tlsOnly("tls_verify_depth", tls...),
			tlsOnly("ca_certificates", tls...),
		},
		shorthand:      urlShorthand,
		shorthandParts: map[string][]string{"url": {"protocol", "host", "port", "path"}},
	})
}

// tlsSANsField is tls_sans: names besides host that the upstream's TLS
// certificate may match. Kong OSS 3.10.0's services.lua has no such field
// (there it is an "unknown field"); Kong Gateway Enterprise has it since
// 3.10.0.6 (go-kong's TestServiceWithTLSSANs), and so does Konnect. Kong
// Enterprise's source is not public: the definition follows its 3.10 Admin
// API OpenAPI, whose element descriptions are those of typedefs.sni and
// typedefs.url, and the schema Kong Manager renders (a record of two
// optional arrays, no entity checks). Neither shows a protocol condition,
// so none is enforced. Kong OSS answers "unknown field" for it, and so does
// localkong unless it plays Kong Gateway Enterprise 3.10.0.6 or later.
func tlsSANsField() *Field {
	return &Field{Type: "record", Fields: []NamedField{
		{"dnsnames", &Field{Type: "array", Elements: sniField()}},
		{"uris", &Field{Type: "array", Elements: urlField()}},
	}}
}

// enterpriseServices is the services schema PlanCheck uses: Kong OSS's
// rules plus what Kong Gateway Enterprise and Konnect accept besides.
func enterpriseServices() *schema { return For(planVersion).schema("services") }

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
