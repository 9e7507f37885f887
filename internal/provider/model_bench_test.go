package provider

import (
	"context"
	"testing"

	"github.com/kong/go-kong/kong"
)

// What one Read costs the provider once the cache has the entity: Kong's
// shape (go-kong's) to Terraform values, and back for a write.

func BenchmarkImplementationFlattenExpand(b *testing.B) {
	ctx := context.Background()
	impl := fullImplementation()
	prior, diags := flatten(ctx, impl, implementationModel{}, tagging{})
	if diags.HasError() {
		b.Fatal(diags)
	}
	b.Run("flatten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, diags := flatten(ctx, impl, prior, tagging{}); diags.HasError() {
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
	r := &kong.Route{
		ID: kong.String("6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"), Name: kong.String("orders"),
		Service:   &kong.Service{ID: kong.String("11111111-1111-4111-8111-111111111111")},
		Protocols: kong.StringSlice("http", "https"), Methods: kong.StringSlice("GET", "POST"),
		Hosts: kong.StringSlice("api.example.com"), Paths: kong.StringSlice("/orders", "~/orders/\\d+$"),
		Headers: map[string][]string{"x-version": {"1", "2"}}, SNIs: kong.StringSlice("api.example.com"),
		Destinations: []*kong.CIDRPort{{IP: kong.String("10.0.0.0/8"), Port: kong.Int(443)}},
		StripPath:    kong.Bool(true), RegexPriority: kong.Int(1), PathHandling: kong.String("v0"), HTTPSRedirectStatusCode: kong.Int(426),
		RequestBuffering: kong.Bool(true), ResponseBuffering: kong.Bool(true), Tags: kong.StringSlice("team"),
		CreatedAt: kong.Int(100), UpdatedAt: kong.Int(200),
	}
	prior, diags := flattenRoute(ctx, r, routeModel{}, tagging{})
	if diags.HasError() {
		b.Fatal(diags)
	}
	b.Run("flatten", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, diags := flattenRoute(ctx, r, prior, tagging{}); diags.HasError() {
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
