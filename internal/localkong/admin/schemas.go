package admin

import (
	"fmt"
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// matchSchemas routes /schemas/{entity}, /schemas/{entity}/validate,
// /schemas/plugins/{name} and /schemas/plugins/validate (spec §5.10,
// §5.11). The plugins' entities (/schemas/keyauth_credentials) are
// served beside Kong's own.
func (a *API) matchSchemas(segs []string) endpoint {
	switch {
	case len(segs) == 2:
		return endpoint{http.MethodGet: func(rq *request) {
			doc, ok := a.cfg.Rules.Schema(segs[1])
			if !ok {
				if k := a.store.Kind(segs[1]); k != nil {
					doc, ok = k.Schema()
				}
			}
			if !ok {
				rq.fail(store.MessageError(404, fmt.Sprintf("No entity named '%s'", segs[1])))
				return
			}
			rq.send(http.StatusOK, doc)
		}}
	case len(segs) == 3 && segs[1] == "plugins" && segs[2] == "validate":
		return endpoint{http.MethodPost: func(rq *request) { a.validatePlugin(rq) }}
	case len(segs) == 3 && segs[2] == "validate":
		return endpoint{http.MethodPost: func(rq *request) { a.validateSchema(rq, segs[1]) }}
	case len(segs) == 3 && segs[1] == "plugins":
		return endpoint{http.MethodGet: func(rq *request) {
			doc, ok := a.pluginSchema(segs[2])
			if !ok {
				rq.fail(noPlugin(segs[2]))
				return
			}
			rq.send(http.StatusOK, doc)
		}}
	}
	return nil
}

// validateSchema is Kong's validate_schema: insert defaults and the schema
// only, no database, so a foreign key given by name is a missing primary
// key here.
func (a *API) validateSchema(rq *request, entity string) {
	v, ok := a.cfg.Rules.Validate(entity, rq.body)
	if !ok {
		k := a.store.Kind(entity)
		if k == nil {
			rq.fail(store.MessageError(404, fmt.Sprintf("No entity named '%s'", entity)))
			return
		}
		if _, has := k.Schema(); !has {
			rq.fail(store.MessageError(404, fmt.Sprintf("No entity named '%s'", entity)))
			return
		}
		v = k.Validate(rq.body)
	}
	validated(rq, v)
}

// validatePlugin is validate_schema("plugins"): the plugin's own schema,
// chosen by name.
func (a *API) validatePlugin(rq *request) {
	name, present := rq.body["name"]
	str, _ := name.(string)
	s := a.cfg.Plugins.Schema(str)
	switch {
	case !present || name == nil:
		validated(rq, &kongschema.Violation{Fields: map[string]any{"name": "required field missing"}})
	case s == nil:
		validated(rq, &kongschema.Violation{Fields: map[string]any{"name": fmt.Sprintf(
			"plugin '%v' not enabled; add it to the 'plugins' configuration property", name)}})
	default:
		validated(rq, s.Validate(rq.body))
	}
}

func validated(rq *request, v *kongschema.Violation) {
	if !v.Empty() {
		rq.fail(store.ErrSchema(v))
		return
	}
	rq.send(http.StatusOK, map[string]any{"message": "schema validation successful"})
}

// anyList copies strings into the []any a JSON document holds.
func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
