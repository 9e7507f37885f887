// Package datadog is Kong's datadog plugin (kong/plugins/datadog): its
// schema, so that it can be configured (its metrics are an array of
// records). localkong sends no metrics: it runs no handler for it.
package datadog

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is datadog.
var Plugin = &pdk.Plugin{
	Name:     "datadog",
	Priority: pdk.Always(10),
	Schema:   schema,
}
