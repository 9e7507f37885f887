package localkong

import (
	"net/http"
	"strings"
)

// topLevel are the first path segments that are not a workspace name.
var topLevel = map[string]bool{
	"services": true, "routes": true, "certificates": true, "ca_certificates": true,
	"schemas": true, "status": true, "tags": true, "metrics": true, "workspaces": true,
}

// matchKong routes a self-hosted Admin API path, with an optional
// /{workspace} prefix (Kong Enterprise style; go-kong asks /{ws}/kong for
// the root info).
func (a *admin) matchKong(rq *request) endpoint {
	rq.ns = nsWorkspace(defaultWorkspace)
	if len(rq.segs) > 0 && !topLevel[rq.segs[0]] {
		if !a.store.hasWorkspace(rq.segs[0]) {
			return nil
		}
		rq.ns = nsWorkspace(rq.segs[0])
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
			return endpoint{http.MethodGet: func(rq *request) { a.srv.metrics.ServeHTTP(rq.w, rq.r) }}
		}
		return nil
	case "schemas":
		return a.matchSchemas(segs)
	case "tags":
		return a.matchTags(segs)
	case "workspaces":
		return a.matchWorkspaces(segs)
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
			return collection(kindServices)
		case n == 2:
			return entity(kindServices, segs[1])
		case n == 3 && segs[2] == "routes":
			return serviceRoutes(segs[1], rq.raw[1])
		case n == 4 && segs[2] == "routes":
			return serviceRoute(segs[1], segs[3])
		}
	case "routes":
		switch {
		case n == 1:
			return collection(kindRoutes)
		case n == 2:
			return entity(kindRoutes, segs[1])
		case n == 3 && segs[2] == "service":
			return routeService(segs[1])
		}
	case "certificates":
		switch n {
		case 1:
			return collection(kindCertificates)
		case 2:
			return certificateEntity(segs[1])
		}
	case "ca_certificates":
		switch n {
		case 1:
			return collection(kindCACertificates)
		case 2:
			return entity(kindCACertificates, segs[1])
		}
	}
	return nil
}

func collection(k *kind) endpoint {
	return endpoint{
		http.MethodGet:  func(rq *request) { rq.list(k) },
		http.MethodPost: func(rq *request) { rq.create(k) },
	}
}

func entity(k *kind, key string) endpoint {
	return endpoint{
		http.MethodGet:    func(rq *request) { rq.read(k, key) },
		http.MethodPut:    func(rq *request) { rq.put(k, key) },
		http.MethodPatch:  func(rq *request) { rq.patch(k, key) },
		http.MethodDelete: func(rq *request) { rq.remove(k, key) },
	}
}

func (rq *request) list(k *kind) {
	lq, err := parseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	keep := rq.nameFilter()
	rq.tx(false, func(sp *space) (int, any, *apiError) {
		page, off := lq.page(sp.sorted(k.name), true, keep)
		return http.StatusOK, listBody(page, off, lq.nextLink(rq.prefix()+"/"+k.name, off)), nil
	})
}

func (rq *request) create(k *kind) {
	rq.tx(true, func(sp *space) (int, any, *apiError) {
		e, err := rq.a.store.insert(sp, k, rq.body)
		if err != nil {
			return 0, nil, rq.konnectError(err)
		}
		return http.StatusCreated, e, nil
	})
}

func (rq *request) read(k *kind, key string) {
	sel, err := parseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(false, func(sp *space) (int, any, *apiError) {
		if e := sp.find(k, sel); e != nil {
			return http.StatusOK, e, nil
		}
		return 0, nil, errNotFound()
	})
}

func (rq *request) put(k *kind, key string) {
	sel, err := parseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(true, func(sp *space) (int, any, *apiError) {
		e, err := rq.a.store.upsert(sp, k, sel, rq.body)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e, nil
	})
}

func (rq *request) patch(k *kind, key string) {
	sel, err := parseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(true, func(sp *space) (int, any, *apiError) {
		old := sp.find(k, sel)
		if old == nil {
			return 0, nil, errNotFoundKey(sel.field, sel.value)
		}
		e, err := rq.a.store.update(sp, k, old, rq.body)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, e, nil
	})
}

// remove answers 204 whether or not the entity existed (spec §5.6).
func (rq *request) remove(k *kind, key string) {
	sel, err := parseKey(k, key)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(true, func(sp *space) (int, any, *apiError) {
		if old := sp.find(k, sel); old != nil {
			if err := rq.a.store.remove(sp, k, old); err != nil {
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
	return "/v2/control-planes/" + escapeURI(strings.TrimPrefix(rq.ns, "cp:")) + "/core-entities"
}
