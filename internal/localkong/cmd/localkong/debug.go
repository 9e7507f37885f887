package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// debugFlag registers -debug-listen; the returned function serves the
// Admin API request counts there once the server runs (see
// localkong.Server.DebugHandler). scripts/bench.sh reads them per phase.
func debugFlag() func(*localkong.Server) error {
	addr := flag.String("debug-listen", "", "serve Admin API request counts here: GET /requests, DELETE /requests to reset (for benchmarks)")
	return func(srv *localkong.Server) error {
		if *addr == "" {
			return nil
		}
		ln, err := net.Listen("tcp", *addr)
		if err != nil {
			return fmt.Errorf("debug listener: %w", err)
		}
		fmt.Printf("localkong debug=http://%s\n", ln.Addr())
		hs := &http.Server{Handler: srv.DebugHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = hs.Serve(ln) }()
		return nil
	}
}
