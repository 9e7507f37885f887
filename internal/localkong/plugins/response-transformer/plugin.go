// Package responsetransformer is Kong's response-transformer plugin
// (kong/plugins/response-transformer): headers and JSON body properties of
// the response removed, renamed, replaced, added or appended.
package responsetransformer

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is response-transformer.
var Plugin = &pdk.Plugin{
	Name:     "response-transformer",
	Priority: pdk.Always(800),
	Schema:   schema,
	Handler:  handler,
}
