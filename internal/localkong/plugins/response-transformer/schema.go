package responsetransformer

import (
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/response-transformer/schema.lua; rename.json came
// with 3.8.0.
func schema(g pdk.Gateway) *pdk.Schema {
	list := func(el *kongschema.Field) *kongschema.Field {
		return &kongschema.Field{Type: "array", Required: true, Default: []any{}, HasDefault: true, Elements: el}
	}
	colon := func() *kongschema.Field {
		return &kongschema.Field{Type: "string", Match: kongschema.LuaPattern("^[^:]+:.*$", "")}
	}
	stringArray := func() *kongschema.Field { return list(&kongschema.Field{Type: "string"}) }
	colonArray := func() *kongschema.Field { return list(colon()) }
	values := func() *kongschema.Field {
		return pdk.Record(
			pdk.F("json", colonArray()),
			pdk.F("json_types", list(&kongschema.Field{Type: "string", OneOf: kongschema.Values("boolean", "number", "string")})),
			pdk.F("headers", colonArray()),
		)
	}
	renameHeaders := colon()
	renameHeaders.Custom = headerNames
	var rename []kongschema.NamedField
	if g.Since(3, 8) {
		rename = append(rename, pdk.F("json", colonArray()))
	}
	rename = append(rename, pdk.F("headers", list(renameHeaders)))
	return pdk.NewSchema("response-transformer", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.Config(
			pdk.F("remove", pdk.Record(pdk.F("json", stringArray()), pdk.F("headers", stringArray()))),
			pdk.F("rename", pdk.Record(rename...)),
			pdk.F("replace", values()),
			pdk.F("add", values()),
			pdk.F("append", values()),
		),
	})
}

// headerNames is validate_colon_headers: in "name:value" both are header
// names.
func headerNames(pair string) string {
	name, value, _ := strings.Cut(pair, ":")
	value = strings.TrimLeft(value, ":")
	if kongschema.ValidateHTTPHeaderName(name) != nil {
		return "'" + name + "' is not a valid header"
	}
	if kongschema.ValidateHTTPHeaderName(value) != nil {
		return "'" + value + "' is not a valid header"
	}
	return ""
}
