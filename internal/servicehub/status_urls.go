package servicehub

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/kong/go-kong/kong"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// DefaultProxyURL is where a local Kong Gateway accepts client traffic.
const DefaultProxyURL = "http://localhost:8000"

// ParseProxyURL checks the URL clients reach the runtime group's proxy at:
// absolute http(s), a host, no query or fragment. A trailing slash is
// dropped, as route paths are appended to it.
func ParseProxyURL(s string) (*url.URL, error) {
	u, err := kongapi.ParseHTTPURL("proxy URL", s)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("invalid proxy URL %q: must not have a query, fragment or user", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// RouteURLs are the URLs a client calls to be matched by r through the
// proxy at proxy: each of the route's hosts (keeping the proxy's port)
// joined with each of its paths. A route with no hosts is reached at the
// proxy's own host, one with no paths at "/". Hosts with a wildcard and
// regex paths name no single URL and are left out, as is every URL of a
// route that does not accept the proxy's scheme (a client would get 426, or
// no match at all).
func RouteURLs(proxy *url.URL, r *kong.Route) []string {
	if protocols := strs(r.Protocols); len(protocols) > 0 && !slices.Contains(protocols, proxy.Scheme) {
		return []string{}
	}
	hosts := []string{proxy.Host}
	if len(r.Hosts) > 0 {
		hosts = hosts[:0]
		for _, h := range strs(r.Hosts) {
			if strings.Contains(h, "*") {
				continue
			}
			hosts = append(hosts, hostPort(h, proxy.Port()))
		}
	}
	paths := []string{"/"}
	if len(r.Paths) > 0 {
		paths = paths[:0]
		for _, p := range strs(r.Paths) {
			if !strings.HasPrefix(p, "~") {
				paths = append(paths, p)
			}
		}
	}
	base := strings.TrimRight(proxy.EscapedPath(), "/")
	out := []string{}
	seen := map[string]bool{}
	for _, h := range hosts {
		for _, p := range paths {
			u := proxy.Scheme + "://" + h + base + p
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// hostPort renders a route host for a URL. Kong route hosts may carry their
// own port ("api.example.com:8000"), which wins over the proxy's.
func hostPort(host, port string) string {
	if _, _, err := net.SplitHostPort(host); err == nil {
		return host
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]" // a bare IPv6 address
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}
