package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// keepTainted records a create whose outcome servicehub could not settle
// (*servicehub.UnsettledError) in state under the id it chose, with the
// planned values and nulls for what only Kong could have told. Terraform
// marks a resource created with errors as tainted and replaces it on the
// next apply; a refresh that finds nothing drops it instead. Without this
// the entity could be an orphan the next apply duplicates or trips over.
func keepTainted(ctx context.Context, err error, plan tfsdk.Plan, state *tfsdk.State) diag.Diagnostics {
	var ue *servicehub.UnsettledError
	if !errors.As(err, &ue) {
		return nil
	}
	return recordTainted(ctx, ue.ID, plan, state)
}

// recordTainted records the planned values under id, with nulls for what
// only Kong could have told; the failed create leaves it tainted.
func recordTainted(ctx context.Context, id string, plan tfsdk.Plan, state *tfsdk.State) diag.Diagnostics {
	var diags diag.Diagnostics
	raw, terr := tftypes.Transform(plan.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if terr != nil {
		diags.AddError("Unable to record the unconfirmed create", terr.Error())
		return diags
	}
	state.Raw = raw
	return state.SetAttribute(ctx, path.Root("id"), id)
}
