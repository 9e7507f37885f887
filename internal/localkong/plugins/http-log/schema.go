package httplog

import (
	"net/url"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/http-log/schema.lua. Until 3.6 the config record
// has a custom_entity_check that only warns about retry_count, queue_size
// and flush_timeout; 3.7.0 marks them deprecated instead. Whether
// custom_fields_by_lua's values are Lua expressions is not checked.
func schema(g pdk.Gateway) *pdk.Schema {
	endpoint := kongschema.TypedefURL().AsRequired()
	endpoint.Encrypted, endpoint.Referenceable = true, true
	headerName := kongschema.TypedefHeaderName()
	headerName.MatchNone = []kongschema.Pattern{
		*kongschema.LuaPattern("^[Hh][Oo][Ss][Tt]$", "cannot contain 'Host' header"),
		*kongschema.LuaPattern("^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%-[Ll][Ee][nn][Gg][Tt][Hh]$", "cannot contain 'Content-Length' header"),
		*kongschema.LuaPattern("^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%-[Tt][Yy][Pp][Ee]$", "cannot contain 'Content-Type' header"),
	}
	config := pdk.Record(
		pdk.F("http_endpoint", endpoint),
		pdk.F("method", &kongschema.Field{Type: "string", Default: "POST", HasDefault: true, OneOf: kongschema.Values("POST", "PUT", "PATCH")}),
		pdk.F("content_type", &kongschema.Field{Type: "string", Default: "application/json", HasDefault: true,
			OneOf: kongschema.Values("application/json", "application/json; charset=utf-8")}),
		pdk.F("timeout", &kongschema.Field{Type: "number", Default: float64(10000), HasDefault: true}),
		pdk.F("keepalive", &kongschema.Field{Type: "number", Default: float64(60000), HasDefault: true}),
		pdk.F("retry_count", &kongschema.Field{Type: "integer"}),
		pdk.F("queue_size", &kongschema.Field{Type: "integer"}),
		pdk.F("flush_timeout", &kongschema.Field{Type: "number"}),
		pdk.F("headers", &kongschema.Field{Type: "map", Keys: headerName,
			Values: &kongschema.Field{Type: "string", Referenceable: true}}),
		pdk.F("queue", pdk.Queue(g)),
		pdk.F("custom_fields_by_lua", &kongschema.Field{Type: "map",
			Keys:   &kongschema.Field{Type: "string", LenMin: kongschema.Length(1)},
			Values: &kongschema.Field{Type: "string", LenMin: kongschema.Length(1)}}),
	)
	if !g.Since(3, 7) {
		config.Checks = []kongschema.Check{kongschema.CustomEntityCheck("retry_count", "queue_size", "flush_timeout")}
	}
	s := pdk.NewSchema("http-log", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocols()),
		pdk.F("config", config),
	})
	s.ConfigCheck = userinfoAndAuthorization
	return s
}

// userinfoAndAuthorization is the config's custom_validator: credentials
// go in the endpoint's user info or in an Authorization header, not both.
func userinfoAndAuthorization(cfg map[string]any) string {
	endpoint, _ := cfg["http_endpoint"].(string)
	headers, _ := cfg["headers"].(map[string]any)
	u, err := url.Parse(endpoint)
	if err != nil || u.User == nil {
		return ""
	}
	for name := range headers {
		if strings.EqualFold(name, "authorization") {
			return "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed"
		}
	}
	return ""
}
