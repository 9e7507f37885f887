package admin

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// The nested service/route endpoints (spec §5.7-5.9) and their quirks.

// serviceRoutes is /services/{svc}/routes. rawKey is the service key as
// sent, which Kong repeats in the next link (without size or tags).
func serviceRoutes(key, rawKey string) endpoint {
	return endpoint{
		http.MethodGet: func(rq *request) {
			sel, err := store.ParseKey(store.Services, key)
			if err != nil {
				rq.fail(err)
				return
			}
			// Tags are validated, then ignored by nested lists.
			lq, err := store.ParseListQuery(rq.query)
			if err != nil {
				rq.fail(err)
				return
			}
			rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
				svc := sp.Find(store.Services, sel)
				if svc == nil {
					return 0, nil, store.ErrNotFound()
				}
				page, off := lq.Page(sp.Rows(store.Routes), false, func(r map[string]any) bool {
					return store.RefID(r["service"]) == svc["id"]
				})
				next := rq.prefix() + "/services/" + rawKey + "/routes?offset=" + store.EscapeURI(off)
				return http.StatusOK, listBody(page, off, next), nil
			})
		},
		http.MethodPost: func(rq *request) {
			sel, err := store.ParseKey(store.Services, key)
			if err != nil {
				rq.fail(err)
				return
			}
			rq.tx(true, func(sp *store.Space) (int, any, *store.Error) {
				svc := sp.Find(store.Services, sel)
				if svc == nil {
					return 0, nil, store.ErrNotFound()
				}
				rq.body["service"] = map[string]any{"id": svc["id"]}
				e, err := rq.a.store.Insert(sp, store.Routes, rq.body)
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
	with := func(rq *request, write, member bool, fn func(sp *store.Space, svc, route map[string]any, rsel store.Selector) (int, any, *store.Error)) {
		ssel, err := store.ParseKey(store.Services, svcKey)
		if err != nil {
			rq.fail(err)
			return
		}
		rsel, err := store.ParseKey(store.Routes, routeKey)
		if err != nil {
			rq.fail(err)
			return
		}
		rq.tx(write, func(sp *store.Space) (int, any, *store.Error) {
			svc := sp.Find(store.Services, ssel)
			if svc == nil {
				return 0, nil, store.ErrNotFound()
			}
			route := sp.Find(store.Routes, rsel)
			if member && (route == nil || store.RefID(route["service"]) != svc["id"]) {
				return 0, nil, store.ErrNotFound()
			}
			return fn(sp, svc, route, rsel)
		})
	}
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, true, func(_ *store.Space, _, route map[string]any, _ store.Selector) (int, any, *store.Error) {
				return http.StatusOK, route, nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, true, func(sp *store.Space, svc, route map[string]any, _ store.Selector) (int, any, *store.Error) {
				if _, ok := rq.body["service"]; !ok {
					rq.body["service"] = map[string]any{"id": svc["id"]}
				}
				e, err := rq.a.store.Update(sp, store.Routes, route, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodPut: func(rq *request) {
			with(rq, true, false, func(sp *store.Space, svc, _ map[string]any, rsel store.Selector) (int, any, *store.Error) {
				rq.body["service"] = map[string]any{"id": svc["id"]}
				e, err := rq.a.store.Upsert(sp, store.Routes, rsel, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			// Konnect answers 204 for anything missing; Kong's nested
			// delete answers 404.
			with(rq, true, !rq.konnect, func(sp *store.Space, svc, route map[string]any, _ store.Selector) (int, any, *store.Error) {
				if route != nil && store.RefID(route["service"]) == svc["id"] {
					if err := rq.a.store.Remove(sp, store.Routes, route); err != nil {
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
	with := func(rq *request, write bool, fn func(sp *store.Space, route, svc map[string]any) (int, any, *store.Error)) {
		rsel, err := store.ParseKey(store.Routes, routeKey)
		if err != nil {
			rq.fail(err)
			return
		}
		rq.tx(write, func(sp *store.Space) (int, any, *store.Error) {
			route := sp.Find(store.Routes, rsel)
			if route == nil {
				return 0, nil, store.ErrNotFound()
			}
			var svc map[string]any
			if id := store.RefID(route["service"]); id != "" {
				svc = sp.Get(store.Services, id)
			}
			return fn(sp, route, svc)
		})
	}
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, func(_ *store.Space, _, svc map[string]any) (int, any, *store.Error) {
				if svc == nil {
					return 0, nil, store.ErrNotFound()
				}
				return http.StatusOK, svc, nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, func(sp *store.Space, _, svc map[string]any) (int, any, *store.Error) {
				if svc == nil {
					return 0, nil, store.ErrNotFound()
				}
				e, err := rq.a.store.Update(sp, store.Services, svc, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		// PUT replaces the route's service, or creates one and attaches the
		// route to it when the route has none.
		http.MethodPut: func(rq *request) {
			with(rq, true, func(sp *store.Space, route, svc map[string]any) (int, any, *store.Error) {
				st := rq.a.store
				id := uuid.NewString()
				if svc != nil {
					id = svc["id"].(string)
				}
				e, err := st.Upsert(sp, store.Services, store.ByID(id), rq.body)
				if err != nil {
					return 0, nil, err
				}
				if svc == nil {
					if _, err := st.Update(sp, store.Routes, route, map[string]any{"service": map[string]any{"id": id}}); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			with(rq, false, func(_ *store.Space, _, svc map[string]any) (int, any, *store.Error) {
				if svc == nil {
					return 0, nil, store.ErrNotFound()
				}
				return 0, nil, store.ErrMethodNotAllowed()
			})
		},
	}
}
