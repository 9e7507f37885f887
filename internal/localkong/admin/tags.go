package admin

import (
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// matchTags routes GET /tags and GET /tags/{tag}, paged by entity id (and
// tag position for /tags) as Kong's tags strategy does.
func (a *API) matchTags(segs []string) endpoint {
	switch len(segs) {
	case 1:
		return endpoint{http.MethodGet: func(rq *request) { listTags(rq, "", "") }}
	case 2:
		return endpoint{http.MethodGet: func(rq *request) { listTags(rq, segs[1], rq.raw[1]) }}
	}
	return nil
}

func listTags(rq *request, tag, rawTag string) {
	lq, err := store.ParseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(false, func(sp *store.Space) (int, any, *store.Error) {
		data, off := rq.a.store.Tags(sp, lq, tag)
		next := ""
		switch {
		case off == "":
		case tag != "":
			next = "/tags/" + rawTag + "?offset=" + store.EscapeURI(off)
		default:
			next = lq.NextLink("/tags", off)
		}
		return http.StatusOK, listBody(data, off, next), nil
	})
}
