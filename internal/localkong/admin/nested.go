package admin

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Kong's generated endpoints for an entity that references another
// (kong/api/endpoints.lua): a child collection under its parent
// (/services/{service}/plugins), one child under its parent
// (/services/{service}/plugins/{plugin}) and the parent a child references
// (/plugins/{plugin}/service). Routes under services keep their own
// (services.go).

// nestedCollection is /{parents}/{key}/{children}: GET lists the children
// whose field fk references the parent, POST creates one referencing it.
// rawKey is the parent key as sent, which Kong repeats in the next link
// (without size or tags).
func nestedCollection(parent *store.Kind, key, rawKey string, child *store.Kind, fk, childPath string) endpoint {
	return endpoint{
		http.MethodGet: func(rq *request) {
			sel, err := store.ParseKey(parent, key)
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
				p := sp.Find(parent, sel)
				if p == nil {
					return 0, nil, store.ErrNotFound()
				}
				page, off := lq.Page(sp.Rows(child), false, func(e map[string]any) bool {
					return store.RefID(e[fk]) == p["id"]
				})
				next := rq.prefix() + "/" + parent.Name() + "/" + rawKey + "/" + childPath + "?offset=" + store.EscapeURI(off)
				return http.StatusOK, listBody(rq.presentAll(sp, child, page), off, next), nil
			})
		},
		http.MethodPost: func(rq *request) {
			sel, err := store.ParseKey(parent, key)
			if err != nil {
				rq.fail(err)
				return
			}
			rq.tx(true, func(sp *store.Space) (int, any, *store.Error) {
				p := sp.Find(parent, sel)
				if p == nil {
					return 0, nil, store.ErrNotFound()
				}
				rq.body[fk] = map[string]any{"id": p["id"]}
				e, err := rq.a.store.Insert(sp, child, rq.body)
				if err != nil {
					return 0, nil, rq.konnectError(err)
				}
				return http.StatusCreated, e, nil
			})
		},
	}
}

// nestedEntity is /{parents}/{pkey}/{children}/{ckey}: the child must
// reference the parent, except for PUT, which makes it. byField, when
// set, is a field of the child that ckey may name it by among the
// parent's children (acls by group); a PUT by it creates one.
func nestedEntity(parent *store.Kind, pkey string, child *store.Kind, ckey, fk string, byField ...string) endpoint {
	// with finds the parent, then the child (nil when none): 404 without
	// the parent, or when member is asked and the child is not one.
	with := func(rq *request, write, member bool, fn func(sp *store.Space, p, c map[string]any, csel store.Selector) (int, any, *store.Error)) {
		psel, err := store.ParseKey(parent, pkey)
		if err != nil {
			rq.fail(err)
			return
		}
		rq.tx(write, func(sp *store.Space) (int, any, *store.Error) {
			p := sp.Find(parent, psel)
			if p == nil {
				return 0, nil, store.ErrNotFound()
			}
			var csel store.Selector
			var c map[string]any
			if len(byField) > 0 && !store.IsUUID(ckey) {
				for _, e := range sp.Rows(child) {
					if store.RefID(e[fk]) == p["id"] && e[byField[0]] == ckey {
						c = e
					}
				}
				if c == nil && rq.r.Method != http.MethodPut {
					return 0, nil, store.ErrNotFound()
				}
				csel = store.ByID(uuid.NewString())
				if c != nil {
					csel = store.ByID(c["id"].(string))
				} else if _, sent := rq.body[byField[0]]; !sent {
					rq.body[byField[0]] = ckey
				}
			} else {
				if csel, err = store.ParseKey(child, ckey); err != nil {
					return 0, nil, err
				}
				c = sp.Find(child, csel)
			}
			if member && (c == nil || store.RefID(c[fk]) != p["id"]) {
				return 0, nil, store.ErrNotFound()
			}
			return fn(sp, p, c, csel)
		})
	}
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, true, func(sp *store.Space, _, c map[string]any, _ store.Selector) (int, any, *store.Error) {
				return http.StatusOK, rq.a.store.Present(sp, child, c), nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, true, func(sp *store.Space, p, c map[string]any, _ store.Selector) (int, any, *store.Error) {
				if _, ok := rq.body[fk]; !ok {
					rq.body[fk] = map[string]any{"id": p["id"]}
				}
				e, err := rq.a.store.Update(sp, child, c, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodPut: func(rq *request) {
			with(rq, true, false, func(sp *store.Space, p, _ map[string]any, csel store.Selector) (int, any, *store.Error) {
				rq.body[fk] = map[string]any{"id": p["id"]}
				e, err := rq.a.store.Upsert(sp, child, csel, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			// Konnect answers 204 for anything missing; Kong's nested
			// delete answers 404.
			with(rq, true, !rq.konnect, func(sp *store.Space, p, c map[string]any, _ store.Selector) (int, any, *store.Error) {
				if c != nil && store.RefID(c[fk]) == p["id"] {
					if err := rq.a.store.Remove(sp, child, c); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusNoContent, nil, nil
			})
		},
	}
}

// foreignEntity is /{children}/{ckey}/{fk}: the entity of kind parent the
// child references by its field fk (/plugins/{plugin}/service). GET and
// PATCH need the reference; PUT replaces the referenced entity, or creates
// one and makes the child reference it; DELETE is not allowed.
func foreignEntity(child *store.Kind, ckey, fk string, parent *store.Kind) endpoint {
	with := func(rq *request, write bool, fn func(sp *store.Space, c, p map[string]any) (int, any, *store.Error)) {
		csel, err := store.ParseKey(child, ckey)
		if err != nil {
			rq.fail(err)
			return
		}
		rq.tx(write, func(sp *store.Space) (int, any, *store.Error) {
			c := sp.Find(child, csel)
			if c == nil {
				return 0, nil, store.ErrNotFound()
			}
			var p map[string]any
			if id := store.RefID(c[fk]); id != "" {
				p = sp.Get(parent, id)
			}
			return fn(sp, c, p)
		})
	}
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, func(sp *store.Space, _, p map[string]any) (int, any, *store.Error) {
				if p == nil {
					return 0, nil, store.ErrNotFound()
				}
				return http.StatusOK, rq.a.store.Present(sp, parent, p), nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, func(sp *store.Space, _, p map[string]any) (int, any, *store.Error) {
				if p == nil {
					return 0, nil, store.ErrNotFound()
				}
				e, err := rq.a.store.Update(sp, parent, p, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodPut: func(rq *request) {
			with(rq, true, func(sp *store.Space, c, p map[string]any) (int, any, *store.Error) {
				st := rq.a.store
				id := uuid.NewString()
				if p != nil {
					id = p["id"].(string)
				}
				e, err := st.Upsert(sp, parent, store.ByID(id), rq.body)
				if err != nil {
					return 0, nil, err
				}
				if p == nil {
					if _, err := st.Update(sp, child, c, map[string]any{fk: map[string]any{"id": id}}); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			with(rq, false, func(_ *store.Space, _, p map[string]any) (int, any, *store.Error) {
				if p == nil {
					return 0, nil, store.ErrNotFound()
				}
				return 0, nil, store.ErrMethodNotAllowed()
			})
		},
	}
}
