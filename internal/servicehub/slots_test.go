package servicehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// Interleavings of two runs, forced with localkong.Pause: each run is a
// client of its own (as two Terraform workspaces are), marked by a header
// so that the pause can pick its requests.

// run is one client, as one Terraform run has it.
type run struct {
	name   string
	api    *kongapi.Client
	impls  *Implementations
	routes *Routes
}

func newRun(t *testing.T, srv *localkong.Server, name string, retries int) *run {
	t.Helper()
	api, err := kongapi.New(kongapi.Config{AdminURL: srv.AdminURL, MaxRetries: retries,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond, Headers: map[string]string{"X-Run": name}})
	if err != nil {
		t.Fatal(err)
	}
	cache := kongapi.NewCache(api)
	return &run{name: name, api: api, impls: NewCachedImplementations(cache), routes: NewCachedRoutes(cache)}
}

// its matches the run's requests with method on paths starting with path.
func (r *run) its(method, path string) func(*http.Request) bool {
	return func(req *http.Request) bool {
		return req.Header.Get("X-Run") == r.name && req.Method == method && strings.HasPrefix(req.URL.Path, path)
	}
}

// nth matches the nth request (from 1) that match accepts.
func nth(n int32, match func(*http.Request) bool) func(*http.Request) bool {
	var seen atomic.Int32
	return func(r *http.Request) bool { return match(r) && seen.Add(1) == n }
}

// async runs f in the background; wait returns its error.
func async(f func() error) (wait func() error) {
	done := make(chan error, 1)
	go func() { done <- f() }()
	return func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("still running after 10s")
		}
	}
}

// interleave forces an order: held runs until p holds its request, other
// runs to its end, then held goes on. It returns both errors.
func interleave(t *testing.T, p *localkong.Paused, held, other func() error) (heldErr, otherErr error) {
	t.Helper()
	wait := async(held)
	arrived(t, p)
	otherErr = other()
	p.Release()
	return wait(), otherErr
}

// mustCreate creates an implementation or ends the test.
func mustCreate(t *testing.T, r *run, service, version, name string) Implementation {
	t.Helper()
	impl, err := r.impls.Create(context.Background(), implOf(service, version, name))
	if err != nil {
		t.Fatal(err)
	}
	return impl
}

func arrived(t *testing.T, p *localkong.Paused) {
	t.Helper()
	select {
	case <-p.Arrived():
	case <-time.After(10 * time.Second):
		t.Fatal("the paused request never came")
	}
}

// implementationsOf lists what Kong holds tagged with the version.
func implementationsOf(t *testing.T, srv *localkong.Server, service, version string) []*kong.Service {
	t.Helper()
	api := newKongAPI(t, srv.AdminURL, "")
	svcs, err := api.ListServicesByTags(context.Background(), ServiceTag(service), VersionTag(version))
	if err != nil {
		t.Fatal(err)
	}
	return svcs
}

func claimsIn(t *testing.T, srv *localkong.Server) []*kong.Service {
	t.Helper()
	svcs, err := newKongAPI(t, srv.AdminURL, "").ListServicesByTags(context.Background(), claimTag)
	if err != nil {
		t.Fatal(err)
	}
	return svcs
}

func wantTaken(t *testing.T, err error, by string) {
	t.Helper()
	var vt *VersionTakenError
	if !errors.As(err, &vt) || vt.Existing.Name() != by {
		t.Fatalf("err = %v, want the version taken by %q", err, by)
	}
}

func wantOne(t *testing.T, srv *localkong.Server, service, version, name string) {
	t.Helper()
	got := implementationsOf(t, srv, service, version)
	if len(got) != 1 || str(got[0].Name) != name {
		names := []string{}
		for _, s := range got {
			names = append(names, str(s.Name))
		}
		t.Fatalf("Kong holds %v implementing %s %s, want only %q", names, service, version, name)
	}
}

// Whichever insert Kong takes first wins, and the other run writes
// nothing and is told who won.
func TestRaceCreates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		winner string
	}{
		// Both pass the tag lookup before either writes (the interleaving
		// that made four implementations before slots); a inserts first.
		{"both checked, a inserts first", "race-a"},
		// a's insert waits until b's create has finished.
		{"a held before handling", "race-b"},
		// a's insert is committed, its answer held until b's create has
		// finished.
		{"a answered late", "race-a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startLocalKong(t, localkong.Options{})
			a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
			ctx := context.Background()
			create := func(r *run) func() error {
				return func() error { _, err := r.impls.Create(ctx, implOf("race", "v1", "race-"+r.name)); return err }
			}
			var errA, errB error
			switch tc.name {
			case "both checked, a inserts first":
				errB, errA = interleave(t, srv.Pause(localkong.BeforeHandling, b.its(http.MethodPost, "/services")), create(b), create(a))
			default:
				phase := localkong.BeforeHandling
				if tc.name == "a answered late" {
					phase = localkong.AfterHandling
				}
				errA, errB = interleave(t, srv.Pause(phase, a.its(http.MethodPost, "/services")), create(a), create(b))
			}
			if tc.winner == "race-a" {
				if errA != nil {
					t.Fatal(errA)
				}
				wantTaken(t, errB, "race-a")
			} else {
				if errB != nil {
					t.Fatal(errB)
				}
				wantTaken(t, errA, "race-b")
			}
			wantOne(t, srv, "race", "v1", tc.winner)
			if n := len(claimsIn(t, srv)); n != 0 {
				t.Errorf("%d claims left", n)
			}
		})
	}
}

// A create whose response is lost while another run creates the version:
// the retried POST finds its own first attempt (by its token) and succeeds;
// the other run is told the version is taken. And when the first attempt
// was not applied, the other run's insert is not mistaken for ours.
func TestRaceLostResponse(t *testing.T) {
	for _, tc := range []struct {
		fault  localkong.FaultKind
		winner string
	}{
		{localkong.FaultDropAfter, "race-a"},
		{localkong.FaultDropBefore, "race-b"},
	} {
		t.Run(string(tc.fault), func(t *testing.T) {
			srv := startLocalKong(t, localkong.Options{})
			a, b := newRun(t, srv, "a", 2), newRun(t, srv, "b", 0)
			ctx := context.Background()
			posts := a.its(http.MethodPost, "/services")
			// a's first POST fails; its retry waits until b has finished.
			if err := srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{tc.fault}, MaxConsecutive: 1, Match: posts}); err != nil {
				t.Fatal(err)
			}
			errA, errB := interleave(t, srv.Pause(localkong.BeforeHandling, nth(2, posts)),
				func() error { _, err := a.impls.Create(ctx, implOf("race", "v1", "race-a")); return err },
				func() error { _, err := b.impls.Create(ctx, implOf("race", "v1", "race-b")); return err })
			if tc.winner == "race-a" {
				if errA != nil {
					t.Fatalf("a: %v", errA)
				}
				wantTaken(t, errB, "race-a")
			} else {
				if errB != nil {
					t.Fatalf("b: %v", errB)
				}
				wantTaken(t, errA, "race-b")
			}
			wantOne(t, srv, "race", "v1", tc.winner)
			if n := srv.FaultCounts()[tc.fault]; n != 1 {
				t.Errorf("%d faults injected, want 1", n)
			}
		})
	}
}

// An implementation moving to a version races a create of it: the claim is
// inserted at the version's slot before the move is written, so one of
// them wins whichever comes first, and the loser changes nothing.
func TestRaceMoveAgainstCreate(t *testing.T) {
	for _, first := range []string{"move", "create"} {
		t.Run(first+" first", func(t *testing.T) {
			srv := startLocalKong(t, localkong.Options{})
			a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
			ctx := context.Background()
			x := mustCreate(t, a, "race", "v1", "race-x")
			moved := x
			moved.Version = "v2"
			move := func() error { _, err := a.impls.Update(ctx, x, moved, MarkOf(x)); return err }
			create := func() error { _, err := b.impls.Create(ctx, implOf("race", "v2", "race-y")); return err }
			if first == "create" {
				// a's claim waits until b's create has finished.
				errMove, errCreate := interleave(t, srv.Pause(localkong.BeforeHandling, a.its(http.MethodPost, "/services")), move, create)
				if errCreate != nil {
					t.Fatal(errCreate)
				}
				wantTaken(t, errMove, "race-y")
				wantOne(t, srv, "race", "v1", "race-x") // not moved
				wantOne(t, srv, "race", "v2", "race-y")
			} else {
				// b's insert waits until a's move (claim and PUT) is done.
				errCreate, errMove := interleave(t, srv.Pause(localkong.BeforeHandling, b.its(http.MethodPost, "/services")), create, move)
				if errMove != nil {
					t.Fatal(errMove)
				}
				wantTaken(t, errCreate, "race-x")
				wantOne(t, srv, "race", "v2", "race-x")
				if got := implementationsOf(t, srv, "race", "v1"); len(got) != 0 {
					t.Fatalf("v1 still implemented by %d", len(got))
				}
				if c := claimsIn(t, srv); len(c) != 1 || !isClaimOf(c[0], x.ID()) || str(c[0].ID) != slotID(a.api.Group(), "race", "v2", 0) {
					t.Fatalf("claims %v, want x's on v2 at its first slot", c)
				}
			}
		})
	}
}

// Two implementations moving to one version: one moves, the other is told
// the version is taken and stays where it was; no claim of the loser's is
// left.
func TestRaceTwoMoves(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
	ctx := context.Background()
	x, y := mustCreate(t, a, "race", "v1", "race-x"), mustCreate(t, b, "race", "v2", "race-y")
	to3 := func(i Implementation) Implementation { i.Version = "v3"; return i }
	// b's claim is committed but answered only after a has tried.
	errB, errA := interleave(t, srv.Pause(localkong.AfterHandling, b.its(http.MethodPost, "/services")),
		func() error { _, err := b.impls.Update(ctx, y, to3(y), MarkOf(y)); return err },
		func() error { _, err := a.impls.Update(ctx, x, to3(x), MarkOf(x)); return err })
	if errB != nil {
		t.Fatal(errB)
	}
	var vt *VersionTakenError
	var vr *VersionReservedError
	// b's claim is in place but b not yet moved: a is told v3 is reserved
	// by b's move.
	if !errors.As(errA, &vr) || vr.OwnerID != y.ID() || errors.As(errA, &vt) {
		t.Fatalf("a: %v, want v3 reserved by y's claim", errA)
	}
	wantOne(t, srv, "race", "v3", "race-y")
	wantOne(t, srv, "race", "v1", "race-x")
	if c := claimsIn(t, srv); len(c) != 1 || !isClaimOf(c[0], y.ID()) {
		t.Fatalf("claims %v, want only y's", c)
	}
	// Now that y has moved, a is told v3 is taken, by y.
	_, err := a.impls.Update(ctx, x, to3(x), MarkOf(x))
	wantTaken(t, err, "race-y")
}

// The slot walk: a Gateway Service made for a version that moved on leaves
// its slot dead, and the version's next holder takes the next slot; moving
// back needs a claim there too, so it cannot race a create of the version.
func TestMovedAwaySlots(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a := newRun(t, srv, "a", 0)
	ctx := context.Background()
	group := a.api.Group()
	x := mustCreate(t, a, "walk", "v1", "walk-x")
	away := x
	away.Version = "v2"
	away, err := a.impls.Update(ctx, x, away, MarkOf(x))
	if err != nil {
		t.Fatal(err)
	}
	z, err := a.impls.Create(ctx, implOf("walk", "v1", "walk-z"))
	if err != nil || z.ID() != slotID(group, "walk", "v1", 1) {
		t.Fatalf("create of v1 after x moved: %v at %s, want its second slot", err, z.ID())
	}
	back := away
	back.Version = "v1"
	if _, err := a.impls.Update(ctx, away, back, MarkOf(away)); err == nil {
		t.Fatal("x moved back onto v1, which z implements")
	} else {
		wantTaken(t, err, "walk-z")
	}
	if err := a.impls.Delete(ctx, z, MarkOf(z)); err != nil {
		t.Fatal(err)
	}
	back, err = a.impls.Update(ctx, away, back, MarkOf(away))
	if err != nil {
		t.Fatal(err)
	}
	// x sits at v1's first slot again, and holds the second with a claim:
	// its own slot was dead when it moved, as anyone could have seen.
	c := claimsIn(t, srv)
	if back.ID() != slotID(group, "walk", "v1", 0) || len(c) != 1 || str(c[0].ID) != slotID(group, "walk", "v1", 1) || !isClaimOf(c[0], x.ID()) {
		t.Fatalf("x at %s, claims %v", back.ID(), c)
	}
	// Its claim on v2 went when it left v2; deleting it takes the last.
	if err := a.impls.Delete(ctx, back, MarkOf(back)); err != nil {
		t.Fatal(err)
	}
	if c := claimsIn(t, srv); len(c) != 0 {
		t.Fatalf("claims left after delete: %v", c)
	}
}

// Claims are only ever deleted by their owner. One left behind blocks its
// version with an error naming the owner and saying what to do; the
// owner's next move takes it back.
func TestLeftoverClaims(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a := newRun(t, srv, "a", 0)
	ctx := context.Background()
	x := mustCreate(t, a, "left", "v1", "left-x")
	// x's move to v2 is interrupted after its claim: the claim exists, x
	// still implements v1.
	claim := claimFor(slotID(a.api.Group(), "left", "v2", 0), x.ID(), "left", "v2")
	if _, err := a.api.CreateService(ctx, claim); err != nil {
		t.Fatal(err)
	}
	var vr *VersionReservedError
	_, err := a.impls.Create(ctx, implOf("left", "v2", "left-y"))
	if !errors.As(err, &vr) || vr.Owner == nil || vr.Owner.Name() != "left-x" || !strings.Contains(err.Error(), "configuration again finishes the move") {
		t.Fatalf("create onto a claimed version: %v", err)
	}
	if got := implementationsOf(t, srv, "left", "v2"); len(got) != 0 {
		t.Fatalf("%d implementations of v2 after a refused create", len(got))
	}
	// x's own run applies again: it adopts the claim and moves.
	moved := x
	moved.Version = "v2"
	if _, err := a.impls.Update(ctx, x, moved, MarkOf(x)); err != nil {
		t.Fatal(err)
	}
	wantOne(t, srv, "left", "v2", "left-x")

	// x deleted behind Terraform's back: its claim stays, and says so.
	if err := a.api.DeleteService(ctx, x.ID()); err != nil {
		t.Fatal(err)
	}
	_, err = newRun(t, srv, "b", 0).impls.Create(ctx, implOf("left", "v2", "left-y"))
	if !errors.As(err, &vr) || vr.Owner != nil || !strings.Contains(err.Error(), "no longer exists") || !strings.Contains(err.Error(), "DELETE /services/"+vr.ClaimID) {
		t.Fatalf("create onto a version claimed by a deleted implementation: %v", err)
	}
}

// A DELETE whose response is lost is not retried blindly: by the time it
// would be, another run may have created the version anew under the same
// slot id.
func TestDeleteNotRetriedOntoNewHolder(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a, b := newRun(t, srv, "a", 3), newRun(t, srv, "b", 0)
	ctx := context.Background()
	x := mustCreate(t, a, "del", "v1", "del-x")
	// a's DELETE is applied and its response lost; a's look at the slot
	// (its second: the first, before the DELETE, found x its own) waits
	// until b has created v1 there again.
	if err := srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropAfter}, MaxConsecutive: 1,
		Match: a.its(http.MethodDelete, "/services/")}); err != nil {
		t.Fatal(err)
	}
	var y Implementation
	errA, errB := interleave(t, srv.Pause(localkong.BeforeHandling, nth(2, a.its(http.MethodGet, "/services/"+x.ID()))),
		func() error { return a.impls.Delete(ctx, x, MarkOf(x)) },
		func() (err error) { y, err = b.impls.Create(ctx, implOf("del", "v1", "del-y")); return err })
	if errA != nil || errB != nil || y.ID() != x.ID() {
		t.Fatalf("a's delete: %v; b's create: %v at %s, want the slot %s", errA, errB, y.ID(), x.ID())
	}
	wantOne(t, srv, "del", "v1", "del-y")
}

// An update re-reads the entity: changed since the run read it, nothing is
// written. Only a change that lands between that read and the write goes
// unseen: the window is one round trip, not closed (Kong has no
// conditional write).
func TestUpdateRefusesWhatChanged(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
	ctx := context.Background()
	x, y, z := mustCreate(t, a, "chg", "v1", "chg-x"), mustCreate(t, a, "chg", "v2", "chg-y"), mustCreate(t, a, "chg", "v3", "chg-z")
	r, err := a.routes.Create(ctx, pathRoute("chg", x.ID()))
	if err != nil {
		t.Fatal(err)
	}
	// Both runs read r on x; a moves it to y, then b to z.
	toY, toZ := *r, *r
	toY.Service, toZ.Service = &kong.Service{ID: y.Gateway.ID}, &kong.Service{ID: z.Gateway.ID}
	if _, err := a.routes.Update(ctx, *r, toY); err != nil {
		t.Fatal(err)
	}
	var ce *ChangedError
	if _, err := b.routes.Update(ctx, *r, toZ); !errors.As(err, &ce) {
		t.Fatalf("b's move of a route a moved: %v", err)
	}
	if got, _ := a.api.GetRoute(ctx, *r.ID); ServiceID(got) != y.ID() {
		t.Fatalf("route on %s, want a's move to %s kept", ServiceID(got), y.ID())
	}
	// The same within one second (updated_at alike): the name tells.
	renamed := x
	renamed.Gateway.Name = kong.String("chg-x2")
	if _, err := a.impls.Update(ctx, x, renamed, MarkOf(x)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.impls.Update(ctx, x, x, MarkOf(x)); !errors.As(err, &ce) {
		t.Fatalf("b's update of a renamed implementation: %v", err)
	}
	// Deleted since: not written again.
	if err := a.impls.Delete(ctx, z, MarkOf(z)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.impls.Update(ctx, z, z, MarkOf(z)); !errors.As(err, &ce) || !ce.Deleted {
		t.Fatalf("b's update of a deleted implementation: %v", err)
	}
	if got := implementationsOf(t, srv, "chg", "v3"); len(got) != 0 {
		t.Fatal("the deleted implementation was written again")
	}

	// The window: b reads r (now on y), a moves it back to x between b's
	// read and b's write. b's write wins unseen.
	cur, err := a.api.GetRoute(ctx, *r.ID)
	if err != nil {
		t.Fatal(err)
	}
	toX, toB := *cur, *cur
	toX.Service = &kong.Service{ID: x.Gateway.ID}
	toB.Paths = kong.StringSlice("/b")
	errB, errA := interleave(t, srv.Pause(localkong.BeforeHandling, b.its(http.MethodPut, "/routes/")),
		func() error { _, err := b.routes.Update(ctx, *cur, toB); return err },
		func() error { _, err := a.routes.Update(ctx, *cur, toX); return err })
	if errA != nil || errB != nil {
		t.Fatalf("a's move: %v; b's write in the window: %v", errA, errB)
	}
	if got, _ := a.api.GetRoute(ctx, *r.ID); ServiceID(got) != y.ID() || fmt.Sprint(strs(got.Paths)) != "[/b]" {
		t.Fatalf("route on %s with %v: want b's write, which landed last", ServiceID(got), strs(got.Paths))
	}
}

// Deleting an implementation while another run adds a route to it: Kong's
// foreign key decides, and the loser's error names the other entity.
func TestRaceDeleteAgainstRoute(t *testing.T) {
	for _, first := range []string{"delete", "route"} {
		t.Run(first+" first", func(t *testing.T) {
			srv := startLocalKong(t, localkong.Options{})
			a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
			ctx := context.Background()
			x := mustCreate(t, a, "dr", "v1", "dr-x")
			del := func() error { return a.impls.Delete(ctx, x, MarkOf(x)) }
			add := func() error { _, err := b.routes.Create(ctx, pathRoute("dr-r", x.ID())); return err }
			var errDel, errAdd error
			if first == "delete" {
				errAdd, errDel = interleave(t, srv.Pause(localkong.BeforeHandling, b.its(http.MethodPut, "/routes/")), add, del)
			} else {
				errDel, errAdd = interleave(t, srv.Pause(localkong.BeforeHandling, a.its(http.MethodDelete, "/services/")), del, add)
			}
			var missing *MissingReferenceError
			var remain *RoutesRemainError
			left := implementationsOf(t, srv, "dr", "v1")
			routes, _ := newKongAPI(t, srv.AdminURL, "").ListRoutes(ctx)
			switch first {
			case "delete":
				if errDel != nil || !errors.As(errAdd, &missing) || !strings.Contains(errAdd.Error(), x.ID()) {
					t.Fatalf("delete: %v; route: %v, want the route refused naming %s", errDel, errAdd, x.ID())
				}
				if len(left) != 0 || len(routes) != 0 {
					t.Fatalf("left %d implementations, %d routes", len(left), len(routes))
				}
			default:
				if errAdd != nil || !errors.As(errDel, &remain) || !strings.Contains(errDel.Error(), `"dr-r"`) {
					t.Fatalf("route: %v; delete: %v, want the delete refused naming dr-r", errAdd, errDel)
				}
				if len(left) != 1 || len(routes) != 1 {
					t.Fatalf("left %d implementations, %d routes", len(left), len(routes))
				}
			}
		})
	}
}

// A create recorded as tainted (never confirmed) is deleted on the next
// apply only if the slot holds what it made, known by its token: another
// run may have won the slot, with the same configuration (the same name).
// Without the token (Terraform hands the delete of a tainted object no
// private state unless a refresh read it first; a state from before marks)
// the name proves nothing, and nothing is deleted.
func TestDeleteOfUnconfirmedCreate(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
	ctx := context.Background()
	y := mustCreate(t, b, "tnt", "v1", "tnt-a") // b's create, with a's name
	tainted := implOf("tnt", "v1", "tnt-a")
	tainted.Gateway.ID = y.Gateway.ID
	var notOwned *NotOwnedError
	if err := a.impls.Delete(ctx, tainted, Mark{Token: kongapi.NewID()}); !errors.As(err, &notOwned) || notOwned.Other != "tnt-a" {
		t.Fatalf("another create's token: %v, want it left alone as another's", err)
	}
	wantOne(t, srv, "tnt", "v1", "tnt-a")
	var unknown *UnknownOwnerError
	if err := a.impls.Delete(ctx, tainted, Mark{}); !errors.As(err, &unknown) || unknown.Other != "tnt-a" {
		t.Fatalf("no mark, the same name: %v, want it left alone, as whose it is is unknown", err)
	}
	wantOne(t, srv, "tnt", "v1", "tnt-a")
	if err := a.impls.Delete(ctx, tainted, Mark{Token: y.Token}); err != nil {
		t.Fatal(err)
	}
	if got := implementationsOf(t, srv, "tnt", "v1"); len(got) != 0 {
		t.Fatal("the create's own entity was not deleted")
	}
	// Gone already, with or without a mark: nothing to do.
	if err := a.impls.Delete(ctx, tainted, Mark{}); err != nil {
		t.Fatalf("a tainted create that is gone: %v", err)
	}
}

// A slot id taken where the client cannot see it (Kong's ids span
// workspaces) is tried once more, then skipped.
func TestInvisibleSlot(t *testing.T) {
	f, api := newFakeKong(t)
	hidden := slotID(api.Group(), "payments", "v1", 0)
	f.hidden = map[string]bool{hidden: true}
	got, err := NewImplementations(api).Create(context.Background(), sample("payments-v1"))
	if err != nil || got.ID() != slotID(api.Group(), "payments", "v1", 1) {
		t.Fatalf("create: %v at %s", err, got.ID())
	}
	want := []string{"GET /services", "POST /services " + hidden, "GET /services/" + hidden, "POST /services " + hidden, "GET /services/" + hidden}
	if fmt.Sprint(f.requests[:5]) != fmt.Sprint(want) {
		t.Errorf("requests %q, want %q first", f.requests, want)
	}
}

// Runs on Konnect race the same way: its "data constraint error" on the
// id is the primary key violation.
func TestRaceCreatesKonnect(t *testing.T) {
	// b passes the tag lookup, then waits until a has created the version.
	srv := startLocalKong(t, localkong.Options{Konnect: true, AdminToken: "kpat_x"})
	cp := srv.AdminURL + "/v2/control-planes/" + kongapi.NewID() + "/core-entities"
	mk := func(name string) *Implementations {
		api, err := kongapi.New(kongapi.Config{AdminURL: cp, KonnectToken: "kpat_x", Headers: map[string]string{"X-Run": name}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(api.Group(), "konnect:") {
			t.Fatalf("group %q", api.Group())
		}
		return NewImplementations(api)
	}
	ctx := context.Background()
	errB, errA := interleave(t, srv.Pause(localkong.BeforeHandling, func(r *http.Request) bool { return r.Header.Get("X-Run") == "b" && r.Method == http.MethodPost }),
		func() error { _, err := mk("b").Create(ctx, implOf("race", "v1", "race-b")); return err },
		func() error { _, err := mk("a").Create(ctx, implOf("race", "v1", "race-a")); return err })
	if errA != nil {
		t.Fatal(errA)
	}
	wantTaken(t, errB, "race-a")
}

// An implementation the provider did not create (hand-made, then imported:
// an id of its own, no slot) keeps working: it is found by the lookup,
// updated in place, moved with a claim like any other, and its claim goes
// with it.
func TestImportedImplementation(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
	ctx := context.Background()
	own := implOf("imp", "v1", "imp-own")
	own.Gateway.ID = kong.String(kongapi.NewID())
	created, err := a.api.PutService(ctx, toKong(own))
	if err != nil {
		t.Fatal(err)
	}
	x := fromKong(created)
	_, err = b.impls.Create(ctx, implOf("imp", "v1", "imp-b"))
	wantTaken(t, err, "imp-own")

	renamed := x
	renamed.Gateway.Name = kong.String("imp-renamed")
	if renamed, err = a.impls.Update(ctx, x, renamed, MarkOf(x)); err != nil || len(claimsIn(t, srv)) != 0 {
		t.Fatalf("rename: %v, claims %v", err, claimsIn(t, srv))
	}
	moved := renamed
	moved.Version = "v2"
	if moved, err = a.impls.Update(ctx, renamed, moved, MarkOf(renamed)); err != nil || moved.ID() != x.ID() {
		t.Fatalf("move: %v, id %s", err, moved.ID())
	}
	if c := claimsIn(t, srv); len(c) != 1 || !isClaimOf(c[0], x.ID()) {
		t.Fatalf("claims after the move: %v", c)
	}
	_, err = newRun(t, srv, "c", 0).impls.Create(ctx, implOf("imp", "v2", "imp-c"))
	wantTaken(t, err, "imp-renamed")
	// v1 is free, at its first slot: the imported one never held it. (A
	// new run: b's listing still has imp-own on v1.)
	d := newRun(t, srv, "d", 0)
	if v1, err := d.impls.Create(ctx, implOf("imp", "v1", "imp-d")); err != nil || v1.ID() != slotID(d.api.Group(), "imp", "v1", 0) {
		t.Fatalf("create of v1: %v at %s", err, v1.ID())
	}
	if err := a.impls.Delete(ctx, moved, MarkOf(moved)); err != nil {
		t.Fatal(err)
	}
	if c := claimsIn(t, srv); len(c) != 0 {
		t.Fatalf("claims after the delete: %v", c)
	}
}

// Slot ids are what lets "one implementation per version" hold between
// runs, and between provider releases: a release deriving them otherwise
// would create a version again beside what an older one made. So they are
// pinned here, literally, from admin_url and workspace to the UUID. A
// control plane id is a UUID, which Konnect takes in either case: both
// cases give the same slots.
func TestSlotIDsPinned(t *testing.T) {
	const cp = "https://eu.api.konghq.com/v2/control-planes/9b1f6c84-1d36-4c6f-9c43-3f6a1b2b3c4d/core-entities"
	for _, tc := range []struct {
		adminURL, workspace, service, version string
		k                                     int
		want                                  string
	}{
		{"http://kong:8001", "", "payments", "v1", 0, "26dcce59-94d4-59fe-8d3c-a1ea448d2ffd"},
		{"http://kong:8001/", "default", "payments", "v1", 0, "26dcce59-94d4-59fe-8d3c-a1ea448d2ffd"},
		{"http://kong:8001", "", "payments", "v1", 1, "3a954e2b-57b0-5982-af6b-1e0460821e3a"},
		{"http://kong:8001", "", "payments", "v2", 0, "4ce39189-3876-50d9-b024-40cc919fc62a"},
		{"http://kong:8001", "team-a", "payments", "v1", 0, "ea4b2321-9d58-511d-81eb-b06735b0cf40"},
		{cp, "", "payments", "v1", 0, "0d088141-2346-5d12-8569-09f01659d1d7"},
		{"https://eu.api.konghq.com/v2/control-planes/9B1F6C84-1D36-4C6F-9C43-3F6A1B2B3C4D/core-entities", "", "payments", "v1", 0, "0d088141-2346-5d12-8569-09f01659d1d7"},
		{strings.Replace(cp, "9b1f6c84-1d36-4c6f", "9B1F6C84-1d36-4C6F", 1), "", "payments", "v1", 0, "0d088141-2346-5d12-8569-09f01659d1d7"},
		{cp, "", "payments", "v1", maxSlots - 1, "b6424996-21ff-5479-b2e9-10bd158b29ea"},
	} {
		api, err := kongapi.New(kongapi.Config{AdminURL: tc.adminURL, Workspace: tc.workspace})
		if err != nil {
			t.Fatal(err)
		}
		if got := slotID(api.Group(), tc.service, tc.version, tc.k); got != tc.want {
			t.Errorf("%s (workspace %q) %s %s slot %d: %s, want %s", tc.adminURL, tc.workspace, tc.service, tc.version, tc.k, got, tc.want)
		}
	}
}
