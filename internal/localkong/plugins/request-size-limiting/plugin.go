// Package requestsizelimiting is Kong's request-size-limiting plugin
// (kong/plugins/request-size-limiting): request bodies over a size are
// refused (413).
package requestsizelimiting

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is request-size-limiting.
var Plugin = &pdk.Plugin{
	Name:     "request-size-limiting",
	Priority: pdk.Always(951),
	Schema:   schema,
	Handler:  handler,
}
