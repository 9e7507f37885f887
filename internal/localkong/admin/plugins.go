package admin

import (
	"fmt"
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Plugins (kong/api/routes/plugins.lua beside the generated endpoints):
// /plugins and its nested forms are in entities.go; these are the paths
// only a Kong node serves.

// matchPluginsInfo routes /plugins/enabled and the deprecated
// /plugins/schema/{name}, which take precedence over /plugins/{plugin}.
func (a *API) matchPluginsInfo(segs []string) endpoint {
	switch {
	case len(segs) == 2 && segs[1] == "enabled":
		// The node's loaded plugins: what its "plugins" setting lists.
		return endpoint{http.MethodGet: func(rq *request) {
			rq.send(http.StatusOK, map[string]any{"enabled_plugins": anyList(a.cfg.Plugins.Names())})
		}}
	case len(segs) == 3 && segs[1] == "schema":
		// The config record's schema only.
		return endpoint{http.MethodGet: func(rq *request) {
			doc, ok := a.pluginSchema(segs[2])
			if !ok {
				rq.fail(noPlugin(segs[2]))
				return
			}
			rq.send(http.StatusOK, configSchema(doc))
		}}
	}
	return nil
}

// pluginScope is /plugins/{plugin}/route, …/service and …/consumer.
func pluginScope(key, field string) endpoint {
	switch field {
	case "route":
		return foreignEntity(store.PluginsKind, key, field, store.Routes)
	case "service":
		return foreignEntity(store.PluginsKind, key, field, store.Services)
	case "consumer":
		return foreignEntity(store.PluginsKind, key, field, store.Consumers)
	}
	return nil
}

// pluginSchema is GET /schemas/plugins/{name}'s document.
func (a *API) pluginSchema(name string) (map[string]any, bool) {
	s := a.cfg.Plugins.Schema(name)
	if s == nil {
		return nil, false
	}
	return s.Document(), true
}

func noPlugin(name string) *store.Error {
	return store.MessageError(http.StatusNotFound, fmt.Sprintf("No plugin named '%s'", name))
}

// configSchema is the config record of a plugin's schema document as a
// document of its own.
func configSchema(doc map[string]any) map[string]any {
	fields, _ := doc["fields"].([]any)
	for _, f := range fields {
		m, _ := f.(map[string]any)
		if cfg, ok := m["config"].(map[string]any); ok {
			checks := cfg["entity_checks"]
			if checks == nil {
				checks = []any{}
			}
			return map[string]any{"fields": cfg["fields"], "entity_checks": checks}
		}
	}
	return map[string]any{"fields": []any{}, "entity_checks": []any{}}
}
