package provider

import (
	"context"
	"encoding/json"
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

// TestAccInterruptedApply interrupts `terraform apply` of 30
// implementations and 30 routes with SIGINT while writes are in flight,
// on a Kong whose responses are slow after the write is committed: the
// writes Terraform gives up on exist in Kong although their responses
// never arrive. Running apply again must converge to exactly the
// configuration (no duplicate, no orphan) and leave an empty plan.
func TestAccInterruptedApply(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	slow := &localkong.Faults{Latency: 800 * time.Millisecond, Seed: 3}
	srv := startKong(t, localkong.Options{Faults: slow})
	config, svcs, routes := faultFleet(srv.AdminURL, 30, "v1")
	c.write("main.tf", cliRequiredProviders+config)

	apply := c.start(3*time.Minute, "apply", "-auto-approve", "-input=false")
	created := 0
	interrupted := false
	for line := range apply.lines {
		if strings.Contains(line, ": Creation complete") {
			created++
		}
		if created == 8 && !interrupted {
			if err := apply.cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			interrupted = true
		}
	}
	err := apply.wait()
	out := apply.output()
	var exit *exec.ExitError
	if !interrupted || !errors.As(err, &exit) || !strings.Contains(out, "Interrupt received") {
		t.Fatalf("apply was not interrupted mid-way (interrupted %v, err %v):\n%s", interrupted, err, out)
	}
	ids, tainted := stateIDs(t, filepath.Join(c.dir, "terraform.tfstate"))
	t.Logf("interrupted after %d creations; %d resources kept as tainted", created, tainted)
	// Whatever Kong holds now, Terraform knows about: nothing orphaned.
	_ = srv.SetFaults(nil)
	kc := kongClient(t, srv.AdminURL, "", "")
	inKong, err := kc.Services.ListAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rts, err := kc.Routes.ListAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rts {
		inKong = append(inKong, &kong.Service{ID: r.ID, Name: r.Name})
	}
	for _, e := range inKong {
		if !ids[*e.ID] {
			t.Errorf("%s (id %s) is in Kong but not in Terraform's state: orphaned by the interrupt", deref(e.Name), *e.ID)
		}
	}
	if tainted == 0 && !t.Failed() {
		t.Fatalf("no create was cut short, so the test proved nothing:\n%s", out)
	}
	if t.Failed() {
		t.FailNow()
	}
	if err := kongHolds(t, srv, slow, svcs, routes); err == nil {
		t.Fatal("the interrupted apply created everything")
	}

	c.mustRun(3*time.Minute, "apply", "-auto-approve", "-input=false")
	if err := kongHolds(t, srv, nil, svcs, routes); err != nil {
		t.Fatal(err)
	}
	if out, err := c.run(time.Minute, "plan", "-detailed-exitcode", "-input=false"); err != nil {
		t.Fatalf("plan after the re-run is not empty (%v):\n%s", err, out)
	}
	c.mustRun(3*time.Minute, "destroy", "-auto-approve", "-input=false")
	if err := kongHolds(t, srv, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
}

// stateIDs returns the ids of a state file's resource instances and how
// many are tainted.
func stateIDs(t *testing.T, stateFile string) (ids map[string]bool, tainted int) {
	t.Helper()
	b, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Resources []struct {
			Instances []struct {
				Status     string `json:"status"`
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	ids = map[string]bool{}
	for _, r := range st.Resources {
		for _, i := range r.Instances {
			ids[i.Attributes.ID] = true
			if i.Status == "tainted" {
				tainted++
			}
		}
	}
	return ids, tainted
}
