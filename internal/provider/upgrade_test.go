package provider

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// testdata/previous-release holds a state written by the provider as it
// was before resource identity and ownership marks (commit d4786fc, built
// with go build) and Terraform 1.11.4, applying testdata/previous-release/main.tf
// to a Konnect-mode localkong: a service version, an implementation
// linked to it, one with tags only, and a route. It is kept as written; the
// test recreates the entities it names under the same ids (the catalog's
// API under a new id, substituted).
const previousAPIID = "1f3dcf25-55a9-4bab-bb97-5cc9e4978ce3"

// TestAccIdentity_previousReleaseState plans that state with this
// provider: no change, on any Terraform. From Terraform 1.12 on, the apply
// (which writes nothing) records every resource's identity, and the next
// plan is empty too.
func TestAccIdentity_previousReleaseState(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	c := newCLI(t)
	kc := konnectKong(t, srv)
	ctx := context.Background()

	state, err := os.ReadFile("testdata/previous-release/state.json")
	if err != nil {
		t.Fatal(err)
	}
	config, err := os.ReadFile("testdata/previous-release/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	apiID := newAPI(t, srv, map[string]any{"name": "payments", "version": "v1", "description": "Payments, first version",
		"labels": map[string]any{"team": "payments"}})
	for _, s := range []*kong.Service{
		{ID: kong.String("77eaaff5-1704-5cdf-82fb-d2313a04fadd"), Name: kong.String("payments-v1"), URL: kong.String("https://payments.internal:8443/api"),
			CreatedAt: kong.Int(1796655538), Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1", "team-payments")},
		{ID: kong.String("b5073dee-1281-5a27-8efa-be598b4d898d"), Name: kong.String("orders-v1"), Host: kong.String("orders.internal"),
			CreatedAt: kong.Int(1796655538), Tags: kong.StringSlice("servicehub:service=orders", "servicehub:version=v1")},
	} {
		if _, err := kc.Services.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	linkOutOfBand(t, srv, apiID, "77eaaff5-1704-5cdf-82fb-d2313a04fadd")
	if _, err := kc.Routes.Create(ctx, &kong.Route{ID: kong.String("3ccd7622-8525-4cbb-b0aa-fd9192e02b68"), Name: kong.String("payments"),
		Methods: kong.StringSlice("GET", "POST"), Paths: kong.StringSlice("/payments"), Headers: map[string][]string{"x-version": {"1"}},
		CreatedAt: kong.Int(1796655538), Service: &kong.Service{ID: kong.String("77eaaff5-1704-5cdf-82fb-d2313a04fadd")}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), previousAPIID) || strings.Contains(string(state), `"identity"`) {
		t.Fatal("testdata/previous-release/state.json is not the state this test was written for")
	}
	c.write("terraform.tfstate", strings.ReplaceAll(string(state), previousAPIID, apiID))
	c.write("main.tf", cliRequiredProviders+konnectProvider(srv)+string(config))

	emptyPlan := func(when string) {
		t.Helper()
		out, err := c.run(2*time.Minute, "plan", "-input=false", "-detailed-exitcode")
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit) && exit.ExitCode() == 2:
			t.Fatalf("%s: the plan has changes:\n%s", when, out)
		case err != nil || !strings.Contains(out, "No changes."):
			t.Fatalf("%s: plan: %v\n%s", when, err, out)
		}
	}
	emptyPlan("the previous release's state")
	srv.ResetRequestCount()
	out := c.mustRun(2*time.Minute, "apply", "-input=false", "-auto-approve")
	if !strings.Contains(out, "Resources: 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply:\n%s", out)
	}
	counts := srv.RequestCounts()
	if writes := counts["PUT"] + counts["PATCH"] + counts["POST"] + counts["DELETE"]; writes != 0 {
		t.Errorf("%d writes (%v); the upgrade must write nothing", writes, counts)
	}
	cli, err := acceptanceCLI()
	if err != nil {
		t.Fatal(err)
	}
	if !cli.atLeast(1, 12) {
		t.Logf("%s keeps no resource identity: only the plans are checked", cli.text)
		return
	}
	var shown struct {
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
	if err := json.Unmarshal([]byte(c.mustRun(time.Minute, "show", "-json")), &shown); err != nil {
		t.Fatal(err)
	}
	if n := len(shown.Values.RootModule.Resources); n != 4 {
		t.Fatalf("%d resources in state, want 4", n)
	}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Identity["id"] == nil || r.Identity["id"] != r.Values["id"] {
			t.Errorf("%s: identity %v after the apply, want its id %v", r.Address, r.Identity, r.Values["id"])
		}
	}
	emptyPlan("the upgraded state")
}
