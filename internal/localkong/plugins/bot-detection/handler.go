package botdetection

import (
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// handler is kong/plugins/bot-detection/handler.lua: a User-Agent that
// matches one of allow passes; else one matching deny, or one of Kong's
// known bots (badBots), is refused with 403 "Forbidden". Two User-Agent
// headers are a 400; none passes.
func handler(pdk.Gateway) *pdk.Handler {
	d := &detector{regexes: map[string]*regexp2.Regexp{}}
	return &pdk.Handler{Access: d.access}
}

type detector struct {
	mu      sync.Mutex
	regexes map[string]*regexp2.Regexp
}

func (d *detector) access(c *pdk.Context, in *pdk.Instance) {
	agents := c.Request.Header.Values("User-Agent")
	switch {
	case len(agents) > 1:
		c.Error(400, "Only one User-Agent header allowed", nil)
		return
	case len(agents) == 0:
		return
	}
	ua := strings.TrimSpace(agents[0])
	for _, rule := range pdk.ConfStrings(in.Config, "allow") {
		if d.find(rule, ua) {
			return
		}
	}
	for _, rules := range [][]string{pdk.ConfStrings(in.Config, "deny"), badBots} {
		for _, rule := range rules {
			if d.find(rule, ua) {
				c.Error(403, "", nil)
				return
			}
		}
	}
}

// find searches s for the PCRE rule (compiled once).
func (d *detector) find(rule, s string) bool {
	d.mu.Lock()
	re, ok := d.regexes[rule]
	if !ok {
		var err error
		if re, err = regexp2.Compile(rule, regexp2.None); err == nil {
			re.MatchTimeout = time.Second
		} else {
			re = nil
		}
		d.regexes[rule] = re
	}
	d.mu.Unlock()
	if re == nil {
		return false
	}
	m, _ := re.MatchString(s)
	return m
}
