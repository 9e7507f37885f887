package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ resource.Resource                     = (*pluginResource)(nil)
	_ resource.ResourceWithConfigure        = (*pluginResource)(nil)
	_ resource.ResourceWithImportState      = (*pluginResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*pluginResource)(nil)
	_ resource.ResourceWithConfigValidators = (*pluginResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*pluginResource)(nil)
	_ resource.ResourceWithIdentity         = (*pluginResource)(nil)
)

// NewPluginResource is the servicehub_plugin resource.
func NewPluginResource() resource.Resource { return &pluginResource{} }

type pluginResource struct {
	plugins  *servicehub.Plugins
	writable writableCheck // read_only.go
	tags     tagging
}

// pluginCodec reads and writes pluginModel.
var pluginCodec = newCodec[pluginModel](pluginSchema())

func (r *pluginResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_plugin"
}

func (r *pluginResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("Plugin id.")
}

func (r *pluginResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = pluginSchema()
}

func pluginSchema() schema.Schema {
	return schema.Schema{
		Description: "A Kong plugin on an implementation (its Gateway Service) or on one of its routes, as Service Hub configures them: " +
			"rate limiting, authentication, CORS, transformations, any plugin the runtime group has. `config` is kept as written and compared " +
			"with what Kong holds with the plugin's defaults filled in from the runtime group's own schema, so the defaults Kong adds, the order of sets " +
			"and null versus empty never show as a diff; a key changed in Kong, or a default changed there, does. " +
			"Kong allows one plugin of a name per implementation or route.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "Plugin id.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"implementation_id": schema.StringAttribute{
				Description: "Id of the implementation (Gateway Service) the plugin is on, e.g. `servicehub_implementation.payments_v1.id`. " +
					"Exactly one of `implementation_id` and `route_id` is set. Changing it moves the plugin in place.",
				Optional: true,
			},
			"route_id": schema.StringAttribute{
				Description: "Id of the route the plugin is on, e.g. `servicehub_route.payments.id`. Exactly one of `implementation_id` and `route_id` is set. " +
					"Changing it moves the plugin in place.",
				Optional: true,
			},
			"name": schema.StringAttribute{
				Description: "Kong's name of the plugin, e.g. `rate-limiting`, `key-auth`, `cors`; one the runtime group has enabled. " +
					"Changing it replaces the plugin.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"instance_name": schema.StringAttribute{
				Description: "A name for this plugin instance, unique in the runtime group; Kong's Admin API also reaches the plugin by it.",
				Optional:    true,
			},
			"config": schema.DynamicAttribute{
				Description: "The plugin's configuration as an object, with Kong's field names, e.g. `{ minute = 3, policy = \"local\" }`; nested " +
					"objects and lists as the plugin's schema has them. Keys left out take the runtime group's defaults, and a key removed later " +
					"returns to its default. Checked at plan time against the runtime group's schema of the plugin.",
				Optional: true,
			},
			"config_sensitive": schema.StringAttribute{
				Description: "Secret parts of the configuration, as a JSON object in the same shape as `config`, merged over it: " +
					"`jsonencode({ redis = { password = var.redis_password } })`. Never shown in plans, logs or errors. " +
					"Fields Kong's schema marks `encrypted` or `referenceable` belong here. (A JSON string rather than an object because " +
					"Terraform writes the values of object-typed dynamic attributes to its own debug log.)",
				Optional:  true,
				Sensitive: true,
			},
			"enabled": schema.BoolAttribute{
				Description: "Whether the plugin runs. Defaults to `true`.",
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(true),
			},
			"protocols": schema.SetAttribute{
				Description: "Protocols of the requests the plugin runs on, e.g. `[\"https\"]`. Unset, the plugin's default (from the runtime group's schema).",
				Optional:    true,
				ElementType: types.StringType,
			},
			"tags": schema.SetAttribute{
				Description: "Your own tags on the plugin. The provider's `servicehub:` tags are managed separately and never appear here.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Set{setvalidator.ValueStringsAre(userTagRule)},
			},
			"tags_all": tagsAllAttribute(),
		},
	}
}

func (r *pluginResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	client := configuredClient(req.ProviderData, &resp.Diagnostics)
	if client != nil {
		r.plugins = client.Plugins
		r.writable = client.CheckWritable
	}
	r.tags = taggingOf(client)
}

func (r *pluginResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer identify(resp.Identity, &resp.State)
	plan, diags := pluginCodec.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, diags := plan.expand()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.plugins.Create(ctx, p)
	if err != nil {
		addPluginError(&resp.Diagnostics, "create", err, plan)
		if m, ok := markOfUnsettled(err); ok {
			writeMark(ctx, resp.Private, m, &resp.Diagnostics)
		}
		resp.Diagnostics.Append(keepTainted(ctx, err, req.Plan, &resp.State)...)
		return
	}
	plan.ID = types.StringValue(created.ID())
	r.record(ctx, plan, created, servicehub.MarkOfPlugin(created), resp.Private, &resp.State.Raw, &resp.Diagnostics)
}

// record stores a plugin just written: the state is the plan, as written;
// the private state holds the mark of its create and what Kong answered.
func (r *pluginResource) record(ctx context.Context, m pluginModel, written servicehub.Plugin, mark servicehub.Mark,
	private privateSetter, raw *tftypes.Value, diags *diag.Diagnostics) {
	writeMark(ctx, private, mark, diags)
	writeSeen(ctx, private, seenOf(m, written), diags)
	v, d := pluginCodec.set(ctx, m)
	diags.Append(d...)
	*raw = v
}

func (r *pluginResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identify(resp.Identity, &resp.State, &req.State)
	prior, diags := pluginCodec.get(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// After an import by instance name, id holds the name until this read.
	p, err := r.plugins.Get(ctx, prior.ID.ValueString())
	if servicehub.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addPluginError(&resp.Diagnostics, "read", err, prior)
		return
	}
	// Only the plugin this state's create made is this state's (see
	// ownership.go); a state without a mark (imported) takes it now.
	if err := servicehub.CheckNotIngress("plugin", p.ID(), p.Name(), p.Kong.Tags); err != nil {
		addPluginError(&resp.Diagnostics, "read", err, prior)
		return
	}
	mark := readMark(ctx, req.Private, &resp.Diagnostics)
	if mark.Known() && !mark.OwnsPlugin(p) {
		resp.Diagnostics.AddWarning("Plugin removed from state: another create's plugin holds its id",
			fmt.Sprintf("The %q plugin this state created (id %s) was replaced outside Terraform by one this state did not create. "+
				"It is not this state's, so it is dropped from state and left alone; the plan creates the plugin again, which the other one stands in the way of.",
				p.Name(), p.ID()))
		resp.State.RemoveResource(ctx)
		return
	}
	state, ok := r.readState(ctx, prior, p, readSeen(ctx, req.Private, &resp.Diagnostics), &resp.Diagnostics)
	if !ok {
		return
	}
	writeMark(ctx, resp.Private, mark.AdoptPlugin(p), &resp.Diagnostics)
	writeSeen(ctx, resp.Private, seenOf(state, p), &resp.Diagnostics)
	resp.State.Raw, diags = pluginCodec.set(ctx, state)
	resp.Diagnostics.Append(diags...)
}

// readState is the state after reading p: Kong's scope, name and flags;
// config, config_sensitive and protocols by the read rule
// (servicehub/plugin_config.go). seen fingerprints the last reading found
// right: when the prior state and Kong are as they were then, nothing is
// compared and no schema is read.
func (r *pluginResource) readState(ctx context.Context, prior pluginModel, p servicehub.Plugin, seen string, diags *diag.Diagnostics) (pluginModel, bool) {
	state := prior
	state.ID = types.StringValue(p.ID())
	state.Name = types.StringValue(p.Name())
	state.InstanceName = types.StringPointerValue(p.Kong.InstanceName)
	state.Enabled = types.BoolValue(p.Kong.Enabled == nil || *p.Kong.Enabled)
	var own []*string
	own, state.TagsAll = r.tags.read(p.Kong.Tags, prior.Tags, prior.TagsAll)
	state.Tags, _ = stringSet(ctx, own, prior.Tags)
	state.ImplementationID, state.RouteID = types.StringNull(), types.StringNull()
	switch kind, id := p.Scope(); kind {
	case "services":
		state.ImplementationID = types.StringValue(id)
	case "routes":
		state.RouteID = types.StringValue(id)
	}
	if seen != "" && seen == seenOf(prior, p) {
		return state, true
	}
	ps, err := r.plugins.Schema(ctx, p.Name())
	if err != nil {
		addPluginError(diags, "read", err, prior)
		return state, false
	}
	changes, err := ps.ReadChanges(configJSON(prior.Config), sensitiveJSON(prior.ConfigSensitive), servicehub.PluginConfig(p.Kong.Config))
	if err != nil {
		diags.AddError("Unable to read plugin", err.Error())
		return state, false
	}
	if state, err = applyChanges(state, changes); err != nil {
		diags.AddError("Unable to read plugin", err.Error())
		return state, false
	}
	var written []string
	if !prior.Protocols.IsNull() {
		written = derefAll(stringsOf(prior.Protocols, diags))
	}
	if protocols, changed := ps.ReadProtocols(written, derefAll(p.Kong.Protocols)); changed {
		state.Protocols, _ = stringSet(ctx, stringPtrs(protocols), prior.Protocols)
	}
	return state, true
}

func (r *pluginResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer identify(resp.Identity, &resp.State)
	plan, diags := pluginCodec.get(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, diags := plan.expand()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	mark := readMark(ctx, req.Private, &resp.Diagnostics)
	updated, err := r.plugins.Update(ctx, p, mark)
	if err != nil {
		addPluginError(&resp.Diagnostics, "update", err, plan)
		return
	}
	r.record(ctx, plan, updated, mark.AdoptPlugin(updated), resp.Private, &resp.State.Raw, &resp.Diagnostics)
}

func (r *pluginResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.plugins.Delete(ctx, stringAttr(req.State.Raw, "id")); err != nil {
		addPluginError(&resp.Diagnostics, "delete", err, pluginModel{})
	}
}

// ImportState accepts the plugin's id (or its instance_name), or an
// identity (its id); Read resolves either, records the id, and takes the
// configuration Kong holds that departs from the plugin's defaults as
// config (secrets as config_sensitive).
func (r *pluginResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importID(ctx, req, resp, "  terraform import servicehub_plugin.rate_limit 5f1c1a2e-7d3b-4c55-9a53-6a0f0d6e9b1c\n\n"+
		"with the plugin's id or instance_name, or an import block with identity = { id = \"<plugin id>\" }.")
	if id != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	}
}

func stringPtrs(ss []string) []*string {
	out := make([]*string, len(ss))
	for i := range ss {
		out[i] = &ss[i]
	}
	return out
}
