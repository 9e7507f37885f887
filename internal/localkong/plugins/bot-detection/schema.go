package botdetection

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/bot-detection/schema.lua, the same from 3.4 to
// 3.10.
func schema(pdk.Gateway) *pdk.Schema {
	regexes := func() *kongschema.Field {
		return &kongschema.Field{Type: "array", Elements: &kongschema.Field{Type: "string", IsRegex: true},
			Default: []any{}, HasDefault: true}
	}
	return pdk.NewSchema("bot-detection", []kongschema.NamedField{
		pdk.F("consumer", kongschema.TypedefNoConsumer()),
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(
			pdk.F("allow", regexes()),
			pdk.F("deny", regexes()),
		),
	})
}
