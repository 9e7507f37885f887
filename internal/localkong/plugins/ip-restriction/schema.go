package iprestriction

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/ip-restriction/schema.lua, the same from 3.4 to
// 3.10. It also runs on tcp and tls.
func schema(pdk.Gateway) *pdk.Schema {
	return pdk.NewSchema("ip-restriction", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocols().WithDefault(kongschema.Values("http", "https", "tcp", "tls", "grpc", "grpcs"))),
		pdk.Config(
			pdk.F("allow", pdk.Strings(kongschema.TypedefIPOrCIDR())),
			pdk.F("deny", pdk.Strings(kongschema.TypedefIPOrCIDR())),
			pdk.F("status", &kongschema.Field{Type: "number"}),
			pdk.F("message", &kongschema.Field{Type: "string"}),
		),
	}, kongschema.AtLeastOneOf("config.allow", "config.deny"))
}
