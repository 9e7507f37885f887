package jwt

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/jwt/schema.lua; realm came with 3.8.0.
func schema(g pdk.Gateway) *pdk.Schema {
	stringSet := func(def ...string) *kongschema.Field {
		return &kongschema.Field{Type: "set", Elements: &kongschema.Field{Type: "string"},
			Default: kongschema.Values(def...), HasDefault: true}
	}
	config := []kongschema.NamedField{
		pdk.F("uri_param_names", stringSet("jwt")),
		pdk.F("cookie_names", stringSet()),
		pdk.F("key_claim_name", &kongschema.Field{Type: "string", Default: "iss", HasDefault: true}),
		pdk.F("secret_is_base64", pdk.Flag(false)),
		pdk.F("claims_to_verify", &kongschema.Field{Type: "set",
			Elements: &kongschema.Field{Type: "string", OneOf: kongschema.Values("exp", "nbf")}}),
		pdk.F("anonymous", &kongschema.Field{Type: "string"}),
		pdk.F("run_on_preflight", pdk.Flag(true)),
		pdk.F("maximum_expiration", &kongschema.Field{Type: "number", Default: float64(0), HasDefault: true,
			Between: &[2]float64{0, 31536000}}),
		pdk.F("header_names", stringSet("authorization")),
	}
	if g.Since(3, 8) {
		config = append(config, pdk.F("realm", &kongschema.Field{Type: "string"}))
	}
	return pdk.NewSchema("jwt", []kongschema.NamedField{
		pdk.F("consumer", kongschema.TypedefNoConsumer()),
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(config...),
	},
		kongschema.Conditional("config.maximum_expiration", &kongschema.Field{Gt: kongschema.Number(0)},
			"config.claims_to_verify", &kongschema.Field{Contains: "exp"}),
	)
}
