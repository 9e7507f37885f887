package admin

import (
	"fmt"
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// matchSchemas routes /schemas/{entity}, /schemas/{entity}/validate and
// /schemas/plugins/{name} (spec §5.10, §5.11).
func (a *API) matchSchemas(segs []string) endpoint {
	switch {
	case len(segs) == 2:
		return endpoint{http.MethodGet: func(rq *request) {
			doc, ok := a.cfg.Rules.Schema(segs[1])
			if !ok {
				rq.fail(store.MessageError(404, fmt.Sprintf("No entity named '%s'", segs[1])))
				return
			}
			rq.send(http.StatusOK, doc)
		}}
	case len(segs) == 3 && segs[2] == "validate":
		return endpoint{http.MethodPost: func(rq *request) { validateSchema(rq, a.cfg.Rules, segs[1]) }}
	case len(segs) == 3 && segs[1] == "plugins":
		return endpoint{http.MethodGet: func(rq *request) {
			if _, ok := bundledPlugins[segs[2]]; !ok {
				rq.fail(store.MessageError(404, fmt.Sprintf("No plugin named '%s'", segs[2])))
				return
			}
			rq.send(http.StatusOK, pluginSchema())
		}}
	}
	return nil
}

// validateSchema is Kong's validate_schema: insert defaults and the schema
// only, no database, so a foreign key given by name is a missing primary
// key here.
func validateSchema(rq *request, rules *kongschema.Rules, entity string) {
	v, ok := rules.Validate(entity, rq.body)
	if !ok {
		rq.fail(store.MessageError(404, fmt.Sprintf("No entity named '%s'", entity)))
		return
	}
	if !v.Empty() {
		rq.fail(store.ErrSchema(v))
		return
	}
	rq.send(http.StatusOK, map[string]any{"message": "schema validation successful"})
}

// pluginSchema is a bare /schemas/plugins/{name}: localkong runs no plugins.
func pluginSchema() map[string]any {
	return map[string]any{
		"fields": []any{
			map[string]any{"protocols": map[string]any{
				"type": "set", "default": anyList(kongschema.HTTPProtocols),
				"elements": map[string]any{"type": "string", "one_of": anyList(kongschema.Protocols)},
			}},
			map[string]any{"config": map[string]any{"type": "record", "required": true, "fields": []any{}}},
		},
		"entity_checks": []any{},
	}
}

// anyList copies a protocol group into the []any a JSON document holds.
func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
