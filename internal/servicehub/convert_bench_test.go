package servicehub

import (
	"testing"

	"github.com/kong/go-kong/kong"
)

// Kong's shape to the domain and back: done once per entity per Read and
// per write.

func BenchmarkImplementationKong(b *testing.B) {
	path, verify := "/api", true
	impl := Implementation{
		ID: "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", Service: "payments", Version: "v1", Name: "payments-v1",
		Endpoint: Endpoint{Protocol: "https", Host: "pay.internal", Port: 8443, Path: &path},
		Retries:  5, ConnectTimeout: 60000, WriteTimeout: 60000, ReadTimeout: 60000,
		CACertificates: []string{"22222222-2222-4222-8222-222222222222"}, TLSVerify: &verify,
		Enabled: true, Tags: []string{"team:core", "pci"}, CreatedAt: 100, UpdatedAt: 200,
	}
	svc := toKong(impl)
	svc.UpdatedAt = kong.Int(200)
	b.Run("toKong", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = toKong(impl)
		}
	})
	b.Run("fromKong", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if got := fromKong(svc); got.Version != "v1" {
				b.Fatal(got)
			}
		}
	})
}

func BenchmarkRouteKong(b *testing.B) {
	r := Route{
		ID: "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", Name: "orders", ImplementationID: "11111111-1111-4111-8111-111111111111",
		Protocols: []string{"http", "https"}, Methods: []string{"GET"}, Paths: []string{"/orders"},
		Headers: map[string][]string{"x-version": {"1"}}, StripPath: true, PathHandling: "v0",
		HTTPSRedirectStatusCode: 426, RequestBuffering: true, ResponseBuffering: true, Tags: []string{"team"},
	}
	kr := toKongRoute(r)
	b.Run("toKong", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_ = toKongRoute(r)
		}
	})
	b.Run("fromKong", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if got := fromKongRoute(kr); got.Name != "orders" {
				b.Fatal(got)
			}
		}
	})
}
