package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ resource.Resource                   = (*routeResource)(nil)
	_ resource.ResourceWithConfigure      = (*routeResource)(nil)
	_ resource.ResourceWithImportState    = (*routeResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*routeResource)(nil)
	_ resource.ResourceWithValidateConfig = (*routeResource)(nil)
	_ resource.ResourceWithIdentity       = (*routeResource)(nil)
)

// NewRouteResource is the servicehub_route resource.
func NewRouteResource() resource.Resource { return &routeResource{} }

type routeResource struct {
	routes   *servicehub.Routes
	writable writableCheck       // read_only.go
	plugins  *servicehub.Plugins // what a destroy would take down (servicehub/guard.go)
	tags     tagging
}

// routeCodec reads and writes routeModel.
var routeCodec = newCodec[routeModel](routeSchema())

// routeKong maps the resource onto Kong's Route.
var routeKong = kongEntity{
	kind:     "routes",
	noun:     "route",
	resource: "servicehub_route",
	refs: map[string]kongRef{"implementation_id": {
		field: "service", title: "Implementation not found", noun: "Gateway Service",
		advice: "Refer to an existing implementation, e.g. implementation_id = servicehub_implementation.<name>.id.",
	}},
	notes: map[string]func(string) string{
		"must set ":      say("A route must say which requests it matches."),
		"unknown type: ": say("Kong's protocols are " + strings.Join(kongschema.Protocols, ", ") + "."),
		"methods: invalid value: ": func(v string) string {
			return fmt.Sprintf("HTTP methods are upper case: %q.", strings.ToUpper(v))
		},
	},
	defaults: map[string]string{
		"protocols": "protocols is not set, so the route's protocols are the default, [\"http\", \"https\"].",
	},
	local: []string{"force_destroy", "tags_all"},
	attrs: attributeTypes(routeSchema()),
}

func (r *routeResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_route"
}

func (r *routeResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = routeSchema()
}

func (r *routeResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("Route id.")
}

// routeSchema describes the attributes; Kong's rules on their values are
// checked by ValidateConfig, the provider's own here.
func routeSchema() schema.Schema {
	peers := func(what string) schema.SetNestedAttribute {
		return schema.SetNestedAttribute{
			Description: fmt.Sprintf("%s of stream (tcp, tls, udp) requests to match, each with an `ip` (address or CIDR range), a `port`, or both. "+
				"Not allowed with http, https, grpc or grpcs.", what),
			Optional: true,
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"ip": schema.StringAttribute{
						Description: "IP address or CIDR range, e.g. `10.0.0.0/8`.",
						Optional:    true,
					},
					"port": schema.Int64Attribute{
						Description: "Port, 0 to 65535.",
						Optional:    true,
					},
				},
			},
		}
	}
	// Kong keeps a set's elements unique by dropping repeats, which would
	// read back as drift: the provider refuses them instead.
	list := func(desc string, unique bool, more ...validator.List) schema.ListAttribute {
		v := append([]validator.List{listvalidator.NoNullValues()}, more...)
		if unique {
			v = append(v, listvalidator.UniqueValues())
		}
		return schema.ListAttribute{Description: desc, Optional: true, ElementType: types.StringType, Validators: v}
	}
	protocols := make([]attr.Value, len(kongschema.RouteDefaultProtocols))
	for i, p := range kongschema.RouteDefaultProtocols {
		protocols[i] = types.StringValue(p)
	}

	return schema.Schema{
		Description: "A Route of an implementation: which requests Kong sends to the implementation's Gateway Service. " +
			"An implementation can have any number of routes. For http and https a route must set at least one of `methods`, `hosts`, `headers` or `paths` " +
			"(or `snis` with https).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "Route id.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"implementation_id": schema.StringAttribute{
				Description: "Id of the implementation (Gateway Service) the route sends requests to. Changing it moves the route in place. " +
					"To move routes off an implementation and delete it in the same apply, give the implementation `lifecycle { create_before_destroy = true }`, " +
					"so that Terraform deletes it only after the routes have moved.",
				Required: true,
			},
			"name": schema.StringAttribute{
				Description: "Route name, unique in the runtime group and case-sensitive: `foo` and `Foo` are two routes.",
				Required:    true,
			},
			"methods": list("HTTP methods to match, in upper case, e.g. `[\"GET\", \"POST\"]`.", true),
			"paths": list("Paths to match, each a prefix starting with `/` or a regex starting with `~/`, e.g. `[\"/foo\", \"~/items/\\\\d+$\"]`. "+
				"Order is kept.", false),
			"hosts": list("Host header values to match, with an optional port and one leftmost or rightmost `*` wildcard, e.g. `*.example.com`. "+
				"Order is kept.", false),
			"headers": schema.MapAttribute{
				Description: "Request headers to match: header name to the values any of which matches. `host` is not allowed here; use `hosts`.",
				Optional:    true,
				ElementType: headersType,
				Validators:  []validator.Map{mapvalidator.ValueListsAre(listvalidator.NoNullValues())},
			},
			"protocols": schema.ListAttribute{
				Description: "Protocols the route accepts: `http` and `https`, or `grpc` and `grpcs`, or `tcp`, `tls` and `udp`, or `tls_passthrough`. " +
					"Defaults to `[\"http\", \"https\"]`.",
				Optional:    true,
				Computed:    true,
				ElementType: types.StringType,
				Default:     listdefault.StaticValue(types.ListValueMust(types.StringType, protocols)),
				Validators:  []validator.List{listvalidator.NoNullValues(), listvalidator.UniqueValues()},
			},
			"strip_path": schema.BoolAttribute{
				Description: "Whether to remove the matched path prefix from the request before proxying it. Defaults to `true`, " +
					"or `false` when the first protocol is grpc or grpcs, which do not allow it.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"preserve_host": schema.BoolAttribute{
				Description: "Whether to send the client's Host header to the upstream instead of the implementation's host. Defaults to `false`.",
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(false),
			},
			"regex_priority": schema.Int64Attribute{
				Description: "Order in which regex paths are tried when several routes match; higher first. Defaults to `0`.",
				Optional:    true,
				Computed:    true,
				Default:     int64default.StaticInt64(0),
			},
			"path_handling": schema.StringAttribute{
				Description: "How the upstream path is joined with the request path: `v0` or `v1` (deprecated). Defaults to `v0`.",
				Optional:    true,
				Computed:    true,
				Default:     stringdefault.StaticString("v0"),
			},
			"https_redirect_status_code": schema.Int64Attribute{
				Description: "Status Kong answers with when the route does not accept http and a request comes over http: " +
					"`426`, `301`, `302`, `307` or `308`. Defaults to `426`.",
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(426),
			},
			"request_buffering": schema.BoolAttribute{
				Description: "Whether Kong buffers the request body before proxying it. Defaults to `true`.",
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(true),
			},
			"response_buffering": schema.BoolAttribute{
				Description: "Whether Kong buffers the response body before returning it. Defaults to `true`.",
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(true),
			},
			"snis": list("TLS server names to match, e.g. `api.example.com`; a leftmost or rightmost `*` wildcard (`*.example.com`) needs Kong 3.7 or later. "+
				"Only with protocols https, grpcs, tls or tls_passthrough.", true),
			"sources":      peers("Client addresses"),
			"destinations": peers("Destination addresses"),
			"tags": list("Your own tags on the route. The provider's `servicehub:` tags and its `default_tags` are managed separately and never appear here.",
				true, listvalidator.ValueStringsAre(userTagRule)),
			"tags_all": tagsAllAttribute(),
			"force_destroy": schema.BoolAttribute{
				Description: "Whether destroying the route may take down the plugins on it that this configuration does not manage, which Kong " +
					"deletes with it. Without it a destroy that finds any fails, naming each, and deletes nothing. Set it, and apply, before the " +
					"destroy: Terraform destroys with the value in state. Never takes down an entity of Kong's Ingress Controller. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_at": createdAtAttribute(),
			"updated_at": updatedAtAttribute(),
		},
	}
}

func (r *routeResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	client := configuredClient(req.ProviderData, &resp.Diagnostics)
	if client != nil {
		r.routes, r.plugins = client.Routes, client.Plugins
		r.writable = client.CheckWritable
	}
	r.tags = taggingOf(client)
}

func (r *routeResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer identify(resp.Identity, &resp.State)
	plan, diags := routeCodec.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	route, diags := plan.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.routes.Create(ctx, servicehub.Route{Kong: route})
	if err != nil {
		addEntityError(&resp.Diagnostics, routeKong, "create", err)
		if m, ok := markOfUnsettled(err); ok {
			writeMark(ctx, resp.Private, m, &resp.Diagnostics)
		}
		resp.Diagnostics.Append(keepTainted(ctx, err, req.Plan, &resp.State)...)
		return
	}
	writeMark(ctx, resp.Private, servicehub.MarkOfRoute(created), &resp.Diagnostics)
	state, diags := flattenRoute(ctx, &created.Kong, plan, r.tags)
	resp.Diagnostics.Append(diags...)
	resp.State.Raw, diags = routeCodec.set(ctx, state)
	resp.Diagnostics.Append(diags...)
}

func (r *routeResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identify(resp.Identity, &resp.State, &req.State)
	prior, diags := routeCodec.get(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// After an import by name, id holds the name until this first read.
	route, err := r.routes.Get(ctx, prior.ID.ValueString())
	if servicehub.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addEntityError(&resp.Diagnostics, routeKong, "read", err)
		return
	}
	// Only the route this state's create made is this state's (see
	// ownership.go); a state without a mark (imported, or written before
	// routes carried one) takes it now.
	if err := servicehub.CheckNotIngress("Route", route.ID(), route.Name(), route.Kong.Tags); err != nil {
		addEntityError(&resp.Diagnostics, routeKong, "read", err)
		return
	}
	mark := readMark(ctx, req.Private, &resp.Diagnostics)
	if mark.Known() && !mark.OwnsRoute(route) {
		addDroppedRouteWarning(&resp.Diagnostics, route)
		resp.State.RemoveResource(ctx)
		return
	}
	writeMark(ctx, resp.Private, mark.AdoptRoute(route), &resp.Diagnostics)
	state, diags := flattenRoute(ctx, &route.Kong, prior, r.tags)
	resp.Diagnostics.Append(diags...)
	resp.State.Raw, diags = routeCodec.set(ctx, state)
	resp.Diagnostics.Append(diags...)
}

func (r *routeResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer identify(resp.Identity, &resp.State)
	// force_destroy alone is the provider's, not Kong's: nothing to write.
	if sameExcept(req.Plan.Raw, req.State.Raw, "force_destroy") {
		resp.State.Raw = req.Plan.Raw
		return
	}
	plan, diags := routeCodec.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	state, diags := routeCodec.get(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	route, diags := plan.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, diags := state.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	mark := readMark(ctx, req.Private, &resp.Diagnostics)
	updated, err := r.routes.Update(ctx, servicehub.Route{Kong: prior}, servicehub.Route{Kong: route}, mark)
	if err != nil {
		addEntityError(&resp.Diagnostics, routeKong, "update", err)
		return
	}
	// The token the update wrote: a route imported without one has it now.
	writeMark(ctx, resp.Private, mark.AdoptRoute(updated), &resp.Diagnostics)
	newState, diags := flattenRoute(ctx, &updated.Kong, plan, r.tags)
	resp.Diagnostics.Append(diags...)
	resp.State.Raw, diags = routeCodec.set(ctx, newState)
	resp.Diagnostics.Append(diags...)
}

// Delete removes the route, unless plugins that this configuration does
// not manage are on it (servicehub/guard.go): then it fails naming them,
// deleting nothing, or with force_destroy takes them down with it.
func (r *routeResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	force := attrOf(req.State.Raw, "force_destroy")
	var forced bool
	if force.IsKnown() && !force.IsNull() {
		_ = force.As(&forced)
	}
	if err := r.routes.Delete(ctx, stringAttr(req.State.Raw, "id"), stringAttr(req.State.Raw, "name"), forced); err != nil {
		addEntityError(&resp.Diagnostics, routeKong, "delete", err)
	}
}

// ImportState accepts the route's id or its name, or an identity (its
// id); Read resolves a name and records the id.
func (r *routeResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importID(ctx, req, resp, "  terraform import servicehub_route.foo foo\n\n"+
		"with the route's id or name, or an import block with identity = { id = \"<route id>\" }.")
	if id != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	}
}
