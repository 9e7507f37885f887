package servicehub

import (
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Endpoint is where a Gateway Service sends traffic, as Kong stores it.
type Endpoint struct {
	Protocol string
	Host     string
	Port     int
	Path     *string // nil: no path
}

// ParseURL expands a url exactly as Kong's `url` shorthand does (missing
// port → 80, or 443 for https; missing path → no path).
func ParseURL(u string) (Endpoint, error) {
	p, err := kongschema.ExpandURL(u)
	if err != nil {
		return Endpoint{}, err
	}
	return Endpoint{Protocol: p.Protocol, Host: p.Host, Port: p.Port, Path: p.Path}, nil
}

// URL renders the endpoint as a url that expands back to it: the port is
// left out when Kong's expansion would supply the same one.
func (e Endpoint) URL() string {
	var b strings.Builder
	b.WriteString(e.Protocol)
	b.WriteString("://")
	if strings.Contains(e.Host, ":") {
		b.WriteString("[" + e.Host + "]")
	} else {
		b.WriteString(e.Host)
	}
	if e.Port != defaultPort(e.Protocol) {
		b.WriteString(":" + strconv.Itoa(e.Port))
	}
	if e.Path != nil {
		b.WriteString(*e.Path)
	}
	return b.String()
}

// defaultPort is the port Kong's url expansion picks when none is given:
// 443 for https and 80 for every other scheme (grpcs and tls included).
func defaultPort(protocol string) int {
	if protocol == "https" {
		return 443
	}
	return 80
}

// Equal compares endpoints exactly; Kong keeps the host's case as sent.
func (e Endpoint) Equal(o Endpoint) bool {
	return e.Protocol == o.Protocol && e.Host == o.Host && e.Port == o.Port &&
		equalPath(e.Path, o.Path)
}

func equalPath(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// SyncURL returns the url to record for e: prior when it still expands to
// e, so a user's own spelling ("http://x:80/") never shows as drift, and
// otherwise the canonical e.URL().
func SyncURL(prior string, e Endpoint) string {
	if prior != "" {
		if p, err := ParseURL(prior); err == nil && p.Equal(e) {
			return prior
		}
	}
	return e.URL()
}
