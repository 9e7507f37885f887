package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// Konnect's API catalog and analytics: where they are reached from the
// provider's settings.

func konnectURLAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Description: "Base URL of Konnect's APIs, for the API catalog (`servicehub_service_version`, `service_version_id`) and analytics " +
			"(`servicehub_version_status`), such as `https://eu.api.konghq.com`. May also be set with `KONNECT_SERVER_URL`. " +
			"Defaults to the scheme and host of `admin_url` when that is a Konnect control plane's " +
			"`https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities` URL, whose `<id>` is the control plane implementations are linked from. " +
			"Ignored when `admin_url` is not a Konnect control plane: Kong Gateway has no catalog.",
		Optional: true,
	}
}

// konnectConfig resolves konnect_url, and whether version status keeps
// Prometheus (metrics_url or KONG_METRICS_URL given) on Konnect.
func konnectConfig(m providerModel, cfg servicehub.Config, diags *diag.Diagnostics) servicehub.KonnectConfig {
	k := servicehub.KonnectConfig{
		URL:        stringOrEnv(m.KonnectURL, "KONNECT_SERVER_URL", ""),
		Prometheus: stringOrEnv(m.MetricsURL, "KONG_METRICS_URL", "") != "",
	}
	if k.URL == "" {
		return k
	}
	if err := servicehub.ParseKonnectURL(k.URL); err != nil {
		detail := err.Error()
		if m.KonnectURL.IsNull() {
			detail += " (from the KONNECT_SERVER_URL environment variable)"
		}
		diags.AddAttributeError(path.Root("konnect_url"), "Invalid Konnect URL", detail)
		return k
	}
	if _, _, ok := servicehub.KonnectBase(cfg.AdminURL, k.URL); !ok && !m.KonnectURL.IsNull() {
		diags.AddAttributeWarning(path.Root("konnect_url"), "konnect_url is not used",
			"konnect_url is set, but admin_url is not a Konnect control plane's .../v2/control-planes/<id>/core-entities URL, "+
				"so there is no control plane to link implementations from and no API catalog is used. "+
				"Point admin_url at the control plane, or remove konnect_url.")
	}
	return k
}
