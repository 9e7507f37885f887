package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ datasource.DataSource                     = (*implementationDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*implementationDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*implementationDataSource)(nil)
)

// NewImplementationDataSource is the servicehub_implementation data source.
func NewImplementationDataSource() datasource.DataSource { return &implementationDataSource{} }

type implementationDataSource struct {
	impls   *servicehub.Implementations
	routes  *servicehub.Routes
	catalog *servicehub.Catalog
}

// implementationLookupModel is the resource's model plus the route ids;
// its schema is derived from the resource's, so an attribute added to
// servicehub_implementation reaches the data source by itself.
type implementationLookupModel struct {
	implementationModel
	RouteIDs types.List `tfsdk:"route_ids"`
}

func (d *implementationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_implementation"
}

func (d *implementationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := computedAttributes(implementationSchema().Attributes)
	lookup := func(desc string, v ...validator.String) dschema.StringAttribute {
		return dschema.StringAttribute{Description: desc, Optional: true, Computed: true, Validators: v}
	}
	attrs["id"] = lookup("Gateway Service id to look up. Set exactly one of `id`, `name`, or `service` with `version`.")
	attrs["name"] = lookup("Gateway Service name to look up; names are unique in a runtime group.")
	attrs["service"] = lookup("Service Hub service to look up, with `version`: the implementation is the Gateway Service tagged "+
		"`servicehub:service=<service>` and `servicehub:version=<version>`. Null when the Gateway Service found by `id` or `name` has no such tag.",
		serviceRule)
	attrs["version"] = lookup("Version of `service` to look up, e.g. `v1`.", versionRule)
	// The resource's descriptions of these say how to configure them.
	for name, desc := range lookupDescriptions {
		switch a := attrs[name].(type) {
		case dschema.StringAttribute:
			a.Description = desc
			attrs[name] = a
		case dschema.SetAttribute:
			a.Description = desc
			attrs[name] = a
		case dschema.BoolAttribute:
			a.Description = desc
			attrs[name] = a
		case dschema.Int64Attribute:
			a.Description = desc
			attrs[name] = a
		default:
			panic(fmt.Sprintf("lookupDescriptions: attribute %q is a %T", name, a))
		}
	}
	attrs["route_ids"] = dschema.ListAttribute{
		Description: "Ids of the implementation's routes, by route name; empty when it has none.",
		Computed:    true,
		ElementType: types.StringType,
	}
	resp.Schema = dschema.Schema{
		Description: "One implementation of a Service Hub service version, looked up by `id`, by `name`, or by `service` and `version`: " +
			"every attribute of the `servicehub_implementation` resource, plus the ids of its routes. It finds implementations made anywhere " +
			"(by Terraform, in the Konnect UI, with decK) that carry the `servicehub:` tags; by `id` or `name` it finds any Gateway Service. " +
			"Reading fails when nothing matches, or when several Gateway Services carry the tags of the version.",
		Attributes: attrs,
	}
}

func (d *implementationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"), path.MatchRoot("service")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("service"), path.MatchRoot("version")),
	}
}

func (d *implementationDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if client := configuredClient(req.ProviderData, &resp.Diagnostics); client != nil {
		d.impls, d.routes, d.catalog = client.Implementations, client.Routes, client.Catalog
	}
}

func (d *implementationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config implementationLookupModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	q := servicehub.ImplementationQuery{
		ID: config.ID.ValueString(), Name: config.Name.ValueString(),
		Service: config.Service.ValueString(), Version: config.Version.ValueString(),
	}
	impl, err := d.impls.Find(ctx, q)
	if err != nil {
		addLookupError(&resp.Diagnostics, err)
		return
	}
	ids, err := d.routes.RouteIDs(ctx, impl.ID())
	if err != nil {
		addLookupError(&resp.Diagnostics, fmt.Errorf("listing the routes of %q: %w", impl.Name(), err))
		return
	}
	m, diags := flatten(ctx, impl, implementationModel{})
	resp.Diagnostics.Append(diags...)
	state := implementationLookupModel{implementationModel: m}
	if d.catalog != nil && d.catalog.Available() == nil {
		link, err := d.catalog.LinkOf(ctx, impl.ID())
		if err != nil {
			addLookupError(&resp.Diagnostics, fmt.Errorf("reading the API Catalog link of %q: %w", impl.Name(), err))
			return
		}
		if link != nil {
			state.ServiceVersionID = types.StringValue(link.VersionID)
		}
	}
	state.RouteIDs, diags = types.ListValueFrom(ctx, types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// lookupDescriptions replace the resource's descriptions of attributes
// whose text is about configuring them.
var lookupDescriptions = map[string]string{
	"service_version_id": "Id of the version in Konnect's API Catalog that the Gateway Service is linked to as its implementation, " +
		"read from the catalog; null when it is linked to none, or when `admin_url` is not a Konnect control plane.",
	"url":              "Upstream URL, from the Gateway Service's `protocol`, `host`, `port` and `path`.",
	"path":             "Path prefix of requests to the upstream; null when there is none.",
	"tags":             "The Gateway Service's tags, without the provider's own `servicehub:` tags.",
	"tls_verify":       "Whether the upstream's TLS certificate is verified; null when Kong's `proxy_ssl_verify` applies.",
	"tls_verify_depth": "Maximum depth of the upstream certificate chain; null when Kong's default applies.",
}

// readOnly drops what a resource's description says about configuring
// the attribute, its last sentence by convention.
func readOnly(desc string) string {
	for _, cut := range []string{" Defaults to ", " Required unless "} {
		if i := strings.Index(desc, cut); i >= 0 {
			desc = desc[:i]
		}
	}
	return desc
}

// computedAttributes are a resource's attributes as a data source's:
// computed, with the resource's descriptions and nothing else.
func computedAttributes(attrs map[string]schema.Attribute) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(attrs))
	for name, a := range attrs {
		desc := readOnly(a.GetDescription())
		switch a := a.(type) {
		case schema.StringAttribute:
			out[name] = dschema.StringAttribute{Description: desc, Computed: true}
		case schema.Int64Attribute:
			out[name] = dschema.Int64Attribute{Description: desc, Computed: true}
		case schema.BoolAttribute:
			out[name] = dschema.BoolAttribute{Description: desc, Computed: true}
		case schema.ListAttribute:
			out[name] = dschema.ListAttribute{Description: desc, Computed: true, ElementType: a.ElementType}
		case schema.SetAttribute:
			out[name] = dschema.SetAttribute{Description: desc, Computed: true, ElementType: a.ElementType}
		case schema.MapAttribute:
			out[name] = dschema.MapAttribute{Description: desc, Computed: true, ElementType: a.ElementType}
		case schema.SingleNestedAttribute:
			out[name] = dschema.SingleNestedAttribute{Description: desc, Computed: true, Attributes: computedAttributes(a.Attributes)}
		case schema.SetNestedAttribute:
			out[name] = dschema.SetNestedAttribute{Description: desc, Computed: true,
				NestedObject: dschema.NestedAttributeObject{Attributes: computedAttributes(a.NestedObject.Attributes)}}
		case schema.ListNestedAttribute:
			out[name] = dschema.ListNestedAttribute{Description: desc, Computed: true,
				NestedObject: dschema.NestedAttributeObject{Attributes: computedAttributes(a.NestedObject.Attributes)}}
		default:
			panic(fmt.Sprintf("computedAttributes: attribute %q is a %T: add its kind", name, a))
		}
	}
	return out
}
