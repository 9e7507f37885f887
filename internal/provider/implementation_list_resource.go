package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ list.ListResource              = (*implementationListResource)(nil)
	_ list.ListResourceWithConfigure = (*implementationListResource)(nil)
)

// NewImplementationListResource lists servicehub_implementation.
func NewImplementationListResource() list.ListResource { return &implementationListResource{} }

type implementationListResource struct {
	client *servicehub.Client
}

type implementationListModel struct {
	Service types.String `tfsdk:"service"`
	Version types.String `tfsdk:"version"`
}

func (r *implementationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_implementation"
}

func (r *implementationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		Description: "The implementations already in the runtime group, to import: the Gateway Services tagged `servicehub:service=<service>` " +
			"(made with this provider, decK, or by hand with the tags) and, on a Konnect control plane, also those linked to a version in the " +
			"API Catalog (as the Konnect UI links them). Other Gateway Services are not implementations and are not listed. " +
			"By service, version and name; read with one listing of the Gateway Services (1000 per request) and, on Konnect, " +
			"one of the catalog's implementations and APIs.",
		Attributes: map[string]listschema.Attribute{
			"service": listschema.StringAttribute{
				Description: "Only the implementations of this Service Hub service, e.g. `payments`.",
				Optional:    true,
				Validators:  []validator.String{serviceRule},
			},
			"version": listschema.StringAttribute{
				Description: "Only the implementations of this version, e.g. `v1`.",
				Optional:    true,
				Validators:  []validator.String{versionRule},
			},
		},
	}
}

func (r *implementationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (r *implementationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	config, ok := listConfig[implementationListModel](ctx, req, stream)
	if !ok {
		return
	}
	impls, err := r.client.FindImplementations(ctx, servicehub.FoundQuery{Service: config.Service.ValueString(), Version: config.Version.ValueString()})
	if err != nil {
		listFailed(stream, func(d *diag.Diagnostics) { addListError(d, "implementations", err) })
		return
	}
	items := make([]found, len(impls))
	for i, f := range impls {
		items[i] = found{id: f.ID(), display: implementationDisplay(f), resource: func(ctx context.Context) (tftypes.Value, diag.Diagnostics) {
			// As Read records it after an import: prior holds nothing.
			m, diags := flatten(ctx, f.Implementation, implementationModel{}, taggingOf(r.client))
			if f.Link != nil {
				m.ServiceVersionID = types.StringValue(f.Link.VersionID)
			}
			raw, d := implementationCodec.set(ctx, m)
			return raw, append(diags, d...)
		}}
	}
	stream.Results = listResults(ctx, req, items)
}

// implementationDisplay is "payments-v1 (payments v1)", and says when the
// version comes from a catalog link rather than tags.
func implementationDisplay(f servicehub.Found) string {
	what := f.ServiceName()
	if v := f.VersionName(); v != "" {
		what += " " + v
	}
	if f.Service == "" {
		what += ", linked in the API catalog"
	}
	return fmt.Sprintf("%s (%s)", f.Name(), what)
}
