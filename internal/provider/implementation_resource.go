package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ resource.Resource                     = (*implementationResource)(nil)
	_ resource.ResourceWithConfigure        = (*implementationResource)(nil)
	_ resource.ResourceWithImportState      = (*implementationResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*implementationResource)(nil)
	_ resource.ResourceWithConfigValidators = (*implementationResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*implementationResource)(nil)
	_ resource.ResourceWithIdentity         = (*implementationResource)(nil)
)

// NewImplementationResource is the servicehub_implementation resource.
func NewImplementationResource() resource.Resource { return &implementationResource{} }

type implementationResource struct {
	impls    *servicehub.Implementations
	catalog  *servicehub.Catalog // for service_version_id (implementation_link.go)
	writable writableCheck       // read_only.go
	plugins  *servicehub.Plugins // what a destroy would take down (servicehub/guard.go)
	tags     tagging
}

// implementationCodec reads and writes implementationModel.
var implementationCodec = newCodec[implementationModel](implementationSchema())

// implementationKong maps the resource onto Kong's Gateway Service.
var implementationKong = kongEntity{
	kind:     "services",
	noun:     "implementation",
	resource: "servicehub_implementation",
	refs: map[string]kongRef{"client_certificate_id": {
		field: "client_certificate", title: "Certificate not found", noun: "certificate",
		advice: "Upload the client certificate to Kong first, or refer to an existing one.",
	}},
	local:         []string{"service", "version", "service_version_id", "force_destroy", "tags_all"},
	shorthand:     "url",
	shorthandInto: []string{"protocol", "host", "port", "path"},
	attrs:         attributeTypes(implementationSchema()),
}

func (r *implementationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_implementation"
}

const (
	defaultRetries = 5
	defaultTimeout = 60000
)

func (r *implementationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = implementationSchema()
}

func (r *implementationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("Gateway Service id.")
}

// implementationSchema describes the attributes; Kong's rules on their
// values are checked by ValidateConfig, the provider's own here.
func implementationSchema() schema.Schema {
	timeout := func(what string) schema.Int64Attribute {
		return schema.Int64Attribute{
			Description: fmt.Sprintf("Timeout in milliseconds for %s the upstream, 1 to 2147483646. Defaults to `%d`.", what, defaultTimeout),
			Optional:    true,
			Computed:    true,
			Default:     int64default.StaticInt64(defaultTimeout),
		}
	}

	return schema.Schema{
		Description: "An implementation of a Service Hub service version: the Kong Gateway Service that serves the version in this runtime group. " +
			"A version has at most one implementation per runtime group. The upstream is given either as `url` or as `protocol`, `host`, `port` and `path`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "Gateway Service id.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service": schema.StringAttribute{
				Description: "Service Hub service this implements, e.g. `payments`. Recorded on the Gateway Service as the tag `servicehub:service=<service>`. " +
					"Required unless `service_version_id` is set, which computes it.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{serviceRule},
			},
			"version": schema.StringAttribute{
				Description: "Version of the service this implements, e.g. `v1`. Recorded as the tag `servicehub:version=<version>`. " +
					"Required unless `service_version_id` is set, which computes it.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{versionRule},
			},
			"service_version_id": serviceVersionIDAttribute(),
			"name": schema.StringAttribute{
				Description: "Gateway Service name, unique in the runtime group. Renaming updates the service in place.",
				Required:    true,
			},
			"url": schema.StringAttribute{
				Description: "Upstream URL, shorthand for `protocol`, `host`, `port` and `path` (expanded as Kong does: without a port, 443 for https and 80 otherwise). " +
					"Either `url` or `host` must be set. When `url` is set, the four are computed from it, and any of them also set must agree with it " +
					"(as in the configuration `terraform plan -generate-config-out` writes); when they are used instead, `url` is computed from them.",
				Optional: true,
				Computed: true,
			},
			"protocol": schema.StringAttribute{
				Description: "Protocol used to reach the upstream: one of `" + strings.Join(kongschema.ServiceProtocols(true), "`, `") + "` " +
					"(`ws` and `wss` on Kong Gateway Enterprise and Konnect). Defaults to `http`, or to the scheme of `url`.",
				Optional: true,
				Computed: true,
			},
			"host": schema.StringAttribute{
				Description: "Upstream host name or IP address, without a port. Required unless `url` is set.",
				Optional:    true,
				Computed:    true,
			},
			"port": schema.Int64Attribute{
				Description: "Upstream port. Defaults to `80`, or to the port of `url`.",
				Optional:    true,
				Computed:    true,
			},
			"path": schema.StringAttribute{
				Description: "Path prefix of requests to the upstream, starting with `/`. Not allowed with protocols tcp, tls, udp, grpc and grpcs.",
				Optional:    true,
				Computed:    true,
			},
			"retries": schema.Int64Attribute{
				Description: fmt.Sprintf("Retries on upstream failure, 0 to 32767. Defaults to `%d`.", defaultRetries),
				Optional:    true,
				Computed:    true,
				Default:     int64default.StaticInt64(defaultRetries),
			},
			"connect_timeout": timeout("connecting to"),
			"write_timeout":   timeout("two successive writes to"),
			"read_timeout":    timeout("two successive reads from"),
			"client_certificate_id": schema.StringAttribute{
				Description: "Id of the Kong certificate presented to the upstream for mTLS. Only with protocol `https` or `tls`.",
				Optional:    true,
			},
			"ca_certificates": schema.ListAttribute{
				Description: "Ids of Kong CA certificates used to verify the upstream's certificate. Only with protocol `https` or `tls`.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.List{listvalidator.NoNullValues()},
			},
			"tls_verify": schema.BoolAttribute{
				Description: "Whether to verify the upstream's TLS certificate. Unset uses Kong's `proxy_ssl_verify`. Only with protocol `https` or `tls`.",
				Optional:    true,
			},
			"tls_verify_depth": schema.Int64Attribute{
				Description: "Maximum depth of the upstream certificate chain, 0 to 64. Unset uses Kong's default. Only with protocol `https` or `tls`.",
				Optional:    true,
			},
			"tls_sans": schema.SingleNestedAttribute{
				Description: "Names besides `host` that the upstream's TLS certificate may match. Kong Gateway Enterprise 3.10.0.6 and later, and Konnect.",
				Optional:    true,
				Attributes: map[string]schema.Attribute{
					"dnsnames": schema.ListAttribute{
						Description: "DNS names, e.g. `upstream.internal`.",
						Optional:    true,
						ElementType: types.StringType,
						Validators:  []validator.List{listvalidator.NoNullValues()},
					},
					"uris": schema.ListAttribute{
						Description: "URIs, e.g. `spiffe://cluster.local/ns/pay/sa/api`.",
						Optional:    true,
						ElementType: types.StringType,
						Validators:  []validator.List{listvalidator.NoNullValues()},
					},
				},
			},
			"enabled": schema.BoolAttribute{
				Description: "Whether the Gateway Service is active; when false Kong answers its routes with 404. Defaults to `true`.",
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(true),
			},
			"tags": schema.SetAttribute{
				Description: "Your own tags on the Gateway Service. The provider's `servicehub:` tags are managed separately and never appear here.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(userTagRule)},
			},
			"tags_all": tagsAllAttribute(),
			"force_destroy": schema.BoolAttribute{
				Description: "Whether destroying the implementation may take down what this configuration does not manage: the routes of the " +
					"Gateway Service (deleted first, with their plugins) and its plugins, which Kong deletes with it. Without it a destroy " +
					"that finds any fails, naming each, and deletes nothing. Set it, and apply, before the destroy: Terraform destroys with the " +
					"value in state. Never takes down an entity of Kong's Ingress Controller. Defaults to `false`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"created_at": createdAtAttribute(),
			"updated_at": updatedAtAttribute(),
		},
	}
}

func (r *implementationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	client := configuredClient(req.ProviderData, &resp.Diagnostics)
	if client != nil {
		r.impls = client.Implementations
		r.catalog = client.Catalog
		r.writable = client.CheckWritable
		r.plugins = client.Plugins
	}
	r.tags = taggingOf(client)
}

func (r *implementationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer identify(resp.Identity, &resp.State)
	plan, diags := implementationCodec.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	impl, diags := plan.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.ServiceVersionID.IsNull() {
		r.createLinked(ctx, impl, plan, req, resp)
		return
	}
	created, err := r.impls.Create(ctx, impl)
	if err != nil {
		addEntityError(&resp.Diagnostics, implementationKong, "create", err)
		resp.Diagnostics.Append(keepTainted(ctx, err, req.Plan, &resp.State)...)
		if m, ok := markOfUnsettled(err); ok {
			writeMark(ctx, resp.Private, m, &resp.Diagnostics)
		}
		return
	}
	writeMark(ctx, resp.Private, servicehub.MarkOf(created), &resp.Diagnostics)
	state, diags := flatten(ctx, created, plan, r.tags)
	resp.Diagnostics.Append(diags...)
	resp.State.Raw, diags = implementationCodec.set(ctx, state)
	resp.Diagnostics.Append(diags...)
}

func (r *implementationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identify(resp.Identity, &resp.State, &req.State)
	prior, diags := implementationCodec.get(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// After an import by name, id holds the name until this first read.
	impl, err := r.impls.Get(ctx, prior.ID.ValueString())
	if servicehub.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addEntityError(&resp.Diagnostics, implementationKong, "read", err)
		return
	}
	// Hands off what the Ingress Controller manages: neither imported nor
	// kept (servicehub.IngressControllerTag).
	if err := servicehub.CheckNotIngress("Gateway Service", impl.ID(), impl.Name(), impl.Gateway.Tags); err != nil {
		addEntityError(&resp.Diagnostics, implementationKong, "read", err)
		return
	}
	// What the id holds is this state's only if this state's create made
	// it (ownership.go). Another create's is dropped, as a deleted one
	// would be: the plan creates the implementation again, and that fails
	// naming the other one, with the import command. A state without a
	// mark (written before marks, or just imported) takes it now.
	mark := readMark(ctx, req.Private, &resp.Diagnostics)
	if mark.Known() && !mark.Owns(impl) {
		addDroppedWarning(&resp.Diagnostics, impl)
		resp.State.RemoveResource(ctx)
		return
	}
	writeMark(ctx, resp.Private, mark.Adopt(impl), &resp.Diagnostics)
	state, diags := flatten(ctx, impl, prior, r.tags)
	resp.Diagnostics.Append(diags...)
	r.readLink(ctx, impl.ID(), prior, imported(ctx, req.Private, resp.Private, &resp.Diagnostics), &state, &resp.Diagnostics)
	resp.State.Raw, diags = implementationCodec.set(ctx, state)
	resp.Diagnostics.Append(diags...)
}

func (r *implementationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer identify(resp.Identity, &resp.State)
	// force_destroy alone is the provider's, not Kong's: nothing to write.
	if sameExcept(req.Plan.Raw, req.State.Raw, "force_destroy") {
		resp.State.Raw = req.Plan.Raw
		return
	}
	plan, diags := implementationCodec.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	state, diags := implementationCodec.get(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	impl, diags := plan.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, diags := state.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !r.checkMove(ctx, plan, state, &resp.Diagnostics) {
		return
	}
	mark := readMark(ctx, req.Private, &resp.Diagnostics)
	updated, err := r.impls.Update(ctx, prior, impl, mark)
	if updated.ID() != "" {
		writeMark(ctx, resp.Private, mark.Adopt(updated), &resp.Diagnostics)
	}
	if err != nil {
		addEntityError(&resp.Diagnostics, implementationKong, "update", err)
		if updated.ID() == "" {
			return
		}
		// Written, but cleaning up after the move failed: record the write.
	}
	newState, diags := flatten(ctx, updated, plan, r.tags)
	resp.Diagnostics.Append(diags...)
	r.moveLink(ctx, updated.ID(), plan, &newState, &resp.Diagnostics, state.ServiceVersionID)
	resp.State.Raw, diags = implementationCodec.set(ctx, newState)
	resp.Diagnostics.Append(diags...)
}

func (r *implementationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := implementationCodec.get(ctx, req.State.Raw)
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
	// What others made on it is left alone, and the delete refused
	// (servicehub/guard.go), unless force_destroy says to take it down.
	var err error
	switch linked, force := !state.ServiceVersionID.IsNull(), state.ForceDestroy.ValueBool(); {
	case linked && force:
		err = r.catalog.ForceDeleteImplementation(ctx, prior, mark)
	case linked:
		err = r.catalog.DeleteImplementation(ctx, prior, mark)
	case force:
		err = r.impls.ForceDelete(ctx, prior, mark)
	default:
		err = r.impls.Delete(ctx, prior, mark)
	}
	if err != nil && !addLeftAloneWarning(&resp.Diagnostics, implementationKong, err) {
		addImplementationError(&resp.Diagnostics, "delete", err)
	}
}

// ImportState accepts the Gateway Service's id or its name, or an identity
// (its id); Read resolves a name and records the id, and the mark
// (ownership.go) of what it imported: from then on the Gateway Service is
// this state's. On Konnect that first read also records the Gateway
// Service's catalog link, which only an import has no other way to learn.
func (r *implementationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importID(ctx, req, resp, "  terraform import servicehub_implementation.payments_v1 payments-v1\n\n"+
		"with the Gateway Service's id or name, or an import block with identity = { id = \"<Gateway Service id>\" }.")
	if id == "" {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, []byte("true"))...)
}
