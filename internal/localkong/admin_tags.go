package localkong

import (
	"net/http"
	"sort"
)

// tagRow is one row of Kong's tags table, unnested: an entity and one tag.
type tagRow struct {
	id, entity, tag string
	ord             int // 1-based position of the tag in the entity's tags
}

func (t tagRow) json() map[string]any {
	return map[string]any{"entity_name": t.entity, "entity_id": t.id, "tag": t.tag}
}

// matchTags routes GET /tags and GET /tags/{tag}, paged by entity id (and
// tag position for /tags) as Kong's tags strategy does.
func (a *admin) matchTags(segs []string) endpoint {
	switch len(segs) {
	case 1:
		return endpoint{http.MethodGet: func(rq *request) { listTags(rq, "", "") }}
	case 2:
		return endpoint{http.MethodGet: func(rq *request) { listTags(rq, segs[1], rq.raw[1]) }}
	}
	return nil
}

func listTags(rq *request, tag, rawTag string) {
	lq, err := parseListQuery(rq.query)
	if err != nil {
		rq.fail(err)
		return
	}
	rq.tx(false, func(sp *space) (int, any, *apiError) {
		rows := tagRows(sp, tag)
		afterID := firstString(lq.offset)
		afterOrd := 0
		if len(lq.offset) > 1 {
			if f, ok := lq.offset[1].(float64); ok {
				afterOrd = int(f)
			}
		}
		data := []map[string]any{}
		var last tagRow
		for _, r := range rows {
			if lq.offset != nil && (r.id < afterID || r.id == afterID && (tag != "" || r.ord <= afterOrd)) {
				continue
			}
			if len(data) == lq.size {
				var off string
				if tag != "" {
					off = encodeOffset(last.id)
					return http.StatusOK, listBody(data, off, "/tags/"+rawTag+"?offset="+escapeURI(off)), nil
				}
				off = encodeOffset(last.id, last.ord)
				return http.StatusOK, listBody(data, off, lq.nextLink("/tags", off)), nil
			}
			data = append(data, r.json())
			last = r
		}
		return http.StatusOK, listBody(data, "", ""), nil
	})
}

// tagRows lists the space's tags ordered by entity id and tag position,
// only those equal to tag when it is set.
func tagRows(sp *space, tag string) []tagRow {
	var rows []tagRow
	for _, k := range kindsWithTags {
		for _, e := range sp.sorted(k.name) {
			for i, t := range stringList(e["tags"]) {
				if tag == "" || t == tag {
					rows = append(rows, tagRow{id: e["id"].(string), entity: k.name, tag: t, ord: i + 1})
				}
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].id != rows[j].id {
			return rows[i].id < rows[j].id
		}
		return rows[i].ord < rows[j].ord
	})
	return rows
}
