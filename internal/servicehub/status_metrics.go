package servicehub

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// requestsMetric is the status-code counter of Kong's prometheus plugin
// (kong/plugins/prometheus/exporter.lua), present once a plugin instance
// has status_code_metrics = true.
const requestsMetric = "kong_http_requests_total"

// DefaultWorkspace is the workspace Kong labels traffic with when none is chosen.
const DefaultWorkspace = "default"

// MetricsFormatError says the metrics endpoint answered with something that
// is not the Prometheus text format, or not Kong's series in it.
type MetricsFormatError struct {
	URL string
	Err error
}

func (e *MetricsFormatError) Error() string {
	return fmt.Sprintf("the metrics at %s are not valid Prometheus text exposition: %v", e.URL, e.Err)
}

func (e *MetricsFormatError) Unwrap() error { return e.Err }

// Traffic is a Gateway Service's requests by response status code.
type Traffic struct {
	StatusCodes map[string]int64 // e.g. "200" → 42
	Total       int64
	// Incomplete, when not nil, says why StatusCodes lacks some status
	// codes (Konnect analytics truncated its answer); Total counts them.
	Incomplete *TruncatedError
}

// TruncatedError: Konnect analytics cut its answer at its cardinality
// limit, so some status codes are missing from the counts.
type TruncatedError struct {
	Limit int   // the limit applied
	Other int64 // requests the answer grouped as other status codes
}

func (e *TruncatedError) Error() string {
	return fmt.Sprintf("Konnect analytics truncated its answer at its limit of %d status codes (meta.truncated); "+
		"%d requests with other status codes are counted in total_requests only", e.Limit, e.Other)
}

// countStatusCodes sums kong_http_requests_total over every series of one
// Gateway Service in one workspace: all its routes, both sources (upstream
// and Kong itself) and all consumers. service is the label Kong records:
// the service's name, or its host when it has none. Series without a
// workspace label (Kong before 3.7) are counted whatever the workspace.
func countStatusCodes(exposition []byte, service, workspace string) (Traffic, error) {
	if workspace == "" {
		workspace = DefaultWorkspace
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(exposition))
	if err != nil {
		return Traffic{}, err
	}
	t := Traffic{StatusCodes: map[string]int64{}}
	fam := families[requestsMetric]
	if fam == nil {
		return t, nil
	}
	for _, m := range fam.GetMetric() {
		labels := labelMap(m)
		if labels["service"] != service {
			continue
		}
		if ws, ok := labels["workspace"]; ok && ws != workspace {
			continue
		}
		code, ok := labels["code"]
		if !ok || code == "" {
			return Traffic{}, fmt.Errorf("%s series %s has no code label", requestsMetric, seriesString(labels))
		}
		v, err := sampleValue(fam.GetType(), m)
		if err != nil {
			return Traffic{}, fmt.Errorf("%s series %s: %w", requestsMetric, seriesString(labels), err)
		}
		t.StatusCodes[code] += v
		t.Total += v
	}
	return t, nil
}

func labelMap(m *dto.Metric) map[string]string {
	out := make(map[string]string, len(m.GetLabel()))
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// sampleValue reads a request count. Kong declares the family a counter; an
// exposition without the TYPE line makes it untyped, which is read the same.
func sampleValue(typ dto.MetricType, m *dto.Metric) (int64, error) {
	var v float64
	switch typ {
	case dto.MetricType_COUNTER:
		v = m.GetCounter().GetValue()
	case dto.MetricType_UNTYPED:
		v = m.GetUntyped().GetValue()
	case dto.MetricType_GAUGE:
		v = m.GetGauge().GetValue()
	default:
		return 0, fmt.Errorf("is a %s, not a counter", strings.ToLower(typ.String()))
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v >= math.MaxInt64 {
		return 0, fmt.Errorf("%v is not a request count", v)
	}
	return int64(math.Round(v)), nil
}

func seriesString(labels map[string]string) string {
	names := make([]string, 0, len(labels))
	for n := range labels {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s=%q", n, labels[n])
	}
	return "{" + strings.Join(parts, ",") + "}"
}
