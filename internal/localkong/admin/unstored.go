package admin

import (
	"net/http"
	"sort"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Collections localkong lists without storing them, so that tools that
// read every entity of a runtime group (decK's dump, which lists snis and
// upstreams besides what localkong stores) work against it:
//
//   - /snis lists the server names of the certificates (Kong keeps them as
//     sni entities, which a certificate's snis field writes): read-only
//     here, written through the certificate;
//   - /upstreams lists none: localkong keeps no upstreams or targets.
//
// Writes to either answer 405, saying so, rather than pretend to store.

// sniNamespace derives an sni's id from its certificate's id and its name:
// stable across reads, as Kong's stored ids are.
var sniNamespace = uuid.MustParse("6b1d3c1e-5a0e-4c0a-9e4c-5f1a2b3c4d5e")

func matchUnstored(segs []string) endpoint {
	refuse := func(rq *request) {
		rq.fail(store.MessageError(http.StatusMethodNotAllowed,
			"localkong does not store "+segs[0]+": snis are written through their certificate's snis, and there are no upstreams or targets"))
	}
	switch {
	case segs[0] == "snis" && len(segs) == 1:
		return endpoint{http.MethodGet: func(rq *request) { rq.listSNIs() }, http.MethodPost: refuse}
	case segs[0] == "snis" && len(segs) == 2:
		return endpoint{http.MethodGet: func(rq *request) { rq.readSNI(segs[1]) },
			http.MethodPut: refuse, http.MethodPatch: refuse, http.MethodDelete: refuse}
	case segs[0] == "upstreams" && len(segs) == 1:
		return endpoint{http.MethodGet: func(rq *request) { rq.emptyList() }, http.MethodPost: refuse}
	}
	return nil
}

// snis are the certificates' server names as sni entities, by id.
func snis(sp *store.Space) []map[string]any {
	var out []map[string]any
	for _, c := range sp.Rows(store.Certificates) {
		id, _ := c["id"].(string)
		names, _ := c["snis"].([]any)
		for _, n := range names {
			name, _ := n.(string)
			out = append(out, map[string]any{
				"id":          uuid.NewSHA1(sniNamespace, []byte(id+"/"+name)).String(),
				"name":        name,
				"certificate": map[string]any{"id": id},
				"tags":        nil,
				"created_at":  c["created_at"],
				"updated_at":  c["updated_at"],
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["id"].(string) < out[j]["id"].(string) })
	return out
}

func (rq *request) listSNIs() {
	lq, err := store.ParseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
		page, off := lq.Page(snis(sp), true, nil)
		return http.StatusOK, listBody(page, off, lq.NextLink(rq.prefix()+"/snis", off)), nil
	})
}

func (rq *request) readSNI(key string) {
	rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
		for _, s := range snis(sp) {
			if s["id"] == key || s["name"] == key {
				return http.StatusOK, s, nil
			}
		}
		return 0, nil, store.ErrNotFound()
	})
}

func (rq *request) emptyList() {
	if _, err := store.ParseListQuery(rq.query); err != nil {
		rq.fail(err)
		return
	}
	writeJSON(rq.w, http.StatusOK, listBody(nil, "", ""))
}
