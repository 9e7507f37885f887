package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Resource identity (Terraform 1.12 and later): every resource of this
// provider is identified by its id alone, the id Kong or the catalog gave
// the entity, which never changes and names one entity of one runtime
// group. Terraform keeps the identity in state beside the attributes, takes
// it in import blocks (`identity = { id = "…" }`), and list resources
// (`terraform query`) return it for each entity they find.
//
// A resource adds identity in one step (design/identity-and-lists.md):
// an IdentitySchema method returning idIdentitySchema, identify(resp.Identity,
// resp.State.Raw) at the end of Create, Read and Update, and importID in
// ImportState. States written before identity existed have none; the first
// read records it, with no change to plan.

// idIdentitySchema is the identity of a resource identified by its id.
func idIdentitySchema(what string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       what,
				RequiredForImport: true,
			},
		},
	}
}

// idIdentityType is the Terraform type of idIdentitySchema.
var idIdentityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}

// idIdentity is the identity value of an entity with this id.
func idIdentity(id string) tftypes.Value {
	return tftypes.NewValue(idIdentityType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id)})
}

// identify records the resource's id as its identity: the id in the first
// of states that has one. A read passes its prior state too: one that
// removed the resource (gone from Kong) must still answer with an
// identity, which a state written before identity existed lacks.
func identify(identity *tfsdk.ResourceIdentity, states ...*tfsdk.State) {
	if identity == nil {
		return
	}
	for _, s := range states {
		if id := stringAttr(s.Raw, "id"); id != "" {
			identity.Raw = idIdentity(id)
			return
		}
	}
}

// identityID reads the id of an import by identity; "" when the import is
// by id (req.ID) instead.
func identityID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return ""
	}
	var id types.String
	diags.Append(req.Identity.GetAttribute(ctx, path.Root("id"), &id)...)
	return id.ValueString()
}

// importID is the id an import gives, by id (which each resource may also
// accept as a name) or by identity; an empty one is an error that shows
// both forms, with example.
func importID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, example string) string {
	if req.ID != "" {
		return req.ID
	}
	if id := identityID(ctx, req, &resp.Diagnostics); id != "" {
		return id
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddError("Missing import id", "Import with the id, e.g.:\n\n"+example)
	}
	return ""
}

// importedKey is private state ImportState sets for the read that follows.
const importedKey = "imported"

// imported reports whether a read follows an import, and clears the mark
// so that later reads do not.
func imported(ctx context.Context, prior privateGetter, next privateSetter, diags *diag.Diagnostics) bool {
	if prior == nil || next == nil {
		return false
	}
	b, d := prior.GetKey(ctx, importedKey)
	diags.Append(d...)
	if len(b) == 0 {
		return false
	}
	diags.Append(next.SetKey(ctx, importedKey, nil)...)
	return true
}
