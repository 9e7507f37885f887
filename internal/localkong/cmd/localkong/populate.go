package main

import (
	"flag"
	"fmt"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// populateFlag registers -populate; the returned function fills the
// runtime group once the server runs (see localkong.Server.Populate).
// scripts/bench.sh uses it for a small configuration in a large runtime
// group.
func populateFlag() func(*localkong.Server) error {
	n := flag.Int("populate", 0, "start with this many untagged Gateway Services named other-<i>, each with one Route (for benchmarks)")
	return func(srv *localkong.Server) error {
		if *n <= 0 {
			return nil
		}
		if err := srv.Populate("other", *n); err != nil {
			return fmt.Errorf("populate: %w", err)
		}
		fmt.Printf("localkong populated=%d\n", *n)
		return nil
	}
}
