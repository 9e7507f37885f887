package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ list.ListResource              = (*routeListResource)(nil)
	_ list.ListResourceWithConfigure = (*routeListResource)(nil)
)

// NewRouteListResource lists servicehub_route.
func NewRouteListResource() list.ListResource { return &routeListResource{} }

type routeListResource struct {
	client *servicehub.Client
}

type routeListModel struct {
	ImplementationID types.String `tfsdk:"implementation_id"`
}

func (r *routeListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_route"
}

func (r *routeListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "The routes of the implementations already in the runtime group (those the `servicehub_implementation` list finds), " +
			"to import; routes of other Gateway Services are not listed. By implementation name and route name; read with one listing of " +
			"the Gateway Services and one of the Routes (1000 per request), or, with `implementation_id`, that Gateway Service and its routes.",
		Attributes: map[string]listschema.Attribute{
			"implementation_id": listschema.StringAttribute{
				Description: "Only the routes of this implementation (Gateway Service id). It must be an implementation: a Gateway Service " +
					"with the `servicehub:service=` tag or, on Konnect, linked to a version in the API Catalog.",
				Optional: true,
			},
		},
	}
}

func (r *routeListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (r *routeListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	config, ok := listConfig[routeListModel](ctx, req, stream)
	if !ok {
		return
	}
	routes, err := r.client.FindRoutes(ctx, config.ImplementationID.ValueString())
	if err != nil {
		listFailed(stream, func(d *diag.Diagnostics) { addListError(d, "routes", err) })
		return
	}
	items := make([]found, len(routes))
	for i, fr := range routes {
		items[i] = found{
			id:      stringOf(fr.Route.ID),
			display: fmt.Sprintf("%s (route of %s)", stringOf(fr.Route.Name), fr.Implementation.Name()),
			resource: func(ctx context.Context) (tftypes.Value, diag.Diagnostics) {
				// As Read records it after an import: prior holds nothing.
				m, diags := flattenRoute(ctx, fr.Route, routeModel{}, taggingOf(r.client))
				raw, d := routeCodec.set(ctx, m)
				return raw, append(diags, d...)
			},
		}
	}
	stream.Results = listResults(ctx, req, items)
}
