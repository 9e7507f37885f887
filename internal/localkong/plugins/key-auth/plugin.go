// Package keyauth is Kong's key-auth plugin (kong/plugins/key-auth): a
// consumer is identified by an API key sent in a header, the query or the
// body.
package keyauth

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is key-auth.
var Plugin = &pdk.Plugin{
	Name:     "key-auth",
	Priority: pdk.Always(1250),
	Schema:   schema,
	DAOs:     daos,
	Handler:  handler,
}
