// Package localkong is a Kong Gateway 3.x-compatible Admin API and proxy in one
// process, in memory. Acceptance tests and `make demo` run against it; its
// worth is its fidelity to Kong (see ../shared/kong-admin-api.md).
package localkong
