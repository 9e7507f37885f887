package acl

import (
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

const errForbidden = "You cannot consume this service"

// handler is kong/plugins/acl/handler.lua: the consumer an
// authentication plugin found (or the groups it authenticated,
// kong.ctx.shared.authenticated_groups) must be in one of the allowed
// groups, or in none of the denied ones. A request with neither is 401; a
// credential without groups, or groups not allowed, is 403. The groups
// go upstream in X-Consumer-Groups (X-Authenticated-Groups for
// authenticated groups) unless hide_groups_header.
func handler(pdk.Gateway) *pdk.Handler {
	return &pdk.Handler{Access: access}
}

func access(c *pdk.Context, in *pdk.Instance) {
	cfg := in.Config
	deny := pdk.ConfStrings(cfg, "deny")
	isDeny := len(deny) > 0
	groups := pdk.ConfStrings(cfg, "allow")
	if isDeny {
		groups = deny
	}
	hide := pdk.ConfBool(cfg, "hide_groups_header")

	var have []string // the groups the decision is made on
	header := pdk.HeaderAuthenticatedGroups
	consumerID := c.ConsumerID()
	cred := c.Credential()
	if consumerID == "" || cred == nil || pdk.ConfBool(cfg, "always_use_authenticated_groups") {
		have = authenticatedGroups(c)
	}
	switch {
	case have != nil:
	case consumerID == "":
		if cred != nil {
			c.Error(403, errForbidden, nil)
		} else {
			c.Error(401, "", nil)
		}
		return
	default:
		header = pdk.HeaderConsumerGroups
		for _, e := range c.Store.ConsumerEntities("acls", consumerID) {
			if g, ok := e["group"].(string); ok {
				have = append(have, g)
			}
		}
		if len(have) == 0 && !isDeny {
			if cred != nil {
				c.Error(403, errForbidden, nil)
			} else {
				c.Error(401, "", nil)
			}
			return
		}
	}

	in1 := false
	for _, g := range groups {
		for _, h := range have {
			if g == h {
				in1 = true
			}
		}
	}
	if in1 == isDeny {
		c.Error(403, errForbidden, nil)
		return
	}
	if !hide {
		if v := strings.Join(have, ", "); v != "" {
			c.Request.Header.Set(header, v)
		}
	}
}

// authenticatedGroups are the groups another plugin authenticated
// (kong.ctx.shared.authenticated_groups), nil when none.
func authenticatedGroups(c *pdk.Context) []string {
	switch t := c.Shared["authenticated_groups"].(type) {
	case []string:
		return t
	case []any:
		return pdk.Values(t)
	}
	return nil
}
