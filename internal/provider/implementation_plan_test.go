package provider

import (
	"context"
	"reflect"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// model returns an implementationModel with every attribute null, typed.
func model() implementationModel {
	return implementationModel{
		CACertificates: types.ListNull(types.StringType),
		Tags:           types.SetNull(types.StringType),
		TagsAll:        types.SetNull(types.StringType),
		TLSSANs:        types.ObjectNull(sansType.AttrTypes),
	}
}

// runModifyPlan calls ModifyPlan as the framework would, with plan as the
// framework's proposal; state nil means create.
func runModifyPlan(t *testing.T, config, plan implementationModel, state *implementationModel) implementationModel {
	t.Helper()
	ctx := context.Background()
	r := &implementationResource{}
	var sr fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sr)
	s := sr.Schema
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)

	req := fwresource.ModifyPlanRequest{
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
	resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
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

// Generated import configuration sets url and every component: the plan
// is the configuration, and a component not known yet stays unknown.
func TestModifyPlanURLAndComponents(t *testing.T) {
	config := model()
	config.URL = types.StringValue("http://pay.test:8080/api")
	config.Protocol, config.Host, config.Port, config.Path = types.StringValue("http"), types.StringValue("pay.test"), types.Int64Value(8080), types.StringValue("/api")
	if got := runModifyPlan(t, config, config, nil); !reflect.DeepEqual(got, config) {
		t.Errorf("plan %+v differs from the configuration %+v", got, config)
	}
	config.Host = types.StringUnknown()
	got := runModifyPlan(t, config, config, nil)
	if !got.Host.IsUnknown() || got.Port.ValueInt64() != 8080 {
		t.Errorf("host = %v port = %v, want unknown and 8080", got.Host, got.Port)
	}
	config.URL = types.StringUnknown()
	config.Host = types.StringValue("pay.test")
	got = runModifyPlan(t, config, config, nil)
	if got.Host.ValueString() != "pay.test" || !got.URL.IsUnknown() {
		t.Errorf("url unknown: host = %v url = %v", got.Host, got.URL)
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

// TestImplementationValidateConfig: Kong's rules for Gateway Services at
// plan time, each error once, on the attribute the configuration set.
func TestImplementationValidateConfig(t *testing.T) {
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	num := func(n int) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	base := func(more map[string]tftypes.Value) map[string]tftypes.Value {
		attrs := map[string]tftypes.Value{"service": str("pay"), "version": str("v1"), "name": str("pay-v1")}
		for k, v := range more {
			attrs[k] = v
		}
		return attrs
	}
	for _, tc := range []struct {
		name  string
		attrs map[string]tftypes.Value
		want  []want
	}{
		{"url", base(map[string]tftypes.Value{"url": str("https://pay.internal:8443/api")}), nil},
		{"components", base(map[string]tftypes.Value{"host": str("pay.internal"), "port": num(8080), "path": str("/api")}), nil},
		{"url with an unknown scheme", base(map[string]tftypes.Value{"url": str("ftp://files.internal/")}), []want{
			{"url", "Kong would reject url: protocol: expected one of"},
		}},
		{"url without a host", base(map[string]tftypes.Value{"url": str("invalid url")}), []want{
			{"url", "Kong would reject url: host: required field missing."},
			{"url", "Kong would reject url: path: should start with: /."}, // "invalid url" is a path to Kong
		}},
		{"host with a port", base(map[string]tftypes.Value{"host": str("example.com:80")}), []want{{"host", "Kong would reject host:"}}},
		{"port out of range", base(map[string]tftypes.Value{"host": str("h"), "port": num(70000)}), []want{
			{"port", "Kong would reject port: value should be between 0 and 65535."},
		}},
		{"tls_verify over http", base(map[string]tftypes.Value{"host": str("h"), "tls_verify": tftypes.NewValue(tftypes.Bool, true)}), []want{
			{"tls_verify", "tls_verify can only be set when"},
		}},
		{"path with grpc", base(map[string]tftypes.Value{"host": str("h"), "protocol": str("grpc"), "path": str("/x")}), []want{
			{"path", "Kong would reject path: value must be null"},
		}},
		{"tls_verify with wss (Enterprise, Konnect)", base(map[string]tftypes.Value{"host": str("h"), "protocol": str("wss"),
			"tls_verify": tftypes.NewValue(tftypes.Bool, true)}), nil},
		{"client_certificate_id not a UUID", base(map[string]tftypes.Value{"host": str("h"), "protocol": str("https"),
			"client_certificate_id": str("nope")}), []want{{"client_certificate_id", "expected a valid UUID"}}},
		{"bad tag", base(map[string]tftypes.Value{"host": str("h"),
			"tags": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("a,b")})}), []want{{"tags", "Kong would reject tags:"}}},
		// url with its components, as -generate-config-out writes them.
		{"url and agreeing components", base(map[string]tftypes.Value{"url": str("https://pay.internal:8443/api"),
			"protocol": str("https"), "host": str("pay.internal"), "port": num(8443), "path": str("/api")}), nil},
		{"url and some components", base(map[string]tftypes.Value{"url": str("http://pay.internal/api"), "port": num(80)}), nil},
		{"url and disagreeing components", base(map[string]tftypes.Value{"url": str("http://pay.internal/api"),
			"protocol": str("https"), "host": str("other.internal"), "port": num(8080)}), []want{
			{"host", `host is "other.internal", but url "http://pay.internal/api" has host "pay.internal"`},
			{"port", `port is 8080, but url "http://pay.internal/api" has port 80`},
			{"protocol", `protocol is "https", but url "http://pay.internal/api" has protocol "http"`},
		}},
		{"url without a path and a path", base(map[string]tftypes.Value{"url": str("http://pay.internal"), "path": str("/api")}), []want{
			{"path", `path is "/api", but url "http://pay.internal" has path no path`},
		}},
		{"url and an unknown component", base(map[string]tftypes.Value{"url": str("http://pay.internal"), "host": unknown}), nil},
		// Values known only at apply are checked then; the known ones now.
		{"url unknown", base(map[string]tftypes.Value{"url": unknown, "tls_verify": tftypes.NewValue(tftypes.Bool, true)}), nil},
		{"protocol unknown, path still checked", base(map[string]tftypes.Value{"host": str("h"), "protocol": unknown, "path": str("api")}), []want{
			{"path", "should start with: /"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var resp fwresource.ValidateConfigResponse
			r := &implementationResource{}
			r.ValidateConfig(context.Background(), fwresource.ValidateConfigRequest{Config: configOf(t, r, tc.attrs)}, &resp)
			checkDiags(t, resp.Diagnostics, tc.want)
		})
	}
}

func TestAccImplementation_planTimeValidation(t *testing.T) {
	t.Parallel()
	// Nothing may reach Kong: a server that is not there proves it.
	config := func(body string) string {
		return providerConfig("http://127.0.0.1:1") + `
resource "servicehub_implementation" "test" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
` + body + `
}
`
	}
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: config(body), PlanOnly: true, ExpectError: errorRE(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			step(`url = "invalid url"`, `Invalid url.*host: required field missing`),
			step(`url = "ftp://files.internal/"`, `Invalid url.*protocol: expected one of`),
			step(`url = "http://bad host/"`, `Invalid url`),
			step("host = \"example.com\"\nport = 70000", `Invalid port.*Kong would reject port: value should be between 0 and 65535`),
			step("host = \"example.com\"\nretries = -1", `Invalid retries.*value should be between 0 and 32767`),
			step("host = \"example.com\"\nconnect_timeout = 0", `Invalid connect_timeout.*value should be between 1 and 2147483646`),
			step("host = \"example.com\"\ntls_verify = true", `Invalid tls_verify.*tls_verify can only be set when protocol is.*"http"`),
			step("url = \"http://example.com\"\nca_certificates = [\"6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a\"]", `Invalid ca_certificates.*ca_certificates can only be set when protocol is`),
			step("host = \"example.com\"\nprotocol = \"grpc\"\npath = \"/x\"", `Invalid path.*value must be null.*"grpc"`),
			step("url = \"http://example.com\"\nhost = \"other.example.com\"", `url and host disagree.*host is "other.example.com", but url "http://example.com" has host "example.com"`),
			step("protocol = \"https\"", `Missing Attribute Configuration.*url,host`),
			step("host = \"example.com:80\"", `Invalid host`),
			step("host = \"example.com\"\npath = \"api\"", `Invalid path`),
			step("host = \"example.com\"\nprotocol = \"https\"\nclient_certificate_id = \"nope\"", `Invalid client_certificate_id.*expected a valid UUID`),
			step("host = \"example.com\"\nclient_certificate_id = \"nope\"", `Kong would reject client_certificate_id: value must be null. client_certificate_id can only be set when protocol is`),
			step("host = \"example.com\"\ntags = [\"servicehub:service=x\"]", `reserved for the provider`),
			step("host = \"example.com\"\ntags = [\"a,b\"]", `Invalid tags`),
			step("url = \"https://example.com\"\ntls_sans = { dnsnames = [\"10.0.0.1\"] }", `Invalid tls_sans.*Kong would reject tls_sans.dnsnames: must not be an IP`),
		},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: providerConfig("http://127.0.0.1:1") + `
resource "servicehub_implementation" "test" {
  service = "pay/ments"
  version = "v1"
  name    = "payments-v1"
  host    = "example.com"
}
`,
			PlanOnly:    true,
			ExpectError: errorRE(`Invalid service.*must not contain ',' or '/'`),
		}},
	})
}

func TestAccImplementation_invalidName(t *testing.T) {
	t.Parallel()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: providerConfig("http://127.0.0.1:1") + `
resource "servicehub_implementation" "test" {
  service = "payments"
  version = "v1"
  name    = "payments v1"
  host    = "example.com"
}
`,
			PlanOnly:    true,
			ExpectError: errorRE(`Invalid name.*the only accepted ascii characters`),
		}},
	})
}
