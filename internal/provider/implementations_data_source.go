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
	_ datasource.DataSource              = (*implementationsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*implementationsDataSource)(nil)
)

// NewImplementationsDataSource is the servicehub_implementations data source.
func NewImplementationsDataSource() datasource.DataSource { return &implementationsDataSource{} }

type implementationsDataSource struct {
	impls *servicehub.Implementations
}

type implementationsModel struct {
	Service         types.String            `tfsdk:"service"`
	Implementations []implementationSummary `tfsdk:"implementations"`
}

type implementationSummary struct {
	ID      types.String `tfsdk:"id"`
	Name    types.String `tfsdk:"name"`
	Service types.String `tfsdk:"service"`
	Version types.String `tfsdk:"version"`
	URL     types.String `tfsdk:"url"`
	Enabled types.Bool   `tfsdk:"enabled"`
}

func (d *implementationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_implementations"
}

func (d *implementationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Description: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		Description: "Every implementation in the runtime group, or every implementation of one Service Hub service: the Gateway Services " +
			"tagged `servicehub:service=<service>`, whoever made them (Terraform, the Konnect UI, decK). Read with one listing of the " +
			"Gateway Services, 1000 per request.",
		Attributes: map[string]schema.Attribute{
			"service": schema.StringAttribute{
				Description: "Only the implementations of this Service Hub service, e.g. `payments`. All of them when unset.",
				Optional:    true,
				Validators:  []validator.String{serviceRule},
			},
			"implementations": schema.ListNestedAttribute{
				Description: "The implementations, by service, version, name and id.",
				Computed:    true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id":      str("Gateway Service id."),
						"name":    str("Gateway Service name."),
						"service": str("Service Hub service it implements."),
						"version": str("Version it implements; null when the Gateway Service has no `servicehub:version=` tag."),
						"url":     str("Upstream URL, from the Gateway Service's protocol, host, port and path."),
						"enabled": schema.BoolAttribute{Description: "Whether the Gateway Service is enabled.", Computed: true},
					},
				},
			},
		},
	}
}

func (d *implementationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client := configuredClient(req.ProviderData, &resp.Diagnostics); client != nil {
		d.impls = client.Implementations
	}
}

func (d *implementationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m implementationsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	impls, err := d.impls.List(ctx, m.Service.ValueString())
	if err != nil {
		addLookupError(&resp.Diagnostics, err)
		return
	}
	m.Implementations = make([]implementationSummary, len(impls))
	for i, impl := range impls {
		m.Implementations[i] = implementationSummary{
			ID:      types.StringValue(impl.ID()),
			Name:    optionalString(impl.Name()),
			Service: types.StringValue(impl.Service),
			Version: optionalString(impl.Version),
			URL:     types.StringValue(impl.UpstreamURL()),
			Enabled: types.BoolValue(impl.Enabled()),
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
