package store

import "sort"

// tagRow is one row of Kong's tags table, unnested: an entity and one tag.
type tagRow struct {
	id, entity, tag string
	ord             int // 1-based position of the tag in the entity's tags
}

func (t tagRow) json() map[string]any {
	return map[string]any{"entity_name": t.entity, "entity_id": t.id, "tag": t.tag}
}

// Tags is one page of GET /tags (tag "") or GET /tags/{tag}, paged by
// entity id (and tag position for /tags) as Kong's tags strategy does, and
// the offset of the next page ("" when none). Caller holds the lock.
func (s *Store) Tags(sp *Space, lq *ListQuery, tag string) ([]map[string]any, string) {
	rows := tagRows(sp, s.kinds, tag)
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
			if tag != "" {
				return data, encodeOffset(last.id)
			}
			return data, encodeOffset(last.id, last.ord)
		}
		data = append(data, r.json())
		last = r
	}
	return data, ""
}

// tagRows lists the space's tags ordered by entity id and tag position,
// only those equal to tag when it is set.
func tagRows(sp *Space, kinds []*Kind, tag string) []tagRow {
	var rows []tagRow
	for _, k := range kinds {
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
