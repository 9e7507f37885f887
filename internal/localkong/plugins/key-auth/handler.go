package keyauth

import (
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// Kong's messages (kong/plugins/key-auth/handler.lua). Until 3.6.0 a key
// that matches no credential was "Invalid authentication credentials".
const (
	errDuplicateKey = "Duplicate API key found"
	errNoKey        = "No API key found in request"
	errInvalid      = "Unauthorized"
	errInvalidOld   = "Invalid authentication credentials"
)

// handler is kong/plugins/key-auth/handler.lua: the key is looked for in
// each of key_names, in the headers, then the query, then the body (as
// configured); a key found identifies its credential's consumer. Without
// one the request is refused with 401, unless anonymous names the
// consumer to let it through as ("logical OR" with other auth plugins).
func handler(g pdk.Gateway) *pdk.Handler {
	return &pdk.Handler{Access: func(c *pdk.Context, in *pdk.Instance) {
		cfg := in.Config
		if !pdk.ConfBool(cfg, "run_on_preflight") && c.Request.Method == http.MethodOptions {
			return
		}
		anonymous := pdk.ConfString(cfg, "anonymous")
		if anonymous != "" && c.Credential() != nil {
			return // already authenticated by another plugin
		}
		status, msg, header := authenticate(g, c, cfg)
		if status == 0 {
			return
		}
		if anonymous == "" {
			c.Error(status, msg, header)
			return
		}
		consumer := c.Store.Consumer(anonymous)
		if consumer == nil {
			c.Error(500, "anonymous consumer "+anonymous+" is configured but doesn't exist", nil)
			return
		}
		c.SetConsumer(consumer, nil, "")
	}}
}

// authenticate is do_authentication: 0 when the request is authenticated,
// else the status, message and headers to refuse it with.
func authenticate(g pdk.Gateway, c *pdk.Context, cfg map[string]any) (int, string, http.Header) {
	// WWW-Authenticate: on every 401 from 3.7.0 (with the realm), only
	// when no key was sent before.
	challenge := func(always bool) http.Header {
		switch {
		case g.Since(3, 7):
			v := "Key"
			if realm := pdk.ConfString(cfg, "realm"); realm != "" {
				v = `Key realm="` + realm + `"`
			}
			return http.Header{"WWW-Authenticate": {v}}
		case always:
			return http.Header{"WWW-Authenticate": {`Key realm="kong"`}}
		}
		return nil
	}

	query := c.Query()
	var body pdk.Args
	bodyOK := false // EMPTY when the body cannot be decoded
	readBody := func() pdk.Args {
		if body == nil {
			var err error
			body, _, err = c.Body()
			bodyOK = err == nil
			if body == nil {
				body = pdk.Args{}
			}
		}
		return body
	}
	var key string
	for _, name := range pdk.ConfStrings(cfg, "key_names") {
		var v any
		if pdk.ConfBool(cfg, "key_in_header") {
			if vs := c.Request.Header.Values(name); len(vs) == 1 {
				v = vs[0]
			} else if len(vs) > 1 {
				v = []any{vs[0], vs[1]}
			}
		}
		if v == nil && pdk.ConfBool(cfg, "key_in_query") {
			v = query[name]
		}
		if v == nil && pdk.ConfBool(cfg, "key_in_body") {
			v = readBody()[name]
		}
		switch t := v.(type) {
		case string:
			key = t
			if pdk.ConfBool(cfg, "hide_credentials") {
				c.ClearQueryArg(name)
				c.Request.Header.Del(name)
				if pdk.ConfBool(cfg, "key_in_body") {
					if b := readBody(); bodyOK {
						delete(b, name)
						_ = c.SetBody(b)
					}
				}
			}
		case []any:
			return 401, errDuplicateKey, challenge(false)
		default:
			continue
		}
		break
	}
	if key == "" {
		return 401, errNoKey, challenge(true)
	}

	cred := c.Store.Entity("keyauth_credentials", key)
	if cred == nil {
		msg := errInvalid
		if !g.Since(3, 6) {
			msg = errInvalidOld
		}
		return 401, msg, challenge(false)
	}
	ref, _ := cred["consumer"].(map[string]any)
	id, _ := ref["id"].(string)
	consumer := c.Store.Consumer(id)
	if consumer == nil {
		return 500, "An unexpected error occurred", nil
	}
	id, _ = cred["id"].(string)
	c.SetConsumer(consumer, cred, id)
	return 0, "", nil
}
