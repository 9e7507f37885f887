package provider

import (
	"errors"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// authHint says which setting to fix after a 401, from what the provider
// sent: the Konnect token, the admin token, or nothing at all.
func authHint(err error) string {
	var ae *kongapi.AuthError
	switch {
	case errors.As(err, &ae) && ae.Konnect:
		return "Konnect rejected the access token. Check konnect_token (or the KONNECT_TOKEN environment variable): " +
			"a personal (kpat_…) or system account (spat_…) token that is neither expired nor revoked."
	case errors.As(err, &ae) && ae.TokenSent:
		return "Kong rejected the Kong-Admin-Token. Check admin_token (or the KONG_ADMIN_TOKEN environment variable), " +
			"and any token set in headers: it must be the RBAC token of a Kong Gateway admin or user."
	default:
		return "No credentials were sent. Set admin_token (or KONG_ADMIN_TOKEN) for a Kong Gateway with RBAC, " +
			"or konnect_token (or KONNECT_TOKEN) for a Konnect control plane."
	}
}
