package servicehub

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// The inventory finds the implementations (tagged Gateway Services, not
// untagged ones nor slot claims) and their routes, sorted, from one listing
// of each kind shared by every call of a Client: 2 pages of 1000 for 1500
// Gateway Services, then 2 for 1500 routes; one implementation's routes
// cost one listing of its routes (the Gateway Service is in the run's
// listing by then).
func TestInventory(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	ids := seed(t, srv,
		tagged("payments-v2", "payments", "v2"),
		tagged("orders-v1", "orders", "v1", "team-a"),
		tagged("payments-v1", "payments", "v1"),
		tagged("legacy", "", ""),
		map[string]any{"name": "claim", "host": "claim.servicehub.invalid", "enabled": false,
			"tags": []string{claimTag, ownerTag("x"), claimSvcPrefix + "payments", claimVerPrefix + "v3"}},
	)
	routes := []map[string]any{}
	for i, id := range ids {
		routes = append(routes, map[string]any{"name": fmt.Sprintf("r%d", i), "paths": []string{fmt.Sprintf("/r%d", i)}, "service": map[string]any{"id": id}})
	}
	if _, err := srv.Seed("routes", routes...); err != nil {
		t.Fatal(err)
	}
	if err := srv.Populate("other", 1495); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Config: kongapi.Config{AdminURL: srv.AdminURL},
		Status: StatusConfig{MetricsURL: srv.AdminURL + "/metrics", ProxyURL: srv.ProxyURL}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv.ResetRequestCount()

	found, err := c.FindImplementations(ctx, FoundQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := foundNames(found), []string{"orders-v1", "payments-v1", "payments-v2"}; !slices.Equal(got, want) {
		t.Errorf("all: %q, want %q", got, want)
	}
	requests(t, srv, "the implementations", 2)
	for q, want := range map[FoundQuery][]string{
		{Service: "payments"}:                {"payments-v1", "payments-v2"},
		{Version: "v1"}:                      {"orders-v1", "payments-v1"},
		{Service: "payments", Version: "v2"}: {"payments-v2"},
		{Service: "nothing"}:                 nil,
	} {
		found, err := c.FindImplementations(ctx, q)
		if got := foundNames(found); err != nil || !slices.Equal(got, want) {
			t.Errorf("%+v: %q %v, want %q", q, got, err, want)
		}
	}
	requests(t, srv, "filtered, from the same listing", 0)

	all, err := c.FindRoutes(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range all {
		got = append(got, fmt.Sprintf("%s:%s", r.Implementation.Name(), *r.Route.Name))
	}
	if want := []string{"orders-v1:r1", "payments-v1:r2", "payments-v2:r0"}; !slices.Equal(got, want) {
		t.Errorf("routes: %q, want %q", got, want)
	}
	requests(t, srv, "the routes", 2)

	one, err := c.FindRoutes(ctx, ids[1])
	if err != nil || len(one) != 1 || *one[0].Route.Name != "r1" {
		t.Errorf("orders-v1's routes: %v %v", one, err)
	}
	// The Gateway Service from the run's listing, its routes from Kong.
	requests(t, srv, "one implementation's routes", 1)
	var notImpl *NotImplementationError
	if _, err := c.FindRoutes(ctx, ids[3]); !errors.As(err, &notImpl) || notImpl.Name != "legacy" {
		t.Errorf("an untagged Gateway Service's routes: %v, want a *NotImplementationError", err)
	}
	if _, err := c.FindRoutes(ctx, "0b5e8a52-9f5e-4c8e-a7a4-3c1f2d4e5f60"); !IsNotFound(err) {
		t.Errorf("a Gateway Service that does not exist: %v, want not found", err)
	}
}

func foundNames(fs []Found) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name())
	}
	return out
}
