package kongschema

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// parsedURL holds what LuaSocket 3.0-rc1's url.parse extracts.
type parsedURL struct {
	scheme, host, path, port *string
}

var schemeRe = regexp.MustCompile(`^([0-9A-Za-z][0-9A-Za-z+\-.]*):`)

// parseURL is socket.url.parse as Kong ships it. It is lenient: "foo bar"
// is a path, "example.com:80" has the scheme "example.com".
func parseURL(u string) (parsedURL, bool) {
	var p parsedURL
	if u == "" {
		return p, false
	}
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if m := schemeRe.FindStringSubmatch(u); m != nil {
		p.scheme = strp(m[1])
		u = u[len(m[0]):]
	}
	var authority *string
	if strings.HasPrefix(u, "//") {
		rest := u[2:]
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		authority = strp(rest[:end])
		u = rest[end:]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, ';'); i >= 0 {
		u = u[:i]
	}
	if u != "" {
		p.path = strp(u)
	}
	if authority == nil {
		return p, true
	}
	a := *authority
	if i := strings.IndexByte(a, '@'); i >= 0 {
		a = a[i+1:]
	}
	// The port is after the last ':' unless a ']' follows it (IPv6).
	if i := strings.LastIndexByte(a, ':'); i >= 0 && !strings.Contains(a[i+1:], "]") {
		p.port = strp(a[i+1:])
		a = a[:i]
	}
	if a != "" {
		if len(a) > 2 && a[0] == '[' && a[len(a)-1] == ']' {
			a = a[1 : len(a)-1]
		}
		p.host = strp(a)
	}
	return p, true
}

// urlRule is typedefs.url: socket.url.parse must find a host and a scheme.
func urlRule(s string) string {
	p, _ := parseURL(s)
	switch {
	case p.host == nil:
		return "missing host in url"
	case p.scheme == nil:
		return "missing scheme in url"
	}
	return ""
}

// expandURL is the services url shorthand: it returns the protocol, host,
// port and path values Kong writes, port being a float64 or, when Kong
// would keep it unconverted, the raw string.
func expandURL(u string) (map[string]any, bool) {
	p, ok := parseURL(u)
	if !ok {
		return nil, false
	}
	var port any
	var num float64
	hasNum := false
	if p.port != nil {
		if n, ok := luaToNumber(*p.port); ok {
			num, hasNum = n, true
		}
	}
	proto := "http"
	switch {
	case p.scheme != nil:
		proto = *p.scheme
	case hasNum && num == 443:
		proto = "https"
	}
	switch {
	case hasNum:
		port = num
	case p.port != nil:
		port = *p.port
	default:
		port = float64(defaultURLPort(proto))
	}
	out := map[string]any{"protocol": proto, "host": nil, "port": port, "path": nil}
	if p.host != nil {
		out["host"] = *p.host
	}
	if p.path != nil {
		out["path"] = *p.path
	}
	return out, true
}

// URLParts is the expansion of a service url (spec §3.3).
type URLParts struct {
	Protocol string
	Host     string // "" when the url has no host
	Port     int
	Path     *string // nil when the url has no path
}

// String renders the parts as a url that ExpandURL expands back to exactly
// these parts: the port is left out when the expansion would supply the same
// one (443 for https, 80 otherwise); an IPv6 host is bracketed. Some parts
// no url expresses, as Kong's url parser would read them otherwise: a path
// that is empty, does not start with "/" or holds '?', '#' or ';', and a
// protocol that is not a url scheme (tls_passthrough, for its '_').
func (p URLParts) String() string {
	var b strings.Builder
	b.WriteString(p.Protocol + "://")
	if strings.Contains(p.Host, ":") {
		b.WriteString("[" + p.Host + "]")
	} else {
		b.WriteString(p.Host)
	}
	if p.Port != defaultURLPort(p.Protocol) {
		b.WriteString(":" + strconv.Itoa(p.Port))
	}
	if p.Path != nil {
		b.WriteString(*p.Path)
	}
	return b.String()
}

// defaultURLPort is the port expandURL supplies for a url without one: 443
// for https, and for wss as Kong Gateway Enterprise's shorthand does; 80
// otherwise. Kong OSS gives wss 80, but rejects protocol wss in the same
// request, so no entity it stores and no error it sends depends on the
// difference; the provider's plan for "wss://host" needs Enterprise's 443.
func defaultURLPort(protocol string) int {
	if protocol == "https" || protocol == "wss" {
		return 443
	}
	return 80
}

// Equal compares parts exactly: Kong keeps a host's case as sent, and a
// nil path differs from every path.
func (p URLParts) Equal(o URLParts) bool {
	if (p.Path == nil) != (o.Path == nil) || (p.Path != nil && *p.Path != *o.Path) {
		return false
	}
	return p.Protocol == o.Protocol && p.Host == o.Host && p.Port == o.Port
}

// ExpandURL expands a service url the way Kong does.
func ExpandURL(u string) (URLParts, error) {
	if u == "" {
		return URLParts{}, errors.New("length must be at least 1")
	}
	m, _ := expandURL(u)
	parts := URLParts{Protocol: m["protocol"].(string)}
	if h, ok := m["host"].(string); ok {
		parts.Host = h
	}
	if p, ok := m["path"].(string); ok {
		parts.Path = &p
	}
	n, ok := m["port"].(float64)
	if !ok || n != math.Trunc(n) || math.IsInf(n, 0) {
		return parts, errors.New("port: expected an integer")
	}
	parts.Port = int(n)
	return parts, nil
}
