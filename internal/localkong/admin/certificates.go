package admin

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// certificateEntity is /certificates/{id or sni}: Kong lets a certificate be
// addressed by one of its server names (api/routes/certificates.lua).
func certificateEntity(key string) endpoint {
	// with resolves the key under the lock; id is "" when nothing matched.
	with := func(rq *request, write bool, fn func(sp *store.Space, id, sni string) (int, any, *store.Error)) {
		rq.tx(write, func(sp *store.Space) (int, any, *store.Error) {
			if store.IsUUID(key) {
				return fn(sp, strings.ToLower(key), "")
			}
			if c := sp.CertificateBySNI(key); c != nil {
				return fn(sp, c["id"].(string), key)
			}
			if rq.r.Method == http.MethodPut {
				return fn(sp, uuid.NewString(), key)
			}
			return 0, nil, store.MessageError(404, "SNI not found")
		})
	}
	k := store.Certificates
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, func(sp *store.Space, id, _ string) (int, any, *store.Error) {
				if e := sp.Get(k, id); e != nil {
					return http.StatusOK, e, nil
				}
				return 0, nil, store.ErrNotFound()
			})
		},
		// PUT by server name keeps that name among the snis; a PUT without
		// snis clears them (it is a full replacement).
		http.MethodPut: func(rq *request) {
			with(rq, true, func(sp *store.Space, id, sni string) (int, any, *store.Error) {
				if sni != "" {
					rq.body["snis"] = withName(rq.body["snis"], sni)
				}
				e, err := rq.a.store.Upsert(sp, k, store.ByID(id), rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, func(sp *store.Space, id, _ string) (int, any, *store.Error) {
				old := sp.Get(k, id)
				if old == nil {
					return 0, nil, store.ErrNotFoundKey("id", id)
				}
				e, err := rq.a.store.Update(sp, k, old, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			with(rq, true, func(sp *store.Space, id, _ string) (int, any, *store.Error) {
				if old := sp.Get(k, id); old != nil {
					if err := rq.a.store.Remove(sp, k, old); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusNoContent, nil, nil
			})
		},
	}
}

// withName adds name to a snis value unless it is already there.
func withName(v any, name string) any {
	switch list := v.(type) {
	case []any:
		for _, x := range list {
			if x == name {
				return list
			}
		}
		return append(list, name)
	case string:
		if list == name {
			return []any{list}
		}
		return []any{list, name}
	}
	return []any{name}
}
