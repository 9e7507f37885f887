package localkong

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// proxyStack is a Konnect-mode localkong with an upstream, a service and a
// route in the control plane the proxy serves.
type proxyStack struct {
	*konnectClient
	cp, svc, route string
}

func newProxyStack(t *testing.T, opts Options) *proxyStack {
	t.Helper()
	up := httptest.NewServer(NewUpstream())
	t.Cleanup(up.Close)
	k := newKonnect(t, opts)
	cp := k.srv.ControlPlaneID
	if cp == AllControlPlanes {
		cp = DefaultControlPlaneID
	}
	base := "/v2/control-planes/" + cp + "/core-entities"
	svc := k.must(201, "POST", base+"/services", obj{"name": "payments-v1", "url": up.URL})["id"].(string)
	route := k.must(201, "POST", base+"/services/"+svc+"/routes", obj{"name": "pay", "paths": []any{"/pay"}})["id"].(string)
	return &proxyStack{konnectClient: k, cp: cp, svc: svc, route: route}
}

// get calls the proxy and requires the status.
func (p *proxyStack) get(path string, status int) {
	p.t.Helper()
	res, err := http.Get(p.srv.ProxyURL + path)
	if err != nil {
		p.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != status {
		p.t.Fatalf("proxy %s: %d, want %d", path, res.StatusCode, status)
	}
}

// query posts a metrics query and returns its events as "dim=value,...:count".
func (p *proxyStack) query(q obj) ([]string, map[string]any) {
	p.t.Helper()
	body := p.call("POST", "/v2/metrics", q, 200)
	var out []string
	for _, row := range body["data"].([]any) {
		ev := row.(map[string]any)["event"].(map[string]any)
		var parts []string
		for k, v := range ev {
			if k != "request_count" {
				parts = append(parts, fmt.Sprintf("%s=%v", k, v))
			}
		}
		sort.Strings(parts)
		out = append(out, strings.Join(parts, ",")+":"+strconv.Itoa(int(ev["request_count"].(float64))))
		if row.(map[string]any)["timestamp"] != body["meta"].(map[string]any)["start"].(string)[:19]+"Z" {
			p.t.Errorf("timestamp %v, meta.start %v", row.(map[string]any)["timestamp"], body["meta"].(map[string]any)["start"])
		}
	}
	sort.Strings(out)
	return out, body["meta"].(map[string]any)
}

func (p *proxyStack) expectEvents(q obj, want ...string) map[string]any {
	p.t.Helper()
	got, meta := p.query(q)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		p.t.Errorf("%s:\n got %v\nwant %v", mustJSON(q), got, want)
	}
	return meta
}

func TestKonnectMetricsStatusCodes(t *testing.T) {
	p := newProxyStack(t, Options{})
	if p.srv.ControlPlaneID != DefaultControlPlaneID {
		t.Fatalf("ControlPlaneID = %q", p.srv.ControlPlaneID)
	}
	for range 3 {
		p.get("/pay", 200)
	}
	p.get("/pay/status/404", 404)
	p.get("/pay/status/503", 503)
	p.get("/nothing", 404) // no route: not counted, as in Prometheus

	scoped := p.cp + ":" + p.svc
	// The query: request_count by status_code for one Gateway Service.
	q := obj{"datasource": "api_usage", "metrics": []any{"request_count"}, "dimensions": []any{"status_code"},
		"filters":    []any{obj{"field": "gateway_service", "operator": "in", "value": []any{scoped}}},
		"time_range": obj{"type": "relative", "time_range": "15m"}}
	meta := p.expectEvents(q, "status_code=200:3", "status_code=404:1", "status_code=503:1")
	if !reflect.DeepEqual(p.srv.TrafficCounts(p.cp, p.svc), map[int]int64{200: 3, 404: 1, 503: 1}) {
		t.Errorf("TrafficCounts = %v", p.srv.TrafficCounts(p.cp, p.svc))
	}
	start, err1 := time.Parse(time.RFC3339, meta["start"].(string))
	end, err2 := time.Parse(time.RFC3339, meta["end"].(string))
	if err1 != nil || err2 != nil || end.Sub(start) != 15*time.Minute || time.Since(end) > time.Minute ||
		meta["granularity_ms"] != float64(15*time.Minute/time.Millisecond) {
		t.Errorf("meta start %v end %v granularity %v", meta["start"], meta["end"], meta["granularity_ms"])
	}
	want := obj{"status_code": obj{
		"200": obj{"id": "200", "name": "200"}, "404": obj{"id": "404", "name": "404"}, "503": obj{"id": "503", "name": "503"}}}
	if !reflect.DeepEqual(meta["display"], normalise(want)) || meta["truncated"] != false || meta["limit"] != 50.0 ||
		!reflect.DeepEqual(meta["metric_units"], obj{"request_count": "count"}) || meta["query_id"] == "" {
		t.Errorf("meta %s", mustJSON(meta))
	}

	// Defaults: request_count, no dimensions, the last hour.
	p.expectEvents(obj{}, ":5")
	p.expectEvents(obj{"dimensions": []any{"status_code_grouped"}}, "status_code_grouped=2XX:3", "status_code_grouped=4XX:1", "status_code_grouped=5XX:1")
	meta = p.expectEvents(obj{"dimensions": []any{"gateway_service", "route"}},
		fmt.Sprintf("gateway_service=%s,route=%s:%s:5", scoped, p.cp, p.route))
	if d := meta["display"].(map[string]any); !reflect.DeepEqual(d["gateway_service"], obj{scoped: obj{"id": scoped, "name": "payments-v1", "deleted": false}}) {
		t.Errorf("display %v", d)
	}
	p.expectEvents(obj{"dimensions": []any{"control_plane"}}, "control_plane="+p.cp+":5")
	p.expectEvents(obj{"filters": []any{obj{"field": "status_code", "operator": "not_in", "value": []any{200, 404}}}}, ":1")
	p.expectEvents(obj{"filters": []any{obj{"field": "status_code_grouped", "operator": "in", "value": []any{"4xx", "5XX"}}}}, ":2")
	p.expectEvents(obj{"filters": []any{obj{"field": "route", "operator": "in", "value": []any{p.cp + ":" + p.route}}}}, ":5")
	p.expectEvents(obj{"filters": []any{obj{"field": "gateway_service", "operator": "in", "value": []any{p.cp + ":" + p.route}}}})
	p.expectEvents(obj{"filters": []any{obj{"field": "control_plane", "operator": "in", "value": []any{p.cp}},
		obj{"field": "status_code", "operator": "in", "value": []any{200}}}}, ":3")
	// Cut at the limit, the rest as one group (MET MetricsResponseMeta:
	// "2 status codes + ____OTHER____").
	p.expectEvents(obj{"dimensions": []any{"status_code"}, "limit": 2}, "status_code=200:3", "status_code=404:1", "status_code=____OTHER____:1")
	if _, meta = p.query(obj{"dimensions": []any{"status_code"}, "limit": 2}); meta["truncated"] != true || meta["limit"] != 2.0 {
		t.Errorf("limit 2: %v", meta)
	}
	// Konnect may apply a limit below the query's.
	p.srv.SetAnalyticsLimit(1)
	meta = p.expectEvents(obj{"dimensions": []any{"status_code"}, "limit": 1000}, "status_code=200:3", "status_code=____OTHER____:2")
	if meta["truncated"] != true || meta["limit"] != 1.0 {
		t.Errorf("limit capped at 1: %v", meta)
	}
	p.srv.SetAnalyticsLimit(0)

	// api resolves through the catalog link when the query runs.
	p.expectEvents(obj{"dimensions": []any{"api"}}, "api=<nil>:5")
	p.expectEvents(obj{"filters": []any{obj{"field": "api", "operator": "empty"}}}, ":5")
	api := p.call("POST", "/v3/apis", obj{"name": "payments", "version": "v1"}, 201)["id"].(string)
	p.call("POST", "/v3/apis/"+api+"/implementations", obj{"service": obj{"control_plane_id": p.cp, "id": p.svc}}, 201)
	meta = p.expectEvents(obj{"dimensions": []any{"api", "status_code"}, "filters": []any{obj{"field": "api", "operator": "in", "value": []any{api}}}},
		"api="+api+",status_code=200:3", "api="+api+",status_code=404:1", "api="+api+",status_code=503:1")
	if d := meta["display"].(map[string]any)["api"]; !reflect.DeepEqual(d, obj{api: obj{"id": api, "name": "payments", "deleted": false}}) {
		t.Errorf("api display %v", d)
	}
	p.expectEvents(obj{"filters": []any{obj{"field": "api", "operator": "not_empty"}}}, ":5")

	// A deleted service's traffic stays, marked deleted.
	p.must(204, "DELETE", "/v2/control-planes/"+p.cp+"/core-entities/routes/pay", nil)
	p.must(204, "DELETE", "/v2/control-planes/"+p.cp+"/core-entities/services/"+p.svc, nil)
	meta = p.expectEvents(obj{"dimensions": []any{"gateway_service", "api"}}, "api=<nil>,gateway_service="+scoped+":5")
	if d := meta["display"].(map[string]any)["gateway_service"]; !reflect.DeepEqual(d, obj{scoped: obj{"id": scoped, "name": scoped, "deleted": true}}) {
		t.Errorf("deleted display %v", d)
	}
}

func TestKonnectMetricsTimeRanges(t *testing.T) {
	p := newProxyStack(t, Options{})
	now := time.Now()
	rec := func(ago time.Duration, status int, n int64) TrafficRecord {
		return TrafficRecord{Time: now.Add(-ago), ControlPlaneID: p.cp, ServiceID: p.svc, RouteID: p.route, Status: status, Count: n}
	}
	p.srv.AddTraffic(rec(time.Minute, 200, 1), rec(2*time.Hour, 200, 10), rec(20*time.Hour, 500, 100),
		rec(8*24*time.Hour, 200, 1000), rec(40*24*time.Hour, 200, 10000))
	for _, c := range []struct {
		rng  string
		want []string
	}{
		{"15m", []string{"status_code=200:1"}},
		{"1h", []string{"status_code=200:1"}},
		{"6h", []string{"status_code=200:11"}},
		{"24h", []string{"status_code=200:11", "status_code=500:100"}},
		{"7d", []string{"status_code=200:11", "status_code=500:100"}},
		{"30d", []string{"status_code=200:1011", "status_code=500:100"}},
	} {
		p.expectEvents(obj{"dimensions": []any{"status_code"}, "time_range": obj{"type": "relative", "time_range": c.rng}}, c.want...)
	}
	// Calendar ranges in a time zone, and absolute ranges.
	_, meta := p.query(obj{"time_range": obj{"type": "relative", "time_range": "current_month", "tz": "Europe/Paris"}})
	start, _ := time.Parse(time.RFC3339, meta["start"].(string))
	if local := start.In(must(time.LoadLocation("Europe/Paris"))); local.Day() != 1 || local.Hour() != 0 {
		t.Errorf("current_month starts %v", local)
	}
	_, meta = p.query(obj{"time_range": obj{"type": "relative", "time_range": "previous_week"}})
	start, _ = time.Parse(time.RFC3339, meta["start"].(string))
	end, _ := time.Parse(time.RFC3339, meta["end"].(string))
	if start.Weekday() != time.Monday || end.Sub(start) != 7*24*time.Hour || end.After(now) {
		t.Errorf("previous_week %v - %v", start, end)
	}
	p.expectEvents(obj{"time_range": obj{"type": "absolute", "start": now.Add(-3 * time.Hour).Format(time.RFC3339),
		"end": now.Add(-time.Hour).Format(time.RFC3339)}}, ":10")
	if !reflect.DeepEqual(p.srv.TrafficCounts(p.cp, ""), map[int]int64{200: 11011, 500: 100}) {
		t.Errorf("TrafficCounts %v", p.srv.TrafficCounts(p.cp, ""))
	}
}

func TestKonnectMetricsErrors(t *testing.T) {
	p := newProxyStack(t, Options{})
	bad := func(q any, items ...obj) {
		t.Helper()
		p.problem("POST", "/v2/metrics", q, 400, badParams(items...), "")
	}
	bad(obj{"metrics": []any{"response_latency_p99"}}, obj{"field": "metrics", "rule": "enum", "choices": []any{"request_count"},
		"reason": `"metrics" field must contain any of: [request_count]`})
	bad(obj{"metrics": []any{"request_count", "error_rate", "cache_hit_rate", "kong_latency_p99"}},
		obj{"field": "metrics", "rule": "max_items", "maximum": 3, "choices": []any{}, "reason": "metrics must contain no more than 3 elements"})
	bad(obj{"dimensions": []any{"status_code", "route", "api"}},
		obj{"field": "dimensions", "rule": "max_items", "maximum": 2, "choices": []any{}, "reason": "dimensions must contain no more than 2 elements"})
	served := []any{"api", "control_plane", "gateway_service", "route", "status_code", "status_code_grouped"}
	bad(obj{"dimensions": []any{"time"}}, obj{"field": "dimensions", "rule": "enum", "choices": served,
		"reason": `"dimensions" field must contain any of: [api, control_plane, gateway_service, route, status_code, status_code_grouped]`})
	bad(obj{"datasource": "llm_usage"}, obj{"field": "datasource", "rule": "enum", "choices": []any{"api_usage"},
		"reason": `"datasource" field must contain any of: [api_usage]`})
	bad(obj{"time_range": obj{"type": "relative", "time_range": "2h"}}, obj{"field": "time_range.time_range", "rule": "enum",
		"choices": []any{"15m", "1h", "6h", "12h", "24h", "7d", "30d", "current_week", "current_month", "previous_week", "previous_month"},
		"reason":  `"time_range.time_range" field must contain any of: [15m, 1h, 6h, 12h, 24h, 7d, 30d, current_week, current_month, previous_week, previous_month]`})
	// The document's own 400 example: an absolute range with a relative one's field.
	bad(obj{"time_range": obj{"type": "absolute", "time_range": "1h", "start": "soon"}},
		obj{"field": "time_range.start", "rule": "is_date", "choices": []any{}, "reason": "start must be a valid date in ISO format"},
		obj{"field": "time_range.time_range", "rule": "unknown_property", "choices": []any{}, "reason": "property time_range should not exist"})
	bad(obj{"time_range": obj{"type": "absolute", "start": time.Now().Add(-40 * 24 * time.Hour).Format(time.RFC3339)}},
		obj{"field": "time_range.start", "rule": "invalid", "choices": []any{}, "reason": "the time range must lie within the last 32 days, start before end"})
	bad(obj{"filters": []any{obj{"field": "gateway_service", "operator": "in", "value": []any{p.svc}}}},
		obj{"field": "filters.0.value", "rule": "invalid", "choices": []any{}, "reason": "gateway_service values must be control_plane_id:gateway_service_id (lower-case UUIDs)"})
	bad(obj{"filters": []any{obj{"field": "consumer", "operator": "in", "value": []any{}}, obj{"field": "api", "operator": "eq"}}},
		obj{"field": "filters.0.field", "rule": "enum", "choices": served,
			"reason": `"filters.0.field" field must contain any of: [api, control_plane, gateway_service, route, status_code, status_code_grouped]`},
		obj{"field": "filters.1.operator", "rule": "enum", "choices": []any{"in", "not_in", "empty", "not_empty"},
			"reason": `"filters.1.operator" field must contain any of: [in, not_in, empty, not_empty]`})
	bad(obj{"limit": 1001, "colour": 1}, obj{"field": "colour", "rule": "unknown_property", "choices": []any{}, "reason": "property colour should not exist"},
		obj{"field": "limit", "rule": "max", "maximum": 1000, "choices": []any{}, "reason": "limit must not be greater than 1000"})
	bad(`{}`, obj{"field": "body", "rule": "invalid", "choices": []any{}, "reason": "the request body must be application/json"})

	// The document's request example asks for a metric and a dimension localkong lacks.
	if p.met != nil {
		schema := p.met.Components.Schemas["MetricsApiUsageQuery"].Value
		r := p.problem("POST", "/v2/metrics", schema.Example, 400, nil, "")
		if s := mustJSON(r["invalid_parameters"]); !strings.Contains(s, `"field":"metrics"`) || !strings.Contains(s, `"field":"dimensions"`) {
			t.Errorf("example query: %s", s)
		}
	}
}

func TestKonnectMetricsUnavailable(t *testing.T) {
	p := newProxyStack(t, Options{AnalyticsUnavailable: AnalyticsNoEntitlement})
	q := obj{"dimensions": []any{"status_code"}}
	p.problem("POST", "/v2/metrics", q, 403, obj{"status": 403, "title": "Forbidden",
		"detail": "You do not have permission to perform this action"}, "ForbiddenExample")
	if err := p.srv.SetAnalyticsUnavailable(AnalyticsRateLimited); err != nil {
		t.Fatal(err)
	}
	r := p.do("POST", "/v2/metrics", q)
	if r.status != 429 || r.header.Get("Retry-After") != "1" {
		t.Errorf("429: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	p.problem("POST", "/v2/metrics", q, 429, obj{"status": 429, "title": "Too Many Requests", "detail": "Rate limit exceeded: 10 requests per minute"}, "")
	_ = p.srv.SetAnalyticsUnavailable(AnalyticsTimeout)
	p.problem("POST", "/v2/metrics", q, 408, obj{"status": 408, "title": "Request Timeout", "detail": "The query did not complete within 10 seconds"}, "")
	p.problem("POST", "/v2/metrics", obj{"metrics": 1}, 400, nil, "") // a bad query is still a 400
	_ = p.srv.SetAnalyticsUnavailable(0)
	p.call("POST", "/v2/metrics", q, 200)
	if err := p.srv.SetAnalyticsUnavailable(500); err == nil {
		t.Error("SetAnalyticsUnavailable(500) accepted")
	}
	if _, err := NewTestServer(Options{Konnect: true, AnalyticsUnavailable: 404}); err == nil {
		t.Error("AnalyticsUnavailable 404 accepted")
	}
}

func TestKonnectMetricsRateLimit(t *testing.T) {
	p := newProxyStack(t, Options{AnalyticsRateLimit: 2})
	p.call("POST", "/v2/metrics", obj{}, 200)
	p.call("POST", "/v2/metrics", obj{}, 200)
	r := p.do("POST", "/v2/metrics", obj{})
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	if r.status != 429 || wait < 1 || wait > 60 {
		t.Errorf("third query: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	// The sliding minute per token: konnect.TestRateLimiterSlidingMinute.
}

// The proxy serves one control plane's routes: the default one, one given
// by id, or (as before the catalog) all of them.
func TestKonnectProxyControlPlane(t *testing.T) {
	other := "0b5e7c3a-1f2d-4e6a-9c8b-7d6e5f4a3b2c"
	for _, c := range []struct {
		id               string
		ownCP, otherCode int
	}{
		{"", 200, 404},
		{strings.ToUpper(other), 404, 200},
		{AllControlPlanes, 200, 200},
	} {
		t.Run(c.id, func(t *testing.T) {
			up := httptest.NewServer(NewUpstream())
			defer up.Close()
			k := newKonnect(t, Options{ControlPlaneID: c.id})
			for path, cp := range map[string]string{"/mine": DefaultControlPlaneID, "/theirs": other} {
				base := "/v2/control-planes/" + cp + "/core-entities"
				svc := k.must(201, "POST", base+"/services", obj{"url": up.URL})["id"].(string)
				k.must(201, "POST", base+"/services/"+svc+"/routes", obj{"paths": []any{path}})
			}
			p := &proxyStack{konnectClient: k}
			p.get("/mine", c.ownCP)
			p.get("/theirs", c.otherCode)
			if n := k.srv.TrafficCounts(other, "")[200]; n != int64(map[bool]int{true: 1}[c.otherCode == 200]) {
				t.Errorf("traffic of the other control plane: %d", n)
			}
		})
	}
	if _, err := NewTestServer(Options{Konnect: true, ControlPlaneID: "cp1"}); err == nil {
		t.Error("a control plane id that is not a UUID was accepted")
	}
	s := startServer(t, Options{Konnect: true})
	if want := s.AdminURL + "/v2/control-planes/" + DefaultControlPlaneID + "/core-entities"; s.ControlPlaneURL("") != want {
		t.Errorf("ControlPlaneURL = %s", s.ControlPlaneURL(""))
	}
}

// Two dimensions over the limit, as MetricsResponseMeta.truncated says:
// the first dimension's busiest values, and for each the second's busiest,
// the rest as ____OTHER____ (is_other_group in display).
func TestKonnectMetricsTwoDimensionLimit(t *testing.T) {
	p := newProxyStack(t, Options{})
	cp := p.cp
	svc := func(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }
	// Service 1: 200×5, 404×3, 500×1 (9); service 2: 200×4 (4); service 3: 503×1 (1).
	for _, r := range []struct{ svc, status, n int }{{1, 200, 5}, {1, 404, 3}, {1, 500, 1}, {2, 200, 4}, {3, 503, 1}} {
		p.srv.AddTraffic(TrafficRecord{ControlPlaneID: cp, ServiceID: svc(r.svc), Status: r.status, Count: int64(r.n)})
	}
	gs := func(i int) string { return "gateway_service=" + cp + ":" + svc(i) }
	q := obj{"dimensions": []any{"gateway_service", "status_code"}, "limit": 2}
	meta := p.expectEvents(q,
		gs(1)+",status_code=200:5", gs(1)+",status_code=404:3", gs(1)+",status_code=____OTHER____:1",
		gs(2)+",status_code=200:4")
	if meta["truncated"] != true {
		t.Errorf("meta %v", meta)
	}
	if d := meta["display"].(map[string]any)["status_code"].(map[string]any)["____OTHER____"]; !reflect.DeepEqual(d, obj{"id": "____OTHER____", "name": "____OTHER____", "is_other_group": true}) {
		t.Errorf("display of the other group: %v", d)
	}
	q["limit"] = 3
	if meta = p.expectEvents(q, gs(1)+",status_code=200:5", gs(1)+",status_code=404:3", gs(1)+",status_code=500:1",
		gs(2)+",status_code=200:4", gs(3)+",status_code=503:1"); meta["truncated"] != false {
		t.Errorf("limit 3: %v", meta)
	}
}
