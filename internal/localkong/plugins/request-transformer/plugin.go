// Package requesttransformer is Kong's request-transformer plugin
// (kong/plugins/request-transformer): headers, query arguments and body
// fields of the request removed, renamed, replaced, added or appended
// before it is proxied.
package requesttransformer

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is request-transformer.
var Plugin = &pdk.Plugin{
	Name:     "request-transformer",
	Priority: pdk.Always(801),
	Schema:   schema,
	Handler:  handler,
}
