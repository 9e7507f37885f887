package admin

import (
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// authorize applies the API's authentication, off by default: Kong
// Enterprise RBAC's Kong-Admin-Token, or Konnect's bearer token (§10, §11).
func (a *API) authorize(r *http.Request) *store.Error {
	token := a.cfg.Token
	if a.cfg.Konnect {
		return konnectAuth(r, token)
	}
	if token == "" {
		return nil
	}
	// Header names are case-insensitive; Header.Values canonicalises.
	got := r.Header.Values("Kong-Admin-Token")
	if len(got) == 0 || !httpx.SameToken(got[0], token) {
		return store.MessageError(http.StatusUnauthorized, "Invalid credentials. Token or User credentials required")
	}
	return nil
}

// konnectAuth wants "Authorization: Bearer <token>", answering the
// core-entities' 401 {message, status}. The catalog and analytics send the
// same words as a problem+json detail.
func konnectAuth(r *http.Request, token string) *store.Error {
	if msg := httpx.BearerFailure(r, token); msg != "" {
		return &store.Error{Status: http.StatusUnauthorized, Body: map[string]any{"message": msg, "status": 401}}
	}
	return nil
}
