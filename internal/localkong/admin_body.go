package localkong

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

const (
	maxArgs      = 1000
	maxBodyBytes = 32 << 20
)

// parseBody reads a POST/PUT/PATCH body as Kong's before_filter does
// (spec §1.2): JSON as sent, forms coerced by the entity's schema.
func parseBody(r *http.Request, entity string) (map[string]any, *apiError) {
	cts := r.Header.Values("Content-Type")
	if len(cts) > 1 {
		return nil, &apiError{status: 400, text: "Multiple Content-Type headers not allowed"}
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	if err != nil {
		return nil, messageError(400, "Cannot read request body")
	}
	if len(cts) == 0 {
		if len(bytes.TrimSpace(data)) == 0 {
			return map[string]any{}, nil
		}
		return nil, &apiError{status: 415}
	}
	ct := strings.ToLower(strings.TrimSpace(cts[0]))
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if len(bytes.TrimSpace(data)) == 0 {
			return map[string]any{}, nil
		}
		var body map[string]any
		if err := json.Unmarshal(data, &body); err != nil || body == nil {
			return nil, messageError(400, "Cannot parse JSON body")
		}
		return body, nil
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		vals, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, messageError(400, "Cannot parse form body")
		}
		return formBody(entity, vals)
	case strings.HasPrefix(ct, "multipart/form-data"):
		_, params, err := mime.ParseMediaType(cts[0])
		if err != nil || params["boundary"] == "" {
			return nil, messageError(400, "Cannot parse multipart body")
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		if err := r.ParseMultipartForm(maxBodyBytes); err != nil {
			return nil, messageError(400, "Cannot parse multipart body")
		}
		return formBody(entity, url.Values(r.MultipartForm.Value))
	}
	return nil, &apiError{status: 415}
}

func formBody(entity string, vals url.Values) (map[string]any, *apiError) {
	if countArgs(vals) > maxArgs {
		return nil, messageError(400, "Too many arguments")
	}
	return coerceForm(entity, vals), nil
}

func countArgs(vals url.Values) int {
	n := 0
	for _, vs := range vals {
		n += len(vs)
	}
	return n
}

// formEntity names the schema that form bodies of a path are coerced by.
func formEntity(segs []string) string {
	switch {
	case len(segs) == 3 && segs[0] == "routes" && segs[2] == "service":
		return "services"
	case len(segs) >= 3 && segs[0] == "services" && segs[2] == "routes":
		return "routes"
	case len(segs) >= 2 && segs[0] == "schemas":
		return segs[1]
	case len(segs) >= 1:
		return segs[0]
	}
	return ""
}

// coerceForm turns form arguments into a JSON-like body: dotted and bracket
// keys nest (service.id, hosts[1], hosts[], headers.x-foo[]), and values
// are typed by the entity schema: numbers, booleans, a single value for an
// array or set wrapped, and "" meaning null (arguments.lua infer_value).
func coerceForm(entity string, vals url.Values) map[string]any {
	fields := schemaFields(entity)
	body := map[string]any{}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		path := splitFormKey(key)
		if len(path) == 0 {
			continue
		}
		for _, v := range vals[key] {
			setFormValue(body, path, v)
		}
	}
	for k, v := range body {
		body[k] = inferValue(v, fields[k])
	}
	return body
}

// splitFormKey parses a.b[1][] into ["a","b","1",""].
func splitFormKey(key string) []string {
	var out []string
	for _, part := range strings.Split(key, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			out = append(out, name)
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			if !ok {
				break
			}
			out = append(out, idx)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}

// setFormValue places v at path; numeric and empty bracket segments build
// arrays (1-based indexes, as Lua).
func setFormValue(m map[string]any, path []string, v string) {
	key := path[0]
	if len(path) == 1 {
		if prev, ok := m[key]; ok {
			if list, ok := prev.([]any); ok {
				m[key] = append(list, v)
			} else {
				m[key] = []any{prev, v}
			}
		} else {
			m[key] = v
		}
		return
	}
	next := path[1]
	if next == "" || isIndex(next) {
		list, _ := m[key].([]any)
		if next == "" || len(path) == 2 && indexOf(next) > len(list) {
			list = append(list, v)
		} else if i := indexOf(next); i >= 1 && i <= len(list) {
			list[i-1] = v
		}
		m[key] = list
		return
	}
	child, ok := m[key].(map[string]any)
	if !ok {
		child = map[string]any{}
		m[key] = child
	}
	setFormValue(child, path[1:], v)
}

func isIndex(s string) bool { _, err := strconv.Atoi(s); return err == nil }

func indexOf(s string) int { i, _ := strconv.Atoi(s); return i }

// inferValue types a form value by its schema field (nil: leave as is).
func inferValue(v any, field map[string]any) any {
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	if field == nil {
		return v
	}
	typ, _ := field["type"].(string)
	switch typ {
	case "array", "set":
		elem, _ := field["elements"].(map[string]any)
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		out := make([]any, len(list))
		for i, x := range list {
			out[i] = inferValue(x, elem)
		}
		return out
	case "map":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		values, _ := field["values"].(map[string]any)
		out := map[string]any{}
		for k, x := range m {
			out[k] = inferValue(x, values)
		}
		return out
	case "record", "foreign":
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		sub := fieldMap(field["fields"])
		out := map[string]any{}
		for k, x := range m {
			out[k] = inferValue(x, sub[k])
		}
		return out
	case "integer", "number":
		if s, ok := v.(string); ok {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f
			}
		}
	case "boolean":
		switch v {
		case "true":
			return true
		case "false":
			return false
		}
	}
	return v
}

// schemaFields indexes the top-level fields of an entity's schema document.
func schemaFields(entity string) map[string]map[string]any {
	doc, ok := kongschema.Schema(entity)
	if !ok {
		doc, ok = fallbackSchema(entity)
	}
	if !ok {
		return nil
	}
	return fieldMap(doc["fields"])
}

// fieldMap turns Kong's [{"name":{…}}, …] field list into a map.
func fieldMap(v any) map[string]map[string]any {
	out := map[string]map[string]any{}
	list, _ := v.([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		for name, def := range m {
			if d, ok := def.(map[string]any); ok {
				out[name] = d
			}
		}
	}
	return out
}
