package iprestriction

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// handler is kong/plugins/ip-restriction/handler.lua: the client's
// address ($remote_addr) in deny, or not in allow when allow is set, is
// refused with status (403) and message ("IP address not allowed: <ip>").
// deny is checked first.
func handler(pdk.Gateway) *pdk.Handler {
	h := &restriction{lists: map[string][]netip.Prefix{}}
	return &pdk.Handler{Access: h.access}
}

type restriction struct {
	mu    sync.Mutex
	lists map[string][]netip.Prefix // parsed lists by their text
}

func (h *restriction) access(c *pdk.Context, in *pdk.Instance) {
	cfg := in.Config
	ip, err := netip.ParseAddr(c.ClientIP)
	if err != nil {
		c.Error(403, "Cannot identify the client IP address, unix domain sockets are not supported.", nil)
		return
	}
	ip = ip.Unmap()
	refuse := func() {
		status := 403
		if n, ok := pdk.ConfNumber(cfg, "status"); ok {
			status = int(n)
		}
		msg := pdk.ConfString(cfg, "message")
		if _, set := cfg["message"].(string); !set {
			msg = "IP address not allowed: " + c.ClientIP
		}
		c.Error(status, msg, nil)
	}
	if deny := pdk.ConfStrings(cfg, "deny"); len(deny) > 0 && h.match(deny, ip) {
		refuse()
		return
	}
	if allow := pdk.ConfStrings(cfg, "allow"); len(allow) > 0 && !h.match(allow, ip) {
		refuse()
	}
}

// match reports whether ip is one of list's addresses or in one of its
// CIDR ranges.
func (h *restriction) match(list []string, ip netip.Addr) bool {
	key := strings.Join(list, ",")
	h.mu.Lock()
	prefixes, ok := h.lists[key]
	if !ok {
		for _, s := range list {
			if p, err := netip.ParsePrefix(s); err == nil {
				prefixes = append(prefixes, netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-unmapBits(p)).Masked())
			} else if a, err := netip.ParseAddr(s); err == nil {
				a = a.Unmap()
				prefixes = append(prefixes, netip.PrefixFrom(a, a.BitLen()))
			}
		}
		h.lists[key] = prefixes
	}
	h.mu.Unlock()
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// unmapBits is what an IPv4-mapped IPv6 prefix loses becoming IPv4.
func unmapBits(p netip.Prefix) int {
	if p.Addr().Is4In6() {
		return 96
	}
	return 0
}
