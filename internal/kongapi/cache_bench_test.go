package kongapi

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/kong/go-kong/kong"
)

// benchServices are n services as Kong lists them: ids, names and the
// provider's tags.
func benchServices(n int) []*kong.Service {
	out := make([]*kong.Service, n)
	for i := range out {
		out[i] = &kong.Service{
			ID: kong.String(uuid.NewString()), Name: kong.String(fmt.Sprintf("svc-%d", i)),
			Host: kong.String("example.com"), Port: kong.Int(80), Protocol: kong.String("http"),
			Tags: kong.StringSlice(fmt.Sprintf("servicehub:service=s%d", i%50), fmt.Sprintf("servicehub:version=v%d", i), "team"),
		}
	}
	return out
}

func loadedServices(b *testing.B, n int) (*snapshot[kong.Service], []*kong.Service) {
	b.Helper()
	svcs := benchServices(n)
	s := newSnapshot(func(context.Context) ([]*kong.Service, error) { return svcs, nil }, serviceKey, (*kong.Service).DeepCopy)
	if !s.wait(context.Background()) {
		b.Fatal("snapshot did not load")
	}
	return s, svcs
}

// Indexing a listing: linear in its size.
func BenchmarkSnapshotLoad(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		svcs := benchServices(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				s := newSnapshot(func(context.Context) ([]*kong.Service, error) { return svcs, nil }, serviceKey, (*kong.Service).DeepCopy)
				s.wait(context.Background())
			}
		})
	}
}

// A refresh's Read: a lookup and a copy, whatever the size of the listing.
func BenchmarkSnapshotGet(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		s, svcs := loadedServices(b, n)
		ctx := context.Background()
		b.Run(fmt.Sprintf("id/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, ok := s.get(ctx, *svcs[i%n].ID); !ok {
					b.Fatal("miss")
				}
			}
		})
		b.Run(fmt.Sprintf("name/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, ok := s.get(ctx, *svcs[i%n].Name); !ok {
					b.Fatal("miss")
				}
			}
		})
		// Terraform reads ten resources at a time.
		b.Run(fmt.Sprintf("parallel/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					if _, ok := s.get(ctx, *svcs[i%n].ID); !ok {
						b.Fatal("miss")
					}
					i++
				}
			})
		})
	}
}

// The "one implementation per version" check: the rarest tag's entities only.
func BenchmarkSnapshotTagged(b *testing.B) {
	s, _ := loadedServices(b, 5000)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tags := []string{fmt.Sprintf("servicehub:service=s%d", i%50), fmt.Sprintf("servicehub:version=v%d", i%5000)}
		if got, ok := s.tagged(ctx, tags); !ok || len(got) != 1 {
			b.Fatalf("tagged(%q) = %d entities", tags, len(got))
		}
	}
}

// A write's response replacing its entry.
func BenchmarkSnapshotPut(b *testing.B) {
	s, svcs := loadedServices(b, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.put(svcs[i%len(svcs)])
	}
}

// Listing over HTTP, 1000 a page, against localkong: decoding dominates.
func BenchmarkListServices(b *testing.B) {
	f := newCacheFixture(b, 0)
	ctx := context.Background()
	for i := 0; i < 2500; i++ {
		if _, err := f.api.PutService(ctx, &kong.Service{ID: kong.String(NewID()), Name: kong.String(fmt.Sprintf("s%d", i)), Host: kong.String("h")}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		svcs, err := f.api.ListServices(ctx)
		if err != nil || len(svcs) != 2500 {
			b.Fatalf("%d services, %v", len(svcs), err)
		}
	}
	b.ReportMetric(float64(f.srv.RequestCount()-2500)/float64(b.N), "requests/op")
}
