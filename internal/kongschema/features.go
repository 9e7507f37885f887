package kongschema

import (
	"slices"
	"strings"
)

// Parts of the services and routes schemas that not every Kong 3.x has,
// from Kong's own schemas across 3.4–3.10 (Kong/kong kong/db/schema/
// entities/services.lua, routes.lua and typedefs.lua at the tags 3.4.0 …
// 3.9.3 and at master, which reports 3.10.0; Kong Gateway Enterprise from
// its changelog and Konnect's compatibility checks, its source not being
// public). In the default router flavour, traditional_compatible, services
// are the same from 3.4 to 3.10 in Kong OSS; routes differ in snis (3.7)
// and in what the ATC check covers (3.6); see routesSchema. The schemas
// localkong serves for a version (For) and the provider's apply-time check
// (Unsupported) both follow the list below.

// A Feature is a field, or a kind of value of a field, that Kong gained in
// some release.
type Feature struct {
	Entity string // "services" or "routes"
	Field  string // the Kong field it concerns
	// What names it in a message: the field, or the kind of value.
	What string
	// Since names the first Kong that has it.
	Since string

	has  func(v Version, flavor string) bool
	uses func(body map[string]any) bool
}

// In reports whether Kong v, with router flavour flavor ("" is the default,
// traditional_compatible), has f.
func (f Feature) In(v Version, flavor string) bool { return f.has(v, flavor) }

// Used reports whether an entity body (Kong's JSON form) uses f.
func (f Feature) Used(body map[string]any) bool { return f.uses(body) }

var (
	v3_7_0 = Version{Major: 3, Minor: 7}

	// FeatureTLSSANs is services.tls_sans: Kong Gateway Enterprise
	// 3.10.0.6 (changelog 3.10.0.6; Konnect's check D364 "versions below
	// 3.10.0.6 do not support tls_sans"; go-kong's TestServiceWithTLSSANs
	// runs for ">=3.10.0.6"). No Kong OSS release has it.
	FeatureTLSSANs = Feature{
		Entity: "services", Field: "tls_sans", What: "tls_sans",
		Since: "Kong Gateway Enterprise 3.10.0.6 (and Konnect); Kong OSS has no tls_sans",
		has: func(v Version, _ string) bool {
			return v.Enterprise && v.AtLeast(Version{Major: 3, Minor: 10, Revision: 6})
		},
		uses: func(b map[string]any) bool { return b["tls_sans"] != nil },
	}

	// FeatureWebSocket is services.protocol ws and wss: Kong Gateway
	// Enterprise 3.0.0.0 (changelog 3.0.0.0, Konnect's checks D131/D132).
	// Kong OSS's constants.PROTOCOLS never had them.
	FeatureWebSocket = Feature{
		Entity: "services", Field: "protocol", What: `protocol "ws" or "wss"`,
		Since: "Kong Gateway Enterprise 3.0.0.0 (and Konnect); Kong OSS has no WebSocket protocols",
		has:   func(v Version, _ string) bool { return v.Enterprise },
		uses: func(b map[string]any) bool {
			p, _ := b["protocol"].(string)
			u, _ := b["url"].(string)
			u = strings.ToLower(u)
			return p == "ws" || p == "wss" || strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://")
		},
	}

	// FeatureWildcardSNIs is a route's snis holding a wildcard name such
	// as "*.example.com": routes.lua's snis elements became
	// typedefs.wildcard_host in 3.7.0 (commit 4268427c78; Konnect's check
	// P250), except under router_flavor traditional, where they stay
	// typedefs.sni, which refuses "*".
	FeatureWildcardSNIs = Feature{
		Entity: "routes", Field: "snis", What: `wildcard names in snis (such as "*.example.com")`,
		Since: "Kong Gateway 3.7.0, with router_flavor traditional_compatible or expressions",
		has: func(v Version, flavor string) bool {
			return v.AtLeast(v3_7_0) && flavor != "traditional"
		},
		uses: func(b map[string]any) bool {
			snis, _ := b["snis"].([]any)
			return slices.ContainsFunc(snis, func(s any) bool {
				str, _ := s.(string)
				return strings.Contains(str, "*")
			})
		},
	}
)

// Features lists every Feature, in the order Unsupported reports them.
var Features = []Feature{FeatureTLSSANs, FeatureWebSocket, FeatureWildcardSNIs}

// Unsupported lists the features body, an entity of kind entity in Kong's
// JSON form, uses and Kong v (with router flavour flavor) lacks.
func Unsupported(entity string, body map[string]any, v Version, flavor string) []Feature {
	var out []Feature
	for _, f := range Features {
		if f.Entity == entity && f.Used(body) && !f.In(v, flavor) {
			out = append(out, f)
		}
	}
	return out
}
