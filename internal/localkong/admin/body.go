package admin

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

const maxArgs = 1000

// parseBody reads a POST/PUT/PATCH body as Kong's before_filter does
// (spec §1.2): JSON as sent, forms coerced by the entity's schema.
func parseBody(r *http.Request, rules *kongschema.Rules, entity string) (map[string]any, *store.Error) {
	cts := r.Header.Values("Content-Type")
	if len(cts) > 1 {
		return nil, &store.Error{Status: 400, Text: "Multiple Content-Type headers not allowed"}
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, httpx.MaxBodyBytes))
	if err != nil {
		return nil, store.MessageError(400, "Cannot read request body")
	}
	if len(cts) == 0 {
		if len(bytes.TrimSpace(data)) == 0 {
			return map[string]any{}, nil
		}
		return nil, &store.Error{Status: 415}
	}
	ct := strings.ToLower(strings.TrimSpace(cts[0]))
	switch {
	case strings.HasPrefix(ct, "application/json"):
		if len(bytes.TrimSpace(data)) == 0 {
			return map[string]any{}, nil
		}
		var body map[string]any
		if err := json.Unmarshal(data, &body); err != nil || body == nil {
			return nil, store.MessageError(400, "Cannot parse JSON body")
		}
		return body, nil
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		vals, err := url.ParseQuery(string(data))
		if err != nil {
			return nil, store.MessageError(400, "Cannot parse form body")
		}
		return formBody(rules, entity, vals)
	case strings.HasPrefix(ct, "multipart/form-data"):
		_, params, err := mime.ParseMediaType(cts[0])
		if err != nil || params["boundary"] == "" {
			return nil, store.MessageError(400, "Cannot parse multipart body")
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		if err := r.ParseMultipartForm(httpx.MaxBodyBytes); err != nil {
			return nil, store.MessageError(400, "Cannot parse multipart body")
		}
		return formBody(rules, entity, url.Values(r.MultipartForm.Value))
	}
	return nil, &store.Error{Status: 415}
}

// formBody types form arguments by the entity's schema. Workspaces, which
// kongschema has no schema for, get them nested but untyped, as Kong
// decodes arguments without a schema.
func formBody(rules *kongschema.Rules, entity string, vals url.Values) (map[string]any, *store.Error) {
	if countArgs(vals) > maxArgs {
		return nil, store.MessageError(400, "Too many arguments")
	}
	if body, err := rules.CoerceForm(entity, vals); err == nil {
		return body, nil
	}
	return kongschema.DecodeForm(vals), nil
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
