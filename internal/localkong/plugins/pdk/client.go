package pdk

// Headers an authentication plugin sets on the request it lets through
// (kong/constants.lua HEADERS).
const (
	HeaderConsumerID           = "X-Consumer-ID"
	HeaderConsumerCustomID     = "X-Consumer-Custom-ID"
	HeaderConsumerUsername     = "X-Consumer-Username"
	HeaderCredentialIdentifier = "X-Credential-Identifier"
	HeaderAnonymous            = "X-Anonymous-Consumer"
	HeaderConsumerGroups       = "X-Consumer-Groups"
	HeaderAuthenticatedGroups  = "X-Authenticated-Groups"
)

// SetConsumer is the set_consumer every authentication plugin has:
// kong.client.authenticate, then the X-Consumer-* headers for the
// upstream, X-Credential-Identifier (identifier, the credential's key
// field, "" for none) and X-Anonymous-Consumer when there is no
// credential.
func (c *Context) SetConsumer(consumer, credential map[string]any, identifier string) {
	c.Authenticate(consumer, credential)
	h := c.Request.Header
	set := func(name string, v any) {
		if s, ok := v.(string); ok && s != "" {
			h.Set(name, s)
		} else {
			h.Del(name)
		}
	}
	set(HeaderConsumerID, consumer["id"])
	set(HeaderConsumerCustomID, consumer["custom_id"])
	set(HeaderConsumerUsername, consumer["username"])
	set(HeaderCredentialIdentifier, identifier)
	if credential != nil {
		h.Del(HeaderAnonymous)
	} else {
		h.Set(HeaderAnonymous, "true")
	}
}

// ConsumerID is the id of the authenticated consumer, "" for none.
func (c *Context) ConsumerID() string {
	id, _ := c.consumer["id"].(string)
	return id
}
