package provider

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
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
		`port                  = 8443`, `path                  = "/api"`, `protocol              = "https"`, `path                  = null`} {
		if !strings.Contains(string(gen), want) {
			t.Errorf("generated.tf lacks %s:\n%s", want, gen)
		}
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
