package provider

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// model returns an implementationModel with every attribute null, typed.
func model() implementationModel {
	return implementationModel{
		CACertificates: types.ListNull(types.StringType),
		Tags:           types.SetNull(types.StringType),
	}
}

// runModifyPlan calls ModifyPlan as the framework would, with plan as the
// framework's proposal; state nil means create.
func runModifyPlan(t *testing.T, config, plan implementationModel, state *implementationModel) implementationModel {
	t.Helper()
	ctx := context.Background()
	r := &implementationResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	s := sr.Schema
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)

	req := resource.ModifyPlanRequest{
		Config: tfsdk.Config{Schema: s, Raw: null},
		Plan:   tfsdk.Plan{Schema: s, Raw: null},
		State:  tfsdk.State{Schema: s, Raw: null},
	}
	set := func(raw *tftypes.Value, v implementationModel) {
		st := tfsdk.State{Schema: s, Raw: null}
		if d := st.Set(ctx, v); d.HasError() {
			t.Fatal(d)
		}
		*raw = st.Raw
	}
	set(&req.Config.Raw, config)
	set(&req.Plan.Raw, plan)
	if state != nil {
		set(&req.State.Raw, *state)
	}
	resp := resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(ctx, req, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var out implementationModel
	if d := resp.Plan.Get(ctx, &out); d.HasError() {
		t.Fatal(d)
	}
	return out
}

func TestModifyPlanURLGivesComponents(t *testing.T) {
	config := model()
	config.URL = types.StringValue("https://pay.test/api")
	plan := config
	plan.Protocol, plan.Host, plan.Port, plan.Path = types.StringUnknown(), types.StringUnknown(), types.Int64Unknown(), types.StringUnknown()
	got := runModifyPlan(t, config, plan, nil)
	if got.Protocol.ValueString() != "https" || got.Host.ValueString() != "pay.test" || got.Port.ValueInt64() != 443 || got.Path.ValueString() != "/api" {
		t.Errorf("components = %v %v %v %v", got.Protocol, got.Host, got.Port, got.Path)
	}
	if got.URL.ValueString() != "https://pay.test/api" {
		t.Errorf("url = %v", got.URL)
	}

	// No path in the url: no path, not the prior one.
	config.URL = types.StringValue("http://pay.test:8080")
	plan.URL = config.URL
	if got := runModifyPlan(t, config, plan, nil); !got.Path.IsNull() || got.Port.ValueInt64() != 8080 {
		t.Errorf("path = %v port = %v", got.Path, got.Port)
	}
}

func TestModifyPlanUnknownURL(t *testing.T) {
	config := model()
	config.URL = types.StringUnknown()
	got := runModifyPlan(t, config, config, nil)
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"protocol": got.Protocol, "host": got.Host, "port": got.Port, "path": got.Path,
	} {
		if !v.IsUnknown() {
			t.Errorf("%s = %v, want unknown", name, v)
		}
	}
}

func TestModifyPlanComponents(t *testing.T) {
	state := model()
	state.ID = types.StringValue("id")
	state.URL = types.StringValue("https://pay.test:8443/old")
	state.Protocol, state.Host, state.Port, state.Path = types.StringValue("https"), types.StringValue("pay.test"), types.Int64Value(8443), types.StringValue("/old")
	state.UpdatedAt = types.Int64Value(5)

	// Only host configured: the rest are Kong's defaults, not the prior
	// values, and the framework's proposal (prior values, no diff) must not
	// survive.
	config := model()
	config.Host = types.StringValue("pay.test")
	proposal := state
	got := runModifyPlan(t, config, proposal, &state)
	if got.Protocol.ValueString() != "http" || got.Port.ValueInt64() != 80 || !got.Path.IsNull() {
		t.Errorf("components = %v %v %v", got.Protocol, got.Port, got.Path)
	}
	if got.URL.ValueString() != "http://pay.test" {
		t.Errorf("url = %v", got.URL)
	}
	if !got.UpdatedAt.IsUnknown() {
		t.Errorf("updated_at = %v, want unknown: the plan changes the resource", got.UpdatedAt)
	}

	// Unknown host: unknown url.
	config.Host = types.StringUnknown()
	if got := runModifyPlan(t, config, proposal, &state); !got.URL.IsUnknown() {
		t.Errorf("url = %v, want unknown", got.URL)
	}
}

func TestModifyPlanNoChangeKeepsState(t *testing.T) {
	state := model()
	state.ID = types.StringValue("id")
	state.URL = types.StringValue("http://pay.test:80/")
	state.Protocol, state.Host, state.Port, state.Path = types.StringValue("http"), types.StringValue("pay.test"), types.Int64Value(80), types.StringValue("/")
	state.UpdatedAt = types.Int64Value(5)

	// url form, same spelling as state.
	config := model()
	config.URL = state.URL
	if got := runModifyPlan(t, config, state, &state); !reflect.DeepEqual(got, state) {
		t.Errorf("url form: plan %+v differs from state %+v", got, state)
	}

	// Components form describing the same upstream keeps the user's url
	// spelling rather than planning a cosmetic change.
	config = model()
	config.Host, config.Path = state.Host, state.Path
	if got := runModifyPlan(t, config, state, &state); !reflect.DeepEqual(got, state) {
		t.Errorf("components form: plan %+v differs from state %+v", got, state)
	}
}
