package main

import (
	"flag"
	"fmt"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// seedFlag registers -seed; the returned function fills the runtime group
// once the server runs (see localkong.Server.Seed). scripts/bench.sh uses
// it for a small configuration in a large runtime group.
func seedFlag() func(*localkong.Server) error {
	n := flag.Int("seed", 0, "start with this many untagged Gateway Services named other-<i>, each with one Route (for benchmarks)")
	return func(srv *localkong.Server) error {
		if *n <= 0 {
			return nil
		}
		if err := srv.Seed("other", *n); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		fmt.Printf("localkong seeded=%d\n", *n)
		return nil
	}
}
