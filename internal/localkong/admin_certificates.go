package localkong

import (
	"net/http"

	"github.com/google/uuid"
)

// certificateEntity is /certificates/{id or sni}: Kong lets a certificate be
// addressed by one of its server names (api/routes/certificates.lua).
func certificateEntity(key string) endpoint {
	// with resolves the key under the lock; id is "" when nothing matched.
	with := func(rq *request, write bool, fn func(sp *space, id, sni string) (int, any, *apiError)) {
		rq.tx(write, func(sp *space) (int, any, *apiError) {
			if isUUID(key) {
				return fn(sp, lowerID(key), "")
			}
			if c := certificateBySNI(sp, key); c != nil {
				return fn(sp, c["id"].(string), key)
			}
			if rq.r.Method == http.MethodPut {
				return fn(sp, uuid.NewString(), key)
			}
			return 0, nil, messageError(404, "SNI not found")
		})
	}
	k := kindCertificates
	return endpoint{
		http.MethodGet: func(rq *request) {
			with(rq, false, func(sp *space, id, _ string) (int, any, *apiError) {
				if e := sp.get(k.name, id); e != nil {
					return http.StatusOK, e, nil
				}
				return 0, nil, errNotFound()
			})
		},
		// PUT by server name keeps that name among the snis; a PUT without
		// snis clears them (it is a full replacement).
		http.MethodPut: func(rq *request) {
			with(rq, true, func(sp *space, id, sni string) (int, any, *apiError) {
				if sni != "" {
					rq.body["snis"] = withName(rq.body["snis"], sni)
				}
				e, err := rq.a.store.upsert(sp, k, selector{"id", id}, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodPatch: func(rq *request) {
			with(rq, true, func(sp *space, id, _ string) (int, any, *apiError) {
				old := sp.get(k.name, id)
				if old == nil {
					return 0, nil, errNotFoundKey("id", id)
				}
				e, err := rq.a.store.update(sp, k, old, rq.body)
				if err != nil {
					return 0, nil, err
				}
				return http.StatusOK, e, nil
			})
		},
		http.MethodDelete: func(rq *request) {
			with(rq, true, func(sp *space, id, _ string) (int, any, *apiError) {
				if old := sp.get(k.name, id); old != nil {
					if err := rq.a.store.remove(sp, k, old); err != nil {
						return 0, nil, err
					}
				}
				return http.StatusNoContent, nil, nil
			})
		},
	}
}

func certificateBySNI(sp *space, name string) map[string]any {
	for _, c := range sp.sorted(entCertificates) {
		for _, n := range stringList(c["snis"]) {
			if n == name {
				return c
			}
		}
	}
	return nil
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
