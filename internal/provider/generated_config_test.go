package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccGeneratedImportConfig imports implementations and a route made
// out of band (as the Konnect UI or decK would make them, with the
// servicehub: tags) through import blocks, lets Terraform write their
// configuration (plan -generate-config-out), and requires that
// configuration to plan with no error on the first try, import with no
// change, and plan nothing afterwards; Kong must see no write.
func TestAccGeneratedImportConfig(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{})
	if srv.Server == nil {
		skipBecause(t, "localkong only: imports Gateway Services and Routes it creates under fixed names")
	}
	c := newCLI(t)
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()

	rich, err := kc.Services.Create(ctx, &kong.Service{
		Name: kong.String("orders-v2"), URL: kong.String("https://orders.internal:8443/api"),
		Retries: kong.Int(3), ReadTimeout: kong.Int(5000), TLSVerify: kong.Bool(true), Enabled: kong.Bool(false),
		Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v2", "team-a"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Only a host: Kong's defaults everywhere else, no path.
	if _, err := kc.Services.Create(ctx, &kong.Service{
		Name: kong.String("orders-v1"), Host: kong.String("orders-v1.internal"),
		Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v1"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Routes.CreateInService(ctx, rich.ID, &kong.Route{
		Name: kong.String("orders"), Methods: kong.StringSlice("GET", "POST"), Paths: kong.StringSlice("/orders", "~/orders/\\d+$"),
		Hosts: kong.StringSlice("api.example.com"), Protocols: kong.StringSlice("https"), StripPath: kong.Bool(false),
		Headers: map[string][]string{"x-version": {"2"}}, Tags: kong.StringSlice("team-a"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Routes.Create(ctx, &kong.Route{
		Name: kong.String("grpc-orders"), Protocols: kong.StringSlice("grpc"), Paths: kong.StringSlice("/orders.Orders/"),
		Service: &kong.Service{ID: rich.ID},
	}); err != nil {
		t.Fatal(err)
	}

	c.write("main.tf", cliRequiredProviders+providerConfig(srv.AdminURL)+`
import {
  to = servicehub_implementation.orders_v2
  id = "orders-v2"
}

import {
  to = servicehub_implementation.orders_v1
  id = "orders-v1"
}

import {
  to = servicehub_route.orders
  id = "orders"
}

import {
  to = servicehub_route.grpc_orders
  id = "grpc-orders"
}
`)
	srv.ResetRequestCount()
	out := c.mustRun(2*time.Minute, "plan", "-input=false", "-generate-config-out=generated.tf")
	if !strings.Contains(out, "Plan: 4 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the first plan with the generated configuration:\n%s", out)
	}
	gen, err := os.ReadFile(filepath.Join(c.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	// The case at hand: url and its components, all written.
	for _, want := range []string{`url                   = "https://orders.internal:8443/api"`, `host                  = "orders.internal"`,
		`port                  = 8443`, `path                  = "/api"`, `protocol              = "https"`} {
		if !strings.Contains(string(gen), want) {
			t.Errorf("generated.tf lacks %s:\n%s", want, gen)
		}
	}
	// orders-v1 has no path. Terraform up to 1.13 (and OpenTofu) writes
	// every attribute of the imported state, path = null included; 1.14
	// asks the provider (GenerateResourceConfig), and the framework leaves
	// out the Optional+Computed attributes that are null. Both must plan
	// with no change below.
	v1 := generatedBlock(t, string(gen), "servicehub_implementation", "orders_v1")
	cli, err := acceptanceCLI()
	if err != nil {
		t.Fatal(err)
	}
	wantPath, noPath := `path                  = null`, regexp.MustCompile(`(?m)^\s*path\s*=`)
	if cli.atLeast(1, 14) {
		if noPath.MatchString(v1) {
			t.Errorf("%s: orders_v1 has a path line; Terraform 1.14 leaves a null Optional+Computed attribute out:\n%s", cli.text, v1)
		}
	} else if !strings.Contains(v1, wantPath) {
		t.Errorf("%s: orders_v1 lacks %s:\n%s", cli.text, wantPath, v1)
	}
	if !strings.Contains(v1, `url                   = "http://orders-v1.internal"`) {
		t.Errorf("orders_v1 lacks its url:\n%s", v1)
	}

	out = c.mustRun(2*time.Minute, "apply", "-input=false", "-auto-approve")
	if !strings.Contains(out, "Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply:\n%s", out)
	}
	out, err = c.run(2*time.Minute, "plan", "-input=false", "-detailed-exitcode")
	if err != nil || !strings.Contains(out, "No changes.") {
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 2 {
			t.Fatalf("the plan after the import has changes:\n%s", out)
		}
		t.Fatalf("plan: %v\n%s", err, out)
	}
	if writes := srv.RequestCounts()["PUT"] + srv.RequestCounts()["PATCH"] + srv.RequestCounts()["POST"]; writes != 0 {
		t.Errorf("%d writes reached Kong; importing must write nothing", writes)
	}
}

// generatedBlock is the resource block typ.name of a generated
// configuration, up to its closing brace.
func generatedBlock(t *testing.T, gen, typ, name string) string {
	t.Helper()
	start := strings.Index(gen, fmt.Sprintf("resource %q %q {", typ, name))
	if start < 0 {
		t.Fatalf("no resource %s.%s in the generated configuration:\n%s", typ, name, gen)
	}
	end := strings.Index(gen[start:], "\n}\n")
	if end < 0 {
		t.Fatalf("resource %s.%s does not end:\n%s", typ, name, gen[start:])
	}
	return gen[start : start+end+3]
}

// TestAccListGeneratedConfig is the guide "Adopt existing
// implementations": terraform query over list blocks for implementations
// and routes writes their configuration and import blocks
// (-generate-config-out); the plan only imports them, the apply writes
// nothing to Kong, and the next plan is empty. Gateway Services without
// the servicehub tags, and their routes, are left out.
func TestAccListGeneratedConfig(t *testing.T) {
	t.Parallel()
	needsTerraform(t, 1, 14, queryFeature)
	srv := startKong(t, localkong.Options{})
	if srv.Server == nil {
		skipBecause(t, "localkong only: lists every implementation of the runtime group, which a shared Kong has more of")
	}
	c := newCLI(t)
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	svc := func(s *kong.Service) string {
		t.Helper()
		out, err := kc.Services.Create(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		return *out.ID
	}
	route := func(r *kong.Route) {
		t.Helper()
		if _, err := kc.Routes.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	v2 := svc(&kong.Service{Name: kong.String("orders-v2"), URL: kong.String("https://orders.internal:8443/api"), ReadTimeout: kong.Int(5000),
		Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v2", "team-a")})
	v1 := svc(&kong.Service{Name: kong.String("orders-v1"), Host: kong.String("orders-v1.internal"),
		Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v1")})
	legacy := svc(&kong.Service{Name: kong.String("legacy-orders"), Host: kong.String("legacy.internal")})
	route(&kong.Route{Name: kong.String("orders"), Methods: kong.StringSlice("GET", "POST"), Paths: kong.StringSlice("/orders", "~/orders/\\d+$"),
		Headers: map[string][]string{"x-version": {"2"}}, Service: &kong.Service{ID: &v2}})
	route(&kong.Route{Name: kong.String("orders-v1"), Paths: kong.StringSlice("/v1/orders"), Service: &kong.Service{ID: &v1}})
	route(&kong.Route{Name: kong.String("legacy-orders"), Paths: kong.StringSlice("/legacy"), Service: &kong.Service{ID: &legacy}})

	c.write("main.tf", cliRequiredProviders+providerConfig(srv.AdminURL))
	c.write("adopt.tfquery.hcl", `
list "servicehub_implementation" "orders" {
  provider         = servicehub
  include_resource = true
  config {
    service = "orders"
  }
}

list "servicehub_route" "all" {
  provider         = servicehub
  include_resource = true
}
`)
	out := c.mustRun(2*time.Minute, "query", "-generate-config-out=generated.tf")
	for _, want := range []string{"orders-v1 (orders v1)", "orders-v2 (orders v2)", "orders (route of orders-v2)", "orders-v1 (route of orders-v1)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the query does not list %q:\n%s", want, out)
		}
	}
	gen, err := os.ReadFile(filepath.Join(c.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(gen), "\nimport {"); n != 4 {
		t.Errorf("generated.tf has %d import blocks, want 4:\n%s", n, gen)
	}
	for _, want := range []string{`name                  = "orders-v2"`, `read_timeout          = 5000`, `tags                  = ["team-a"]`,
		`name                       = "orders"`, `id = "` + v1 + `"`, `id = "` + v2 + `"`} {
		if !strings.Contains(string(gen), want) {
			t.Errorf("generated.tf lacks %s:\n%s", want, gen)
		}
	}
	if strings.Contains(string(gen), "legacy") {
		t.Errorf("generated.tf adopts the untagged Gateway Service or its route:\n%s", gen)
	}

	srv.ResetRequestCount()
	out = c.mustRun(2*time.Minute, "plan", "-input=false")
	if !strings.Contains(out, "Plan: 4 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan of the generated configuration:\n%s", out)
	}
	out = c.mustRun(2*time.Minute, "apply", "-input=false", "-auto-approve")
	if !strings.Contains(out, "Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply:\n%s", out)
	}
	out, err = c.run(2*time.Minute, "plan", "-input=false", "-detailed-exitcode")
	if err != nil || !strings.Contains(out, "No changes.") {
		t.Fatalf("the plan after the import: %v\n%s", err, out)
	}
	counts := srv.RequestCounts()
	if writes := counts["PUT"] + counts["PATCH"] + counts["POST"] + counts["DELETE"]; writes != 0 {
		t.Errorf("%d writes reached Kong (%v); adopting must write nothing", writes, counts)
	}
	// The state holds each one's identity.
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address  string
					Values   map[string]any
					Identity map[string]any
				}
			} `json:"root_module"`
		}
	}
	if err := json.Unmarshal([]byte(c.mustRun(time.Minute, "show", "-json")), &state); err != nil {
		t.Fatal(err)
	}
	if n := len(state.Values.RootModule.Resources); n != 4 {
		t.Errorf("%d resources in state, want 4", n)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Identity["id"] == nil || r.Identity["id"] != r.Values["id"] {
			t.Errorf("%s: identity %v, id %v", r.Address, r.Identity, r.Values["id"])
		}
	}
}
