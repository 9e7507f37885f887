// Package correlationid is Kong's correlation-id plugin
// (kong/plugins/correlation-id): a request id in a header, generated when
// the client sent none.
package correlationid

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is correlation-id. Its priority went from 1 to 100001 in 3.9.0,
// to run before the other plugins as in Kong Gateway Enterprise.
var Plugin = &pdk.Plugin{
	Name: "correlation-id",
	Priority: func(g pdk.Gateway) int {
		if g.Since(3, 9) {
			return 100001
		}
		return 1
	},
	Schema:  schema,
	Handler: handler,
}
