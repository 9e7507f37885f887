package admin

import (
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// matchConsumers routes /consumers (kong/api/routes/consumers.lua and the
// generated endpoints), the plugins scoped to a consumer and the
// plugins' entities under it (/consumers/{consumer}/key-auth, …).
func matchConsumers(rq *request) endpoint {
	segs, n := rq.segs, len(rq.segs)
	switch {
	case n == 1:
		ep := collection(store.Consumers)
		ep[http.MethodGet] = listConsumers
		return ep
	case n == 2:
		return entity(store.Consumers, segs[1])
	case segs[2] == "plugins" && n == 3:
		return nestedCollection(store.Consumers, segs[1], rq.raw[1], store.PluginsKind, "consumer", "plugins")
	case segs[2] == "plugins" && n == 4:
		return nestedEntity(store.Consumers, segs[1], store.PluginsKind, segs[3], "consumer")
	}
	for _, d := range rq.a.store.DAOs() {
		if d.Nested != segs[2] {
			continue
		}
		switch n {
		case 3:
			return nestedCollection(store.Consumers, segs[1], rq.raw[1], d.Kind, "consumer", d.Nested)
		case 4:
			if d.NestedKey != "" {
				return nestedEntity(store.Consumers, segs[1], d.Kind, segs[3], "consumer", d.NestedKey)
			}
			return nestedEntity(store.Consumers, segs[1], d.Kind, segs[3], "consumer")
		}
	}
	return nil
}

// listConsumers is GET /consumers, which also finds one by custom_id
// (?custom_id=): a list of it or of nothing, never paged.
func listConsumers(rq *request) {
	vs, ok := rq.query["custom_id"]
	if !ok {
		rq.list(store.Consumers, "consumers")
		return
	}
	if vs[0] == "" {
		rq.fail(store.MessageError(http.StatusBadRequest, "custom_id must be an unempty string"))
		return
	}
	rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
		data := []map[string]any{}
		for _, c := range sp.Rows(store.Consumers) {
			if c["custom_id"] == vs[0] {
				data = append(data, c)
			}
		}
		return http.StatusOK, map[string]any{"data": data, "next": nil}, nil
	})
}

// matchDAOs routes the plugins' entities at the top level: /key-auths,
// /key-auths/{key-auth} and /key-auths/{key-auth}/consumer.
func matchDAOs(rq *request) endpoint {
	segs, n := rq.segs, len(rq.segs)
	for _, d := range rq.a.store.DAOs() {
		if d.Path != segs[0] {
			continue
		}
		switch {
		case n == 1:
			return collectionAt(d.Kind, d.Path)
		case n == 2:
			return entity(d.Kind, segs[1])
		case n == 3 && segs[2] == "consumer":
			return foreignEntity(d.Kind, segs[1], "consumer", store.Consumers)
		}
	}
	return nil
}
