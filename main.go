package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/servicehub/terraform-provider-servicehub/internal/provider"
)

// version is set by goreleaser through -ldflags "-X main.version=…".
var version = "dev"

// address is the provider's source address; terraform-plugin-go names the
// provider's log level variable after its type (TF_LOG_PROVIDER_SERVICEHUB).
const address = "registry.terraform.io/servicehub/servicehub"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if !debug {
		quietUnlessAsked(os.Environ(), os.Setenv)
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: address,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// quietLevels are terraform-plugin-log's level variables for the loggers a
// provider process writes to: the SDK's root, its protocol and framework
// subsystems, and the provider's own.
var quietLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_SERVICEHUB"}

// quietUnlessAsked turns the provider process's loggers off when no log was
// asked for. terraform-plugin-log defaults every logger to TRACE, so
// without this each RPC builds and JSON-encodes dozens of trace lines that
// Terraform parses and drops, which cost over a third of the provider's
// CPU time. Terraform shows provider logs only when a TF_LOG* variable is
// set (TF_LOG, TF_LOG_PROVIDER, TF_LOG_PATH, …); the provider inherits
// Terraform's environment, so when any of them is set (or the acceptance
// test framework's TF_ACC_LOG_PATH), nothing changes and every line still
// reaches Terraform's log as before.
func quietUnlessAsked(environ []string, setenv func(k, v string) error) {
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if v != "" && (strings.HasPrefix(k, "TF_LOG") || k == "TF_ACC_LOG_PATH") {
			return
		}
	}
	for _, k := range quietLevels {
		_ = setenv(k, "OFF")
	}
}
