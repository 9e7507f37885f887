// Package basicauth is Kong's basic-auth plugin (kong/plugins/basic-auth):
// a consumer is identified by a username and password in the
// Authorization header.
package basicauth

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is basic-auth.
var Plugin = &pdk.Plugin{
	Name:     "basic-auth",
	Priority: pdk.Always(1100),
	Schema:   schema,
	DAOs:     daos,
	Handler:  handler,
}
