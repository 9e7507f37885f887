package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

const lostID = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b"

func lostWrite() error {
	return &kongapi.UnconfirmedError{Method: "PUT", Path: "/services/" + lostID, Err: errors.New("PUT /services/" + lostID + ": EOF")}
}

func TestSettleCreate(t *testing.T) {
	ctx := context.Background()
	var asked string
	found := func(_ context.Context, id string) (string, error) { asked = id; return "entity " + id, nil }
	missing := func(context.Context, string) (string, error) {
		return "", &kongapi.Error{StatusCode: 404, Message: "Not found"}
	}
	failing := func(context.Context, string) (string, error) { return "", errors.New("connection refused") }

	got, err := settleCreate(ctx, lostWrite(), "Gateway Service", found)
	if err != nil || got != "entity "+lostID || asked != lostID {
		t.Errorf("landed: %q, %v (asked for %q)", got, err, asked)
	}

	_, err = settleCreate(ctx, lostWrite(), "Gateway Service", missing)
	var u *unsettledError
	if err == nil || errors.As(err, &u) || !strings.Contains(err.Error(), "Kong has no Gateway Service with id "+lostID+", so nothing was created") {
		t.Errorf("missing: %v", err)
	}

	_, err = settleCreate(ctx, lostWrite(), "Route", failing)
	if !errors.As(err, &u) || u.id != lostID || !strings.Contains(err.Error(), "Whether Kong created the Route (id "+lostID+") could not be checked (connection refused)") {
		t.Errorf("unknown: %v", err)
	}

	retried := func(context.Context, string) (string, error) {
		return "", &kongapi.RetryError{Attempts: 3, MaxRetries: 2, Err: errors.New("GET /services/x: EOF")}
	}
	_, err = settleCreate(ctx, lostWrite(), "Route", retried)
	if !strings.Contains(err.Error(), "could not be checked (GET /services/x: EOF, after 3 attempts)") {
		t.Errorf("unknown after retries: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	asked = ""
	_, err = settleCreate(cancelled, lostWrite(), "Route", found)
	if !errors.As(err, &u) || asked != "" || !errors.Is(u.check, context.Canceled) {
		t.Errorf("interrupted: %v (asked %q)", err, asked)
	}

	// A clear refusal is passed through untouched, without asking Kong.
	refused := &kongapi.Error{StatusCode: 400, Message: "schema violation"}
	if _, err := settleCreate(ctx, refused, "Route", found); err != refused || asked != "" { //nolint:errorlint // the very same error, not a wrapper
		t.Errorf("refused: %v", err)
	}
}

func TestKeepTainted(t *testing.T) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewImplementationResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		switch name {
		case "name":
			vals[name] = tftypes.NewValue(at, "payments-v1")
		case "id", "created_at", "updated_at":
			vals[name] = tftypes.NewValue(at, tftypes.UnknownValue)
		default:
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	plan := tfsdk.Plan{Schema: sr.Schema, Raw: tftypes.NewValue(typ, vals)}
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}

	if diags := keepTainted(ctx, errors.New("other"), plan, &state); diags.HasError() || !state.Raw.IsNull() {
		t.Fatalf("a settled error changed the state: %v", diags)
	}
	err := &unsettledError{noun: "Gateway Service", id: lostID, err: lostWrite(), check: context.Canceled}
	if diags := keepTainted(ctx, err, plan, &state); diags.HasError() {
		t.Fatal(diags)
	}
	if !state.Raw.IsFullyKnown() {
		t.Error("state holds unknown values")
	}
	var id, name types.String
	var created types.Int64
	state.GetAttribute(ctx, path.Root("id"), &id)
	state.GetAttribute(ctx, path.Root("name"), &name)
	state.GetAttribute(ctx, path.Root("created_at"), &created)
	if id.ValueString() != lostID || name.ValueString() != "payments-v1" || !created.IsNull() {
		t.Errorf("state: id %s, name %s, created_at %s", id, name, created)
	}
}
