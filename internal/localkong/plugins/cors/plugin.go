// Package cors is Kong's cors plugin (kong/plugins/cors): Cross-Origin
// Resource Sharing headers, and answers to preflight requests.
package cors

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is cors.
var Plugin = &pdk.Plugin{
	Name:     "cors",
	Priority: pdk.Always(2000),
	Schema:   schema,
	Handler:  handler,
}
