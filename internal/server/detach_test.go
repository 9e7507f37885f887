package server

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/servicehub/terraform-provider-servicehub/internal/provider"
)

type key struct{}

func TestDetach(t *testing.T) {
	parent, cancel := context.WithTimeout(context.WithValue(context.Background(), key{}, "logger"), time.Hour)
	defer cancel()
	ctx, release := detach(parent)
	// What the framework does with it: a child it keeps for good.
	kept, keptCancel := context.WithCancel(ctx)
	defer keptCancel()

	if ctx.Value(key{}) != "logger" || kept.Value(key{}) != "logger" {
		t.Fatal("the request's values are not visible during the call")
	}
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) < 59*time.Minute {
		t.Fatalf("deadline = %v, %v", dl, ok)
	}
	if ctx.Err() != nil || kept.Err() != nil {
		t.Fatal("cancelled before the call returned")
	}

	release()
	if ctx.Value(key{}) != nil || kept.Value(key{}) != nil {
		t.Fatal("what is kept after the call still holds the request's values")
	}
	select {
	case <-kept.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the kept child is not cancelled after the call")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err after release = %v", ctx.Err())
	}
}

// TestDetach_requestCancelled: a request cancelled by Terraform (or timed
// out) cancels the call, with the request's own error.
func TestDetach_requestCancelled(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	ctx, release := detach(parent)
	defer release()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("not cancelled with the request")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Err = %v, want the request's DeadlineExceeded", ctx.Err())
	}
}

// TestDetachServer_wrapsTheFramework: the framework's server implements
// every optional RPC set, so the wrapper applies and hides none of them.
// A framework upgrade that changes this fails here rather than silently
// serving unwrapped.
func TestDetachServer_wrapsTheFramework(t *testing.T) {
	s := detachServer(providerserver.NewProtocol6(provider.New("test")())())
	if _, ok := s.(detachedServer); !ok {
		t.Fatalf("the framework's server (%T) was not wrapped", s)
	}
}
