// Package acl is Kong's acl plugin (kong/plugins/acl): consumers are let
// through or refused by the groups they belong to.
package acl

import "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"

// Plugin is acl.
var Plugin = &pdk.Plugin{
	Name:     "acl",
	Priority: pdk.Always(950),
	Schema:   schema,
	DAOs:     daos,
	Handler:  handler,
}
