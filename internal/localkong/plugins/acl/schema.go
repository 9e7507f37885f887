package acl

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/acl/schema.lua; always_use_authenticated_groups
// came with 3.8.0.
func schema(g pdk.Gateway) *pdk.Schema {
	config := []kongschema.NamedField{
		pdk.F("allow", pdk.Strings(nil)),
		pdk.F("deny", pdk.Strings(nil)),
		pdk.F("hide_groups_header", pdk.Flag(false)),
	}
	if g.Since(3, 8) {
		config = append(config, pdk.F("always_use_authenticated_groups", pdk.Flag(false)))
	}
	return pdk.NewSchema("acl", []kongschema.NamedField{
		pdk.F("consumer", kongschema.TypedefNoConsumer()),
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(config...),
	},
		kongschema.OnlyOneOf("config.allow", "config.deny"),
		kongschema.AtLeastOneOf("config.allow", "config.deny"),
	)
}
