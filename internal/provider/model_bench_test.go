package provider

import (
	"context"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// What one Read costs the provider once the cache has the entity: Kong's
// shape to the domain (servicehub) and the domain to Terraform values here.

func BenchmarkImplementationFlattenExpand(b *testing.B) {
	ctx := context.Background()
	impl := fullImplementation()
	prior, diags := flatten(ctx, impl, implementationModel{})
	if diags.HasError() {
		b.Fatal(diags)
	}
	b.Run("flatten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, diags := flatten(ctx, impl, prior); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
	b.Run("expand", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, diags := prior.expand(ctx); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
}

func BenchmarkRouteFlattenExpand(b *testing.B) {
	ctx := context.Background()
	port := 443
	r := servicehub.Route{
		ID: "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", Name: "orders", ImplementationID: "11111111-1111-4111-8111-111111111111",
		Protocols: []string{"http", "https"}, Methods: []string{"GET", "POST"},
		Hosts: []string{"api.example.com"}, Paths: []string{"/orders", "~/orders/\\d+$"},
		Headers: map[string][]string{"x-version": {"1", "2"}}, SNIs: []string{"api.example.com"},
		Destinations: []servicehub.Peer{{IP: strPtr("10.0.0.0/8"), Port: &port}},
		StripPath:    true, RegexPriority: 1, PathHandling: "v0", HTTPSRedirectStatusCode: 426,
		RequestBuffering: true, ResponseBuffering: true, Tags: []string{"team"},
		CreatedAt: 100, UpdatedAt: 200,
	}
	prior, diags := flattenRoute(ctx, r, routeModel{})
	if diags.HasError() {
		b.Fatal(diags)
	}
	b.Run("flatten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, diags := flattenRoute(ctx, r, prior); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
	b.Run("expand", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, diags := prior.expand(ctx); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
}
