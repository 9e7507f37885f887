package cors

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// methods are METHODS, in Kong's order.
var methods = []string{"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"}

// schema is kong/plugins/cors/schema.lua; private_network came with 3.5.0,
// allow_origin_absent with 3.10.0.
func schema(g pdk.Gateway) *pdk.Schema {
	config := []kongschema.NamedField{
		pdk.F("origins", pdk.Strings(&kongschema.Field{Type: "string", Custom: asteriskOrRegex})),
		pdk.F("headers", pdk.Strings(nil)),
		pdk.F("exposed_headers", pdk.Strings(nil)),
		pdk.F("methods", &kongschema.Field{Type: "array", Default: kongschema.Values(methods...), HasDefault: true,
			Elements: &kongschema.Field{Type: "string", OneOf: kongschema.Values(methods...)}}),
		pdk.F("max_age", &kongschema.Field{Type: "number"}),
		pdk.F("credentials", pdk.Flag(false)),
	}
	if g.Since(3, 5) {
		config = append(config, pdk.F("private_network", pdk.Flag(false)))
	}
	config = append(config, pdk.F("preflight_continue", pdk.Flag(false)))
	if g.Since(3, 10) {
		config = append(config, pdk.F("allow_origin_absent", pdk.Flag(true)))
	}
	return pdk.NewSchema("cors", []kongschema.NamedField{
		pdk.F("consumer", kongschema.TypedefNoConsumer()),
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(config...),
	})
}

// asteriskOrRegex is validate_asterisk_or_regex.
func asteriskOrRegex(s string) string {
	if s == "*" || kongschema.IsRegex(s) {
		return ""
	}
	return "'" + s + "' is not a valid regex"
}
