package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// servicehub_version_status on Konnect: the version may be named by its
// catalog id, and traffic comes from Konnect analytics over a time range.

func serviceVersionIDStatusAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Description: "Id of the version in Konnect's API Catalog, instead of `service` and `version` (which are then read from it). " +
			"Its implementation is the Gateway Service linked to it in this control plane, or else the one tagged with its service and version. Konnect only.",
		Optional: true,
	}
}

func timeRangeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Description: "Time range of `status_codes` from Konnect analytics, one of Konnect's relative ranges: `" +
			strings.Join(servicehub.TimeRanges(), "`, `") + "`. Defaults to `" + servicehub.DefaultTimeRange + "` on Konnect; " +
			"Prometheus counts (`status_source = \"prometheus\"`) are totals since Kong started, so it is ignored there, with a warning.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{timeRangeRule},
	}
}

func statusSourceAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Description: "Where `status_codes` come from: `konnect_analytics` on a Konnect control plane (`admin_url` is one) unless `metrics_url` " +
			"(or `KONG_METRICS_URL`) is set, `prometheus` otherwise.",
		Computed: true,
	}
}

var timeRangeRule = ruleValidator{"one of Konnect's relative time ranges", servicehub.ValidateTimeRange}

func (d *versionStatusDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("service_version_id"), path.MatchRoot("service")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("service"), path.MatchRoot("version")),
	}
}

// readKonnect reads the status with a service_version_id or time_range, or
// from analytics: the version through the catalog, the traffic from
// analytics when the provider reads it, else from Prometheus (with
// time_range ignored, said in a warning).
func (d *versionStatusDataSource) readKonnect(ctx context.Context, m versionStatusModel, resp *datasource.ReadResponse) {
	q := servicehub.StatusQuery{
		Service: m.Service.ValueString(), Version: m.Version.ValueString(),
		VersionID: m.ServiceVersionID.ValueString(), TimeRange: m.TimeRange.ValueString(),
	}
	if d.analytics != nil {
		st, v, err := d.analytics.Version(ctx, q)
		if err != nil {
			addKonnectStatusError(&resp.Diagnostics, err)
			return
		}
		if v.ID != "" {
			m.Service, m.Version = types.StringValue(v.Service), optionalString(v.Version)
		}
		if st.MetricsErr != nil {
			addAnalyticsWarning(&resp.Diagnostics, st.MetricsErr)
		}
		if st.Traffic.Incomplete != nil {
			addTruncatedWarning(&resp.Diagnostics, st.Traffic.Incomplete)
		}
		if q.TimeRange == "" {
			m.TimeRange = types.StringValue(servicehub.DefaultTimeRange)
		}
		m.StatusSource = types.StringValue(servicehub.SourceAnalytics)
		resp.Diagnostics.Append(resp.State.Set(ctx, flattenVersionStatus(m, st))...)
		return
	}

	if q.VersionID != "" {
		v, err := d.catalog.GetVersion(ctx, q.VersionID)
		if err != nil {
			addKonnectStatusError(&resp.Diagnostics, err)
			return
		}
		m.Service, m.Version = types.StringValue(v.Service), optionalString(v.Version)
	}
	if !m.TimeRange.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("time_range"), "time_range is ignored",
			"time_range applies to Konnect analytics; this version status is read from Prometheus, whose counts are totals since Kong started. "+
				"On a Konnect control plane, leave metrics_url (and KONG_METRICS_URL) unset to read analytics.")
	}
	d.readPrometheus(ctx, m, resp)
}

// addKonnectStatusError reports the catalog's errors on service_version_id,
// and the others as for any version status.
func addKonnectStatusError(diags *diag.Diagnostics, err error) {
	if !catalogError(diags, "Unable to read version status", path.Root("service_version_id"), err) {
		addStatusError(diags, err)
	}
}
