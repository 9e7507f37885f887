package basicauth

import (
	"crypto/sha1" //nolint:gosec // Kong's own hash of basic-auth passwords
	"encoding/hex"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// daos is kong/plugins/basic-auth/daos.lua: basicauth_credentials,
// /basic-auths and /consumers/{consumer}/basic-auth, named by username.
// The password is stored hashed (Hash) whenever a write sends one.
func daos(pdk.Gateway) []*pdk.DAO {
	return []*pdk.DAO{{
		Schema: kongschema.NewEntitySchema(kongschema.EntityDef{
			Name:        "basicauth_credentials",
			EndpointKey: "username",
			Fields: []kongschema.NamedField{
				pdk.F("id", kongschema.TypedefUUID()),
				pdk.F("created_at", kongschema.TypedefAutoTimestamp()),
				pdk.F("consumer", pdk.Consumer()),
				pdk.F("username", &kongschema.Field{Type: "string", Required: true, Unique: true}),
				pdk.F("password", &kongschema.Field{Type: "string", Required: true, Encrypted: true}),
				pdk.F("tags", kongschema.TypedefTags()),
			},
		}),
		AdminAPIName: "basic-auths",
		NestedName:   "basic-auth",
		OnWrite:      hashPassword,
	}}
}

// hashPassword is the DAO's on_write transformation: a password sent is
// stored as Hash(its consumer's id, password).
func hashPassword(e, sent map[string]any) {
	pw, ok := sent["password"].(string)
	if !ok {
		return
	}
	consumer, _ := e["consumer"].(map[string]any)
	id, _ := consumer["id"].(string)
	e["password"] = Hash(id, pw)
}

// Hash is kong/plugins/basic-auth/crypto.lua: the hex SHA-1 of the
// password salted with the consumer's id (password..consumer_id).
func Hash(consumerID, password string) string {
	sum := sha1.Sum([]byte(password + consumerID)) //nolint:gosec // Kong's own hash
	return hex.EncodeToString(sum[:])
}
