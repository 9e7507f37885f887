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

// konnectAuth wants "Authorization: Bearer <token>", answering the
// core-entities' 401 {message, status}.
func konnectAuth(r *http.Request, token string) *apiError {
	if msg := konnectAuthFailure(r, token); msg != "" {
		return &apiError{status: http.StatusUnauthorized, body: map[string]any{"message": msg, "status": 401}}
	}
	return nil
}

// konnectAuthFailure says why a Konnect request is not authenticated, ""
// if it is. Without a configured token any bearer token passes, as a
// personal access token would. The catalog and analytics send the same
// words as a problem+json detail.
func konnectAuthFailure(r *http.Request, token string) string {
	values := r.Header.Values("Authorization")
	switch {
	case len(values) == 0:
		return "No API key found in request"
	case len(values) > 1:
		return "Duplicate API key found"
	}
	scheme, got, ok := strings.Cut(strings.TrimSpace(values[0]), " ")
	got = strings.TrimSpace(got)
	if !ok || !strings.EqualFold(scheme, "Bearer") || got == "" || token != "" && !sameToken(got, token) {
		return "Unauthorized"
	}
	return ""
}

func sameToken(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
