package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ datasource.DataSource                     = (*versionStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*versionStatusDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*versionStatusDataSource)(nil)
)

// NewVersionStatusDataSource is the servicehub_version_status data source.
func NewVersionStatusDataSource() datasource.DataSource { return &versionStatusDataSource{} }

type versionStatusDataSource struct {
	statuses *servicehub.Statuses
	// On Konnect (version_status_analytics.go): analytics, unless
	// metrics_url asks for Prometheus, and the catalog.
	analytics *servicehub.Analytics
	catalog   *servicehub.Catalog
}

type versionStatusModel struct {
	Service            types.String         `tfsdk:"service"`
	Version            types.String         `tfsdk:"version"`
	ServiceVersionID   types.String         `tfsdk:"service_version_id"`
	TimeRange          types.String         `tfsdk:"time_range"`
	StatusSource       types.String         `tfsdk:"status_source"`
	Implemented        types.Bool           `tfsdk:"implemented"`
	ImplementationID   types.String         `tfsdk:"implementation_id"`
	ImplementationName types.String         `tfsdk:"implementation_name"`
	Enabled            types.Bool           `tfsdk:"enabled"`
	UpstreamURL        types.String         `tfsdk:"upstream_url"`
	Routes             []versionRouteModel  `tfsdk:"routes"`
	Plugins            []versionPluginModel `tfsdk:"plugins"`
	StatusCodes        map[string]int64     `tfsdk:"status_codes"`
	TotalRequests      types.Int64          `tfsdk:"total_requests"`
}

type versionRouteModel struct {
	ID      types.String `tfsdk:"id"`
	Name    types.String `tfsdk:"name"`
	Methods []string     `tfsdk:"methods"`
	Paths   []string     `tfsdk:"paths"`
	Hosts   []string     `tfsdk:"hosts"`
	URLs    []string     `tfsdk:"urls"`
}

type versionPluginModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	Scope     types.String `tfsdk:"scope"`
	RouteID   types.String `tfsdk:"route_id"`
	RouteName types.String `tfsdk:"route_name"`
}

func (d *versionStatusDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_version_status"
}

func (d *versionStatusDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	strs := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{Description: desc, Computed: true, ElementType: types.StringType}
	}
	resp.Schema = schema.Schema{
		Description: "The status of a Service Hub service version in this runtime group, as Konnect's version overview shows it: " +
			"whether the version is implemented, by which Gateway Service, with which routes, and what its traffic returned, by status code. " +
			"A version without an implementation is not an error: `implemented` is `false` and the lists and maps are empty.",
		Attributes: map[string]schema.Attribute{
			"service": schema.StringAttribute{
				Description: "Service Hub service, as on `servicehub_implementation`, e.g. `payments`. With `version`, or instead `service_version_id`.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{serviceRule},
			},
			"version": schema.StringAttribute{
				Description: "Version of the service, as on `servicehub_implementation`, e.g. `v1`.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{versionRule},
			},
			"service_version_id": serviceVersionIDStatusAttribute(),
			"time_range":         timeRangeAttribute(),
			"status_source":      statusSourceAttribute(),
			"implemented": schema.BoolAttribute{
				Description: "Whether the version has an implementation in this runtime group.",
				Computed:    true,
			},
			"implementation_id": schema.StringAttribute{
				Description: "Id of the implementing Gateway Service; null when not implemented.",
				Computed:    true,
			},
			"implementation_name": schema.StringAttribute{
				Description: "Name of the implementing Gateway Service; null when not implemented.",
				Computed:    true,
			},
			"enabled": schema.BoolAttribute{
				Description: "Whether the implementing Gateway Service is enabled; null when not implemented.",
				Computed:    true,
			},
			"upstream_url": schema.StringAttribute{
				Description: "Where the implementation sends traffic; null when not implemented.",
				Computed:    true,
			},
			"routes": schema.ListNestedAttribute{
				Description: "The implementation's routes, by name.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":      schema.StringAttribute{Description: "Route id.", Computed: true},
						"name":    schema.StringAttribute{Description: "Route name.", Computed: true},
						"methods": strs("HTTP methods the route matches; empty for any."),
						"paths":   strs("Paths the route matches; empty for any."),
						"hosts":   strs("Hosts the route matches; empty for any."),
						"urls": strs("URLs a client calls to reach the route: the provider's `proxy_url` joined with each path, on each host. " +
							"Regex paths and wildcard hosts name no single URL and are left out, as is a route that does not accept `proxy_url`'s scheme."),
					},
				},
			},
			"plugins": schema.ListNestedAttribute{
				Description: "The plugins on the implementation, then those on each of its routes (by route name), each by name; " +
					"plugins limited to one consumer are left out.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":      schema.StringAttribute{Description: "Plugin id.", Computed: true},
						"name":    schema.StringAttribute{Description: "Kong's name of the plugin, e.g. `rate-limiting`.", Computed: true},
						"enabled": schema.BoolAttribute{Description: "Whether the plugin runs.", Computed: true},
						"scope": schema.StringAttribute{
							Description: "What the plugin is on: `implementation` (every route of the implementation) or `route` (one route).",
							Computed:    true,
						},
						"route_id":   schema.StringAttribute{Description: "The route's id, for a plugin on a route; null otherwise.", Computed: true},
						"route_name": schema.StringAttribute{Description: "The route's name, for a plugin on a route; null otherwise.", Computed: true},
					},
				},
			},
			"status_codes": schema.MapAttribute{
				Description: "Requests by response status code (e.g. `\"200\"`). With `status_source = \"prometheus\"` these are Kong's " +
					"`kong_http_requests_total` counters for the Gateway Service's name in this workspace, over every route they name, since the " +
					"Kong node serving `metrics_url` started: they include requests to an earlier Gateway Service of the same name (one destroyed " +
					"and created again), so compare two readings rather than reading one as a total. Kong counts them once a `prometheus` plugin " +
					"has `status_code_metrics = true`. With `konnect_analytics` they are the Gateway Service's requests (by its id) within " +
					"`time_range`, as Konnect analytics reports them, which lags behind the traffic. Empty, with a warning, when they cannot be read.",
				Computed:    true,
				ElementType: types.Int64Type,
			},
			"total_requests": schema.Int64Attribute{
				Description: "Sum of `status_codes`.",
				Computed:    true,
			},
		},
	}
}

func (d *versionStatusDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client := configuredClient(req.ProviderData, &resp.Diagnostics); client != nil {
		d.statuses = client.Statuses
		d.analytics, d.catalog = client.Analytics, client.Catalog
	}
}

func (d *versionStatusDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m versionStatusModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.analytics != nil || !m.ServiceVersionID.IsNull() || !m.TimeRange.IsNull() {
		d.readKonnect(ctx, m, resp)
		return
	}
	d.readPrometheus(ctx, m, resp)
}

// readPrometheus reads the status with traffic from Prometheus.
func (d *versionStatusDataSource) readPrometheus(ctx context.Context, m versionStatusModel, resp *datasource.ReadResponse) {
	st, err := d.statuses.Version(ctx, m.Service.ValueString(), m.Version.ValueString())
	if err != nil {
		addStatusError(&resp.Diagnostics, err)
		return
	}
	if st.MetricsErr != nil {
		addMetricsWarning(&resp.Diagnostics, d.statuses.MetricsURL(), st.MetricsErr)
	}
	m.StatusSource = types.StringValue(servicehub.SourcePrometheus)
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenVersionStatus(m, st))...)
}

func flattenVersionStatus(m versionStatusModel, st servicehub.VersionStatus) versionStatusModel {
	m.Implemented = types.BoolValue(st.Implementation != nil)
	m.ImplementationID = types.StringNull()
	m.ImplementationName = types.StringNull()
	m.Enabled = types.BoolNull()
	m.UpstreamURL = types.StringNull()
	if impl := st.Implementation; impl != nil {
		m.ImplementationID = types.StringValue(impl.ID())
		m.ImplementationName = types.StringValue(impl.Name())
		m.Enabled = types.BoolValue(impl.Enabled())
		m.UpstreamURL = types.StringValue(impl.UpstreamURL())
	}
	m.Routes = make([]versionRouteModel, 0, len(st.Routes))
	for _, r := range st.Routes {
		m.Routes = append(m.Routes, versionRouteModel{
			ID:      types.StringValue(r.ID),
			Name:    types.StringValue(r.Name),
			Methods: nonNil(r.Methods),
			Paths:   nonNil(r.Paths),
			Hosts:   nonNil(r.Hosts),
			URLs:    nonNil(r.URLs),
		})
	}
	m.Plugins = make([]versionPluginModel, 0, len(st.Plugins))
	for _, p := range st.Plugins {
		pm := versionPluginModel{
			ID: types.StringValue(p.ID), Name: types.StringValue(p.Name), Enabled: types.BoolValue(p.Enabled),
			Scope: types.StringValue(p.Scope), RouteID: types.StringNull(), RouteName: types.StringNull(),
		}
		if p.Scope == servicehub.ScopeRoute {
			pm.RouteID, pm.RouteName = types.StringValue(p.RouteID), types.StringValue(p.RouteName)
		}
		m.Plugins = append(m.Plugins, pm)
	}
	m.StatusCodes = map[string]int64{}
	for code, n := range st.Traffic.StatusCodes {
		m.StatusCodes[code] = n
	}
	m.TotalRequests = types.Int64Value(st.Traffic.Total)
	return m
}

// nonNil keeps "none" an empty list rather than null, so configurations can
// call length() on any of them.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
