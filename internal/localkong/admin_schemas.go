package localkong

import (
	"fmt"
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// matchSchemas routes /schemas/{entity}, /schemas/{entity}/validate and
// /schemas/plugins/{name} (spec §5.10, §5.11).
func (a *admin) matchSchemas(segs []string) endpoint {
	switch {
	case len(segs) == 2:
		return endpoint{http.MethodGet: func(rq *request) {
			doc, ok := entitySchema(segs[1])
			if !ok {
				rq.fail(messageError(404, fmt.Sprintf("No entity named '%s'", segs[1])))
				return
			}
			rq.send(http.StatusOK, doc)
		}}
	case len(segs) == 3 && segs[2] == "validate":
		return endpoint{http.MethodPost: func(rq *request) { validateSchema(rq, segs[1]) }}
	case len(segs) == 3 && segs[1] == "plugins":
		return endpoint{http.MethodGet: func(rq *request) {
			if _, ok := bundledPlugins[segs[2]]; !ok {
				rq.fail(messageError(404, fmt.Sprintf("No plugin named '%s'", segs[2])))
				return
			}
			rq.send(http.StatusOK, pluginSchema())
		}}
	}
	return nil
}

// validateSchema checks a body with insert defaults and the schema only: no
// uniqueness, no references.
func validateSchema(rq *request, entity string) {
	var k *kind
	for _, c := range kindsWithTags {
		if c.name == entity {
			k = c
		}
	}
	if k == nil {
		if _, ok := entitySchema(entity); !ok {
			rq.fail(messageError(404, fmt.Sprintf("No entity named '%s'", entity)))
			return
		}
	} else if _, v := k.process(kongschema.Insert, rq.body, nil); !v.Empty() {
		rq.fail(errSchema(v))
		return
	}
	rq.send(http.StatusOK, map[string]any{"message": "schema validation successful"})
}

func entitySchema(entity string) (map[string]any, bool) {
	if doc, ok := kongschema.Schema(entity); ok {
		return doc, true
	}
	return fallbackSchema(entity)
}

// fallbackSchema serves the entities localkong does not manage (go-kong's
// TestSchemaService asks for them) and stands in for kongschema's documents
// when it has none. They carry the fields and defaults, not every validator.
func fallbackSchema(entity string) (map[string]any, bool) {
	build, ok := fallbackSchemas[entity]
	if !ok {
		return nil, false
	}
	return build(), true
}

type fieldDef struct {
	name string
	def  map[string]any
}

func schemaDoc(fields []fieldDef, checks ...any) map[string]any {
	list := make([]any, len(fields))
	for i, f := range fields {
		list[i] = map[string]any{f.name: f.def}
	}
	if checks == nil {
		checks = []any{}
	}
	return map[string]any{"fields": list, "entity_checks": checks}
}

func fd(name string, def map[string]any) fieldDef { return fieldDef{name, def} }

func strSet() map[string]any {
	return map[string]any{"type": "set", "elements": map[string]any{"type": "string", "required": true}}
}

func baseFields() []fieldDef {
	return []fieldDef{
		fd("id", map[string]any{"type": "string", "uuid": true, "auto": true}),
		fd("created_at", map[string]any{"type": "integer", "timestamp": true, "auto": true}),
		fd("updated_at", map[string]any{"type": "integer", "timestamp": true, "auto": true}),
	}
}

func foreign(ref string, required bool) map[string]any {
	m := map[string]any{"type": "foreign", "reference": ref, "on_delete": "cascade"}
	if required {
		m["required"] = true
	}
	return m
}

func timeout() map[string]any {
	return map[string]any{"type": "integer", "default": 60000, "between": []any{1, 2147483646}}
}

var protocolList = []any{"grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp"}

var fallbackSchemas = map[string]func() map[string]any{
	"services": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("name", map[string]any{"type": "string", "unique": true}),
			fd("retries", map[string]any{"type": "integer", "default": 5, "between": []any{0, 32767}}),
			fd("protocol", map[string]any{"type": "string", "required": true, "default": "http", "one_of": protocolList}),
			fd("host", map[string]any{"type": "string", "required": true}),
			fd("port", map[string]any{"type": "integer", "required": true, "default": 80, "between": []any{0, 65535}}),
			fd("path", map[string]any{"type": "string", "starts_with": "/"}),
			fd("connect_timeout", timeout()),
			fd("write_timeout", timeout()),
			fd("read_timeout", timeout()),
			fd("tags", strSet()),
			fd("client_certificate", map[string]any{"type": "foreign", "reference": "certificates"}),
			fd("tls_verify", map[string]any{"type": "boolean"}),
			fd("tls_verify_depth", map[string]any{"type": "integer", "default": nil, "between": []any{0, 64}}),
			fd("ca_certificates", map[string]any{"type": "array", "elements": map[string]any{"type": "string", "uuid": true}}),
			fd("enabled", map[string]any{"type": "boolean", "required": true, "default": true}),
		))
	},
	"routes": func() map[string]any {
		ipPort := map[string]any{"type": "set", "elements": map[string]any{"type": "record", "fields": []any{
			map[string]any{"ip": map[string]any{"type": "string"}},
			map[string]any{"port": map[string]any{"type": "integer", "between": []any{0, 65535}}},
		}}}
		return schemaDoc(append(baseFields(),
			fd("name", map[string]any{"type": "string", "unique": true}),
			fd("protocols", map[string]any{"type": "set", "required": true, "default": []any{"http", "https"},
				"elements": map[string]any{"type": "string", "one_of": protocolList}}),
			fd("methods", strSet()),
			fd("hosts", map[string]any{"type": "array", "elements": map[string]any{"type": "string"}}),
			fd("paths", map[string]any{"type": "array", "elements": map[string]any{"type": "string"}}),
			fd("headers", map[string]any{"type": "map", "keys": map[string]any{"type": "string"},
				"values": map[string]any{"type": "array", "elements": map[string]any{"type": "string"}}}),
			fd("https_redirect_status_code", map[string]any{"type": "integer", "required": true, "default": 426,
				"one_of": []any{426, 301, 302, 307, 308}}),
			fd("regex_priority", map[string]any{"type": "integer", "default": 0}),
			fd("strip_path", map[string]any{"type": "boolean", "required": true, "default": true}),
			fd("path_handling", map[string]any{"type": "string", "default": "v0", "one_of": []any{"v0", "v1"}}),
			fd("preserve_host", map[string]any{"type": "boolean", "required": true, "default": false}),
			fd("request_buffering", map[string]any{"type": "boolean", "required": true, "default": true}),
			fd("response_buffering", map[string]any{"type": "boolean", "required": true, "default": true}),
			fd("snis", map[string]any{"type": "set", "elements": map[string]any{"type": "string"}}),
			fd("sources", ipPort),
			fd("destinations", ipPort),
			fd("tags", strSet()),
			fd("service", map[string]any{"type": "foreign", "reference": "services"}),
		))
	},
	"certificates": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("cert", map[string]any{"type": "string", "required": true, "referenceable": true}),
			fd("key", map[string]any{"type": "string", "required": true, "referenceable": true, "encrypted": true}),
			fd("cert_alt", map[string]any{"type": "string", "referenceable": true}),
			fd("key_alt", map[string]any{"type": "string", "referenceable": true, "encrypted": true}),
			fd("tags", strSet()),
		))
	},
	"ca_certificates": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("cert", map[string]any{"type": "string", "required": true}),
			fd("cert_digest", map[string]any{"type": "string", "unique": true}),
			fd("tags", strSet()),
		))
	},
	"snis": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("name", map[string]any{"type": "string", "required": true, "unique": true}),
			fd("tags", strSet()),
			fd("certificate", foreign("certificates", true)),
		))
	},
	"consumers": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("username", map[string]any{"type": "string", "unique": true}),
			fd("custom_id", map[string]any{"type": "string", "unique": true}),
			fd("tags", strSet()),
		), map[string]any{"at_least_one_of": []any{"custom_id", "username"}})
	},
	"upstreams": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("name", map[string]any{"type": "string", "required": true, "unique": true}),
			fd("algorithm", map[string]any{"type": "string", "default": "round-robin",
				"one_of": []any{"consistent-hashing", "least-connections", "round-robin", "latency", "sticky-sessions"}}),
			fd("hash_on", map[string]any{"type": "string", "default": "none"}),
			fd("hash_fallback", map[string]any{"type": "string", "default": "none"}),
			fd("slots", map[string]any{"type": "integer", "default": 10000, "between": []any{10, 65536}}),
			fd("tags", strSet()),
			fd("host_header", map[string]any{"type": "string"}),
			fd("client_certificate", map[string]any{"type": "foreign", "reference": "certificates"}),
			fd("use_srv_name", map[string]any{"type": "boolean", "default": false}),
		))
	},
	"targets": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("upstream", foreign("upstreams", true)),
			fd("target", map[string]any{"type": "string", "required": true}),
			fd("weight", map[string]any{"type": "integer", "default": 100, "between": []any{0, 65535}}),
			fd("tags", strSet()),
		))
	},
	"plugins": func() map[string]any {
		return schemaDoc(append(baseFields(),
			fd("name", map[string]any{"type": "string", "required": true}),
			fd("instance_name", map[string]any{"type": "string"}),
			fd("route", map[string]any{"type": "foreign", "reference": "routes", "default": nil, "on_delete": "cascade"}),
			fd("service", map[string]any{"type": "foreign", "reference": "services", "default": nil, "on_delete": "cascade"}),
			fd("consumer", map[string]any{"type": "foreign", "reference": "consumers", "default": nil, "on_delete": "cascade"}),
			fd("config", map[string]any{"type": "record", "abstract": true}),
			fd("protocols", map[string]any{"type": "set", "required": true, "default": []any{"grpc", "grpcs", "http", "https"},
				"elements": map[string]any{"type": "string", "one_of": protocolList}}),
			fd("enabled", map[string]any{"type": "boolean", "default": true}),
			fd("tags", strSet()),
		))
	},
	"tags": func() map[string]any {
		return schemaDoc([]fieldDef{
			fd("tag", map[string]any{"type": "string", "required": true}),
			fd("entity_name", map[string]any{"type": "string", "required": true}),
			fd("entity_id", map[string]any{"type": "string", "uuid": true, "required": true}),
		})
	},
}

// pluginSchema is a bare /schemas/plugins/{name}: localkong runs no plugins.
func pluginSchema() map[string]any {
	return schemaDoc([]fieldDef{
		fd("protocols", map[string]any{"type": "set", "default": []any{"grpc", "grpcs", "http", "https"},
			"elements": map[string]any{"type": "string", "one_of": protocolList}}),
		fd("config", map[string]any{"type": "record", "required": true, "fields": []any{}}),
	})
}
