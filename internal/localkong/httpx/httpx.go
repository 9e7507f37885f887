// Package httpx holds the small HTTP pieces localkong's APIs share: the
// Server token, the body size limit and bearer-token checks.
package httpx

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// MaxBodyBytes bounds the request bodies the APIs read.
const MaxBodyBytes = 32 << 20

// ServerToken is what Kong puts in Server and Via: "kong/" and
// _KONG._VERSION, which Kong Gateway Enterprise suffixes.
func ServerToken(v kongschema.Version) string {
	if v.Enterprise {
		return "kong/" + v.String() + "-enterprise-edition"
	}
	return "kong/" + v.String()
}

// BearerFailure says why a Konnect request is not authenticated, "" if it
// is: Konnect wants "Authorization: Bearer <token>". Without a configured
// token any bearer token passes, as a personal access token would.
func BearerFailure(r *http.Request, token string) string {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return "No API key found in request"
	case len(values) > 1:
		return "Duplicate API key found"
	}
	scheme, got, ok := strings.Cut(strings.TrimSpace(values[0]), " ")
	got = strings.TrimSpace(got)
	if !ok || !strings.EqualFold(scheme, "Bearer") || got == "" || token != "" && !SameToken(got, token) {
		return "Unauthorized"
	}
	return ""
}

// SameToken compares a token in constant time.
func SameToken(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
