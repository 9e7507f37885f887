package konnect

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// POST /v2/metrics: Konnect's Analytics API (konnect-analytics-metrics-v2,
// datasource api_usage) counting the requests this server's proxy served:
// request_count, grouped by up to two of api, control_plane,
// gateway_service, route, status_code, status_code_grouped and filtered on
// the same fields. The api of a request is its Gateway Service's catalog
// link when the query runs. Event values: control_plane and api are UUIDs,
// gateway_service and route are control_plane_id:entity_id (as the
// filters take them), status codes are strings ("200", "2XX"); a request
// without a service or an API link has null there. data[].timestamp is
// meta.start (there is no time dimension).

// Analytics unavailable, as Konnect can be (MET info: "only available for
// Konnect Advanced Analytics", queries time out after 10 seconds, 10
// requests a minute per user).
const (
	AnalyticsNoEntitlement = http.StatusForbidden       // 403: no Advanced Analytics
	AnalyticsTimeout       = http.StatusRequestTimeout  // 408: the query ran over 10s
	AnalyticsRateLimited   = http.StatusTooManyRequests // 429, with Retry-After
)

// analyticsRetryAfter is what a forced 429 asks clients to wait: short, so
// tests that honour it stay fast.
const analyticsRetryAfter = 1

// CheckUnavailable checks a status SetUnavailable takes.
func CheckUnavailable(status int) error {
	switch status {
	case 0, AnalyticsNoEntitlement, AnalyticsTimeout, AnalyticsRateLimited:
		return nil
	}
	return fmt.Errorf("analytics unavailable status %d: want 403, 408 or 429 (0 for available)", status)
}

// SetUnavailable makes POST /v2/metrics fail with status (403, 408 or
// 429) from now on; 0 makes analytics available again.
func (pl *Platform) SetUnavailable(status int) error {
	if err := CheckUnavailable(status); err != nil {
		return err
	}
	pl.unavailable.Store(int32(status))
	return nil
}

// SetLimit caps the cardinality limit analytics applies: a query asking
// for more groups is answered with at most n, truncated (meta.truncated,
// meta.limit n), as Konnect may apply a limit below the query's. 0 applies
// the query's own.
func (pl *Platform) SetLimit(n int) { pl.limitCap.Store(int32(n)) }

// otherGroup is the dimension value a truncated answer groups the rest of
// the requests under (MET MetricsResponseMeta.truncated: "2 status codes +
// ____OTHER____").
const otherGroup = "____OTHER____"

// rateLimiter allows n queries per sliding minute per token.
type rateLimiter struct {
	n    int
	mu   sync.Mutex
	seen map[string][]time.Time
}

// allow records a query and returns 0, or the seconds to wait.
func (l *rateLimiter) allow(token string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string][]time.Time{}
	}
	recent := l.seen[token][:0]
	for _, t := range l.seen[token] {
		if now.Sub(t) < time.Minute {
			recent = append(recent, t)
		}
	}
	if len(recent) >= l.n {
		l.seen[token] = recent
		wait := recent[0].Add(time.Minute).Sub(now)
		return int((wait + time.Second - 1) / time.Second)
	}
	l.seen[token] = append(recent, now)
	return 0
}

func (p *platformRequest) metrics() {
	pl := p.pl
	switch pl.unavailable.Load() {
	case AnalyticsNoEntitlement:
		p.fail(newProblem(403, "You do not have permission to perform this action"))
		return
	case AnalyticsRateLimited:
		pr := newProblem(429, "Rate limit exceeded: 10 requests per minute")
		pr.retryAfter = analyticsRetryAfter
		p.fail(pr)
		return
	}
	now := time.Now()
	if l := pl.limiter; l != nil {
		if wait := l.allow(p.r.Header.Get("Authorization"), now); wait > 0 {
			pr := newProblem(429, fmt.Sprintf("Rate limit exceeded: %d requests per minute", l.n))
			pr.retryAfter = wait
			p.fail(pr)
			return
		}
	}
	body, pr := readJSONObject(p.r)
	if pr != nil {
		if pr.status == http.StatusUnsupportedMediaType {
			// The metrics document lists no 415.
			pr = badRequest(ruleParam("body", "invalid", "the request body must be application/json"))
		}
		pr.params = withChoices(pr.params)
		p.fail(pr)
		return
	}
	q, bad := parseMetricsQuery(body, now)
	if len(bad) > 0 {
		p.fail(badRequest(withChoices(sortParams(bad))...))
		return
	}
	if pl.unavailable.Load() == AnalyticsTimeout {
		p.fail(newProblem(408, "The query did not complete within 10 seconds"))
		return
	}
	if c := int(pl.limitCap.Load()); c > 0 && c < q.limit {
		q.limit = c
	}
	counts := pl.traffic.matching(func(k trafficKey) bool {
		return k.second >= q.from.Unix() && k.second <= q.to.Unix()
	})
	p.locked(false, func(c *catalog) (int, any, *problem) {
		return http.StatusOK, q.run(c, counts), nil
	})
}

// withChoices gives every item a choices list, as the metrics document's
// 400 example does.
func withChoices(ps []invalidParam) []invalidParam {
	for i := range ps {
		if ps[i].choices == nil {
			ps[i].choices = []string{}
		}
	}
	return ps
}

// event values of one request group, by dimension; nil is null.
type dims map[string]*string

// group is the requests of one combination of dimension values.
type group struct {
	d dims
	n int64
}

func (q *metricsQuery) values(c *catalog, k trafficKey) dims {
	str := func(v string) *string { return &v }
	d := dims{
		"control_plane":       str(k.controlPlane),
		"route":               str(k.controlPlane + ":" + k.rte),
		"status_code":         str(strconv.Itoa(k.status)),
		"status_code_grouped": str(strconv.Itoa(k.status/100) + "XX"),
		"gateway_service":     nil,
		"api":                 nil,
	}
	if k.service != "" {
		d["gateway_service"] = str(k.controlPlane + ":" + k.service)
		if im := c.linkOf(k.controlPlane, k.service); im != nil {
			d["api"] = str(im.apiID)
		}
	}
	return d
}

func (q *metricsQuery) keep(d dims) bool {
	for _, f := range q.filters {
		v := d[f.field]
		var ok bool
		switch f.operator {
		case "in":
			ok = v != nil && f.values[*v]
		case "not_in":
			ok = v == nil || !f.values[*v]
		case "empty":
			ok = v == nil
		default: // not_empty
			ok = v != nil
		}
		if !ok {
			return false
		}
	}
	return true
}

// run groups the counts; the caller holds the store lock (names, links).
func (q *metricsQuery) run(c *catalog, counts map[trafficKey]int64) map[string]any {
	groups := map[string]*group{}
	for k, n := range counts {
		d := q.values(c, k)
		if !q.keep(d) {
			continue
		}
		parts := make([]string, len(q.dimensions))
		for i, dim := range q.dimensions {
			if v := d[dim]; v != nil {
				parts[i] = "=" + *v
			}
		}
		key := strings.Join(parts, "\x00")
		if g := groups[key]; g != nil {
			g.n += n
		} else {
			groups[key] = &group{d, n}
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	byCount := func(keys []string, n func(string) int64) {
		sort.Slice(keys, func(i, j int) bool {
			a, b := n(keys[i]), n(keys[j])
			return a > b || a == b && keys[i] < keys[j]
		})
	}
	byCount(keys, func(k string) int64 { return groups[k].n })
	var truncated bool
	var other int64
	if len(q.dimensions) == 2 {
		keys, truncated = q.limitTwo(keys, groups, byCount)
	} else if truncated = len(keys) > q.limit; truncated {
		for _, k := range keys[q.limit:] {
			other += groups[k].n
		}
		keys = keys[:q.limit]
	}
	start := q.from.UTC()
	data := make([]any, 0, len(keys))
	display := map[string]any{}
	for _, dim := range q.dimensions {
		display[dim] = map[string]any{}
	}
	for _, k := range keys {
		g := groups[k]
		event := map[string]any{"request_count": g.n}
		for _, dim := range q.dimensions {
			v := g.d[dim]
			if v == nil {
				event[dim] = nil
				continue
			}
			event[dim] = *v
			if *v == otherGroup {
				display[dim].(map[string]any)[*v] = map[string]any{"id": *v, "name": *v, "is_other_group": true}
				continue
			}
			display[dim].(map[string]any)[*v] = displayEntry(c, dim, *v)
		}
		data = append(data, map[string]any{"timestamp": start.Format(time.RFC3339), "event": event})
	}
	// With one dimension, what the limit cut is one group of its own (with
	// two, limitTwo grouped each first value's rest).
	if truncated && len(q.dimensions) == 1 {
		event := map[string]any{"request_count": other, q.dimensions[0]: otherGroup}
		data = append(data, map[string]any{"timestamp": start.Format(time.RFC3339), "event": event})
	}
	return map[string]any{
		"data": data,
		"meta": map[string]any{
			"start":          catalogTime(start),
			"end":            catalogTime(q.to),
			"display":        display,
			"metric_units":   map[string]any{"request_count": "count"},
			"granularity_ms": q.to.Sub(q.from).Milliseconds(),
			"truncated":      truncated,
			"limit":          q.limit,
			"query_id":       uuid.NewString(),
		},
	}
}

// displayEntry names a dimension value: a service or route by its name
// (else its id), an API by its name; entities gone since are deleted.
func displayEntry(c *catalog, dim, id string) map[string]any {
	e := map[string]any{"id": id, "name": id}
	lookup := func(kind *store.Kind) {
		cp, eid, _ := strings.Cut(id, ":")
		var ent map[string]any
		if sp := c.store.Namespace(store.ControlPlaneNS(cp)); sp != nil {
			ent = sp.Get(kind, eid)
		}
		e["deleted"] = ent == nil
		if name, _ := ent["name"].(string); name != "" {
			e["name"] = name
		}
	}
	switch dim {
	case "gateway_service":
		lookup(store.Services)
	case "route":
		lookup(store.Routes)
	case "api":
		a := c.apis[id]
		e["deleted"] = a == nil
		if a != nil {
			e["name"] = a.name
		}
	}
	return e
}

// limitTwo truncates a two-dimension answer as MetricsResponseMeta.truncated
// says: the limit keeps the first dimension's busiest values, and for each
// the second dimension's busiest values, the rest of them grouped as
// ____OTHER____ ("a limit of 2 for gateway_service and status_code would
// return 2 gateway services maximum, and 2 status codes + ____OTHER____").
// keys are groups[key] sorted by count; the result keeps that order within
// each first value, first values by their total.
func (q *metricsQuery) limitTwo(keys []string, groups map[string]*group,
	byCount func([]string, func(string) int64)) ([]string, bool) {
	first := func(k string) string { f, _, _ := strings.Cut(k, "\x00"); return f }
	totals := map[string]int64{}
	members := map[string][]string{}
	for _, k := range keys {
		f := first(k)
		totals[f] += groups[k].n
		members[f] = append(members[f], k)
	}
	firsts := make([]string, 0, len(totals))
	for f := range totals {
		firsts = append(firsts, f)
	}
	byCount(firsts, func(f string) int64 { return totals[f] })
	truncated := len(firsts) > q.limit
	if truncated {
		firsts = firsts[:q.limit]
	}
	var out []string
	for _, f := range firsts {
		ks := members[f]
		if len(ks) <= q.limit {
			out = append(out, ks...)
			continue
		}
		truncated = true
		other := &group{d: dims{}, n: 0}
		for dim, v := range groups[ks[0]].d {
			other.d[dim] = v
		}
		rest := otherGroup
		other.d[q.dimensions[1]] = &rest
		for _, k := range ks[q.limit:] {
			other.n += groups[k].n
		}
		key := f + "\x00=" + otherGroup
		groups[key] = other
		out = append(out, append(ks[:q.limit:q.limit], key)...)
	}
	return out, truncated
}
