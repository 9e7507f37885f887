// Package httplog is Kong's http-log plugin (kong/plugins/http-log): its
// schema, so that it can be configured. localkong sends no logs: it runs
// no handler for it.
package httplog

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is http-log.
var Plugin = &pdk.Plugin{
	Name:     "http-log",
	Priority: pdk.Always(12),
	Schema:   schema,
}
