package kongschema

import (
	"net"
	"regexp"
	"strconv"
	"strings"
)

// Host and address rules from kong.tools.ip and the host typedefs.

type hostInfo struct {
	typ     string // ipv4, ipv6, name
	host    string
	hasPort bool
}

const errInvalidPort = "invalid port number"

var (
	ipv4Re     = regexp.MustCompile(`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$`)
	ipv4PortRe = regexp.MustCompile(`^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d+)$`)
	ipv6Re     = regexp.MustCompile(`^[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){7}$`)
	digitsDots = regexp.MustCompile(`^[0-9.]+$`)
	hostChars  = regexp.MustCompile(`^[0-9A-Za-z\-._]+$`)
	portSuffix = regexp.MustCompile(`:(\d+)$`)
)

// hostnameType classifies by exclusion, like Kong: 2+ colons is IPv6, only
// digits and dots (a port aside) is IPv4, anything else is a name.
func hostnameType(name string) string {
	if strings.Count(name, ":") > 1 {
		return "ipv6"
	}
	if digitsDots.MatchString(strings.ReplaceAll(name, ":", "")) {
		return "ipv4"
	}
	return "name"
}

// portTooBig applies Kong's "tonumber(port) > 65535" to a digit string.
func portTooBig(digits string) bool {
	n, _ := luaToNumber(digits)
	return n > 65535
}

func normalizeIPv4(addr string) (hostInfo, string) {
	var m []string
	if strings.Contains(addr, ":") {
		m = ipv4PortRe.FindStringSubmatch(addr)
	} else {
		m = ipv4Re.FindStringSubmatch(addr)
	}
	if m == nil {
		return hostInfo{}, "invalid ipv4 address: " + addr
	}
	for _, o := range m[1:5] {
		if n, _ := luaToNumber(o); n > 255 {
			return hostInfo{}, "invalid ipv4 address: " + addr
		}
	}
	if len(m) == 6 && portTooBig(m[5]) {
		return hostInfo{}, errInvalidPort
	}
	return hostInfo{typ: "ipv4", host: addr, hasPort: len(m) == 6}, ""
}

func normalizeIPv6(addr string) (hostInfo, string) {
	check, rest, bracketed := splitBracketed(addr)
	hasPort := false
	if bracketed {
		if rest != "" {
			if !strings.HasPrefix(rest, ":") || !allDigits(rest[1:]) || rest == ":" {
				return hostInfo{}, "invalid ipv6 address"
			}
			if portTooBig(rest[1:]) {
				return hostInfo{}, errInvalidPort
			}
			hasPort = true
		}
	} else {
		check = addr
	}
	if strings.HasPrefix(check, ":") {
		check = "0" + check
	}
	if strings.HasSuffix(check, ":") {
		check += "0"
	}
	if strings.Contains(check, "::") {
		n := 8 - strings.Count(check, ":")
		if n < 0 {
			n = 0
		}
		check = strings.Replace(check, "::", ":"+strings.Repeat("0:", n), 1)
	}
	if !ipv6Re.MatchString(check) {
		return hostInfo{}, "invalid ipv6 address: " + addr
	}
	return hostInfo{typ: "ipv6", host: addr, hasPort: hasPort}, ""
}

// splitBracketed matches Lua's "^(%b[])(.-)$": a balanced [...] prefix.
func splitBracketed(s string) (inner, rest string, ok bool) {
	if !strings.HasPrefix(s, "[") {
		return "", "", false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return s[1:i], s[i+1:], true
			}
		}
	}
	return "", "", false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkHostname(addr string) (hostInfo, string) {
	name := addr
	hasPort := false
	if m := portSuffix.FindStringSubmatch(addr); m != nil {
		name = addr[:len(addr)-len(m[1])-1]
		if portTooBig(m[1]) {
			return hostInfo{}, errInvalidPort
		}
		hasPort = true
	}
	if !hostChars.MatchString(name) {
		return hostInfo{}, "invalid hostname: " + addr
	}
	segs := strings.Split(name, ".")
	for i, seg := range segs {
		if strings.HasSuffix(seg, "-") || (seg == "" && i != len(segs)-1) {
			return hostInfo{}, "invalid hostname: " + addr
		}
	}
	return hostInfo{typ: "name", host: name, hasPort: hasPort}, ""
}

// normalizeIP is kong.tools.ip.normalize_ip: it returns the parsed host or
// Kong's error text.
func normalizeIP(addr string) (hostInfo, string) {
	switch hostnameType(addr) {
	case "ipv6":
		return normalizeIPv6(addr)
	case "ipv4":
		return normalizeIPv4(addr)
	}
	return checkHostname(addr)
}

// hostRule is typedefs.host: a hostname or IP without port.
func hostRule(s string) string {
	h, err := normalizeIP(s)
	if err != "" && err != errInvalidPort {
		return "invalid value: " + s
	}
	if err == errInvalidPort || h.hasPort {
		return "must not have a port"
	}
	return ""
}

// routeHostRule is the custom validator of route hosts: wildcards become
// "abc" and an optional port is allowed.
func routeHostRule(s string) string {
	_, err := normalizeIP(strings.ReplaceAll(s, "*", "abc"))
	return err
}

// wildcardHostRule is typedefs.wildcard_host (route and certificate snis):
// typedefs.sni once a single leftmost or rightmost wildcard is replaced.
func wildcardHostRule(s string) string {
	if idx := strings.IndexByte(s, '*'); idx >= 0 {
		if idx != 0 && idx != len(s)-1 {
			return "wildcard must be leftmost or rightmost character"
		}
		if strings.Count(s, "*") > 1 {
			return "only one wildcard must be specified"
		}
		s = strings.ReplaceAll(s, "*", "wildcard")
	}
	return sniRule(s)
}

// sniRule is typedefs.sni: a hostname, neither an IP nor with a port.
func sniRule(s string) string {
	h, err := normalizeIP(s)
	if err != "" && err != errInvalidPort {
		return "invalid value: " + s
	}
	if err == "" && h.typ != "name" {
		return "must not be an IP"
	}
	if err == errInvalidPort || h.hasPort {
		return "must not have a port"
	}
	return ""
}

// parseIPv4 and parseIPv6 follow inet_pton as lua-resty-ipmatcher uses it;
// IPv6 may be wrapped in brackets.
func parseIPv4(s string) bool {
	return !strings.Contains(s, ":") && net.ParseIP(s) != nil
}

func parseIPv6(s string) bool {
	if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	return strings.Contains(s, ":") && net.ParseIP(s) != nil
}

func validCIDR(s string, bits int, parse func(string) bool) bool {
	ip, prefix, ok := strings.Cut(s, "/")
	if !ok || !validPrefix(prefix, bits) {
		return false
	}
	return parse(ip)
}

// validPrefix accepts exactly the strings "0".."bits".
func validPrefix(p string, bits int) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= bits && strconv.Itoa(n) == p
}

// ipOrCIDRRule is typedefs.ip_or_cidr.
func ipOrCIDRRule(s string) string {
	if parseIPv4(s) || parseIPv6(s) || validCIDR(s, 32, parseIPv4) || validCIDR(s, 128, parseIPv6) {
		return ""
	}
	return "invalid ip or cidr range: '" + s + "'"
}
