package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ datasource.DataSource                     = (*serviceVersionDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*serviceVersionDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*serviceVersionDataSource)(nil)
)

// NewServiceVersionDataSource is the servicehub_service_version data source.
func NewServiceVersionDataSource() datasource.DataSource { return &serviceVersionDataSource{} }

type serviceVersionDataSource struct {
	catalog *servicehub.Catalog
}

type serviceVersionDataModel struct {
	ID          types.String `tfsdk:"id"`
	Service     types.String `tfsdk:"service"`
	Version     types.String `tfsdk:"version"`
	Description types.String `tfsdk:"description"`
	Slug        types.String `tfsdk:"slug"`
	Labels      types.Map    `tfsdk:"labels"`
	HasSpec     types.Bool   `tfsdk:"has_spec"`
	SpecVersion types.String `tfsdk:"spec_version"`
	SpecID      types.String `tfsdk:"spec_version_id"`
	CreatedAt   types.String `tfsdk:"created_at"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

func (d *serviceVersionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_version"
}

func (d *serviceVersionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A service version in Konnect's API Catalog, looked up by `service` and `version` or by `id`: typically one made in the Konnect UI, " +
			"to implement with `servicehub_implementation`'s `service_version_id`. Finding none is an error. Needs a Konnect control plane's `admin_url`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description: "The API's id. Give it, or `service` and `version`.",
				Optional:    true,
				Computed:    true,
			},
			"service": schema.StringAttribute{
				Description: "Service Hub service, the API's name. With `version`, instead of `id`.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{catalogNameRule},
			},
			"version": schema.StringAttribute{
				Description: "Version of the service, the API's version. With `service`, instead of `id`.",
				Optional:    true,
				Computed:    true,
				Validators:  []validator.String{catalogNameRule},
			},
			"description": schema.StringAttribute{Description: "Description; null when it has none.", Computed: true},
			"slug":        schema.StringAttribute{Description: "URL-friendly name.", Computed: true},
			"labels":      schema.MapAttribute{Description: "Labels.", Computed: true, ElementType: types.StringType},
			"has_spec":    schema.BoolAttribute{Description: "Whether the API has a specification (its content is never returned).", Computed: true},
			"spec_version": schema.StringAttribute{
				Description: "The version of the API's version document (its specification's `info.version`, or the API's version); null when it has none.",
				Computed:    true,
			},
			"spec_version_id": schema.StringAttribute{Description: "Id of the API's version document in the catalog; null when it has none.", Computed: true},
			"created_at":      schema.StringAttribute{Description: "Creation time, RFC 3339.", Computed: true},
			"updated_at":      schema.StringAttribute{Description: "Last update time, RFC 3339.", Computed: true},
		},
	}
}

func (d *serviceVersionDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("service")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("service"), path.MatchRoot("version")),
	}
}

func (d *serviceVersionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client := configuredClient(req.ProviderData, &resp.Diagnostics); client != nil {
		d.catalog = client.Catalog
	}
}

func (d *serviceVersionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m serviceVersionDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var v servicehub.ServiceVersion
	var err error
	if !m.ID.IsNull() {
		v, err = d.catalog.GetVersion(ctx, m.ID.ValueString())
	} else {
		v, err = d.catalog.FindVersion(ctx, m.Service.ValueString(), m.Version.ValueString())
	}
	if err != nil {
		addCatalogError(&resp.Diagnostics, "Unable to read service version", err)
		return
	}
	labels, diags := types.MapValueFrom(ctx, types.StringType, v.Labels)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, serviceVersionDataModel{
		ID: types.StringValue(v.ID), Service: types.StringValue(v.Service), Version: optionalString(v.Version),
		Description: types.StringPointerValue(v.Description), Slug: optionalString(v.Slug), Labels: labels,
		HasSpec: types.BoolValue(v.HasSpec), SpecVersion: optionalString(v.SpecVersion), SpecID: optionalString(v.SpecVersionID), CreatedAt: types.StringValue(v.CreatedAt), UpdatedAt: types.StringValue(v.UpdatedAt),
	})...)
}
