package acl

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// daos is kong/plugins/acl/daos.lua: acls, a consumer's groups, /acls and
// /consumers/{consumer}/acls, where a group's name also names it
// (kong/plugins/acl/api.lua). A consumer is in a group once.
func daos(pdk.Gateway) []*pdk.DAO {
	return []*pdk.DAO{{
		Schema: kongschema.NewEntitySchema(kongschema.EntityDef{
			Name: "acls",
			Fields: []kongschema.NamedField{
				pdk.F("id", kongschema.TypedefUUID()),
				pdk.F("created_at", kongschema.TypedefAutoTimestamp()),
				pdk.F("consumer", pdk.Consumer()),
				pdk.F("group", &kongschema.Field{Type: "string", Required: true}),
				pdk.F("tags", kongschema.TypedefTags()),
			},
		}),
		CacheKey:  []string{"consumer", "group"},
		NestedKey: "group",
	}}
}
