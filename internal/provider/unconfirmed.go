package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// A create is a PUT under an id the provider generated. When it fails in a
// way that leaves its outcome unknown (the connection dropped after Kong
// committed, the retries ran out after such a drop, or Terraform was
// interrupted), the entity may exist although Terraform was told it does
// not: an orphan, which the next apply would duplicate or trip over. Since
// the id is known, Kong can be asked.

// settleCreate looks up the entity of a create that failed unconfirmed.
// Found, the create succeeded and it is returned with a nil error. Missing,
// nothing was created and the error says so. When Kong cannot be asked (the
// run was interrupted, or the Admin API is still failing) the error is an
// *unsettledError, for keepTainted.
func settleCreate[T any](ctx context.Context, err error, noun string, get func(context.Context, string) (T, error)) (T, error) {
	var zero T
	var ue *kongapi.UnconfirmedError
	if !errors.As(err, &ue) {
		return zero, err
	}
	id := ue.EntityID()
	if ctx.Err() != nil {
		return zero, &unsettledError{noun: noun, id: id, err: err, check: ctx.Err()}
	}
	found, gerr := get(ctx, id)
	switch {
	case gerr == nil:
		tflog.Info(ctx, "create confirmed: the write was applied although its response was lost", map[string]any{"id": id})
		return found, nil
	case servicehub.IsNotFound(gerr):
		return zero, fmt.Errorf("%w\n\nKong has no %s with id %s, so nothing was created: Terraform state and Kong agree, and applying again creates it", err, noun, id)
	default:
		return zero, &unsettledError{noun: noun, id: id, err: err, check: gerr}
	}
}

// unsettledError is a create that may or may not have happened.
type unsettledError struct {
	noun, id   string
	err, check error
}

func (e *unsettledError) Error() string {
	check := e.check.Error()
	var re *kongapi.RetryError
	if errors.As(e.check, &re) {
		// The create's own error already says that retrying is safe.
		check = fmt.Sprintf("%v, after %d attempts", re.Err, re.Attempts)
	}
	return fmt.Sprintf("%v\n\nWhether Kong created the %s (id %s) could not be checked (%s). "+
		"Terraform records it as tainted under that id, so the next apply replaces it: it deletes the %s if it exists "+
		"and creates it again, leaving no duplicate behind", e.err, e.noun, e.id, check, e.noun)
}

func (e *unsettledError) Unwrap() error { return e.err }

// keepTainted records an unsettled create in state under its id, with the
// planned values and nulls for what only Kong could have told. Terraform
// marks a resource created with errors as tainted and replaces it on the
// next apply; a refresh that finds nothing drops it instead.
func keepTainted(ctx context.Context, err error, plan tfsdk.Plan, state *tfsdk.State) diag.Diagnostics {
	var ue *unsettledError
	if !errors.As(err, &ue) {
		return nil
	}
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
	return state.SetAttribute(ctx, path.Root("id"), ue.id)
}
