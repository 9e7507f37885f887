package kongapi

import (
	"context"
	"errors"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func TestRoutes(t *testing.T) {
	srv, err := localkong.NewTestServer(localkong.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := New(fastConfig(srv.AdminURL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	if _, err := c.PutRoute(ctx, &kong.Route{Name: kong.String("no-id")}); !errors.Is(err, errNoID) {
		t.Fatalf("PutRoute without id: %v", err)
	}

	svc, err := c.PutService(ctx, &kong.Service{ID: kong.String(NewID()), Name: kong.String("svc"), Host: kong.String("example.com")})
	if err != nil {
		t.Fatal(err)
	}
	id := NewID()
	r, err := c.PutRoute(ctx, &kong.Route{
		ID: kong.String(id), Name: kong.String("r1"),
		Paths: kong.StringSlice("/a"), Service: &kong.Service{ID: svc.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *r.ID != id || *r.Service.ID != *svc.ID {
		t.Fatalf("PutRoute = %+v", r)
	}
	if got, err := c.GetRoute(ctx, "r1"); err != nil || *got.ID != id {
		t.Fatalf("GetRoute by name = %v, %v", got, err)
	}

	routes, err := c.ListRoutesForService(ctx, *svc.ID)
	if err != nil || len(routes) != 1 || *routes[0].ID != id {
		t.Fatalf("ListRoutesForService = %v, %v", routes, err)
	}

	err = c.DeleteService(ctx, *svc.ID)
	if !IsReferencedBy(err, "routes") {
		t.Fatalf("deleting a referenced service: %v, want a @referenced_by routes error", err)
	}
	if IsReferencedBy(err, "plugins") {
		t.Fatal("IsReferencedBy matched the wrong entity")
	}

	if err := c.DeleteRoute(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteRoute(ctx, id); err != nil {
		t.Fatalf("deleting a missing route: %v", err)
	}
	if _, err := c.GetRoute(ctx, id); !IsNotFound(err) {
		t.Fatalf("GetRoute after delete: %v", err)
	}
	if err := c.DeleteService(ctx, *svc.ID); err != nil {
		t.Fatalf("deleting the service once free: %v", err)
	}
}
