package correlationid

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/correlation-id/schema.lua; generator is required
// from 3.8.0 (null was accepted before).
func schema(g pdk.Gateway) *pdk.Schema {
	return pdk.NewSchema("correlation-id", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(
			pdk.F("header_name", &kongschema.Field{Type: "string", Default: "Kong-Request-ID", HasDefault: true}),
			pdk.F("generator", &kongschema.Field{Type: "string", Required: g.Since(3, 8), Default: "uuid#counter", HasDefault: true,
				OneOf: kongschema.Values("uuid", "uuid#counter", "tracker")}),
			pdk.F("echo_downstream", pdk.Flag(false)),
		),
	})
}
