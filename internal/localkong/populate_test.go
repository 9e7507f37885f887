package localkong

import (
	"context"
	"testing"

	"github.com/kong/go-kong/kong"
)

// TestPopulate: populated entities are what the Admin API serves, with Kong's
// defaults, and populating counts no request.
func TestPopulate(t *testing.T) {
	srv, err := NewTestServer(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.Populate("other", 1500); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount(); n != 0 {
		t.Fatalf("populating counted %d requests", n)
	}
	c, err := kong.NewClient(kong.String(srv.AdminURL), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	svcs, err := c.Services.ListAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	routes, err := c.Routes.ListAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 1500 || len(routes) != 1500 {
		t.Fatalf("listed %d services and %d routes, want 1500 each", len(svcs), len(routes))
	}
	svc, err := c.Services.Get(ctx, kong.String("other-1499"))
	if err != nil {
		t.Fatal(err)
	}
	if *svc.Host != "other-1499.internal" || *svc.Protocol != "http" || *svc.Retries != 5 {
		t.Fatalf("populated service lacks Kong's defaults: %+v", svc)
	}
	r, err := c.Routes.Get(ctx, kong.String("other-7"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Service == nil || r.Service.ID == nil || len(r.Paths) != 1 || *r.Paths[0] != "/other/7" || *r.StripPath != true {
		t.Fatalf("populated route: %+v", r)
	}
	if err := srv.Populate("other", 1); err == nil {
		t.Fatal("populating with a taken name succeeded")
	}
}
