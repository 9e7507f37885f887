package keyauth

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// daos is kong/plugins/key-auth/daos.lua: keyauth_credentials, /key-auths
// and /consumers/{consumer}/key-auth, named by their key, which Kong
// generates when none is sent. Keys may expire (ttl).
func daos(pdk.Gateway) []*pdk.DAO {
	return []*pdk.DAO{{
		Schema: kongschema.NewEntitySchema(kongschema.EntityDef{
			Name:        "keyauth_credentials",
			EndpointKey: "key",
			Fields: []kongschema.NamedField{
				pdk.F("id", kongschema.TypedefUUID()),
				pdk.F("created_at", kongschema.TypedefAutoTimestamp()),
				pdk.F("consumer", pdk.Consumer()),
				pdk.F("key", &kongschema.Field{Type: "string", Unique: true, Auto: true}),
				pdk.F("tags", kongschema.TypedefTags()),
			},
		}),
		AdminAPIName: "key-auths",
		NestedName:   "key-auth",
		TTL:          true,
	}}
}
