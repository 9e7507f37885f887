package admin

import (
	"net/http"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// topLevel are the first path segments that are not a workspace name.
var topLevel = map[string]bool{
	"services": true, "routes": true, "certificates": true, "ca_certificates": true,
	"schemas": true, "status": true, "tags": true, "metrics": true, "workspaces": true,
	"plugins": true, "consumers": true,
}

// isTopLevel reports whether a first path segment is one of the API's
// rather than a workspace name: the paths above and the plugins'
// entities' (/key-auths, …).
func (a *API) isTopLevel(seg string) bool {
	if topLevel[seg] {
		return true
	}
	for _, d := range a.store.DAOs() {
		if d.Path == seg {
			return true
		}
	}
	return false
}

// matchKong routes a self-hosted Admin API path, with an optional
// /{workspace} prefix (Kong Enterprise style; go-kong asks /{ws}/kong for
// the root info).
func (a *API) matchKong(rq *request) endpoint {
	rq.ns = store.WorkspaceNS(store.DefaultWorkspace)
	if len(rq.segs) > 0 && !a.isTopLevel(rq.segs[0]) {
		if !a.store.HasWorkspace(rq.segs[0]) {
			return nil
		}
		rq.ns = store.WorkspaceNS(rq.segs[0])
		rq.segs, rq.raw = rq.segs[1:], rq.raw[1:]
		if len(rq.segs) == 1 && rq.segs[0] == "kong" {
			return a.rootEndpoint()
		}
	}
	segs := rq.segs
	n := len(segs)
	if n == 0 {
		return a.rootEndpoint()
	}
	switch segs[0] {
	case "status":
		if n == 1 {
			return endpoint{http.MethodGet: a.status}
		}
		return nil
	case "metrics":
		if n == 1 {
			return endpoint{http.MethodGet: func(rq *request) { a.cfg.Metrics.ServeHTTP(rq.w, rq.r) }}
		}
		return nil
	case "schemas":
		return a.matchSchemas(segs)
	case "tags":
		return a.matchTags(segs)
	case "workspaces":
		return a.matchWorkspaces(segs)
	case "plugins":
		if ep := a.matchPluginsInfo(segs); ep != nil {
			return ep
		}
	}
	return matchEntities(rq)
}

// matchEntities routes the entity paths shared by both APIs.
func matchEntities(rq *request) endpoint {
	segs, n := rq.segs, len(rq.segs)
	switch segs[0] {
	case "services":
		switch {
		case n == 1:
			return collection(store.Services)
		case n == 2:
			return entity(store.Services, segs[1])
		case n == 3 && segs[2] == "routes":
			return serviceRoutes(segs[1], rq.raw[1])
		case n == 4 && segs[2] == "routes":
			return serviceRoute(segs[1], segs[3])
		case n == 3 && segs[2] == "plugins":
			return nestedCollection(store.Services, segs[1], rq.raw[1], store.PluginsKind, "service", "plugins")
		case n == 4 && segs[2] == "plugins":
			return nestedEntity(store.Services, segs[1], store.PluginsKind, segs[3], "service")
		}
	case "routes":
		switch {
		case n == 1:
			return collection(store.Routes)
		case n == 2:
			return entity(store.Routes, segs[1])
		case n == 3 && segs[2] == "service":
			return routeService(segs[1])
		case n == 3 && segs[2] == "plugins":
			return nestedCollection(store.Routes, segs[1], rq.raw[1], store.PluginsKind, "route", "plugins")
		case n == 4 && segs[2] == "plugins":
			return nestedEntity(store.Routes, segs[1], store.PluginsKind, segs[3], "route")
		}
	case "certificates":
		switch n {
		case 1:
			return collection(store.Certificates)
		case 2:
			return certificateEntity(segs[1])
		}
	case "ca_certificates":
		switch n {
		case 1:
			return collection(store.CACertificates)
		case 2:
			return entity(store.CACertificates, segs[1])
		}
	case "plugins":
		switch n {
		case 1:
			return collection(store.PluginsKind)
		case 2:
			return entity(store.PluginsKind, segs[1])
		case 3:
			return pluginScope(segs[1], segs[2])
		}
	case "consumers":
		return matchConsumers(rq)
	}
	return matchDAOs(rq)
}

func collection(k *store.Kind) endpoint { return collectionAt(k, k.Name()) }

// collectionAt is a collection served at path (a plugin's entities are
// served under their admin_api_name: /key-auths).
func collectionAt(k *store.Kind, path string) endpoint {
	return endpoint{
		http.MethodGet:  func(rq *request) { rq.list(k, path) },
		http.MethodPost: func(rq *request) { rq.create(k) },
	}
}

func entity(k *store.Kind, key string) endpoint {
	return endpoint{
		http.MethodGet:    func(rq *request) { rq.read(k, key) },
		http.MethodPut:    func(rq *request) { rq.put(k, key) },
		http.MethodPatch:  func(rq *request) { rq.patch(k, key) },
		http.MethodDelete: func(rq *request) { rq.remove(k, key) },
	}
}

func (rq *request) list(k *store.Kind, path string) {
	lq, err := store.ParseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	keep := rq.nameFilter()
	rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
		page, off := lq.Page(sp.Rows(k), true, keep)
		return http.StatusOK, listBody(rq.presentAll(sp, k, page), off, lq.NextLink(rq.prefix()+"/"+path, off)), nil
	})
}

func (rq *request) create(k *store.Kind) {
	rq.tx(true, func(sp *store.Space) (int, any, *store.Error) {
		e, err := rq.a.store.Insert(sp, k, rq.body)
		if err != nil {
			return 0, nil, rq.konnectError(err)
		}
		return http.StatusCreated, e, nil
	})
}

func (rq *request) read(k *store.Kind, key string) {
	sel, err := store.ParseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
		if e := sp.Find(k, sel); e != nil {
			return http.StatusOK, rq.a.store.Present(sp, k, e), nil
		}
		return 0, nil, store.ErrNotFound()
	})
}

// presentAll is a page of stored entities as the Admin API returns them.
func (rq *request) presentAll(sp *store.Space, k *store.Kind, rows []map[string]any) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, e := range rows {
		out[i] = rq.a.store.Present(sp, k, e)
	}
	return out
}

func (rq *request) put(k *store.Kind, key string) {
	sel, err := store.ParseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(true, func(sp *store.Space) (int, any, *store.Error) {
		e, err := rq.a.store.Upsert(sp, k, sel, rq.body)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e, nil
	})
}

func (rq *request) patch(k *store.Kind, key string) {
	sel, err := store.ParseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(true, func(sp *store.Space) (int, any, *store.Error) {
		old := sp.Find(k, sel)
		if old == nil {
			return 0, nil, store.ErrNotFoundKey(sel.Field, sel.Value)
		}
		e, err := rq.a.store.Update(sp, k, old, rq.body)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e, nil
	})
}

// remove answers 204 whether or not the entity existed (spec §5.6).
func (rq *request) remove(k *store.Kind, key string) {
	sel, err := store.ParseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(true, func(sp *store.Space) (int, any, *store.Error) {
		if old := sp.Find(k, sel); old != nil {
			if err := rq.a.store.Remove(sp, k, old); err != nil {
				return 0, nil, err
			}
		}
		return http.StatusNoContent, nil, nil
	})
}

// prefix is what list links start with: nothing on Kong (next links carry
// no workspace), the control-plane base on Konnect.
func (rq *request) prefix() string {
	if !rq.konnect {
		return ""
	}
	return "/v2/control-planes/" + store.EscapeURI(strings.TrimPrefix(rq.ns, "cp:")) + "/core-entities"
}

// listBody is Kong's list response: offset only when another page exists.
func listBody(data []map[string]any, offset, next string) map[string]any {
	if data == nil {
		data = []map[string]any{}
	}
	body := map[string]any{"data": data, "next": nil}
	if offset != "" {
		body["offset"] = offset
		body["next"] = next
	}
	return body
}
