package localkong

import "net/http"

// STUBS: the contract between the Admin API side and the proxy side of localkong.

// routeEntry is one route as the proxy sees it: canonical entities exactly as
// the Admin API returns them (JSON form: float64 numbers, []any, nil for null).
type routeEntry struct {
	Workspace string
	Route     map[string]any
	Service   map[string]any // nil when the route has no service
}

// routeSource returns every route of every workspace with a generation number
// that changes whenever any service or route changes, so the proxy can cache
// its compiled router between Admin API writes.
type routeSource func() (generation uint64, entries []routeEntry)

// newProxy returns the proxy listener's handler.
func newProxy(src routeSource, m *metrics) http.Handler { return http.NotFoundHandler() }

// metrics counts proxied requests as Kong's prometheus plugin does with
// status_code_metrics=true.
type metrics struct{}

func newMetrics() *metrics { return &metrics{} }

// ServeHTTP serves GET /metrics in Prometheus text format.
func (m *metrics) ServeHTTP(w http.ResponseWriter, r *http.Request) {}
