package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// A run owns only what its own create made (ownership.go). Two Terraform
// workspaces with one configuration, against one localkong: real terraform
// processes, one working directory (one state) each, as two teams or two
// CI pipelines would have them. The implementation's Gateway Service sits
// at its version's slot id, derived from the runtime group, the service
// and the version, so a create in the other workspace lands at the very id
// this state records, under the same name.

// ownConfig is workspace name's configuration: one implementation of
// "own" version, named the same in every workspace.
func ownConfig(adminURL, name, version string, extra ...string) string {
	return runProvider(adminURL, name, extra...) + fmt.Sprintf(`
resource "servicehub_implementation" "own" {
  service = "own"
  version = %[1]q
  name    = "own-%[1]s"
  url     = "http://own-%[1]s.internal"
}
`, version)
}

// slotHolder is the Gateway Service named name and its create token; the
// test fails when there is none.
func slotHolder(t *testing.T, kc *kong.Client, name string) (id, token string) {
	t.Helper()
	svc, err := kc.Services.Get(context.Background(), kong.String(name))
	if err != nil {
		t.Fatalf("Gateway Service %q: %v", name, err)
	}
	return *svc.ID, createToken(svc)
}

// mustFail runs a terraform command that must fail with output matching
// every pattern.
func mustFail(t *testing.T, c *cli, what string, args []string, patterns ...string) string {
	t.Helper()
	out, err := c.run(3*time.Minute, args...)
	if err == nil {
		t.Fatalf("%s succeeded:\n%s", what, out)
	}
	for _, p := range patterns {
		if !errorRE(p).MatchString(out) {
			t.Fatalf("%s: the output does not say %q:\n%s", what, p, out)
		}
	}
	return out
}

// mustSay runs a terraform command that must succeed with output matching
// every pattern.
func mustSay(t *testing.T, c *cli, what string, args []string, patterns ...string) string {
	t.Helper()
	out := c.mustRun(3*time.Minute, args...)
	for _, p := range patterns {
		if !errorRE(p).MatchString(out) {
			t.Fatalf("%s: the output does not say %q:\n%s", what, p, out)
		}
	}
	return out
}

var (
	planArgs    = []string{"plan", "-input=false"}
	destroyArgs = []string{"destroy", "-auto-approve", "-input=false"}
)

// TestAccOwnership_deletedThenCreatedElsewhere: workspace a's
// implementation is deleted out of band, and workspace b, with the same
// configuration, creates it again: at the same id, under the same name. a
// must not take b's for its own: its refresh drops it (the plan shows a
// create), its destroy leaves b's alone, and its apply fails naming b's,
// with the import command. Following the hint makes b's a's too; what a
// imported is recorded, so when b's is deleted and created again (another
// create), a's refresh drops it again, and a destroy that skips the
// refresh leaves it alone, saying so.
func TestAccOwnership_deletedThenCreatedElsewhere(t *testing.T) {
	t.Parallel()
	skipExternal(t, "two workspaces share fixed names and reach localkong's server")
	ws := newCLIs(t, 2)
	a, b := ws[0], ws[1]
	srv := startKong(t, localkong.Options{}).Server
	kc := kongClient(t, srv.AdminURL, "", "")
	ctx := context.Background()
	a.write("main.tf", ownConfig(srv.AdminURL, "a", "v1"))
	b.write("main.tf", ownConfig(srv.AdminURL, "b", "v1"))
	unchanged := func(what, token string) {
		t.Helper()
		if _, tok := slotHolder(t, kc, "own-v1"); tok != token {
			t.Fatalf("%s changed b's implementation: token %s, want b's %s", what, tok, token)
		}
	}

	a.mustRun(3*time.Minute, applyArgs()...)
	aID, aToken := slotHolder(t, kc, "own-v1")
	if err := kc.Services.Delete(ctx, kong.String(aID)); err != nil {
		t.Fatal(err)
	}
	b.mustRun(3*time.Minute, applyArgs()...)
	bID, bToken := slotHolder(t, kc, "own-v1")
	if bID != aID || bToken == aToken || bToken == "" {
		t.Fatalf("b created %s (token %s); want a's slot %s with a token of b's own", bID, bToken, aID)
	}

	mustSay(t, a, "a's plan", planArgs,
		`servicehub_implementation.own will be created`, `Implementation removed from state: another create's Gateway Service holds its id`)
	mustSay(t, a, "a's destroy", destroyArgs, `Resources: 0 destroyed`)
	unchanged("a's destroy", bToken)
	mustFail(t, a, "a's apply", applyArgs(),
		`Version already has an implementation`, `Version "v1" of service "own" already has an implementation in this runtime group: the Gateway Service "own-v1"`,
		`terraform import servicehub_implementation.<name> own-v1`)
	unchanged("a's apply", bToken)
	if n := stateCount(t, a); n != 0 {
		t.Fatalf("a's state holds %d resources, want none", n)
	}

	// The import hint: b's is then a's too (a's choice), and a plans no
	// change.
	a.mustRun(time.Minute, "import", "-input=false", "servicehub_implementation.own", "own-v1")
	mustSay(t, a, "a's plan after the import", planArgs, `No changes`)
	// What a imported is recorded: another create at the id (b's, after an
	// out-of-band delete) is not what a imported.
	if err := kc.Services.Delete(ctx, kong.String(bID)); err != nil {
		t.Fatal(err)
	}
	b.mustRun(3*time.Minute, applyArgs()...)
	_, bToken = slotHolder(t, kc, "own-v1")
	mustSay(t, a, "a's plan after b created it again", planArgs, `another create's Gateway Service holds its id`, `will be created`)
	// a's state still holds what it imported (a plan saves nothing): its
	// destroy without a refresh finds another create's at the id and
	// leaves it, with a warning.
	mustSay(t, a, "a's destroy -refresh=false", append(destroyArgs, "-refresh=false"),
		`Implementation left alone: another create's`, `was made by another create`, `Resources: 1 destroyed`)
	unchanged("a's destroy -refresh=false", bToken)
	b.mustRun(3*time.Minute, destroyArgs...)
}

// TestAccOwnership_taintedDeleteAgainstOtherCreate: a's create is lost
// (its POST never reached Kong, and Kong could not be asked after), so a
// records it tainted under the slot id. Meanwhile b, with the same
// configuration, creates the implementation there. a's next apply replaces
// its tainted one: it must not delete b's. Refreshing first, it drops b's
// (another create's, by the mark in private state). Without the refresh
// the delete cannot tell (Terraform hands the delete of a tainted object no
// private state, and the name is b's too), so it leaves b's alone, saying
// so. Either way its create then fails naming b's, with the import
// command.
func TestAccOwnership_taintedDeleteAgainstOtherCreate(t *testing.T) {
	t.Parallel()
	skipExternal(t, "injects faults through localkong's server, and two workspaces share fixed names")
	srv := startKong(t, localkong.Options{}).Server
	kc := kongClient(t, srv.AdminURL, "", "")
	for _, tc := range []struct {
		version string
		args    []string
		says    []string
	}{
		{"v1", applyArgs(), []string{`Implementation removed from state: another create's Gateway Service holds its id`,
			`Version already has an implementation`, `terraform import servicehub_implementation.<name> own-v1`}},
		{"v2", append(applyArgs(), "-refresh=false"), []string{`Implementation left alone: whose it is is unknown`, `so it is not deleted`,
			`Version already has an implementation`, `terraform import servicehub_implementation.<name> own-v2`}},
	} {
		ws := newCLIs(t, 2)
		a, b := ws[0], ws[1]
		name := "own-" + tc.version
		a.write("main.tf", ownConfig(srv.AdminURL, "a", tc.version, "max_retries = 1"))
		b.write("main.tf", ownConfig(srv.AdminURL, "b", tc.version))
		// a's insert is dropped before Kong handles it, and so is every
		// look at what it wrote: the create cannot be settled.
		lost := &localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropBefore}, Match: func(r *http.Request) bool {
			return r.Header.Get("X-Run") == "a" && (r.Method == http.MethodPost || strings.HasPrefix(r.URL.Path, "/services/"))
		}}
		if err := srv.SetFaults(lost); err != nil {
			t.Fatal(err)
		}
		mustFail(t, a, "a's lost create", applyArgs(), `Whether Kong created the Gateway Service \(id [0-9a-f-]{36}\) could not be checked`)
		if err := srv.SetFaults(nil); err != nil {
			t.Fatal(err)
		}
		ids, tainted := stateIDs(t, filepath.Join(a.dir, "terraform.tfstate"))
		if len(ids) != 1 || tainted != 1 {
			t.Fatalf("%s: a's state holds %v (%d tainted), want the lost create, tainted", tc.version, ids, tainted)
		}
		if _, err := kc.Services.Get(context.Background(), kong.String(name)); err == nil {
			t.Fatalf("%s: the lost create reached Kong", tc.version)
		}
		b.mustRun(3*time.Minute, applyArgs()...)
		bID, bToken := slotHolder(t, kc, name)
		if !ids[bID] {
			t.Fatalf("%s: b created at %s, not at a's recorded slot %v", tc.version, bID, ids)
		}
		intact := func(what string) {
			t.Helper()
			if id, tok := slotHolder(t, kc, name); id != bID || tok != bToken {
				t.Fatalf("%s: %s deleted b's implementation: the slot holds %s (token %s), want b's %s (token %s)", tc.version, what, id, tok, bID, bToken)
			}
		}
		mustFail(t, a, "a's apply replacing its tainted create", tc.args, tc.says...)
		intact("a's apply")
		if n := stateCount(t, a); n != 0 {
			t.Fatalf("%s: a's state holds %d resources, want none", tc.version, n)
		}
	}
}

// TestAccOwnership_stateFromBeforeMarks: a state written by the previous
// release has no mark in private state. It keeps working (no change
// planned), takes the mark at its first refresh, and from then on another
// create at its id is not taken for its own.
func TestAccOwnership_stateFromBeforeMarks(t *testing.T) {
	t.Parallel()
	skipExternal(t, "two workspaces share fixed names and reach localkong's server")
	ws := newCLIs(t, 2)
	a, b := ws[0], ws[1]
	srv := startKong(t, localkong.Options{}).Server
	kc := kongClient(t, srv.AdminURL, "", "")
	a.write("main.tf", ownConfig(srv.AdminURL, "a", "v1"))
	b.write("main.tf", ownConfig(srv.AdminURL, "b", "v1"))
	a.mustRun(3*time.Minute, applyArgs()...)
	if n := stripPrivate(t, a); n != 1 {
		t.Fatalf("stripped private state from %d instances, want 1", n)
	}
	mustSay(t, a, "a's plan of a state without marks", planArgs, `No changes`)
	a.mustRun(3*time.Minute, "apply", "-refresh-only", "-auto-approve", "-input=false")
	if n := stripPrivate(t, a); n != 1 {
		t.Fatalf("the first refresh recorded no mark (%d instances with private state)", n)
	}
	a.mustRun(3*time.Minute, "apply", "-refresh-only", "-auto-approve", "-input=false")
	id, _ := slotHolder(t, kc, "own-v1")
	if err := kc.Services.Delete(context.Background(), kong.String(id)); err != nil {
		t.Fatal(err)
	}
	b.mustRun(3*time.Minute, applyArgs()...)
	mustSay(t, a, "a's plan", planArgs, `another create's Gateway Service holds its id`, `will be created`)
}

// stripPrivate removes the private state of every instance in c's state,
// as the previous release wrote none, and says how many had one.
func stripPrivate(t *testing.T, c *cli) int {
	t.Helper()
	file := filepath.Join(c.dir, "terraform.tfstate")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range st["resources"].([]any) {
		for _, i := range r.(map[string]any)["instances"].([]any) {
			inst := i.(map[string]any)
			if p, ok := inst["private"].(string); ok && p != "" {
				n++
			}
			delete(inst, "private")
		}
	}
	st["serial"] = st["serial"].(float64) + 1
	if b, err = json.MarshalIndent(st, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAccOwnership_catalogSettleAgainstOtherRun: a's create of a catalog
// version is lost (its POST dropped before Konnect handled it), and before
// a looks for what it made, b creates the same version. a must not take
// b's API for its own: it fails naming b's with the import command, and
// its state holds nothing.
func TestAccOwnership_catalogSettleAgainstOtherRun(t *testing.T) {
	t.Parallel()
	ws := newCLIs(t, 2)
	a, b := ws[0], ws[1]
	srv := startKonnect(t, localkong.Options{})
	config := func(name string) string {
		return cliRequiredProviders + konnectProvider(srv, fmt.Sprintf(`headers = { "X-Run" = %q }`, name)) + `
resource "servicehub_service_version" "pay" {
  service = "settle"
  version = "v1"
}
`
	}
	a.write("main.tf", config("a"))
	b.write("main.tf", config("b"))
	var posts atomic.Int32
	if err := srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropBefore}, Match: func(r *http.Request) bool {
		return r.Header.Get("X-Run") == "a" && r.Method == http.MethodPost && r.URL.Path == "/v3/apis" && posts.Add(1) == 1
	}}); err != nil {
		t.Fatal(err)
	}
	look := srv.Pause(localkong.BeforeHandling, func(r *http.Request) bool {
		return r.Header.Get("X-Run") == "a" && r.Method == http.MethodGet && r.URL.Path == "/v3/apis"
	})
	run := a.start(3*time.Minute, applyArgs()...)
	select {
	case <-look.Arrived():
	case <-time.After(2 * time.Minute):
		look.Release()
		t.Fatalf("a never looked for its lost create:\n%s", run.output())
	}
	b.mustRun(3*time.Minute, applyArgs()...)
	look.Release()
	err := run.wait()
	out := run.output()
	apis := catalogAPIs(t, srv, "settle")
	if len(apis) != 1 {
		t.Fatalf("the catalog holds %d APIs named settle, want b's alone", len(apis))
	}
	bAPI := apis[0]["id"].(string)
	if err == nil || !errorRE(`Service version already in the catalog.*terraform import servicehub_service_version.<name> `+bAPI).MatchString(out) {
		t.Fatalf("a's apply (%v): want it refused, naming b's API %s:\n%s", err, bAPI, out)
	}
	if n := stateCount(t, a); n != 0 {
		t.Fatalf("a's state holds %d resources, want none", n)
	}
	if ids, _ := stateIDs(t, filepath.Join(b.dir, "terraform.tfstate")); !ids[bAPI] {
		t.Fatalf("b's state holds %v, want %s", ids, bAPI)
	}
	if posts.Load() < 1 {
		t.Fatal("a's POST was never dropped")
	}
}

// TestAccOwnership_mixedCaseControlPlaneIDs: two workspaces name one Konnect
// control plane in two cases (a UUID, which Konnect takes in either) and
// implement one version at the same moment, each insert held until both
// have passed the version lookup. One control plane, one version: exactly
// one creates it, the other fails naming it, as when both write the id
// alike (TestAccConcurrent_sameVersionKonnect).
func TestAccOwnership_mixedCaseControlPlaneIDs(t *testing.T) {
	t.Parallel()
	const token = "kpat_case"
	ws := newCLIs(t, 2)
	srv := startKong(t, localkong.Options{Konnect: true, AdminToken: token}).Server // localkong only (pauses): startKong skips elsewhere
	id := uuid.NewString()
	for i, c := range ws {
		cpID := id
		if i == 1 {
			cpID = strings.ToUpper(id)
		}
		cp := srv.AdminURL + "/v2/control-planes/" + cpID + "/core-entities"
		p := cliRequiredProviders + fmt.Sprintf("provider \"servicehub\" {\n  admin_url = %q\n  konnect_token = %q\n  headers = { \"X-Run\" = %q }\n}\n", cp, token, runName(i))
		c.write("main.tf", raceConfig(p, runName(i), "v1"))
	}
	complete := barrier(srv, len(ws), func(i int) func(*http.Request) bool { return runRequest(runName(i), http.MethodPost, "/services") })
	res := together(ws, 3*time.Minute, applyArgs()...)
	if !complete() {
		t.Fatal("not every run reached its insert")
	}
	checkRace(t, ws, res, konnectClient(t, srv.AdminURL+"/v2/control-planes/"+id+"/core-entities", token), "v1")
}
