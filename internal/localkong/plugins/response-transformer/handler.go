package responsetransformer

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// handler is kong/plugins/response-transformer/{handler,
// header_transformer,body_transformer}.lua: the response's headers are
// changed in header_filter, then a JSON body's top-level keys in
// body_filter, each by remove, rename, replace, add and append (values
// cast by json_types). It runs on any response, the plugins' and Kong's
// included.
func handler(pdk.Gateway) *pdk.Handler {
	return &pdk.Handler{HeaderFilter: headerFilter, BodyFilter: bodyFilter}
}

// entry is iter's split of "name:value": ok false for no value.
func entry(s string) (name, value string, ok bool) {
	name, value, _ = strings.Cut(s, ":")
	value = strings.TrimLeft(value, ":")
	return name, value, value != ""
}

func list(cfg map[string]any, op, part string) []string {
	return pdk.ConfStrings(pdk.ConfRecord(cfg, op), part)
}

// bodyTransform is is_body_transform_set.
func bodyTransform(cfg map[string]any) bool {
	for _, op := range []string{"add", "rename", "remove", "replace", "append"} {
		if len(list(cfg, op, "json")) > 0 {
			return true
		}
	}
	return false
}

// jsonBody is is_json_body: one of the Content-Type's media types is
// application/json or application/*+json.
func jsonBody(ct string) bool {
	for _, part := range strings.Split(ct, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		typ, sub, _ := strings.Cut(mt, "/")
		if typ == "application" && (sub == "json" || strings.HasSuffix(sub, "+json")) {
			return true
		}
	}
	return false
}

func headerFilter(c *pdk.Context, in *pdk.Instance) {
	cfg := in.Config
	h := c.Response.Header
	before := h.Clone() // kong.response.get_headers() as the plugin started
	for _, name := range list(cfg, "remove", "headers") {
		h.Del(name)
	}
	for _, e := range list(cfg, "rename", "headers") {
		old, name, ok := entry(e)
		if vs := before.Values(old); len(vs) > 0 && ok {
			h.Del(old)
			h[http.CanonicalHeaderKey(name)] = vs
		}
	}
	for _, e := range list(cfg, "replace", "headers") {
		if name, value, ok := entry(e); ok && len(before.Values(name)) > 0 {
			h.Set(name, value)
		}
	}
	for _, e := range list(cfg, "add", "headers") {
		if name, value, ok := entry(e); ok && len(before.Values(name)) == 0 {
			h.Set(name, value)
		}
	}
	for _, e := range list(cfg, "append", "headers") {
		if name, value, ok := entry(e); ok {
			h.Add(name, value)
		}
	}
	// The body is about to change.
	if bodyTransform(cfg) && jsonBody(before.Get("Content-Type")) {
		h.Del("Content-Length")
	}
}

func bodyFilter(c *pdk.Context, in *pdk.Instance) {
	cfg := in.Config
	if !bodyTransform(cfg) || !jsonBody(c.Response.Header.Get("Content-Type")) {
		return
	}
	var body map[string]any
	if err := json.Unmarshal(c.Response.Body, &body); err != nil || body == nil {
		return // "failed parsing json body": sent as it is
	}
	for _, name := range list(cfg, "remove", "json") {
		delete(body, name)
	}
	for _, e := range list(cfg, "rename", "json") {
		if old, name, ok := entry(e); ok {
			if v, present := body[old]; present {
				body[name] = v
				delete(body, old)
			}
		}
	}
	for i, e := range list(cfg, "replace", "json") {
		name, value, ok := entry(e)
		if v := jsonValue(value, ok, typeAt(cfg, "replace", i)); v != nil && truthy(body[name]) {
			body[name] = v
		}
	}
	for i, e := range list(cfg, "add", "json") {
		name, value, ok := entry(e)
		if v := jsonValue(value, ok, typeAt(cfg, "add", i)); v != nil && !truthy(body[name]) {
			body[name] = v
		}
	}
	for i, e := range list(cfg, "append", "json") {
		name, value, ok := entry(e)
		if v := jsonValue(value, ok, typeAt(cfg, "append", i)); v != nil {
			switch cur := body[name].(type) {
			case string:
				body[name] = []any{cur, v}
			case []any:
				body[name] = append(cur, v)
			default:
				body[name] = []any{v}
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	c.Response.Body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func truthy(v any) bool { return v != nil && v != false }

func typeAt(cfg map[string]any, op string, i int) string {
	types := list(cfg, op, "json_types")
	if i < len(types) {
		return types[i]
	}
	return ""
}

// jsonValue is json_value: the string as cjson writes it, unquoted (so an
// escape other than \" and \/ stays doubled), then cast to a number
// (nil when it is none) or a boolean ("true" only) as json_types says.
func jsonValue(value string, ok bool, typ string) any {
	if !ok {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(value)
	v := strings.TrimSuffix(buf.String(), "\n")
	v = strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`)
	switch typ {
	case "number":
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil
		}
		return n
	case "boolean":
		return v == "true"
	}
	return v
}
