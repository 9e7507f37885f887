package basicauth

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/basic-auth/schema.lua; realm came with 3.6.0.
func schema(g pdk.Gateway) *pdk.Schema {
	config := []kongschema.NamedField{
		pdk.F("anonymous", &kongschema.Field{Type: "string"}),
		pdk.F("hide_credentials", pdk.Flag(false)),
	}
	if g.Since(3, 6) {
		config = append(config, pdk.F("realm", &kongschema.Field{Type: "string", Required: true, Default: "service", HasDefault: true}))
	}
	return pdk.NewSchema("basic-auth", []kongschema.NamedField{
		pdk.F("consumer", kongschema.TypedefNoConsumer()),
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(config...),
	})
}
