package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// importStep imports addr again (removed from a copy of the state) with an
// import block of the given kind, and requires a plan that only imports:
// by identity, the identity planned must equal the one in state.
func importStep(addr string, kind resource.ImportStateKind) resource.TestStep {
	return resource.TestStep{ResourceName: addr, ImportState: true, ImportStateKind: kind}
}

// TestAccIdentity: an implementation, a route and a plugin record their id
// as their identity when created; each imports by identity, and by id or
// name with an import block, with no change; the configuration Terraform
// generates for an import by identity imports with no change too; an
// identity that names nothing is an error.
func TestAccIdentity(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 12, identityFeature)
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1")
	const impl, route, plugin = "servicehub_implementation.test", "servicehub_route.test", "servicehub_plugin.test"
	config := providerConfig(srv.AdminURL) + srv.hcl(simpleImpl+`
resource "servicehub_route" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "payments"
  methods           = ["GET"]
  paths             = ["/payments"]
}

resource "servicehub_plugin" "test" {
  route_id = servicehub_route.test.id
  name     = "cors"
  config   = { origins = ["https://app.example.com"] }
}
`)
	generate := importStep(impl, resource.ImportBlockWithResourceIdentity)
	generate.GenerateConfig = true
	generate.Config = providerConfig(srv.AdminURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(impl, jp("id")),
					statecheck.ExpectIdentityValueMatchesState(route, jp("id")),
					statecheck.ExpectIdentityValueMatchesState(plugin, jp("id")),
					statecheck.ExpectIdentity(impl, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(uuidRE)}),
				},
			},
			importStep(impl, resource.ImportBlockWithResourceIdentity),
			importStep(route, resource.ImportBlockWithResourceIdentity),
			importStep(plugin, resource.ImportBlockWithResourceIdentity),
			importStep(impl, resource.ImportBlockWithID),
			func() resource.TestStep {
				s := importStep(route, resource.ImportBlockWithID)
				s.ImportStateId = srv.n("payments") // by name
				return s
			}(),
			generate,
			{
				Config: config + `
import {
  to       = servicehub_route.missing
  identity = { id = "00000000-0000-4000-8000-000000000000" }
}

resource "servicehub_route" "missing" {
  implementation_id = servicehub_implementation.test.id
  name              = "missing"
  paths             = ["/missing"]
}
`,
				ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// TestAccIdentity_konnect: a service version records its identity and
// imports by it; an implementation linked to it imports by identity with
// its link read, so with no change.
func TestAccIdentity_konnect(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 12, identityFeature)
	srv := startKonnect(t, localkong.Options{})
	const version, impl = "servicehub_service_version.v1", "servicehub_implementation.test"
	config := konnectProvider(srv) + `
resource "servicehub_service_version" "v1" {
  service = "payments"
  version = "v1"
  labels  = { team = "payments" }
}

resource "servicehub_implementation" "test" {
  service_version_id = servicehub_service_version.v1.id
  name               = "payments-v1"
  url                = "http://payments.internal"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(version, jp("id")),
					statecheck.ExpectIdentityValueMatchesState(impl, jp("id")),
				},
			},
			importStep(version, resource.ImportBlockWithResourceIdentity),
			importStep(impl, resource.ImportBlockWithResourceIdentity),
			func() resource.TestStep {
				s := importStep(version, resource.ImportBlockWithID)
				s.ImportStateId = "payments:v1"
				return s
			}(),
		},
	})
}

// TestReadGoneWithoutIdentity: a state written before identity existed has
// none, and the framework requires one after every read, even a read that
// finds the entity gone and removes it from state. Each resource answers
// such a read with no error, removing the resource.
func TestReadGoneWithoutIdentity(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain := startKong(t, localkong.Options{})
	konnect := startKonnect(t, localkong.Options{})
	for typ, settings := range map[string]map[string]string{
		"servicehub_implementation":  {"admin_url": plain.AdminURL},
		"servicehub_route":           {"admin_url": plain.AdminURL},
		"servicehub_plugin":          {"admin_url": plain.AdminURL},
		"servicehub_service_version": {"admin_url": konnect.ControlPlaneURL(""), "konnect_token": konnectToken},
	} {
		ps := providerserver.NewProtocol6(New("test")())()
		schemas, err := ps.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		set := map[string]tftypes.Value{}
		for k, v := range settings {
			set[k] = tftypes.NewValue(tftypes.String, v)
		}
		config := nullsBut(t, schemas.Provider.ValueType(), set)
		if resp, err := ps.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &config}); err != nil || len(resp.Diagnostics) > 0 {
			t.Fatalf("%s: configure: %v %v", typ, err, resp.Diagnostics)
		}
		state := nullsBut(t, schemas.ResourceSchemas[typ].ValueType(), map[string]tftypes.Value{
			"id": tftypes.NewValue(tftypes.String, "0b5e8a52-9f5e-4c8e-a7a4-3c1f2d4e5f60"),
		})
		resp, err := ps.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typ, CurrentState: &state})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			t.Errorf("%s: %s: %s", typ, d.Summary, d.Detail)
		}
		if v, err := resp.NewState.Unmarshal(schemas.ResourceSchemas[typ].ValueType()); err != nil || !v.IsNull() {
			t.Errorf("%s: state after reading a gone entity: %v, %v; want it removed", typ, v, err)
		}
	}
}

// nullsBut is an object of type typ whose attributes are null but for set.
func nullsBut(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tfprotov6.DynamicValue {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%v is not an object type", typ)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return dv
}
