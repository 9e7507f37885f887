// Package jwt is Kong's jwt plugin (kong/plugins/jwt): a consumer is
// identified by a signed JSON Web Token whose key claim names one of its
// jwt credentials.
package jwt

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is jwt.
var Plugin = &pdk.Plugin{
	Name:     "jwt",
	Priority: pdk.Always(1450),
	Schema:   schema,
	DAOs:     daos,
	Handler:  handler,
}
