package provider

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// Many Terraform workspaces, one runtime group: real terraform processes,
// one working directory (one state) each, applied at the same time
// against one localkong. Each workspace's provider sends an X-Run header
// naming it, so that localkong.Pause can pick its requests: a barrier holds
// every run's insert until all have passed the version lookup, the
// interleaving in which reading before writing let four runs create four
// implementations of one version.

// tfResult is how one terraform command ended.
type tfResult struct {
	out string
	err error
}

// together runs one terraform command in every workspace at once.
func together(ws []*cli, timeout time.Duration, args ...string) []tfResult {
	res := make([]tfResult, len(ws))
	var wg sync.WaitGroup
	for i, c := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			out, err := c.command(ctx, args...).CombinedOutput()
			if ctx.Err() != nil {
				err = fmt.Errorf("terraform %s did not finish within %v", args[0], timeout)
			}
			res[i] = tfResult{out: string(out), err: err}
		}()
	}
	wg.Wait()
	return res
}

func applyArgs() []string { return []string{"apply", "-auto-approve", "-input=false"} }

// raced applies setup(i) in every workspace i, then race(i) in all at
// once, each run's first request with method on a path ending in suffix
// held until every run has sent its own.
func raced(t *testing.T, srv *localkong.Server, ws []*cli, setup, race func(i int) string, method, suffix string) []tfResult {
	t.Helper()
	for i, c := range ws {
		c.write("main.tf", setup(i))
	}
	allApplied(t, ws)
	for i, c := range ws {
		c.write("main.tf", race(i))
	}
	complete := barrier(srv, len(ws), func(i int) func(*http.Request) bool { return runRequest(runName(i), method, suffix) })
	res := together(ws, 3*time.Minute, applyArgs()...)
	if !complete() {
		t.Fatalf("not every run sent its %s", method)
	}
	return res
}

// allApplied applies every workspace at once, for a test's setup.
func allApplied(t *testing.T, ws []*cli) {
	t.Helper()
	for i, r := range together(ws, 3*time.Minute, applyArgs()...) {
		if r.err != nil {
			t.Fatalf("setup of %s: %v\n%s", runName(i), r.err, r.out)
		}
	}
}

// runName is workspace i's name, as its X-Run header carries it.
func runName(i int) string { return string(rune('a' + i)) }

// runProvider is workspace name's provider block.
func runProvider(adminURL, name string, extra ...string) string {
	return cliRequiredProviders + providerConfig(adminURL, append([]string{fmt.Sprintf(`headers = { "X-Run" = %q }`, name)}, extra...)...)
}

// runRequest matches run name's requests with method on a path ending in
// suffix (Konnect's paths have a prefix).
func runRequest(name, method, suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.Header.Get("X-Run") == name && r.Method == method && strings.HasSuffix(r.URL.Path, suffix)
	}
}

// barrier holds the first request match(i) accepts, for each of n runs,
// until all n have arrived, then lets them go at once. complete reports
// whether all arrived (after a minute it lets go anyway, so that a run
// failing early cannot hang the others).
func barrier(srv *localkong.Server, n int, match func(i int) func(*http.Request) bool) (complete func() bool) {
	ps := make([]*localkong.Paused, n)
	for i := range ps {
		ps[i] = srv.Pause(localkong.BeforeHandling, match(i))
	}
	done := make(chan bool, 1)
	go func() {
		all := true
		deadline := time.After(time.Minute)
		for _, p := range ps {
			select {
			case <-p.Arrived():
			case <-deadline:
				all = false
			}
		}
		for _, p := range ps {
			p.Release()
		}
		done <- all
	}()
	return func() bool { return <-done }
}

// stateCount is how many resource instances a workspace's state holds.
func stateCount(t *testing.T, c *cli) int {
	t.Helper()
	if _, err := os.Stat(filepath.Join(c.dir, "terraform.tfstate")); os.IsNotExist(err) {
		return 0
	}
	ids, _ := stateIDs(t, filepath.Join(c.dir, "terraform.tfstate"))
	return len(ids)
}

func freshState(t *testing.T, c *cli) {
	t.Helper()
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(c.dir, f)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}

// kongEntities lists the Gateway Services and routes whose names start
// with prefix, and every claim.
func kongEntities(t *testing.T, kc *kong.Client, prefix string) (svcs []*kong.Service, routes []*kong.Route) {
	t.Helper()
	ctx := context.Background()
	all, err := kc.Services.ListAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if strings.HasPrefix(deref(s.Name), prefix) || hasKongTag(s, "servicehub:claim") {
			svcs = append(svcs, s)
		}
	}
	rts, err := kc.Routes.ListAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rts {
		if strings.HasPrefix(deref(r.Name), prefix) {
			routes = append(routes, r)
		}
	}
	return svcs, routes
}

func hasKongTag(s *kong.Service, tag string) bool {
	for _, t := range kongTags(s) {
		if t == tag {
			return true
		}
	}
	return false
}

func names[T any](items []*T, name func(*T) *string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, deref(name(it)))
	}
	return out
}

func svcNames(s []*kong.Service) []string {
	return names(s, func(s *kong.Service) *string { return s.Name })
}
func routeNames(r []*kong.Route) []string {
	return names(r, func(r *kong.Route) *string { return r.Name })
}

// raceConfig: workspace name implements version of service "race", with a
// route.
func raceConfig(provider, name, version string) string {
	return provider + fmt.Sprintf(`
resource "servicehub_implementation" "race" {
  service = "race"
  version = %[2]q
  name    = "race-%[2]s-%[1]s"
  url     = "http://race-%[1]s.internal"
}

resource "servicehub_route" "race" {
  implementation_id = servicehub_implementation.race.id
  name              = "race-%[2]s-%[1]s"
  paths             = ["/race/%[2]s/%[1]s"]
}
`, name, version)
}

// checkRace checks one round of runs racing to implement version: exactly
// one applied; every other failed with the version-taken error naming the
// winner and the import command, holds nothing in its state, and left
// nothing in Kong. It returns the winner's index.
func checkRace(t *testing.T, ws []*cli, res []tfResult, kc *kong.Client, version string) int {
	t.Helper()
	winner := -1
	for i, r := range res {
		if r.err == nil {
			if winner >= 0 {
				t.Errorf("%s: both %s and %s applied", version, runName(winner), runName(i))
			}
			winner = i
		}
	}
	if winner < 0 {
		for i, r := range res {
			t.Logf("run %s:\n%s", runName(i), r.out)
		}
		t.Fatalf("%s: no run applied", version)
	}
	won := fmt.Sprintf("race-%s-%s", version, runName(winner))
	taken := errorRE(fmt.Sprintf(`Version already has an implementation.*Version %q of service "race" already has an implementation in this runtime group: `+
		`the Gateway Service %q \(id [0-9a-f-]{36}\).*terraform import servicehub_implementation.<name> %s`, version, won, won))
	for i, r := range res {
		if i == winner {
			continue
		}
		if !taken.MatchString(r.out) {
			t.Errorf("%s: run %s did not fail with the version taken by %s:\n%s", version, runName(i), won, r.out)
		}
		if n := stateCount(t, ws[i]); n != 0 {
			t.Errorf("%s: the losing run %s holds %d resources in its state", version, runName(i), n)
		}
	}
	svcs, routes := kongEntities(t, kc, "race-"+version+"-")
	if fmt.Sprint(svcNames(svcs)) != fmt.Sprint([]string{won}) || fmt.Sprint(routeNames(routes)) != fmt.Sprint([]string{won}) {
		t.Errorf("%s: Kong holds services %v and routes %v, want only %s", version, svcNames(svcs), routeNames(routes), won)
	}
	return winner
}

// TestAccConcurrent_sameVersion: four workspaces implement one version at
// the same moment, round after round. Rounds 0-3 run as they come, with
// 30 ms of Admin API latency; in rounds 4 and 5 every run's insert is held
// until all four have passed the version lookup (the worst case, forced),
// and in round 5 run a's first insert is committed but its response lost,
// so its retry meets its own write in the middle of the race. Every round:
// exactly one implementation, the others refused with the same error,
// nothing orphaned, nothing in the losers' states; a loser's re-run gives
// the same error and changes nothing.
func TestAccConcurrent_sameVersion(t *testing.T) {
	t.Parallel()
	const runs, asTheyCome, latency = 4, 4, 250 * time.Millisecond
	ws := newCLIs(t, runs)
	// Latency wide enough that runs started together overlap between their
	// lookup and their insert.
	srv := startKong(t, localkong.Options{AdminLatency: latency}).Server // localkong only (latency, faults, pauses): startKong skips elsewhere
	kc := kongClient(t, srv.AdminURL, "", "")
	contested := 0
	for round := 0; round < asTheyCome+2; round++ {
		version := fmt.Sprintf("v%d", round)
		for i, c := range ws {
			freshState(t, c)
			c.write("main.tf", raceConfig(runProvider(srv.AdminURL, runName(i)), runName(i), version))
		}
		srv.ResetRequestCount()
		var complete func() bool
		if round >= asTheyCome {
			complete = barrier(srv, runs, func(i int) func(*http.Request) bool { return runRequest(runName(i), http.MethodPost, "/services") })
		}
		lossy := round == asTheyCome+1
		if lossy {
			if err := srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropAfter}, MaxConsecutive: 1,
				Match: runRequest("a", http.MethodPost, "/services")}); err != nil {
				t.Fatal(err)
			}
		}
		res := together(ws, 3*time.Minute, applyArgs()...)
		posts := srv.RequestCounts()[http.MethodPost]
		if complete != nil && !complete() {
			t.Fatalf("%s: not every run reached its insert", version)
		}
		if lossy {
			_ = srv.SetFaults(nil)
			if n := srv.FaultCounts()[localkong.FaultDropAfter]; n != 1 {
				t.Errorf("%s: %d responses lost, want a's first insert's", version, n)
			}
		}
		winner := checkRace(t, ws, res, kc, version)
		if posts > 1 && complete == nil {
			contested++
		}
		t.Logf("%s: %s won; %d inserts reached Kong", version, runName(winner), posts)
		if complete != nil && posts < runs {
			t.Errorf("%s: %d inserts, want all %d runs past the lookup", version, posts, runs)
		}
		if round == asTheyCome {
			// A losing run applied again: the same error, nothing new.
			loser := (winner + 1) % runs
			rerun := make([]tfResult, runs)
			rerun[winner] = tfResult{}
			for i := range rerun {
				if i != winner {
					rerun[i] = res[i]
				}
			}
			rerun[loser].out, rerun[loser].err = ws[loser].run(2*time.Minute, applyArgs()...)
			if rerun[loser].err == nil {
				t.Fatalf("re-run of the losing %s applied", runName(loser))
			}
			checkRace(t, ws, rerun, kc, version)
		}
	}
	t.Logf("rounds run as they came in which more than one insert reached Kong (the primary key decided): %d of %d", contested, asTheyCome)
}

// TestAccConcurrent_sameVersionKonnect: the same race on a Konnect control
// plane, whose answer to an insert under a taken id is its own "data
// constraint error".
func TestAccConcurrent_sameVersionKonnect(t *testing.T) {
	t.Parallel()
	const runs, token = 3, "kpat_race"
	ws := newCLIs(t, runs)
	srv := startKong(t, localkong.Options{Konnect: true, AdminToken: token, AdminLatency: 30 * time.Millisecond}).Server // localkong only (latency, faults, pauses): startKong skips elsewhere
	cp := srv.AdminURL + "/v2/control-planes/" + uuid.NewString() + "/core-entities"
	for i, c := range ws {
		p := cliRequiredProviders + fmt.Sprintf("provider \"servicehub\" {\n  admin_url = %q\n  konnect_token = %q\n  headers = { \"X-Run\" = %q }\n}\n", cp, token, runName(i))
		c.write("main.tf", raceConfig(p, runName(i), "v1"))
	}
	complete := barrier(srv, runs, func(i int) func(*http.Request) bool { return runRequest(runName(i), http.MethodPost, "/services") })
	res := together(ws, 3*time.Minute, applyArgs()...)
	if !complete() {
		t.Fatal("not every run reached its insert")
	}
	checkRace(t, ws, res, konnectClient(t, cp, token), "v1")
}

// TestAccConcurrent_renames: two workspaces rename their implementation and
// their route to the same names at once. Kong's unique names decide: one
// run gets each name, the other the name error, and each run's next plan
// says what it still has to do.
func TestAccConcurrent_renames(t *testing.T) {
	t.Parallel()
	ws := newCLIs(t, 2)
	srv := startKong(t, localkong.Options{AdminLatency: 30 * time.Millisecond}).Server // localkong only (latency, faults, pauses): startKong skips elsewhere
	kc := kongClient(t, srv.AdminURL, "", "")
	// The route is on an implementation that keeps its name, so that the
	// two renames do not wait for each other.
	config := func(i int, name string) string {
		return runProvider(srv.AdminURL, runName(i)) + fmt.Sprintf(`
resource "servicehub_implementation" "ren" {
  service = "ren"
  version = "v-%[1]s"
  name    = %[2]q
  url     = "http://ren-%[1]s.internal"
}

resource "servicehub_implementation" "base" {
  service = "ren-base"
  version = "v-%[1]s"
  name    = "base-%[1]s"
  url     = "http://base-%[1]s.internal"
}

resource "servicehub_route" "ren" {
  implementation_id = servicehub_implementation.base.id
  name              = %[2]q
  paths             = ["/ren/%[1]s"]
}
`, runName(i), name)
	}
	// Both runs' first writes wait until both have read.
	res := raced(t, srv, ws, func(i int) string { return config(i, "ren-"+runName(i)) }, func(i int) string { return config(i, "ren-shared") },
		http.MethodPut, "")
	svcs, routes := kongEntities(t, kc, "ren-")
	for _, kind := range []struct {
		noun, summary string
		names         []string
	}{
		{"Gateway Service", "Gateway Service name already in use", svcNames(svcs)},
		{"Route", "Route name already in use", routeNames(routes)},
	} {
		lost := 0
		for i, r := range res {
			if strings.Contains(r.out, kind.summary) {
				lost++
				if !containsStr(kind.names, "ren-"+runName(i)) {
					t.Errorf("%s lost the %s name but Kong has not kept its old name: %v", runName(i), kind.noun, kind.names)
				}
			}
		}
		if lost != 1 || !containsStr(kind.names, "ren-shared") || len(kind.names) != 2 {
			t.Errorf("%ss %v after the race, %d runs refused: want one renamed, one refused", kind.noun, kind.names, lost)
		}
	}
	// The next plan of each run is truthful: empty for a run that got
	// both names, a rename for a run that lost one.
	for i, c := range ws {
		out, err := c.run(time.Minute, "plan", "-detailed-exitcode", "-input=false")
		lostAny := res[i].err != nil
		if (err == nil) == lostAny || (lostAny && !strings.Contains(out, `~ name`)) {
			t.Errorf("%s's plan after the race (lost a name: %v): %v\n%s", runName(i), lostAny, err, out)
		}
	}
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var changedOutside = errorRE(`changed outside this run.*was changed in Kong after this run read it`)

// TestAccConcurrent_routeMoves: two workspaces move one route (imported in
// both) to different implementations. Whoever writes second after the
// other's write was planned against the old state is refused ("changed
// outside this run") instead of overwriting silently; Kong keeps one move,
// and each run's next plan describes Kong truthfully. Forced first (a saved
// plan applied after the other run's write), then twice as it comes.
func TestAccConcurrent_routeMoves(t *testing.T) {
	t.Parallel()
	ws := newCLIs(t, 3)
	setup, a, b := ws[0], ws[1], ws[2]
	srv := startKong(t, localkong.Options{AdminLatency: 30 * time.Millisecond}).Server // localkong only (latency, faults, pauses): startKong skips elsewhere
	kc := kongClient(t, srv.AdminURL, "", "")
	route := func(impl string) string {
		return fmt.Sprintf(`
resource "servicehub_route" "mv" {
  implementation_id = %s
  name              = "mv"
  paths             = ["/mv"]
}
`, impl)
	}
	setup.write("main.tf", runProvider(srv.AdminURL, "setup")+`
resource "servicehub_implementation" "mv" {
  for_each = toset(["x", "y", "z"])
  service  = "mv"
  version  = each.key
  name     = "mv-${each.key}"
  url      = "http://mv-${each.key}.internal"
}
`+route(`servicehub_implementation.mv["x"].id`))
	setup.mustRun(3*time.Minute, applyArgs()...)
	id := func(name string) string {
		svc, err := kc.Services.Get(context.Background(), kong.String(name))
		if err != nil {
			t.Fatal(err)
		}
		return *svc.ID
	}
	r, err := kc.Routes.Get(context.Background(), kong.String("mv"))
	if err != nil {
		t.Fatal(err)
	}
	target := map[*cli]string{a: id("mv-y"), b: id("mv-z")}
	for i, c := range []*cli{a, b} {
		c.write("main.tf", runProvider(srv.AdminURL, runName(i))+fmt.Sprintf("import {\n  to = servicehub_route.mv\n  id = %q\n}\n", *r.ID)+route(fmt.Sprintf("%q", target[c])))
	}
	on := func() string {
		got, err := kc.Routes.Get(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return *got.Service.ID
	}
	// Each run's plan: empty when Kong holds its move, else the move.
	truthful := func(what string) {
		for _, c := range []*cli{a, b} {
			out, err := c.run(time.Minute, "plan", "-detailed-exitcode", "-input=false")
			if holds := on() == target[c]; (err == nil) != holds || (!holds && !strings.Contains(out, "~ implementation_id")) {
				t.Errorf("%s: plan of the run whose move Kong holds=%v: %v\n%s", what, holds, err, out)
			}
		}
	}

	// Forced: b planned against the route on x; a moves it to y; b's apply
	// of its saved plan finds the route changed and writes nothing.
	b.mustRun(time.Minute, "plan", "-out=moves.tfplan", "-input=false")
	a.mustRun(3*time.Minute, applyArgs()...)
	out, err := b.run(3*time.Minute, "apply", "-input=false", "moves.tfplan")
	if err == nil || !changedOutside.MatchString(out) {
		t.Fatalf("b's saved plan applied over a's move (%v):\n%s", err, out)
	}
	if on() != target[a] {
		t.Fatalf("route on %s, want a's move kept", on())
	}
	truthful("after the forced round")

	// As they come: Kong ends with one of the moves, and the plans say
	// which. The run that lost either was refused or, when both read before
	// either wrote (the one-round-trip window no client can close), was
	// overwritten; its plan shows it either way.
	for round := 1; round <= 2; round++ {
		setup.mustRun(3*time.Minute, applyArgs()...) // back on x
		res := together([]*cli{a, b}, 3*time.Minute, applyArgs()...)
		refused := 0
		for i, r := range res {
			switch {
			case r.err == nil:
			case changedOutside.MatchString(r.out):
				refused++
			default:
				t.Fatalf("round %d: %s failed otherwise: %v\n%s", round, runName(i), r.err, r.out)
			}
		}
		t.Logf("round %d: route on %s; %d of 2 runs refused as changed outside", round, map[string]string{target[a]: "y", target[b]: "z"}[on()], refused)
		truthful(fmt.Sprintf("round %d", round))
	}
}

// TestAccConcurrent_deleteAgainstRoute: one workspace deletes an
// implementation while another adds a route to it. Kong's foreign key
// decides: the delete is refused naming the route, or the route is refused
// naming the implementation; nothing is half-deleted, and running either
// again gives the same answer. Both orders forced with saved plans, then
// once as it comes.
func TestAccConcurrent_deleteAgainstRoute(t *testing.T) {
	t.Parallel()
	ws := newCLIs(t, 2)
	a, b := ws[0], ws[1]
	srv := startKong(t, localkong.Options{AdminLatency: 30 * time.Millisecond}).Server // localkong only (latency, faults, pauses): startKong skips elsewhere
	kc := kongClient(t, srv.AdminURL, "", "")
	a.write("main.tf", runProvider(srv.AdminURL, "a")+`
resource "servicehub_implementation" "dr" {
  service = "dr"
  version = "v1"
  name    = "dr-x"
  url     = "http://dr.internal"
}
`)
	a.mustRun(3*time.Minute, applyArgs()...)
	svc, err := kc.Services.Get(context.Background(), kong.String("dr-x"))
	if err != nil {
		t.Fatal(err)
	}
	// The implementation comes back at its version's slot, under the same
	// id, each time a recreates it.
	b.write("main.tf", runProvider(srv.AdminURL, "b")+fmt.Sprintf(`
resource "servicehub_route" "dr" {
  implementation_id = %q
  name              = "dr-r"
  paths             = ["/dr"]
}
`, *svc.ID))
	missing := errorRE(`Implementation not found.*There is no Gateway Service with this id in the runtime group.*` + *svc.ID)
	remain := errorRE(`the Gateway Service ` + *svc.ID + ` still has 1 route: "dr-r"`)
	state := func() (impl, route bool) {
		svcs, routes := kongEntities(t, kc, "dr-")
		return len(svcs) == 1, len(routes) == 1
	}
	same := func(c *cli, args []string, want *regexp.Regexp) {
		t.Helper()
		impl, route := state()
		out, err := c.run(3*time.Minute, args...)
		if err == nil || !want.MatchString(out) {
			t.Errorf("re-run: %v, want the same error again:\n%s", err, out)
		}
		if i, r := state(); i != impl || r != route {
			t.Errorf("the re-run changed Kong")
		}
	}
	destroy := []string{"destroy", "-auto-approve", "-input=false"}

	// Delete first: b planned the route, a deletes, b's apply is refused.
	b.mustRun(time.Minute, "plan", "-out=route.tfplan", "-input=false")
	a.mustRun(3*time.Minute, destroy...)
	out, err := b.run(3*time.Minute, "apply", "-input=false", "route.tfplan")
	if err == nil || !missing.MatchString(out) {
		t.Fatalf("route onto a deleted implementation (%v):\n%s", err, out)
	}
	if impl, route := state(); impl || route {
		t.Fatalf("after delete-first: implementation %v, route %v", impl, route)
	}
	same(b, applyArgs(), missing)

	// Route first: a planned the delete, b adds the route, a's apply is
	// refused naming it.
	a.mustRun(3*time.Minute, applyArgs()...)
	a.mustRun(time.Minute, "plan", "-destroy", "-out=destroy.tfplan", "-input=false")
	b.mustRun(3*time.Minute, applyArgs()...)
	out, err = a.run(3*time.Minute, "apply", "-input=false", "destroy.tfplan")
	if err == nil || !remain.MatchString(out) {
		t.Fatalf("delete of an implementation with a new route (%v):\n%s", err, out)
	}
	if impl, route := state(); !impl || !route {
		t.Fatalf("after route-first: implementation %v, route %v", impl, route)
	}
	same(a, destroy, remain)

	// As it comes: exactly one of the two is refused.
	b.mustRun(3*time.Minute, destroy...)
	var wg sync.WaitGroup
	var outA, outB string
	var errA, errB error
	wg.Add(2)
	go func() { defer wg.Done(); outA, errA = runQuiet(a, destroy...) }()
	go func() { defer wg.Done(); outB, errB = runQuiet(b, applyArgs()...) }()
	wg.Wait()
	impl, route := state()
	switch {
	case errA != nil && remain.MatchString(outA) && errB == nil && impl && route:
		t.Log("as it came: the route was first; the delete was refused")
	case errB != nil && missing.MatchString(outB) && errA == nil && !impl && !route:
		t.Log("as it came: the delete was first; the route was refused")
	default:
		t.Errorf("delete: %v\n%s\nroute: %v\n%s\nKong: implementation %v, route %v", errA, outA, errB, outB, impl, route)
	}
}

// runQuiet runs a terraform command without touching the test's state
// (safe from another goroutine).
func runQuiet(c *cli, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := c.command(ctx, args...).CombinedOutput()
	return string(out), err
}

// TestAccConcurrent_versionMoves: two workspaces move their
// implementations onto one version at once. Each move claims the version's
// slot before it writes, so one moves and the other is refused and stays
// where it was; its re-run names the winner.
func TestAccConcurrent_versionMoves(t *testing.T) {
	t.Parallel()
	ws := newCLIs(t, 2)
	srv := startKong(t, localkong.Options{AdminLatency: 30 * time.Millisecond}).Server // localkong only (latency, faults, pauses): startKong skips elsewhere
	kc := kongClient(t, srv.AdminURL, "", "")
	config := func(i int, version string) string {
		return runProvider(srv.AdminURL, runName(i)) + fmt.Sprintf(`
resource "servicehub_implementation" "vm" {
  service = "vm"
  version = %q
  name    = "vm-%s"
  url     = "http://vm.internal"
}
`, version, runName(i))
	}
	// Both runs' claims wait until both have passed the lookup.
	res := raced(t, srv, ws, func(i int) string { return config(i, "v1"+runName(i)) }, func(i int) string { return config(i, "v3") },
		http.MethodPost, "/services")
	refused := errorRE(`(Version already has an implementation|Version reserved by another implementation's claim)`)
	winner := -1
	for i, r := range res {
		switch {
		case r.err == nil && winner < 0:
			winner = i
		case r.err == nil:
			t.Fatal("both moves applied")
		case !refused.MatchString(r.out):
			t.Errorf("%s failed otherwise: %v\n%s", runName(i), r.err, r.out)
		}
	}
	if winner < 0 {
		t.Fatalf("no move applied:\n%s\n%s", res[0].out, res[1].out)
	}
	loser := 1 - winner
	svcs, _ := kongEntities(t, kc, "vm-")
	var v3, claims []string
	for _, s := range svcs {
		if hasKongTag(s, "servicehub:version=v3") {
			v3 = append(v3, deref(s.Name))
		}
		if hasKongTag(s, "servicehub:claim") {
			claims = append(claims, deref(s.Name))
		}
	}
	if fmt.Sprint(v3) != fmt.Sprint([]string{"vm-" + runName(winner)}) || len(claims) != 1 {
		t.Fatalf("v3 implemented by %v, claims %v: want only %s, with its claim", v3, claims, runName(winner))
	}
	loserSvc, err := kc.Services.Get(context.Background(), kong.String("vm-"+runName(loser)))
	if err != nil || !hasKongTag(loserSvc, "servicehub:version=v1"+runName(loser)) {
		t.Fatalf("the refused move changed %s: %v %v", runName(loser), kongTags(loserSvc), err)
	}
	out, err := ws[loser].run(3*time.Minute, applyArgs()...)
	if err == nil || !errorRE(`Version already has an implementation.*"vm-`+runName(winner)+`"`).MatchString(out) {
		t.Fatalf("re-run of the refused move (%v):\n%s", err, out)
	}
	// Destroying the winner releases its claim.
	ws[winner].mustRun(3*time.Minute, "destroy", "-auto-approve", "-input=false")
	if svcs, _ := kongEntities(t, kc, "vm-"); len(svcs) != 1 {
		t.Fatalf("after destroying %s Kong holds %v", runName(winner), svcNames(svcs))
	}
}

// TestAccConcurrent_disjointFleets: eight workspaces apply disjoint
// configurations of 50 implementations and 50 routes each at once, while a
// fifth of the Admin API requests fail (429, 502, 503, connections dropped
// before or after the write). Every run converges, Kong holds exactly the
// union, and every run's next plan is empty.
func TestAccConcurrent_disjointFleets(t *testing.T) {
	t.Parallel()
	const runs, n = 8, 50
	ws := newCLIs(t, runs)
	faults := &localkong.Faults{Rate: 0.2, Seed: 14, RetryAfter: 0, MaxConsecutive: 3, InTurn: true}
	kong := startKong(t, localkong.Options{Faults: faults}) // localkong only (faults): startKong skips elsewhere
	srv := kong.Server
	services, routes := map[string]string{}, map[string][2]string{}
	for i, c := range ws {
		config, svcs, rts := namedFleet("fleet"+runName(i), srv.AdminURL, n, "v1", fmt.Sprintf(`headers = { "X-Run" = %q }`, runName(i)))
		c.write("main.tf", cliRequiredProviders+config)
		maps.Copy(services, svcs)
		maps.Copy(routes, rts)
	}
	start := time.Now()
	for i, r := range together(ws, 8*time.Minute, applyArgs()...) {
		if r.err != nil {
			t.Errorf("apply of %s: %v\n%s", runName(i), r.err, tail(r.out, 40))
		}
	}
	t.Logf("8 applies in %v; faults %v", time.Since(start).Round(time.Second), srv.FaultCounts())
	if t.Failed() {
		t.FailNow()
	}
	if err := kongHolds(t, kong, faults, services, routes); err != nil {
		t.Fatal(err)
	}
	for i, r := range together(ws, 5*time.Minute, "plan", "-detailed-exitcode", "-input=false") {
		if r.err != nil {
			t.Errorf("plan of %s is not empty (%v):\n%s", runName(i), r.err, tail(r.out, 40))
		}
	}
	counts := srv.FaultCounts()
	for _, k := range localkong.AllFaults {
		if counts[k] == 0 {
			t.Errorf("no %s fault was injected", k)
		}
	}
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = l[len(l)-lines:]
	}
	return strings.Join(l, "\n")
}

// konnectClient reads a localkong control plane behind the provider's back.
func konnectClient(t *testing.T, cp, token string) *kong.Client {
	t.Helper()
	c, err := kong.NewClient(kong.String(cp), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDoer(func(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
		req.Header.Set("Authorization", "Bearer "+token)
		return hc.Do(req.WithContext(ctx))
	})
	return c
}
