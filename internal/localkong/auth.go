package localkong

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorize applies the API's authentication, off by default: Kong
// Enterprise RBAC's Kong-Admin-Token, or Konnect's bearer token (§10, §11).
func (a *admin) authorize(r *http.Request) *apiError {
	token := a.srv.opts.AdminToken
	if a.srv.opts.Konnect {
		return konnectAuth(r, token)
	}
	if token == "" {
		return nil
	}
	// Header names are case-insensitive; Header.Values canonicalises.
	got := r.Header.Values("Kong-Admin-Token")
	if len(got) == 0 || !sameToken(got[0], token) {
		return messageError(http.StatusUnauthorized, "Invalid credentials. Token or User credentials required")
	}
	return nil
}

// konnectAuth wants "Authorization: Bearer <token>". Without a configured
// token any bearer token passes, as a personal access token would.
func konnectAuth(r *http.Request, token string) *apiError {
	unauthorized := func(msg string) *apiError {
		return &apiError{status: http.StatusUnauthorized, body: map[string]any{"message": msg, "status": 401}}
	}
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return unauthorized("No API key found in request")
	case len(values) > 1:
		return unauthorized("Duplicate API key found")
	}
	scheme, got, ok := strings.Cut(strings.TrimSpace(values[0]), " ")
	got = strings.TrimSpace(got)
	if !ok || !strings.EqualFold(scheme, "Bearer") || got == "" {
		return unauthorized("Unauthorized")
	}
	if token != "" && !sameToken(got, token) {
		return unauthorized("Unauthorized")
	}
	return nil
}

func sameToken(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
