package keyauth

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/key-auth/schema.lua; realm came with 3.7.0.
func schema(g pdk.Gateway) *pdk.Schema {
	config := []kongschema.NamedField{
		pdk.F("key_names", &kongschema.Field{Type: "array", Required: true,
			Elements: kongschema.TypedefHeaderName(), Default: kongschema.Values("apikey"), HasDefault: true}),
		pdk.F("hide_credentials", pdk.Flag(false)),
		pdk.F("anonymous", &kongschema.Field{Type: "string"}),
		pdk.F("key_in_header", pdk.Flag(true)),
		pdk.F("key_in_query", pdk.Flag(true)),
		pdk.F("key_in_body", pdk.Flag(false)),
		pdk.F("run_on_preflight", pdk.Flag(true)),
	}
	if g.Since(3, 7) {
		config = append(config, pdk.F("realm", &kongschema.Field{Type: "string"}))
	}
	return pdk.NewSchema("key-auth", []kongschema.NamedField{
		pdk.F("consumer", kongschema.TypedefNoConsumer()),
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(config...),
	})
}
