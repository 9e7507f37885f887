package provider

import (
	"strings"

	"github.com/kong/go-kong/kong"
)

// Tests of sharing a runtime group (issue 23): the provider's ownership
// tags on everything it writes, default_tags, destroys that leave others'
// entities alone, hands off the Ingress Controller's.

// userTags are an entity's tags in Kong without the provider's own.
func userTags(ps []*string) []string {
	out := []string{}
	for _, p := range ps {
		if p != nil && !strings.HasPrefix(*p, "servicehub:") {
			out = append(out, *p)
		}
	}
	return out
}

// routeToken is the route's create token tag; "" when it has none.
func routeToken(r *kong.Route) string { return tokenIn(r.Tags) }

func tokenIn(tags []*string) string {
	for _, t := range tags {
		if t != nil && strings.HasPrefix(*t, "servicehub:create=") {
			return *t
		}
	}
	return ""
}
