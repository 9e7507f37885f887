// Package prometheus is Kong's prometheus plugin (kong/plugins/prometheus):
// its schema, so that it can be configured. localkong's /metrics counts
// requests whether or not it is (see ../../proxy/metrics.go).
package prometheus

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is prometheus.
var Plugin = &pdk.Plugin{
	Name:     "prometheus",
	Priority: pdk.Always(13),
	Schema:   schema,
}
