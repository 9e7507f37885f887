package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// servicehub_implementation's service_version_id: on Konnect, the Gateway
// Service is linked to a version in the API catalog. Without it the
// resource is what it always was; every function here returns early.

func serviceVersionIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Description: "Id of the version in Konnect's API Catalog (`servicehub_service_version`, or its data source for a version made in the Konnect UI) " +
			"that this implements: after the Gateway Service is written it is linked to that version in the catalog, and `service` and `version` " +
			"are taken from it (given ones must agree). Changing it moves the link without recreating the Gateway Service; removing it unlinks. " +
			"A version has one implementation and a Gateway Service implements one version: the catalog's refusals are errors here, and a create " +
			"whose link is refused deletes the Gateway Service it wrote. Needs a Konnect control plane's `admin_url`.",
		Optional: true,
	}
}

var versionIDPath = path.Root("service_version_id")

// validateLinkConfig: service and version are required unless
// service_version_id gives them.
func validateLinkConfig(config implementationModel, diags *diag.Diagnostics) {
	if !config.ServiceVersionID.IsNull() {
		return
	}
	for _, a := range []struct {
		name string
		v    types.String
	}{{"service", config.Service}, {"version", config.Version}} {
		if name := a.name; a.v.IsNull() {
			diags.AddAttributeError(path.Root(name), "Missing "+name,
				fmt.Sprintf("%s is required unless service_version_id is set, which takes it from the API catalog.", name))
		}
	}
}

// planLink takes service and version from the catalog version, checking
// given ones agree, and, for a new link, that the version can take it.
// Both run at plan time when service_version_id is known.
func (r *implementationResource) planLink(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, config implementationModel, plan *implementationModel) {
	if config.ServiceVersionID.IsNull() || r.catalog == nil {
		return
	}
	if err := r.catalog.Available(); err != nil {
		resp.Diagnostics.AddAttributeError(versionIDPath, "The API catalog needs a Konnect control plane", capitalize(err.Error())+".")
		return
	}
	if config.ServiceVersionID.IsUnknown() {
		if config.Service.IsNull() {
			plan.Service = types.StringUnknown()
		}
		if config.Version.IsNull() {
			plan.Version = types.StringUnknown()
		}
		return
	}
	var state implementationModel
	if !req.State.Raw.IsNull() {
		var diags diag.Diagnostics
		state, diags = implementationCodec.get(ctx, req.State.Raw)
		resp.Diagnostics.Append(diags...)
	}
	id := config.ServiceVersionID.ValueString()
	var v servicehub.ServiceVersion
	var err error
	if state.ServiceVersionID.ValueString() != id {
		v, err = r.catalog.CheckImplementable(ctx, id, state.ID.ValueString())
	} else {
		v, err = r.catalog.Implementable(ctx, id)
	}
	if err != nil {
		addImplementationError(&resp.Diagnostics, "plan", err)
		return
	}
	disagree(&resp.Diagnostics, "service", config.Service, v.Service, v)
	disagree(&resp.Diagnostics, "version", config.Version, v.Version, v)
	plan.Service, plan.Version = types.StringValue(v.Service), types.StringValue(v.Version)
}

func disagree(diags *diag.Diagnostics, name string, given types.String, catalog string, v servicehub.ServiceVersion) {
	if given.IsNull() || given.IsUnknown() || given.ValueString() == catalog {
		return
	}
	diags.AddAttributeError(path.Root(name), "The "+name+" disagrees with service_version_id",
		fmt.Sprintf("%s is %q, but service version %s in the API catalog is version %q of service %q. "+
			"Remove %s (service_version_id sets it), or set it to %q.", name, given.ValueString(), v.ID, v.Version, v.Service, name, catalog))
}

// createLinked creates a Gateway Service linked to the catalog version. On
// a refused link it has deleted the service again; a service it could not
// delete is recorded tainted in state, so the next apply removes it.
func (r *implementationResource) createLinked(ctx context.Context, impl servicehub.Implementation, plan implementationModel,
	req resource.CreateRequest, resp *resource.CreateResponse) {
	created, err := r.catalog.CreateImplementation(ctx, impl, plan.ServiceVersionID.ValueString())
	if err != nil {
		addImplementationError(&resp.Diagnostics, "create", err)
		var undone *servicehub.UndoneError
		switch {
		case errors.As(err, &undone) && undone.UndoErr != nil:
			resp.Diagnostics.Append(recordTainted(ctx, undone.ServiceID, req.Plan, &resp.State)...)
			writeMark(ctx, resp.Private, undone.Mark, &resp.Diagnostics)
			return
		case created.ID() == "":
			resp.Diagnostics.Append(keepTainted(ctx, err, req.Plan, &resp.State)...)
			if m, ok := markOfUnsettled(err); ok {
				writeMark(ctx, resp.Private, m, &resp.Diagnostics)
			}
			return
		}
		// The link's outcome is unknown: the Gateway Service is recorded
		// (tainted, as the create failed), and the next refresh reads the link.
	}
	writeMark(ctx, resp.Private, servicehub.MarkOf(created), &resp.Diagnostics)
	state, diags := flatten(ctx, created, plan, r.tags)
	state.ServiceVersionID = plan.ServiceVersionID
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// readLink sets service_version_id to the version the catalog links the
// Gateway Service to: null when the link was removed out of band, another
// id when it was moved, so the plan shows it and apply restores it. Right
// after an import it records whatever link there is (on Konnect), so that
// a configuration naming that link imports with no change.
func (r *implementationResource) readLink(ctx context.Context, serviceID string, prior implementationModel, afterImport bool, state *implementationModel, diags *diag.Diagnostics) {
	state.ServiceVersionID = prior.ServiceVersionID
	if prior.ServiceVersionID.IsNull() && (!afterImport || r.catalog == nil || r.catalog.Available() != nil) {
		return
	}
	link, err := r.catalog.LinkOf(ctx, serviceID)
	if err != nil {
		addImplementationError(diags, "read", err)
		return
	}
	state.ServiceVersionID = types.StringNull()
	if link != nil {
		state.ServiceVersionID = types.StringValue(link.VersionID)
	}
}

// checkMove is the check before an update writes the Gateway Service: the
// version it moves to can take it.
func (r *implementationResource) checkMove(ctx context.Context, plan, state implementationModel, diags *diag.Diagnostics) bool {
	if plan.ServiceVersionID.Equal(state.ServiceVersionID) || plan.ServiceVersionID.IsNull() {
		return true
	}
	if _, err := r.catalog.CheckImplementable(ctx, plan.ServiceVersionID.ValueString(), state.ID.ValueString()); err != nil {
		addImplementationError(diags, "update", err)
		return false
	}
	return true
}

// moveLink makes the catalog link the updated Gateway Service as planned.
// On failure, state records the link the catalog holds now.
func (r *implementationResource) moveLink(ctx context.Context, serviceID string, plan implementationModel, newState *implementationModel, diags *diag.Diagnostics, prior types.String) {
	newState.ServiceVersionID = plan.ServiceVersionID
	if plan.ServiceVersionID.Equal(prior) {
		return
	}
	if err := r.catalog.MoveLink(ctx, serviceID, plan.ServiceVersionID.ValueString()); err != nil {
		addImplementationError(diags, "update", err)
		newState.ServiceVersionID = prior
		if link, lerr := r.catalog.LinkOf(ctx, serviceID); lerr == nil {
			newState.ServiceVersionID = types.StringNull()
			if link != nil {
				newState.ServiceVersionID = types.StringValue(link.VersionID)
			}
		}
	}
}

// addImplementationError reports the catalog's errors on
// service_version_id, and the Gateway Service's as before.
func addImplementationError(diags *diag.Diagnostics, op string, err error) {
	summary := fmt.Sprintf("Unable to %s implementation", op)
	if op == "plan" {
		summary = "Invalid service_version_id"
	}
	if !catalogError(diags, summary, versionIDPath, err) {
		addEntityError(diags, implementationKong, op, err)
	}
}
