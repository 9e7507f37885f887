package requesttransformer

import (
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/request-transformer/schema.lua, the same from 3.4
// to 3.10. Values are Penlight templates: Kong also refuses one that does
// not compile, which is not checked here.
func schema(pdk.Gateway) *pdk.Schema {
	list := func(el *kongschema.Field) *kongschema.Field {
		return &kongschema.Field{Type: "array", Required: true, Default: []any{}, HasDefault: true, Elements: el}
	}
	str := func(custom func(string) string) *kongschema.Field {
		return &kongschema.Field{Type: "string", Custom: custom}
	}
	colon := func(custom func(string) string) *kongschema.Field {
		return &kongschema.Field{Type: "string", Match: kongschema.LuaPattern("^[^:]+:.*$", ""), Custom: custom}
	}
	stringsArray := func() *kongschema.Field { return list(str(nil)) }
	colonStrings := func() *kongschema.Field { return list(str(hasValue)) }
	remove := pdk.Record(
		pdk.F("body", stringsArray()),
		pdk.F("headers", list(str(headerName))),
		pdk.F("querystring", stringsArray()),
	)
	rename := pdk.Record(
		pdk.F("body", colonStrings()),
		pdk.F("headers", list(colon(headerNames))),
		pdk.F("querystring", colonStrings()),
	)
	values := func(uri bool) *kongschema.Field {
		r := pdk.Record(
			pdk.F("body", colonStrings()),
			pdk.F("headers", list(colon(headerName))),
			pdk.F("querystring", colonStrings()),
		)
		if uri {
			r.Fields = append(r.Fields, pdk.F("uri", &kongschema.Field{Type: "string"}))
		}
		return r
	}
	return pdk.NewSchema("request-transformer", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocols()),
		pdk.Config(
			pdk.F("http_method", kongschema.TypedefHTTPMethod()),
			pdk.F("remove", remove),
			pdk.F("rename", rename),
			pdk.F("replace", values(true)),
			pdk.F("add", values(false)),
			pdk.F("append", values(false)),
		),
	})
}

// split is entry:match("^([^:]+):*(.-)$"): the name before the first
// colon, the value after the colons that follow it.
func split(entry string) (name, value string, ok bool) {
	i := strings.IndexByte(entry, ':')
	if i == 0 || entry == "" {
		return "", "", false
	}
	if i < 0 {
		return entry, "", true
	}
	return entry[:i], strings.TrimLeft(entry[i:], ":"), true
}

// hasValue is check_for_value: "name:value" pairs need a value.
func hasValue(entry string) string {
	name, value, ok := split(entry)
	if !ok {
		return "key 'nil' has no value"
	}
	if value == "" {
		return "key '" + name + "' has no value"
	}
	return ""
}

// headerName is validate_headers without its value: the name is a header
// name.
func headerName(pair string) string {
	name, _, ok := split(pair)
	if !ok || kongschema.ValidateHTTPHeaderName(name) != nil {
		return "'" + nameOrNil(name, ok) + "' is not a valid header"
	}
	return ""
}

// headerNames is validate_colon_headers: name and value are header names.
func headerNames(pair string) string {
	if msg := headerName(pair); msg != "" {
		return msg
	}
	_, value, _ := split(pair)
	if kongschema.ValidateHTTPHeaderName(value) != nil {
		return "'" + value + "' is not a valid header"
	}
	return ""
}

func nameOrNil(name string, ok bool) string {
	if !ok {
		return "nil"
	}
	return name
}
