package main

import (
	"flag"
	"log"

	"github.com/servicehub/terraform-provider-servicehub/internal/server"
)

// version is set by goreleaser through -ldflags "-X main.version=…".
var version = "dev"

func main() {
	var debugging bool
	flag.BoolVar(&debugging, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	if err := server.Serve(version, debugging); err != nil {
		log.Fatal(err)
	}
}
