// Package localkong is a Kong Gateway 3.x-compatible Admin API and proxy in one
// process, in memory. Acceptance tests and `make demo` run against it; its
// worth is its fidelity to Kong (see ../shared/kong-admin-api.md).
//
// This package is the public face: Options, Server, Start and NewTestServer
// wire the parts, which are laid out as Kong's own tree is:
//
//	store    entities in memory per workspace or control plane: checks the
//	         database makes, pages, tags, cascades (kong/db)
//	admin    Admin API handlers: routing, bodies, errors, auth, info,
//	         schemas, workspaces (kong/api)
//	proxy    router, forwarding, Kong's own responses, prometheus counters
//	         (kong/router, kong/runloop)
//	konnect  Konnect's platform APIs: Control Planes, API Catalog v3, Analytics
//	faults   fault injection and pauses in front of the Admin API
//	plugins  one folder per plugin (kong/plugins/<name>) and the registry
//	         listing them; plugins/pdk is what a plugin is made of and is
//	         given at the proxy (Kong's plugin interface and PDK)
//	httpx    small HTTP pieces the APIs share
//
// Sub-packages never import this one; admin, proxy and konnect import store
// (and httpx), not each other. The store knows plugins only through
// plugins/pdk (and the Plugins it is given); admin and proxy read the
// registry. The command is cmd/localkong.
package localkong
