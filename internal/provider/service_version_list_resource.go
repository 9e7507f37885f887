package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ list.ListResource              = (*serviceVersionListResource)(nil)
	_ list.ListResourceWithConfigure = (*serviceVersionListResource)(nil)
)

// NewServiceVersionListResource lists servicehub_service_version.
func NewServiceVersionListResource() list.ListResource { return &serviceVersionListResource{} }

type serviceVersionListResource struct {
	catalog *servicehub.Catalog
}

type serviceVersionListModel struct {
	Service types.String `tfsdk:"service"`
}

func (r *serviceVersionListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_version"
}

func (r *serviceVersionListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "The service versions already in Konnect's API Catalog, to import: its APIs that have a version (an API without one " +
			"is not a service version until it is given one). By service and version; read with one listing of the APIs (100 per request). " +
			"Needs a Konnect control plane's `admin_url`.",
		Attributes: map[string]listschema.Attribute{
			"service": listschema.StringAttribute{
				Description: "Only the versions of this service (the API's name), e.g. `payments`.",
				Optional:    true,
				Validators:  []validator.String{catalogNameRule},
			},
		},
	}
}

func (r *serviceVersionListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if client := configuredClient(req.ProviderData, &resp.Diagnostics); client != nil {
		r.catalog = client.Catalog
	}
}

func (r *serviceVersionListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	config, ok := listConfig[serviceVersionListModel](ctx, req, stream)
	if !ok {
		return
	}
	versions, err := r.catalog.ListVersions(ctx, config.Service.ValueString())
	if err != nil {
		listFailed(stream, func(d *diag.Diagnostics) { addListError(d, "service versions", err) })
		return
	}
	items := make([]found, len(versions))
	for i, v := range versions {
		items[i] = found{id: v.ID, display: v.Service + " " + v.Version, resource: func(ctx context.Context) (tftypes.Value, diag.Diagnostics) {
			// As Read records it after an import: the catalog never
			// returns spec_content, so it is null.
			m, diags := flattenServiceVersion(ctx, v, serviceVersionModel{})
			st := tfsdk.State{Schema: req.ResourceSchema, Raw: tftypes.NewValue(req.ResourceSchema.Type().TerraformType(ctx), nil)}
			diags.Append(st.Set(ctx, m)...)
			return st.Raw, diags
		}}
	}
	stream.Results = listResults(ctx, req, items)
}
