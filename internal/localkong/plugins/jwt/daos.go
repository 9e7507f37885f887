package jwt

import (
	"crypto/x509"
	"encoding/pem"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// daos is kong/plugins/jwt/daos.lua: jwt_secrets, /jwts and
// /consumers/{consumer}/jwt, named by their key. Kong generates the key
// and the secret when none is sent. The asymmetric algorithms need an
// rsa_public_key; 3.7.0 added ES512, PS256 to PS512 and EdDSA.
func daos(g pdk.Gateway) []*pdk.DAO {
	algorithms := []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384"}
	keyed := []string{"^RS256$", "^RS384$", "^RS512$"}
	if g.Since(3, 7) {
		algorithms = append(algorithms, "ES512", "PS256", "PS384", "PS512", "EdDSA")
		keyed = append(keyed, "^PS256$", "^PS384$", "^PS512$", "^EdDSA$")
	}
	match := &kongschema.AnyPattern{}
	for _, p := range keyed {
		match.Patterns = append(match.Patterns, *kongschema.LuaPattern(p, ""))
	}
	return []*pdk.DAO{{
		Schema: kongschema.NewEntitySchema(kongschema.EntityDef{
			Name:        "jwt_secrets",
			EndpointKey: "key",
			Fields: []kongschema.NamedField{
				pdk.F("id", kongschema.TypedefUUID()),
				pdk.F("created_at", kongschema.TypedefAutoTimestamp()),
				pdk.F("consumer", pdk.Consumer()),
				pdk.F("key", &kongschema.Field{Type: "string", Unique: true, Auto: true}),
				pdk.F("secret", &kongschema.Field{Type: "string", Auto: true}),
				pdk.F("rsa_public_key", &kongschema.Field{Type: "string"}),
				pdk.F("algorithm", &kongschema.Field{Type: "string", Default: "HS256", HasDefault: true,
					OneOf: kongschema.Values(algorithms...)}),
				pdk.F("tags", kongschema.TypedefTags()),
			},
			Checks: []kongschema.Check{
				kongschema.Conditional("algorithm", &kongschema.Field{MatchAny: match},
					"rsa_public_key", &kongschema.Field{Required: true, Custom: validKey}),
			},
		}),
		AdminAPIName: "jwts",
		NestedName:   "jwt",
	}}
}

// validKey is daos.lua's validate_ssl_key: what OpenSSL reads as a key (a
// PEM public or private key).
func validKey(s string) string {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return "invalid key"
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		return ""
	}
	if _, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return ""
	}
	if _, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		return ""
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return ""
	}
	if _, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return ""
	}
	return "invalid key"
}
