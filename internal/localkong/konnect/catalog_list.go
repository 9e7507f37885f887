package konnect

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Listing for the catalog: page[size]/page[number] paging answered with
// meta.page {number, size, total}, deepObject filters
// (filter[field][op]=value, or filter[field]=value for eq) and
// sort=field [asc|desc],... as the v3 document defines them:
//
//	uuid fields   UuidFieldFilter      eq, oeq, neq
//	string fields StringFieldFilter    eq, oeq, neq, contains, ocontains
//	timestamps    DateTimeFieldFilter  eq, lt, lte, gt, gte
//
// oeq and ocontains take comma-separated values. contains is
// case-insensitive, eq exact (the spec is silent). A null field (an
// unversioned API's version) equals nothing and so passes neq. Filters on
// unknown fields, unknown operators and unknown sort keys are refused
// (400) rather than ignored, so a misspelt filter cannot pass for an
// empty match.

const (
	defaultCatalogPage = 10
	maxCatalogPage     = 100
)

type fieldKind int

const (
	fieldString fieldKind = iota
	fieldUUID
	fieldTime
	fieldBool // filter[field]=true|false
)

// listField reads one filterable or sortable field of a row: its values
// (none for null; attributes have several).
type listField[T any] struct {
	kind fieldKind
	get  func(T) []string
	// ops, when set, are the operators this field takes instead of its
	// kind's (the Control Planes API gives each field its own).
	ops []string
}

type listSpec[T any] struct {
	fields map[string]listField[T]
	// dynamic resolves dot-notation fields (labels.env); nil if none.
	dynamic func(name string) (listField[T], bool)
	sorts   []string
	less    func(a, b T) bool // default order
}

var operators = map[fieldKind][]string{
	fieldString: {"eq", "oeq", "neq", "contains", "ocontains"},
	fieldUUID:   {"eq", "oeq", "neq"},
	fieldTime:   {"eq", "lt", "lte", "gt", "gte"},
	fieldBool:   {"eq"},
}

var filterKey = regexp.MustCompile(`^filter\[([^\[\]]+)\](?:\[([^\[\]]+)\])?$`)

// pageRows filters, sorts and pages rows for a list response.
func pageRows[T any](rows []T, q url.Values, spec listSpec[T]) ([]T, map[string]any, *problem) {
	size, pr := pageParam(q, "page[size]", defaultCatalogPage, maxCatalogPage)
	if pr != nil {
		return nil, nil, pr
	}
	number, pr := pageParam(q, "page[number]", 1, 0)
	if pr != nil {
		return nil, nil, pr
	}
	keep, pr := spec.filters(q)
	if pr != nil {
		return nil, nil, pr
	}
	less, pr := spec.order(q.Get("sort"))
	if pr != nil {
		return nil, nil, pr
	}
	var out []T
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	total := len(out)
	from := min((number-1)*size, total)
	page := out[from:min(from+size, total)]
	meta := map[string]any{"page": map[string]any{"number": number, "size": size, "total": total}}
	return page, meta, nil
}

// pageParam reads a positive integer; empty means the default
// (allowEmptyValue). maxV 0 means no maximum.
func pageParam(q url.Values, name string, def, maxV int) (int, *problem) {
	raw := strings.TrimSpace(q.Get(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		return 0, badRequest(ruleParam(name, "is_integer", name+" must be an integer"))
	case n < 1:
		return 0, badRequest(minParam(name, "min", name+" must not be less than 1"))
	case maxV > 0 && n > maxV:
		return 0, badRequest(maxParam(name, "max", maxV, fmt.Sprintf("%s must not be greater than %d", name, maxV)))
	}
	return n, nil
}

func (spec listSpec[T]) field(name string) (listField[T], bool) {
	if f, ok := spec.fields[name]; ok {
		return f, true
	}
	if spec.dynamic != nil {
		return spec.dynamic(name)
	}
	return listField[T]{}, false
}

func (spec listSpec[T]) filters(q url.Values) (func(T) bool, *problem) {
	var tests []func(T) bool
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !strings.HasPrefix(k, "filter") {
			continue
		}
		m := filterKey.FindStringSubmatch(k)
		if m == nil {
			return nil, badRequest(ruleParam(k, "invalid", k+" is not a filter: use filter[field][operator]=value"))
		}
		f, ok := spec.field(m[1])
		if !ok {
			names := make([]string, 0, len(spec.fields))
			for n := range spec.fields {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, badRequest(enumParam("filter", names))
		}
		op := m[2]
		if op == "" {
			op = "eq"
		}
		test, pr := f.test(k, op, q.Get(k))
		if pr != nil {
			return nil, pr
		}
		tests = append(tests, test)
	}
	return func(r T) bool {
		for _, t := range tests {
			if !t(r) {
				return false
			}
		}
		return true
	}, nil
}

func (f listField[T]) test(key, op, value string) (func(T) bool, *problem) {
	ops := f.ops
	if ops == nil {
		ops = operators[f.kind]
	}
	if !contains(ops, op) {
		return nil, badRequest(enumParam(key, ops))
	}
	if f.kind == fieldBool && value != "true" && value != "false" {
		return nil, badRequest(ruleParam(key, "is_boolean", key+" must be true or false"))
	}
	if f.kind == fieldTime {
		t, err := time.Parse(time.RFC3339Nano, value)
		if err != nil {
			return nil, badRequest(ruleParam(key, "is_date_time", key+" must be an RFC 3339 date-time"))
		}
		return func(r T) bool {
			for _, v := range f.get(r) {
				got, _ := time.Parse(time.RFC3339Nano, v)
				if compareTime(op, got, t) {
					return true
				}
			}
			return false
		}, nil
	}
	norm := func(s string) string { return s }
	if f.kind == fieldUUID {
		norm = strings.ToLower
	}
	want := []string{norm(value)}
	if op == "oeq" || op == "ocontains" {
		want = nil
		for _, v := range strings.Split(value, ",") {
			want = append(want, norm(strings.TrimSpace(v)))
		}
	}
	match := func(v, w string) bool {
		if op == "contains" || op == "ocontains" {
			return strings.Contains(strings.ToLower(v), strings.ToLower(w))
		}
		return v == w
	}
	return func(r T) bool {
		hit := false
		for _, v := range f.get(r) {
			for _, w := range want {
				hit = hit || match(norm(v), w)
			}
		}
		return hit != (op == "neq")
	}, nil
}

func compareTime(op string, got, want time.Time) bool {
	switch op {
	case "lt":
		return got.Before(want)
	case "lte":
		return !got.After(want)
	case "gt":
		return got.After(want)
	case "gte":
		return !got.Before(want)
	}
	return got.Equal(want)
}

// order parses sort=a,b desc into a comparison; ties keep the default order.
func (spec listSpec[T]) order(raw string) (func(a, b T) bool, *problem) {
	type key struct {
		f    listField[T]
		desc bool
	}
	var keys []key
	for _, part := range strings.Split(raw, ",") {
		words := strings.Fields(part)
		if len(words) == 0 {
			continue
		}
		desc := len(words) == 2 && strings.EqualFold(words[1], "desc")
		valid := len(words) == 1 || len(words) == 2 && (desc || strings.EqualFold(words[1], "asc"))
		f, known := spec.fields[words[0]]
		if !valid || !known || !contains(spec.sorts, words[0]) {
			return nil, badRequest(enumParam("sort", spec.sorts))
		}
		keys = append(keys, key{f, desc})
	}
	return func(a, b T) bool {
		for _, k := range keys {
			if c := compareValues(k.f.kind, k.f.get(a), k.f.get(b)); c != 0 {
				return c < 0 != k.desc
			}
		}
		return spec.less(a, b)
	}, nil
}

// compareValues orders single values; null sorts first.
func compareValues(kind fieldKind, a, b []string) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return -1
	case len(b) == 0:
		return 1
	}
	if kind == fieldTime {
		ta, _ := time.Parse(time.RFC3339Nano, a[0])
		tb, _ := time.Parse(time.RFC3339Nano, b[0])
		return ta.Compare(tb)
	}
	return strings.Compare(a[0], b[0])
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func one(s string) []string { return []string{s} }

func opt(s *string) []string {
	if s == nil {
		return nil
	}
	return []string{*s}
}

// apiList is how GET /v3/apis filters (ApiFilterParameters) and sorts
// (ApiSort). The default order is creation order (silent in the spec).
func (c *catalog) apiList() listSpec[*catAPI] {
	return listSpec[*catAPI]{
		fields: map[string]listField[*catAPI]{
			"id":         {kind: fieldUUID, get: func(a *catAPI) []string { return one(a.id) }},
			"name":       {kind: fieldString, get: func(a *catAPI) []string { return one(a.name) }},
			"version":    {kind: fieldString, get: func(a *catAPI) []string { return opt(a.version) }},
			"created_at": {kind: fieldTime, get: func(a *catAPI) []string { return one(catalogTime(a.created)) }},
			"updated_at": {kind: fieldTime, get: func(a *catAPI) []string { return one(catalogTime(a.updated)) }},
			"implementation_mode": {kind: fieldString, get: func(a *catAPI) []string {
				if c.implOf(a.id) != nil {
					return one("gateway_entity_binding")
				}
				return nil
			}},
		},
		dynamic: func(name string) (listField[*catAPI], bool) {
			if k, ok := strings.CutPrefix(name, "labels."); ok {
				return listField[*catAPI]{kind: fieldString, get: func(a *catAPI) []string {
					if v, ok := a.labels[k]; ok {
						return one(v)
					}
					return nil
				}}, true
			}
			if k, ok := strings.CutPrefix(name, "attributes."); ok {
				return listField[*catAPI]{kind: fieldString, get: func(a *catAPI) []string { return a.attributes[k] }}, true
			}
			return listField[*catAPI]{}, false
		},
		sorts: []string{"name", "version", "created_at", "updated_at"},
		less:  func(a, b *catAPI) bool { return a.seq < b.seq },
	}
}

func (p *platformRequest) listAPIs() {
	q := p.r.URL.Query()
	p.locked(false, func(c *catalog) (int, any, *problem) {
		rows := make([]*catAPI, 0, len(c.apis))
		for _, a := range c.apis {
			rows = append(rows, a)
		}
		page, meta, pr := pageRows(rows, q, c.apiList())
		if pr != nil {
			return 0, nil, pr
		}
		data := make([]any, 0, len(page))
		for _, a := range page {
			data = append(data, c.apiJSON(a))
		}
		return 200, map[string]any{"data": data, "meta": meta}, nil
	})
}
