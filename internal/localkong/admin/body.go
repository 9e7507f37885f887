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
func parseBody(r *http.Request, typed formTyper) (map[string]any, *store.Error) {
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
		return formBody(typed, vals)
	case strings.HasPrefix(ct, "multipart/form-data"):
		_, params, err := mime.ParseMediaType(cts[0])
		if err != nil || params["boundary"] == "" {
			return nil, store.MessageError(400, "Cannot parse multipart body")
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
		if err := r.ParseMultipartForm(httpx.MaxBodyBytes); err != nil {
			return nil, store.MessageError(400, "Cannot parse multipart body")
		}
		return formBody(typed, url.Values(r.MultipartForm.Value))
	}
	return nil, &store.Error{Status: 415}
}

// formTyper types form arguments by a schema; ok is false when it has
// none for them.
type formTyper func(url.Values) (map[string]any, bool)

// formBody types form arguments. Workspaces, which kongschema has no
// schema for, get them nested but untyped, as Kong decodes arguments
// without a schema.
func formBody(typed formTyper, vals url.Values) (map[string]any, *store.Error) {
	if countArgs(vals) > maxArgs {
		return nil, store.MessageError(400, "Too many arguments")
	}
	if body, ok := typed(vals); ok {
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

// formTyper is how form bodies of a path are typed: by the entity the
// path writes; a plugin by its own schema, chosen by the name sent (Kong
// reads a PATCHed plugin's name first; one sent without it is typed by
// the plugins entity alone here).
func (a *API) formTyper(segs []string) formTyper {
	entity := a.formEntity(segs)
	return func(vals url.Values) (map[string]any, bool) {
		if entity == "plugins" {
			if s := a.cfg.Plugins.Schema(vals.Get("name")); s != nil {
				return s.CoerceForm(vals), true
			}
		}
		if k := a.store.Kind(entity); k != nil {
			if body, ok := k.CoerceForm(vals); ok {
				return body, true
			}
		}
		body, err := a.cfg.Rules.CoerceForm(entity, vals)
		return body, err == nil
	}
}

// formEntity names the entity form bodies of a path are typed by: the one
// the path writes (a nested collection's children, the entity a foreign
// key names, a plugin's entities by their DAO's name).
func (a *API) formEntity(segs []string) string {
	n := len(segs)
	switch {
	case n == 0:
		return ""
	case segs[0] == "schemas" && n >= 2:
		return segs[1]
	case n >= 3 && segs[2] == "plugins":
		return "plugins"
	case n == 3 && segs[2] == "service":
		return "services"
	case n == 3 && segs[2] == "route":
		return "routes"
	case n == 3 && segs[2] == "consumer":
		return "consumers"
	case n >= 3 && segs[0] == "services" && segs[2] == "routes":
		return "routes"
	}
	for _, d := range a.store.DAOs() {
		if segs[0] == d.Path || n >= 3 && segs[0] == "consumers" && segs[2] == d.Nested {
			return d.Name()
		}
	}
	return segs[0]
}
