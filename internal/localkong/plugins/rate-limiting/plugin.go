// Package ratelimiting is Kong's rate-limiting plugin
// (kong/plugins/rate-limiting): at most so many requests a second, minute,
// hour, day, month or year, per consumer, credential, ip, service, header
// or path.
package ratelimiting

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is rate-limiting.
var Plugin = &pdk.Plugin{
	Name:     "rate-limiting",
	Priority: pdk.Always(910),
	Schema:   schema,
	Handler:  handler,
}
