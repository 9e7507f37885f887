// Command localkong runs localkong in the foreground: an in-memory Kong
// 3.10-compatible Admin API and proxy, until SIGINT or SIGTERM (or, with
// -stop-with-parent, until the process that started it exits).
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func main() {
	var opts localkong.Options
	adminAddr := flag.String("admin-listen", "127.0.0.1:8001", "Admin API listen address (port 0 picks a free port)")
	proxyAddr := flag.String("proxy-listen", "127.0.0.1:8000", "proxy listen address (port 0 picks a free port)")
	flag.StringVar(&opts.AdminToken, "admin-token", "", "require this Kong-Admin-Token (or bearer token with -konnect)")
	flag.BoolVar(&opts.Konnect, "konnect", false, "serve Konnect's control-plane API instead of Kong's Admin API")
	flag.StringVar(&opts.Version, "kong-version", localkong.DefaultVersion,
		"Kong Gateway version to play, 3.4.0 to 3.10.x (four numbers for Kong Gateway Enterprise, e.g. 3.10.0.6): what GET / reports and which service and route fields are accepted")
	flag.StringVar(&opts.Version, "version", localkong.DefaultVersion, "same as -kong-version")
	flag.DurationVar(&opts.AdminLatency, "admin-latency", 0, "added delay per Admin API request, e.g. 20ms")
	konnect := konnectFlags(&opts)
	upstreamAddr := flag.String("upstream-listen", "", "also serve a demo upstream here (200 with a JSON echo; /status/<code> answers that code)")
	faults := faultFlags()
	tlsOpts := tlsFlags()
	debug := debugFlag()
	parentGone := parentFlag()
	populate := populateFlag()
	flag.Parse()

	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "localkong:", err)
		os.Exit(1)
	}
	var err error
	if opts.Faults, err = faults(); err != nil {
		fail(err)
	}
	if opts.AdminTLS, err = tlsOpts.options(); err != nil {
		fail(err)
	}
	srv, err := localkong.Start(opts, *adminAddr, *proxyAddr)
	if err != nil {
		fail(err)
	}
	if err := populate(srv); err != nil {
		fail(err)
	}
	fmt.Printf("localkong admin=%s proxy=%s\n", srv.AdminURL, srv.ProxyURL)
	konnect(srv)
	if err := tlsOpts.report(srv); err != nil {
		fail(err)
	}
	if err := debug(srv); err != nil {
		fail(err)
	}
	if *upstreamAddr != "" {
		ln, err := net.Listen("tcp", *upstreamAddr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "localkong:", err)
			os.Exit(1)
		}
		fmt.Printf("localkong upstream=http://%s\n", ln.Addr())
		go func() { _ = http.Serve(ln, localkong.NewUpstream()) }()
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-sig:
	case <-parentGone():
	}
	if err := srv.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "localkong:", err)
	}
}
