package pdk

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// Context is one request as a plugin's phase handlers see it: Kong's PDK
// for one request. The proxy fills it in (NewContext); handlers read and
// change it.
type Context struct {
	// Request is the request as it will be proxied (kong.request and
	// kong.service.request act on the same request, as nginx's do):
	// handlers may change its method, headers, query (URL.RawQuery) and
	// body (SetRawBody). Setting the host header (SetHeader) changes
	// Request.Host, the Host sent upstream.
	Request *http.Request
	// Path is kong.request.get_path: the request's path, normalized.
	Path string
	// UpstreamPath is the path the service is called with (nginx's
	// $upstream_uri, without the query): the proxy sets it from the route
	// and service before access; kong.service.request.set_path replaces it.
	UpstreamPath string
	// URICaptures are the groups of the route's regex path that matched
	// (uri_captures): "0" the whole match, then by number and name.
	URICaptures map[string]string
	// ClientIP is the client's address (kong.client.get_forwarded_ip and,
	// with no trusted_ips, get_ip).
	ClientIP string
	// Route and Service are the matched entities (Admin API JSON form);
	// Service is nil for a route without one.
	Route, Service map[string]any
	// Response is the response on its way to the client. In access its
	// Status is 0 and its Header holds what handlers set for the response
	// to come (kong.response.set_header in access: rate-limiting's
	// headers); from header_filter on it is the upstream's response, or
	// the exit's, with those headers on top.
	Response *Response
	// Store finds consumers and credentials in the request's workspace or
	// control plane.
	Store Lookup
	// Shared is kong.ctx.shared: what plugins hand each other in one
	// request (acl reads the groups an authentication plugin found).
	Shared map[string]any

	consumer, credential map[string]any
	exit                 *Exit
	body                 []byte
	bodyRead             bool
	locals               map[string]map[string]any
}

// NewContext is the context of request r, its path (normalized) and client
// address: the upstream path is the request's until the proxy sets it.
func NewContext(r *http.Request, path, clientIP string) *Context {
	return &Context{
		Request: r, Path: path, UpstreamPath: path, ClientIP: clientIP,
		Response: &Response{Header: http.Header{}},
		Shared:   map[string]any{},
	}
}

// Response is a response as header_filter and body_filter see it.
type Response struct {
	Status int
	Header http.Header
	// Body is the response body in body_filter (all of it: localkong
	// buffers what Kong streams in chunks); a handler may replace it.
	Body []byte
	// Source is kong.response.get_source: "service" (the upstream
	// answered), "exit" (a plugin or Kong answered) or "error".
	Source string
}

// Exit is a response a handler answered with instead of proxying.
type Exit struct {
	Status int
	// Body is what kong.response.exit was given: a string is sent as is,
	// anything else as JSON; nil sends no body. For an Error it is the
	// message, a string.
	Body   any
	Header http.Header
	// Error marks kong.response.error: the message is sent in Kong's
	// error format, JSON, HTML, XML or text as the request's Accept header
	// asks, with the request id.
	Error bool
}

// Exit is kong.response.exit: the request is answered with status, body
// and header instead of being proxied; later access handlers do not run.
func (c *Context) Exit(status int, body any, header http.Header) {
	c.exit = &Exit{Status: status, Body: body, Header: header}
}

// Error is kong.response.error: as Exit, with message in Kong's error
// format; "" is Kong's message for status (ErrorMessage).
func (c *Context) Error(status int, message string, header http.Header) {
	if message == "" {
		message = ErrorMessage(status)
	}
	c.exit = &Exit{Status: status, Body: message, Header: header, Error: true}
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

// Local is kong.ctx.plugin: what the plugin instance in keeps between its
// phases in this request.
func (c *Context) Local(in *Instance) map[string]any {
	if c.locals == nil {
		c.locals = map[string]map[string]any{}
	}
	m := c.locals[in.ID]
	if m == nil {
		m = map[string]any{}
		c.locals[in.ID] = m
	}
	return m
}

// RawBody is kong.request.get_raw_body: the request body, read once.
func (c *Context) RawBody() []byte {
	if !c.bodyRead {
		c.bodyRead = true
		if c.Request.Body != nil {
			c.body, _ = io.ReadAll(c.Request.Body)
			c.Request.Body.Close()
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(c.body))
	}
	return c.body
}

// SetRawBody is kong.service.request.set_raw_body: the body sent upstream
// is b, with its Content-Length.
func (c *Context) SetRawBody(b []byte) {
	c.body, c.bodyRead = b, true
	c.Request.Body = io.NopCloser(bytes.NewReader(b))
	c.Request.ContentLength = int64(len(b))
	c.Request.Header.Set("Content-Length", strconv.Itoa(len(b)))
}

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
