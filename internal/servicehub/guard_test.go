package servicehub

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// A delete never takes down what others made: plugins on the Gateway
// Service or the route refuse it, naming each, and nothing goes; with
// force they go with it, except the Ingress Controller's.
func TestDeleteLeavesOthersPlugins(t *testing.T) {
	api := newLocalKong(t)
	ctx := context.Background()
	impl := newImpl(t, api, "guarded")
	routes := NewRoutes(api)
	route, err := routes.Create(ctx, pathRoute("guarded", impl.ID()))
	if err != nil {
		t.Fatal(err)
	}
	plugin := func(name string, on kong.Plugin, tags ...string) *kong.Plugin {
		on.Name, on.Tags = kong.String(name), kong.StringSlice(tags...)
		p, err := api.Kong.Plugins.Create(ctx, &on)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	onService := kong.Plugin{Service: &kong.Service{ID: kong.String(impl.ID())}}
	onRoute := kong.Plugin{Route: &kong.Route{ID: kong.String(route.ID())}}
	deck := plugin("cors", onService, "team-edge")
	other := plugin("bot-detection", onService, createTagPrefix+"another-workspace")
	routes1 := plugin("cors", onRoute, "team-edge")
	exists := func(what string, get func() error) {
		t.Helper()
		if err := get(); err != nil {
			t.Fatalf("%s was deleted: %v", what, err)
		}
	}
	pluginExists := func(p *kong.Plugin) func() error {
		return func() error { _, err := api.GetPlugin(ctx, *p.ID); return err }
	}

	// The route: its plugin refuses the delete.
	err = routes.Delete(ctx, route.ID(), route.Name(), false)
	var inUse *InUseError
	if !errors.As(err, &inUse) || len(inUse.Plugins) != 1 || inUse.Noun != "route" {
		t.Fatalf("route delete with another's plugin: %v", err)
	}
	for _, want := range []string{`the route "guarded" (Route ` + route.ID() + `) was not deleted`,
		`plugin "cors" (id ` + *routes1.ID + `, tags [team-edge])`, "force_destroy = true on the servicehub_route"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("route refusal lacks %q:\n%s", want, err)
		}
	}
	exists("the route", func() error { _, err := routes.Get(ctx, route.ID()); return err })
	exists("the route's plugin", pluginExists(routes1))

	// The implementation: its plugins refuse the delete, naming each and
	// the route, whose plugin it names too.
	impls := NewImplementations(api)
	err = impls.Delete(ctx, impl, MarkOf(impl))
	if !errors.As(err, &inUse) || len(inUse.Plugins) != 2 || len(inUse.Routes) != 1 {
		t.Fatalf("implementation delete with others' plugins: %v", err)
	}
	for _, want := range []string{
		`plugin "bot-detection" (id ` + *other.ID + `, tags [servicehub:create=another-workspace]; made by this provider, in another workspace or state)`,
		`plugin "cors" (id ` + *deck.ID + `, tags [team-edge])`,
		`route "guarded" (id ` + route.ID() + `, tags [servicehub:create=` + route.Token,
		"terraform import servicehub_plugin.<name> <id>", "force_destroy = true on the servicehub_implementation",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("implementation refusal lacks %q:\n%s", want, err)
		}
	}
	exists("the implementation", func() error { _, err := impls.Get(ctx, impl.ID()); return err })
	exists("decK's plugin", pluginExists(deck))
	exists("another workspace's plugin", pluginExists(other))

	// The Ingress Controller's plugin is never taken down, force or not.
	kic := plugin("request-size-limiting", onService, IngressControllerTag)
	err = impls.ForceDelete(ctx, impl, MarkOf(impl))
	if !errors.As(err, &inUse) || !inUse.Forced || len(inUse.Plugins) != 1 || !strings.Contains(err.Error(), "Ingress Controller") {
		t.Fatalf("force delete with the Ingress Controller's plugin: %v", err)
	}
	exists("the route", func() error { _, err := routes.Get(ctx, route.ID()); return err })
	if err := api.Kong.Plugins.Delete(ctx, kic.ID); err != nil {
		t.Fatal(err)
	}

	// force: the route (with its plugin), then the Gateway Service with
	// its plugins.
	if err := impls.ForceDelete(ctx, impl, MarkOf(impl)); err != nil {
		t.Fatalf("force delete: %v", err)
	}
	for _, id := range []string{*deck.ID, *other.ID, *routes1.ID} {
		if _, err := api.GetPlugin(ctx, id); !kongapi.IsNotFound(err) {
			t.Errorf("plugin %s after the force delete: %v", id, err)
		}
	}
	if _, err := routes.Get(ctx, route.ID()); !IsNotFound(err) {
		t.Errorf("route after the force delete: %v", err)
	}
	if _, err := impls.Get(ctx, impl.ID()); !IsNotFound(err) {
		t.Errorf("implementation after the force delete: %v", err)
	}
}

// The claim a move inserts carries the provider's default tags too: every
// entity the provider writes does.
func TestClaimsCarryDefaultTags(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	a := newRun(t, srv, "a", 0)
	a.impls.defaults = []string{"managed-by-terraform"}
	ctx := context.Background()
	x := mustCreate(t, a, "tagged", "v1", "tagged-x")
	moved := x
	moved.Version = "v2"
	// Hold the move's write: the claim is in Kong then.
	slot := slotID(a.api.Group(), "tagged", "v2", 0)
	var claim *kong.Service
	errMove, err := interleave(t, srv.Pause(localkong.BeforeHandling, a.its(http.MethodPut, "/services/"+x.ID())),
		func() error { _, err := a.impls.Update(ctx, x, moved, MarkOf(x)); return err },
		func() (err error) { claim, err = a.api.GetService(ctx, slot); return err })
	if errMove != nil || err != nil {
		t.Fatalf("move: %v; reading the claim: %v", errMove, err)
	}
	if claim == nil || !hasTag(claim, claimTag) || !hasTag(claim, "managed-by-terraform") {
		t.Fatalf("the claim at %s: %+v", slot, claim)
	}
}
