package servicehub

import (
	"testing"

	"github.com/kong/go-kong/kong"
)

// Kong's shape to the domain and back: done once per implementation per
// Read and per write. Routes are go-kong's kong.Route as they are, with no
// conversion to measure.

func BenchmarkImplementationKong(b *testing.B) {
	impl := Implementation{
		Service: "payments", Version: "v1",
		Gateway: kong.Service{
			ID: kong.String("6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"), Name: kong.String("payments-v1"),
			Protocol: kong.String("https"), Host: kong.String("pay.internal"), Port: kong.Int(8443), Path: kong.String("/api"),
			Retries: kong.Int(5), ConnectTimeout: kong.Int(60000), WriteTimeout: kong.Int(60000), ReadTimeout: kong.Int(60000),
			CACertificates: kong.StringSlice("22222222-2222-4222-8222-222222222222"), TLSVerify: kong.Bool(true),
			Enabled: kong.Bool(true), Tags: kong.StringSlice("team:core", "pci"), CreatedAt: kong.Int(100), UpdatedAt: kong.Int(200),
		},
	}
	svc := toKong(impl)
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
