// Package iprestriction is Kong's ip-restriction plugin
// (kong/plugins/ip-restriction): clients allowed or denied by address.
package iprestriction

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is ip-restriction.
var Plugin = &pdk.Plugin{
	Name:     "ip-restriction",
	Priority: pdk.Always(990),
	Schema:   schema,
	Handler:  handler,
}
