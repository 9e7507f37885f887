package localkong

import (
	"net/http"

	"github.com/google/uuid"
)

// The nested service/route endpoints (spec §5.7-5.9) and their quirks.

// serviceRoutes is /services/{svc}/routes. rawKey is the service key as
// sent, which Kong repeats in the next link (without size or tags).
func serviceRoutes(key, rawKey string) endpoint {
	return endpoint{
		http.MethodGet: func(rq *request) {
			sel, err := parseKey(kindServices, key)
			if err != nil {
				rq.fail(err)
				return
			}
			// Tags are validated, then ignored by nested lists.
			lq, err := parseListQuery(rq.query)
			if err != nil {
				rq.fail(err)
				return
			}
			rq.tx(false, func(sp *space) (int, any, *apiError) {
				svc := sp.find(kindServices, sel)
				if svc == nil {
					return 0, nil, errNotFound()
				}
				page, off := lq.page(sp.sorted(entRoutes), false, func(r map[string]any) bool {
					return refID(r["service"]) == svc["id"]
				})
				next := rq.prefix() + "/services/" + rawKey + "/routes?offset=" + escapeURI(off)
				return http.StatusOK, listBody(page, off, next), nil
			})
		},
		http.MethodPost: func(rq *request) {
			sel, err := parseKey(kindServices, key)
			if err != nil {
				rq.fail(err)
				return
			}
			rq.tx(true, func(sp *space) (int, any, *apiError) {
				svc := sp.find(kindServices, sel)
				if svc == nil {
					return 0, nil, errNotFound()
				}
				rq.body["service"] = map[string]any{"id": svc["id"]}
				e, err := rq.a.store.insert(sp, kindRoutes, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusCreated, e, nil
			})
		},
	}
}

// serviceRoute is /services/{svc}/routes/{route}: the route must belong to
// the service, except for PUT, which moves it there.
func serviceRoute(svcKey, routeKey string) endpoint {
	// with loads both and answers 404 unless the route is the service's.
	with := func(rq *request, write, member bool, fn func(sp *space, svc, route map[string]any, rsel selector) (int, any, *apiError)) {
		ssel, err := parseKey(kindServices, svcKey)
		if err != nil {
			rq.fail(err)
			return
		}
		rsel, err := parseKey(kindRoutes, routeKey)
		if err != nil {
			rq.fail(err)
			return
		}
		rq.tx(write, func(sp *space) (int, any, *apiError) {
			svc := sp.find(kindServices, ssel)
			if svc == nil {
				return 0, nil, errNotFound()
			}
			route := sp.find(kindRoutes, rsel)
			if member && (route == nil || refID(route["service"]) != svc["id"]) {
				return 0, nil, errNotFound()
			}
			return fn(sp, svc, route, rsel)
		})
	}
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, true, func(_ *space, _, route map[string]any, _ selector) (int, any, *apiError) {
				return http.StatusOK, route, nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, true, func(sp *space, svc, route map[string]any, _ selector) (int, any, *apiError) {
				if _, ok := rq.body["service"]; !ok {
					rq.body["service"] = map[string]any{"id": svc["id"]}
				}
				e, err := rq.a.store.update(sp, kindRoutes, route, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodPut: func(rq *request) {
			with(rq, true, false, func(sp *space, svc, _ map[string]any, rsel selector) (int, any, *apiError) {
				rq.body["service"] = map[string]any{"id": svc["id"]}
				e, err := rq.a.store.upsert(sp, kindRoutes, rsel, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			// Konnect answers 204 for anything missing; Kong's nested
			// delete answers 404.
			with(rq, true, !rq.konnect, func(sp *space, svc, route map[string]any, _ selector) (int, any, *apiError) {
				if route != nil && refID(route["service"]) == svc["id"] {
					if err := rq.a.store.remove(sp, kindRoutes, route); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusNoContent, nil, nil
			})
		},
	}
}

// routeService is /routes/{route}/service.
func routeService(routeKey string) endpoint {
	// with loads the route and its service (nil when it has none).
	with := func(rq *request, write bool, fn func(sp *space, route, svc map[string]any) (int, any, *apiError)) {
		rsel, err := parseKey(kindRoutes, routeKey)
		if err != nil {
			rq.fail(err)
			return
		}
		rq.tx(write, func(sp *space) (int, any, *apiError) {
			route := sp.find(kindRoutes, rsel)
			if route == nil {
				return 0, nil, errNotFound()
			}
			var svc map[string]any
			if id := refID(route["service"]); id != "" {
				svc = sp.get(entServices, id)
			}
			return fn(sp, route, svc)
		})
	}
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, func(_ *space, _, svc map[string]any) (int, any, *apiError) {
				if svc == nil {
					return 0, nil, errNotFound()
				}
				return http.StatusOK, svc, nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, func(sp *space, _, svc map[string]any) (int, any, *apiError) {
				if svc == nil {
					return 0, nil, errNotFound()
				}
				e, err := rq.a.store.update(sp, kindServices, svc, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		// PUT replaces the route's service, or creates one and attaches the
		// route to it when the route has none.
		http.MethodPut: func(rq *request) {
			with(rq, true, func(sp *space, route, svc map[string]any) (int, any, *apiError) {
				st := rq.a.store
				id := uuid.NewString()
				if svc != nil {
					id = svc["id"].(string)
				}
				e, err := st.upsert(sp, kindServices, selector{"id", id}, rq.body)
				if err != nil {
					return 0, nil, err
				}
				if svc == nil {
					if _, err := st.update(sp, kindRoutes, route, map[string]any{"service": map[string]any{"id": id}}); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			with(rq, false, func(_ *space, _, svc map[string]any) (int, any, *apiError) {
				if svc == nil {
					return 0, nil, errNotFound()
				}
				return 0, nil, errMethodNotAllowed()
			})
		},
	}
}
