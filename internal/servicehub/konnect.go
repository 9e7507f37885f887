package servicehub

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// KonnectConfig says how to reach Konnect's API catalog and analytics. A
// runtime group is on Konnect when its admin_url is a control plane's
// .../v2/control-planes/<id>/core-entities URL: the organisation's API
// base and the control plane id come from it.
type KonnectConfig struct {
	// URL overrides the API base derived from admin_url, e.g.
	// https://eu.api.konghq.com (konnect_url).
	URL string
	// Prometheus keeps version status on Prometheus (metrics_url was
	// given) rather than Konnect analytics.
	Prometheus bool
}

// KonnectBase is the catalog's base URL and the control plane id for an
// admin_url and an optional override; ok is false off Konnect.
func KonnectBase(adminURL, override string) (base, controlPlaneID string, ok bool) {
	base, controlPlaneID, ok = konnectapi.Locate(adminURL)
	if ok && override != "" {
		base = override
	}
	return base, controlPlaneID, ok
}

// ParseKonnectURL checks a konnect_url.
func ParseKonnectURL(s string) error {
	_, err := konnectapi.ParseBaseURL(s)
	return err
}

// connectKonnect sets up the catalog, and analytics, over api's wire.
func (c *Client) connectKonnect(api *kongapi.Client, cfg Config) error {
	c.Catalog = &Catalog{impls: c.Implementations, adminURL: cfg.AdminURL}
	base, cp, ok := KonnectBase(cfg.AdminURL, cfg.Konnect.URL)
	if !ok {
		return nil
	}
	k, err := konnectapi.New(api, base, cp)
	if err != nil {
		return err
	}
	c.Catalog.api = konnectapi.NewCache(k)
	c.plane = &planeCheck{api: k}
	if !cfg.Konnect.Prometheus {
		c.Analytics = &Analytics{statuses: c.Statuses, catalog: c.Catalog, api: k}
	}
	return nil
}
