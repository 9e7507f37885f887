package proxy

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Metrics counts proxied requests the way Kong's prometheus plugin does with
// status_code_metrics=true (kong/plugins/prometheus/exporter.lua), and
// serves them with the node-level series Kong always exports.
type Metrics struct {
	nodeID  string
	version kongschema.Version // kong_node_info's version

	mu     sync.Mutex
	status map[statusSeries]uint64

	requests atomic.Uint64 // every request the proxy saw, matched or not

	// Analytics, when set, is told of every response counted (Konnect's
	// analytics count them too: POST /v2/metrics). workspace is the
	// route's namespace label, serviceID "" for a route without a service.
	// Set it before serving.
	Analytics func(workspace, serviceID, routeID string, status int)
}

// statusSeries is one kong_http_requests_total series. Every response to
// a matched route is counted, a plugin's answer (401, 429, …) included, as
// the prometheus plugin's log phase does. consumer is always "", as with
// per_consumer off (its default).
type statusSeries struct {
	service, route, code, source, workspace string
}

// NewMetrics returns the counters of the node nodeID playing version: what
// GET / and /metrics report as the same node.
func NewMetrics(nodeID string, version kongschema.Version) *Metrics {
	return &Metrics{nodeID: nodeID, version: version, status: map[statusSeries]uint64{}}
}

func newMetrics() *Metrics { return NewMetrics(uuid.NewString(), kongschema.DefaultVersion) }

func (m *Metrics) countRequest() { m.requests.Add(1) }

// record counts a response to a matched route. fromService says whether the
// upstream produced it (source "service") or Kong did (source "kong").
func (m *Metrics) record(r *proxyRoute, status int, fromService bool) {
	s := statusSeries{
		route:     r.label(),
		code:      strconv.Itoa(status),
		source:    "kong",
		workspace: r.workspace,
	}
	if svc := r.service; svc != nil {
		s.service = entString(svc["name"])
		if s.service == "" {
			s.service = entString(svc["host"])
		}
	}
	if fromService {
		s.source = "service"
	}
	if m.Analytics != nil {
		var svcID string
		if r.service != nil {
			svcID = entString(r.service["id"])
		}
		m.Analytics(r.workspace, svcID, r.id, status)
	}
	m.mu.Lock()
	m.status[s]++
	m.mu.Unlock()
}

// ServeHTTP serves GET /metrics in the Prometheus text format.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Content-Type", contentTypeJSON)
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = w.Write([]byte(`{"message":"Method not allowed"}`))
		return
	}
	var buf bytes.Buffer
	for _, f := range m.families() {
		if _, err := expfmt.MetricFamilyToText(&buf, f); err != nil {
			w.Header().Set("Content-Type", contentTypeJSON)
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"message":"An unexpected error occurred"}`))
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// families returns every exported family, sorted by name as Kong's
// exposition is.
func (m *Metrics) families() []*dto.MetricFamily {
	fams := []*dto.MetricFamily{
		family("kong_datastore_reachable", "Datastore reachable from Kong, 0 is unreachable",
			dto.MetricType_GAUGE, sample(1)),
		family("kong_nginx_metric_errors_total", "Number of nginx-lua-prometheus errors",
			dto.MetricType_COUNTER, sample(0)),
		family("kong_nginx_requests_total", "Number of requests total",
			dto.MetricType_GAUGE, sample(float64(m.requests.Load()), "node_id", m.nodeID, "subsystem", "http")),
		family("kong_node_info", "Kong Node metadata information",
			dto.MetricType_GAUGE, sample(1, "node_id", m.nodeID, "version", m.version.String())),
	}
	if st := m.statusSamples(); len(st) > 0 {
		fams = append(fams, family("kong_http_requests_total",
			"HTTP status codes per consumer/service/route in Kong", dto.MetricType_COUNTER, st...))
	}
	sort.Slice(fams, func(i, j int) bool { return fams[i].GetName() < fams[j].GetName() })
	return fams
}

func (m *Metrics) statusSamples() []*dto.Metric {
	m.mu.Lock()
	type row struct {
		key string
		s   statusSeries
		n   uint64
	}
	rows := make([]row, 0, len(m.status))
	for s, n := range m.status {
		key := strings.Join([]string{s.service, s.route, s.code, s.source, s.workspace}, "\x00")
		rows = append(rows, row{key, s, n})
	}
	m.mu.Unlock()
	sort.Slice(rows, func(i, j int) bool { return rows[i].key < rows[j].key })

	out := make([]*dto.Metric, 0, len(rows))
	for _, r := range rows {
		out = append(out, sample(float64(r.n),
			"service", r.s.service, "route", r.s.route, "code", r.s.code,
			"source", r.s.source, "workspace", r.s.workspace, "consumer", ""))
	}
	return out
}

func family(name, help string, typ dto.MetricType, ms ...*dto.Metric) *dto.MetricFamily {
	if typ == dto.MetricType_COUNTER {
		for _, m := range ms {
			m.Counter, m.Gauge = &dto.Counter{Value: m.Gauge.Value}, nil
		}
	}
	return &dto.MetricFamily{Name: &name, Help: &help, Type: typ.Enum(), Metric: ms}
}

// sample builds one series; labels keep the order given, which is Kong's.
func sample(v float64, labels ...string) *dto.Metric {
	m := &dto.Metric{}
	for i := 0; i+1 < len(labels); i += 2 {
		name, value := labels[i], labels[i+1]
		m.Label = append(m.Label, &dto.LabelPair{Name: &name, Value: &value})
	}
	m.Gauge = &dto.Gauge{Value: &v} // family turns it into a counter if need be
	return m
}
