package servicehub

import (
	"context"
	"errors"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func TestMarkOwns(t *testing.T) {
	at := func(token string, created int) Implementation {
		impl := implOf("s", "v1", "n")
		impl.Token = token
		if created != 0 {
			impl.Gateway.CreatedAt = kong.Int(created)
		}
		return impl
	}
	for _, tc := range []struct {
		what string
		mark Mark
		cur  Implementation
		want bool
	}{
		{"its own token", Mark{Token: "t1", CreatedAt: 100}, at("t1", 100), true},
		{"its own token, created_at not yet known (an unconfirmed create)", Mark{Token: "t1"}, at("t1", 100), true},
		{"another create's token, the same second", Mark{Token: "t1", CreatedAt: 100}, at("t2", 100), false},
		{"another create's token, unconfirmed", Mark{Token: "t1"}, at("t2", 100), false},
		{"a token, recorded without one (imported, then re-created by a create)", Mark{CreatedAt: 100}, at("t2", 100), false},
		{"no token, its created_at (imported; or tags replaced by hand)", Mark{Token: "t1", CreatedAt: 100}, at("", 100), true},
		{"no token, another created_at", Mark{CreatedAt: 100}, at("", 101), false},
		{"no token, the mark of an unconfirmed create", Mark{Token: "t1"}, at("", 100), false},
		{"nothing known owns nothing", Mark{}, at("", 100), false},
	} {
		if got := tc.mark.Owns(tc.cur); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.what, got, tc.want)
		}
	}
	// What is recorded after a read: the token survives tags that lost it.
	if got := (Mark{Token: "t1", CreatedAt: 100}).Adopt(at("", 100)); got != (Mark{Token: "t1", CreatedAt: 100}) {
		t.Errorf("adopt without a tag: %+v", got)
	}
	if got := (Mark{}).Adopt(at("t9", 7)); got != (Mark{Token: "t9", CreatedAt: 7}) {
		t.Errorf("adopt (first refresh): %+v", got)
	}
}

// The create's token survives updates (Kong keeps it as a tag), so the
// mark keeps telling this state's entity from another's however often it
// is updated.
func TestTokenSurvivesUpdates(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a := newRun(t, srv, "a", 0)
	ctx := context.Background()
	x := mustCreate(t, a, "tok", "v1", "tok-x")
	if x.Token == "" {
		t.Fatal("the create returned no token")
	}
	mark := MarkOf(x)
	cur := x
	for _, name := range []string{"tok-renamed", "tok-again"} {
		next := cur
		next.Token = "" // what the provider's plan holds: no token
		next.Gateway.Name = kong.String(name)
		var err error
		if cur, err = a.impls.Update(ctx, cur, next, mark); err != nil {
			t.Fatal(err)
		}
		if !mark.Owns(cur) || cur.Token != x.Token {
			t.Fatalf("after renaming to %s: token %q, want %q", name, cur.Token, x.Token)
		}
	}
	svc, err := newKongAPI(t, srv.AdminURL, "").GetService(ctx, x.ID())
	if err != nil || tagValue(svc, createTagPrefix) != x.Token || str(svc.Name) != "tok-again" {
		t.Fatalf("Kong holds %v (%v)", svc, err)
	}
}

// Workspace a's implementation is deleted behind its back and workspace b,
// with the same configuration, creates the version again: at the same slot
// id, under the same name. a's update and delete leave it alone.
func TestTakeoverRefused(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a, b := newRun(t, srv, "a", 0), newRun(t, srv, "b", 0)
	ctx := context.Background()
	x := mustCreate(t, a, "tko", "v1", "tko-x")
	if err := a.api.DeleteService(ctx, x.ID()); err != nil {
		t.Fatal(err)
	}
	y := mustCreate(t, b, "tko", "v1", "tko-x")
	if y.ID() != x.ID() {
		t.Fatalf("b created at %s, want the same slot %s", y.ID(), x.ID())
	}
	a = newRun(t, srv, "a", 0) // the next run of a
	got, err := a.impls.Get(ctx, x.ID())
	if err != nil || MarkOf(x).Owns(got) {
		t.Fatalf("a's read: %v, owned %v; want b's, not a's", err, MarkOf(x).Owns(got))
	}
	var notOwned *NotOwnedError
	renamed := x
	renamed.Gateway.Name = kong.String("tko-a")
	if _, err := a.impls.Update(ctx, y, renamed, MarkOf(x)); !errors.As(err, &notOwned) {
		t.Fatalf("a's update: %v, want *NotOwnedError", err)
	}
	if err := a.impls.Delete(ctx, x, MarkOf(x)); !errors.As(err, &notOwned) || notOwned.Other != "tko-x" {
		t.Fatalf("a's delete: %v, want *NotOwnedError", err)
	}
	wantOne(t, srv, "tko", "v1", "tko-x")
	if cur, err := b.impls.Get(ctx, y.ID()); err != nil || !MarkOf(y).Owns(cur) {
		t.Fatalf("b's implementation: %v", err)
	}
}
