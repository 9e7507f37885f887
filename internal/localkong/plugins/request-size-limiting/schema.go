package requestsizelimiting

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// SizeUnits are the handler's size_units, the default first.
var SizeUnits = []string{"megabytes", "kilobytes", "bytes"}

// schema is kong/plugins/request-size-limiting/schema.lua, the same from
// 3.4 to 3.10.
func schema(pdk.Gateway) *pdk.Schema {
	return pdk.NewSchema("request-size-limiting", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(
			pdk.F("allowed_payload_size", &kongschema.Field{Type: "integer", Default: float64(128), HasDefault: true}),
			pdk.F("size_unit", &kongschema.Field{Type: "string", Required: true, Default: SizeUnits[0], HasDefault: true,
				OneOf: kongschema.Values(SizeUnits...)}),
			pdk.F("require_content_length", pdk.Flag(false)),
		),
	})
}
