package pdk

import (
	"net/http"
)

// Context is one request as a plugin's phase handlers see it: Kong's PDK
// for one request. The proxy fills it in; handlers read and change it.
type Context struct {
	// Request is the request as it will be proxied (kong.request and
	// kong.service.request): handlers may change its headers, query, path
	// and body.
	Request *http.Request
	// ClientIP is the client's address (kong.client.get_forwarded_ip).
	ClientIP string
	// Route and Service are the matched entities (Admin API JSON form);
	// Service is nil for a route without one.
	Route, Service map[string]any
	// Response is the response on its way to the client, set from
	// header_filter on: the upstream's, or the exit's.
	Response *Response
	// Store finds consumers and credentials in the request's workspace or
	// control plane.
	Store Lookup
	// Shared is kong.ctx.shared: what plugins hand each other in one
	// request (acl reads the groups an authentication plugin found).
	Shared map[string]any

	consumer, credential map[string]any
	exit                 *Exit
}

// Response is a response as header_filter and body_filter see it.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Source is kong.response.get_source: "service" (the upstream
	// answered), "exit" (a plugin or Kong answered) or "error".
	Source string
}

// Exit is a response a handler answered with instead of proxying.
type Exit struct {
	Status int
	// Body is what kong.response.exit was given: a string is sent as is,
	// anything else as JSON; nil sends no body.
	Body   any
	Header http.Header
}

// Exit is kong.response.exit: the request is answered with status, body
// and header instead of being proxied; later access handlers do not run.
func (c *Context) Exit(status int, body any, header http.Header) {
	c.exit = &Exit{Status: status, Body: body, Header: header}
}

// Exited is the exit a handler answered with, or nil.
func (c *Context) Exited() *Exit { return c.exit }

// Authenticate is kong.client.authenticate: the request is consumer's,
// proven by credential (either may be nil: an anonymous consumer has no
// credential).
func (c *Context) Authenticate(consumer, credential map[string]any) {
	c.consumer, c.credential = consumer, credential
}

// Consumer is kong.client.get_consumer: the authenticated consumer, or
// nil.
func (c *Context) Consumer() map[string]any { return c.consumer }

// Credential is kong.client.get_credential, or nil.
func (c *Context) Credential() map[string]any { return c.credential }

// Lookup reads consumers and plugin entities (credentials) of one
// workspace or control plane, as handlers query kong.db. Entities are in
// their Admin API JSON form; a credential that expired is not found. The
// store's Lookups(ns) is one (ns: store.RouteEntry.NS of the matched
// route).
type Lookup interface {
	// Consumer is the consumer with this id, else with this username
	// (how Kong resolves config.anonymous); nil when none.
	Consumer(idOrUsername string) map[string]any
	// Entity is the entity of DAO dao ("keyauth_credentials") whose
	// endpoint key (the key, the username) is key; nil when none.
	Entity(dao, key string) map[string]any
	// ConsumerEntities lists the consumer's entities of DAO dao (acls:
	// its groups), ordered by id.
	ConsumerEntities(dao, consumerID string) []map[string]any
}
