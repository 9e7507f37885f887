// Package botdetection is Kong's bot-detection plugin
// (kong/plugins/bot-detection): clients refused by their User-Agent.
package botdetection

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is bot-detection.
var Plugin = &pdk.Plugin{
	Name:     "bot-detection",
	Priority: pdk.Always(2500),
	Schema:   schema,
	Handler:  handler,
}
