package servicehub

import (
	"slices"
	"testing"

	"github.com/kong/go-kong/kong"
)

func TestParseProxyURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:8000":          "http://localhost:8000",
		"http://localhost:8000/":         "http://localhost:8000",
		"https://gw.example.com/kong/":   "https://gw.example.com/kong",
		"https://[2001:db8::1]:8443/api": "https://[2001:db8::1]:8443/api",
	} {
		u, err := ParseProxyURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseProxyURL(%q) = %v, %v; want %q", in, u, err, want)
		}
	}
	for _, bad := range []string{"localhost:8000", "tcp://kong:8000", "http://", "http://kong:8000/?a=1", "http://kong/#x", "http://u:p@kong/"} {
		if _, err := ParseProxyURL(bad); err == nil {
			t.Errorf("ParseProxyURL(%q) accepted it", bad)
		}
	}
}

func TestRouteURLs(t *testing.T) {
	local, _ := ParseProxyURL("http://localhost:8000")
	prefixed, _ := ParseProxyURL("https://gw.example.com/kong/")
	cases := []struct {
		name  string
		proxy string
		route *kong.Route
		want  []string
	}{
		{"one path", "local", &kong.Route{Protocols: kong.StringSlice("http", "https"), Paths: kong.StringSlice("/foo")}, []string{"http://localhost:8000/foo"}},
		{"several paths, order kept", "local", &kong.Route{Paths: kong.StringSlice("/b", "/a/")}, []string{"http://localhost:8000/b", "http://localhost:8000/a/"}},
		{"no paths", "local", &kong.Route{Methods: kong.StringSlice("GET")}, []string{"http://localhost:8000/"}},
		{"hosts keep the proxy port", "local", &kong.Route{Hosts: kong.StringSlice("api.example.com", "pay.example.com"), Paths: kong.StringSlice("/v1")},
			[]string{"http://api.example.com:8000/v1", "http://pay.example.com:8000/v1"}},
		{"host with its own port", "local", &kong.Route{Hosts: kong.StringSlice("api.example.com:9000")}, []string{"http://api.example.com:9000/"}},
		{"IPv6 host", "local", &kong.Route{Hosts: kong.StringSlice("2001:db8::1")}, []string{"http://[2001:db8::1]:8000/"}},
		{"wildcard hosts and regex paths left out", "local",
			&kong.Route{Hosts: kong.StringSlice("*.example.com", "api.example.com"), Paths: kong.StringSlice("~/items/\\d+$", "/items")},
			[]string{"http://api.example.com:8000/items"}},
		{"only regex paths", "local", &kong.Route{Paths: kong.StringSlice("~/x$")}, []string{}},
		{"only wildcard hosts", "local", &kong.Route{Hosts: kong.StringSlice("*.example.com")}, []string{}},
		{"https-only route behind an http proxy", "local", &kong.Route{Protocols: kong.StringSlice("https"), Paths: kong.StringSlice("/foo")}, []string{}},
		{"grpc route", "local", &kong.Route{Protocols: kong.StringSlice("grpc"), Paths: kong.StringSlice("/foo")}, []string{}},
		{"proxy path prefix, default port", "prefixed", &kong.Route{Protocols: kong.StringSlice("https"), Hosts: kong.StringSlice("a.example.com"), Paths: kong.StringSlice("/foo")},
			[]string{"https://a.example.com/kong/foo"}},
		{"duplicates once", "local", &kong.Route{Paths: kong.StringSlice("/foo", "/foo")}, []string{"http://localhost:8000/foo"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			proxy := local
			if c.proxy == "prefixed" {
				proxy = prefixed
			}
			got := RouteURLs(proxy, c.route)
			if got == nil || !slices.Equal(got, c.want) {
				t.Errorf("RouteURLs = %#v, want %#v", got, c.want)
			}
		})
	}
}
