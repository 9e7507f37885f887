package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

var (
	_ resource.Resource                = (*serviceVersionResource)(nil)
	_ resource.ResourceWithConfigure   = (*serviceVersionResource)(nil)
	_ resource.ResourceWithImportState = (*serviceVersionResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*serviceVersionResource)(nil)
	_ resource.ResourceWithIdentity    = (*serviceVersionResource)(nil)
)

// NewServiceVersionResource is the servicehub_service_version resource.
func NewServiceVersionResource() resource.Resource { return &serviceVersionResource{} }

type serviceVersionResource struct {
	catalog *servicehub.Catalog
}

func (r *serviceVersionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_service_version"
}

func (r *serviceVersionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The API's id in the catalog.")
}

func (r *serviceVersionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "A version of a Service Hub service in Konnect's API Catalog: an API whose name is the service and whose version is the version " +
			"(the pair is unique in the catalog). Implement it with `servicehub_implementation`'s `service_version_id`. " +
			"Needs a Konnect control plane's `admin_url`. Changes are made in place: the API keeps its id, its labels and its implementation's link " +
			"(a new `spec_content` replaces the API's version document, `/v3/apis/{id}/versions`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Description:   "The API's id in the catalog.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"service": schema.StringAttribute{
				Description: "Service Hub service, the API's `name`, e.g. `payments`. Renaming updates the API in place.",
				Required:    true,
				Validators:  []validator.String{catalogNameRule},
			},
			"version": schema.StringAttribute{
				Description: "Version of the service, the API's `version`, e.g. `v1`. Changing it updates the API in place.",
				Required:    true,
				Validators:  []validator.String{catalogNameRule},
			},
			"description": schema.StringAttribute{
				Description: "Description, shown on Konnect portals.",
				Optional:    true,
			},
			"slug": schema.StringAttribute{
				Description: "URL-friendly name, unique in the catalog (letters, digits, `_` and `-`). Defaults to Konnect's, built from the service and version " +
					"(`payments` `v1` → `payments-v1`), which follows them when they change.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{slugRule},
			},
			"labels": schema.MapAttribute{
				Description: "Labels of the API: at most 49; keys of 1 to 63 characters not starting with `kong`, `konnect`, `mesh`, `kic` or `_`; " +
					"values of 1 to 63 letters, digits, `-`, `_` and `.`. The catalog allows 50: the provider adds its own, `servicehub-create`, " +
					"which marks the API as this configuration's create and is never shown here.",
				Optional:    true,
				ElementType: types.StringType,
				Validators:  []validator.Map{labelsValidator{}},
			},
			"spec_content": schema.StringAttribute{
				Description: "The API's specification, an OpenAPI 2 or 3 or AsyncAPI document (JSON or YAML), e.g. `file(\"openapi.yaml\")`: " +
					"the API's version document in the catalog. Changing it replaces the document's content in place (the API keeps its id, labels " +
					"and implementation); removing it deletes the document. The catalog never returns the content, so the provider keeps the configured " +
					"value in state. Drift: a specification removed in Konnect shows as an update that puts it back; one edited there is not seen " +
					"(`spec_version` is, when its `info.version` changed). After an import, the configured value is written on the next apply.",
				Optional: true,
			},
			"spec_version": schema.StringAttribute{
				Description: "The version of the API's version document: the specification's `info.version`, else the API's `version` when the " +
					"document was written. Null without `spec_content`.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{specVersionPlan{}},
			},
			"spec_version_id": schema.StringAttribute{
				Description: "Id of the API's version document in the catalog (`/v3/apis/{id}/versions/{spec_version_id}`); it stays when " +
					"`spec_content` changes. Null without `spec_content`.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{specVersionPlan{id: true}},
			},
			"created_at": schema.StringAttribute{
				Description:   "Creation time, RFC 3339.",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				Description: "Last update time, RFC 3339 (linking an implementation updates it too).",
				Computed:    true,
			},
		},
	}
}

// specVersionPlan plans spec_version and spec_version_id: null without
// spec_content; the document's id stays while it has one (its content is
// replaced in place), and its version while spec_content does; anything
// else is known after apply.
type specVersionPlan struct{ id bool }

func (m specVersionPlan) Description(context.Context) string {
	return "kept while the version document's content (or, for its id, the document) stays"
}
func (m specVersionPlan) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m specVersionPlan) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var planned, prior types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("spec_content"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("spec_content"), &prior)...)
	switch {
	case resp.Diagnostics.HasError():
	case planned.IsNull():
		resp.PlanValue = types.StringNull()
	case m.id && !req.StateValue.IsNull():
		resp.PlanValue = req.StateValue
	case !m.id && planned.Equal(prior):
		resp.PlanValue = req.StateValue
	}
}

func (r *serviceVersionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if client := configuredClient(req.ProviderData, &resp.Diagnostics); client != nil {
		r.catalog = client.Catalog
	}
}

// ModifyPlan fails a plan without a catalog, and plans slug: kept while
// service and version stay, Konnect's new default when they change.
func (r *serviceVersionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.catalog == nil || req.Plan.Raw.IsNull() {
		return
	}
	if err := r.catalog.Available(); err != nil {
		resp.Diagnostics.AddError("The API catalog needs a Konnect control plane", capitalize(err.Error())+".")
		return
	}
	config, plan, ok := planned[serviceVersionModel](ctx, req, resp)
	if !ok || req.State.Raw.IsNull() || !config.Slug.IsNull() {
		return
	}
	var state serviceVersionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if plan.Service.Equal(state.Service) && plan.Version.Equal(state.Version) {
		plan.Slug = state.Slug
	} else {
		plan.Slug = types.StringUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, plan)...)
}

func (r *serviceVersionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer identify(resp.Identity, &resp.State)
	var plan serviceVersionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, diags := plan.expand(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.catalog.CreateVersion(ctx, v, plan.SpecContent.ValueStringPointer())
	if err != nil {
		addCatalogError(&resp.Diagnostics, "Unable to create service version", err)
		return
	}
	r.setState(ctx, created, plan, &resp.State, &resp.Diagnostics)
}

func (r *serviceVersionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer identify(resp.Identity, &resp.State, &req.State)
	var prior serviceVersionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, err := r.catalog.GetVersion(ctx, prior.ID.ValueString())
	if servicehub.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addCatalogError(&resp.Diagnostics, "Unable to read service version", err)
		return
	}
	r.setState(ctx, v, prior, &resp.State, &resp.Diagnostics)
}

func (r *serviceVersionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer identify(resp.Identity, &resp.State)
	var plan, state serviceVersionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	prior, diags := state.expand(ctx)
	resp.Diagnostics.Append(diags...)
	ch, diags := plan.change(ctx, state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	updated, err := r.catalog.UpdateVersion(ctx, prior, ch)
	if err != nil {
		addCatalogError(&resp.Diagnostics, "Unable to update service version", err)
		return
	}
	r.setState(ctx, updated, plan, &resp.State, &resp.Diagnostics)
}

func (r *serviceVersionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state serviceVersionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.catalog.DeleteVersion(ctx, state.ID.ValueString()); err != nil {
		addCatalogError(&resp.Diagnostics, "Unable to delete service version", err)
	}
}

// ImportState takes the API's id, or "<service>:<version>" (split at the
// last colon, so a service name may contain colons and a version may not),
// or an identity (the API's id).
func (r *serviceVersionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if id := identityID(ctx, req, &resp.Diagnostics); id != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
		return
	}
	if resp.Diagnostics.HasError() {
		return
	}
	id := req.ID
	if _, err := uuid.Parse(id); err != nil {
		i := strings.LastIndex(id, ":")
		if i <= 0 || i == len(id)-1 {
			resp.Diagnostics.AddError("Invalid import id",
				fmt.Sprintf("Import a service version by the API's id or as <service>:<version>, e.g.\n\n"+
					"  terraform import servicehub_service_version.payments_v1 payments:v1\n\ngot %q.", id))
			return
		}
		v, err := r.catalog.FindVersion(ctx, id[:i], id[i+1:])
		if err != nil {
			addCatalogError(&resp.Diagnostics, "Unable to import service version", err)
			return
		}
		id = v.ID
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// setState records v.
func (r *serviceVersionResource) setState(ctx context.Context, v servicehub.ServiceVersion, prior serviceVersionModel,
	state *tfsdk.State, diags *diag.Diagnostics) {
	m, d := flattenServiceVersion(ctx, v, prior)
	diags.Append(d...)
	diags.Append(state.Set(ctx, m)...)
}
