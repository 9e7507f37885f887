package proxy

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func scrape(t *testing.T, m *Metrics) (string, map[string]*dto.MetricFamily) {
	t.Helper()
	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type = %q", got)
	}
	text := rec.Body.String()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	return text, fams
}

// series finds the value of the series with exactly these labels.
func series(f *dto.MetricFamily, labels map[string]string) (float64, bool) {
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.Metric {
		if len(m.Label) != len(labels) {
			continue
		}
		for _, l := range m.Label {
			if v, ok := labels[l.GetName()]; !ok || v != l.GetValue() {
				continue next
			}
		}
		if m.Counter != nil {
			return m.Counter.GetValue(), true
		}
		return m.Gauge.GetValue(), true
	}
	return 0, false
}

func TestMetricsCountsProxiedRequests(t *testing.T) {
	up, _ := newUpstream(t)
	named := serviceFor(t, up, "echo")
	unnamed := serviceFor(t, up, "")
	unnamed["id"] = "33333333-3333-4333-8333-333333333333"
	gone := newTestService("gone", "127.0.0.1", closedPort(t))
	gone["id"] = "44444444-4444-4444-8444-444444444444"
	gone["retries"] = float64(0)

	ra := entry(newTestRoute("00000000-0000-4000-8000-000000000001"), named, map[string]any{"paths": list("/a"), "name": "ra"})
	rb := entry(newTestRoute("00000000-0000-4000-8000-000000000002"), unnamed, map[string]any{"paths": list("/b")})
	rb.Workspace = "team-b"
	rc := entry(newTestRoute("00000000-0000-4000-8000-000000000003"), nil, map[string]any{"paths": list("/c"), "name": "rc"})
	rd := entry(newTestRoute("00000000-0000-4000-8000-000000000004"), gone, map[string]any{"paths": list("/d"), "name": "rd"})
	tp := newTestProxy(t, ra, rb, rc, rd)

	_, fams := scrape(t, tp.metrics)
	if _, ok := fams["kong_http_requests_total"]; ok {
		t.Error("status counter exported before any request")
	}

	for _, r := range []struct {
		path   string
		header http.Header
	}{
		{"/a", nil}, {"/a", nil}, {"/a", http.Header{"X-Status": {"418"}}},
		{"/b", nil}, {"/c", nil}, {"/d", nil}, {"/nowhere", nil},
	} {
		tp.do(t, "GET", "", r.path, r.header)
	}

	text, fams := scrape(t, tp.metrics)
	f := fams["kong_http_requests_total"]
	if f == nil {
		t.Fatalf("no kong_http_requests_total in\n%s", text)
	}
	if f.GetType() != dto.MetricType_COUNTER || f.GetHelp() != "HTTP status codes per consumer/service/route in Kong" {
		t.Errorf("family %s %q", f.GetType(), f.GetHelp())
	}
	want := []struct {
		service, route, code, source, workspace string
		n                                       float64
	}{
		{"echo", "ra", "200", "service", "default", 2},
		{"echo", "ra", "418", "service", "default", 1},
		{"127.0.0.1", "00000000-0000-4000-8000-000000000002", "200", "service", "team-b", 1},
		{"", "rc", "503", "kong", "default", 1},
		{"gone", "rd", "502", "kong", "default", 1},
	}
	for _, w := range want {
		got, ok := series(f, map[string]string{
			"service": w.service, "route": w.route, "code": w.code,
			"source": w.source, "workspace": w.workspace, "consumer": "",
		})
		if !ok || got != w.n {
			t.Errorf("%+v: got %v (present %t)", w, got, ok)
		}
	}
	if len(f.Metric) != len(want) {
		t.Errorf("%d series, want %d (unmatched requests are not counted):\n%s", len(f.Metric), len(want), text)
	}

	// Kong's label order and format.
	line := `kong_http_requests_total{service="echo",route="ra",code="200",source="service",workspace="default",consumer=""} 2`
	if !strings.Contains(text, line+"\n") {
		t.Errorf("exposition lacks %s:\n%s", line, text)
	}
	if got, _ := series(fams["kong_nginx_requests_total"], map[string]string{"node_id": tp.metrics.nodeID, "subsystem": "http"}); got != 7 {
		t.Errorf("kong_nginx_requests_total = %v, want 7", got)
	}
}

func TestMetricsAlwaysPresent(t *testing.T) {
	m := newMetrics()
	text, fams := scrape(t, m)
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"kong_datastore_reachable", map[string]string{}, 1},
		{"kong_nginx_metric_errors_total", map[string]string{}, 0},
		{"kong_node_info", map[string]string{"node_id": m.nodeID, "version": "3.10.0"}, 1},
	}
	for _, c := range checks {
		if got, ok := series(fams[c.name], c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %t), want %v\n%s", c.name, c.labels, got, ok, c.want, text)
		}
	}
	if !strings.Contains(text, "kong_nginx_metric_errors_total 0\n") {
		t.Errorf("missing the literal line Kong's tests expect:\n%s", text)
	}
}

func TestMetricsMethodNotAllowed(t *testing.T) {
	rec := httptest.NewRecorder()
	newMetrics().ServeHTTP(rec, httptest.NewRequest("POST", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 405 || string(body) != `{"message":"Method not allowed"}` {
		t.Errorf("POST /metrics: %d %s", rec.Code, body)
	}
}

func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}
