package basicauth

import (
	"encoding/base64"
	"net/http"
	"regexp"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// basicRE and partsRE are access.lua's patterns: the first "Basic <b64>"
// anywhere in the header, then "user:password" (the user not empty).
var (
	basicRE = regexp.MustCompile(`\s*[Bb]asic\s*(.+)`)
	partsRE = regexp.MustCompile(`^([^:]+):((?s).*)$`)
)

// handler is kong/plugins/basic-auth/{handler,access}.lua: the
// credentials in Proxy-Authorization, else Authorization, must be a
// credential's username and password. Without, 401 with a Basic
// challenge, unless anonymous names the consumer to let the request
// through as.
func handler(g pdk.Gateway) *pdk.Handler {
	return &pdk.Handler{Access: func(c *pdk.Context, in *pdk.Instance) {
		cfg := in.Config
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
// else how to refuse it. Until 3.6.0 the realm was "kong" and only a
// request with neither header was challenged; the others were "Invalid
// authentication credentials".
func authenticate(g pdk.Gateway, c *pdk.Context, cfg map[string]any) (int, string, http.Header) {
	realm := "kong"
	if g.Since(3, 6) {
		realm = pdk.ConfString(cfg, "realm")
	}
	challenge := http.Header{"WWW-Authenticate": {`Basic realm="` + realm + `"`}}
	fail := func() (int, string, http.Header) {
		if g.Since(3, 6) {
			return 401, "Unauthorized", challenge
		}
		return 401, "Invalid authentication credentials", nil
	}

	h := c.Request.Header
	authorization, proxyAuthorization := h.Get("Authorization"), h.Get("Proxy-Authorization")
	if authorization == "" && proxyAuthorization == "" && len(h.Values("Authorization"))+len(h.Values("Proxy-Authorization")) == 0 {
		return 401, "Unauthorized", challenge
	}
	hide := pdk.ConfBool(cfg, "hide_credentials")
	retrieve := func(name, value string) (string, string, bool) {
		if hide {
			h.Del(name)
		}
		m := basicRE.FindStringSubmatch(value)
		if m == nil {
			return "", "", false
		}
		decoded, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			if decoded, err = base64.RawStdEncoding.DecodeString(m[1]); err != nil {
				return "", "", false
			}
		}
		p := partsRE.FindStringSubmatch(string(decoded))
		if p == nil {
			return "", "", false
		}
		return p[1], p[2], true
	}

	var cred map[string]any
	user, password, ok := retrieve("Proxy-Authorization", proxyAuthorization)
	if ok {
		cred = c.Store.Entity("basicauth_credentials", user)
	}
	if cred == nil {
		if user, password, ok = retrieve("Authorization", authorization); !ok {
			return fail()
		}
		cred = c.Store.Entity("basicauth_credentials", user)
	}
	if cred == nil {
		return fail()
	}
	ref, _ := cred["consumer"].(map[string]any)
	consumerID, _ := ref["id"].(string)
	if stored, _ := cred["password"].(string); stored != Hash(consumerID, password) {
		return fail()
	}
	consumer := c.Store.Consumer(consumerID)
	if consumer == nil {
		return 500, "An unexpected error occurred", nil
	}
	c.SetConsumer(consumer, cred, user)
	return 0, "", nil
}
