// Package server serves the provider to Terraform: the plugin framework's
// protocol 6 server, with the process settings (log levels, garbage
// collector) and the wrappers (detach.go, upgrade.go) that cut what the
// framework costs per resource.
package server

import (
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/servicehub/terraform-provider-servicehub/internal/provider"
)

// Address is the provider's source address; terraform-plugin-go names the
// provider's log level variable after its type (TF_LOG_PROVIDER_SERVICEHUB).
const Address = "registry.terraform.io/servicehub/servicehub"

// Serve runs the provider of version until Terraform stops it; debugging
// serves it for a debugger such as delve, with the loggers left as they are.
// It is providerserver.Serve with the framework's server wrapped.
func Serve(version string, debugging bool) error {
	if !debugging {
		quietUnlessAsked(os.Environ(), os.Setenv)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	var opts []tf6server.ServeOpt
	if debugging {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	return tf6server.Serve(Address, func() tfprotov6.ProviderServer {
		return detachServer(providerserver.NewProtocol6(provider.New(version)())())
	}, opts...)
}

// gcPercent is the garbage collector's target (GOGC) unless GOGC is set.
// A plan makes the framework allocate about 1 MB per resource, nearly all
// of it garbage at once, over a live heap of a few tens of MB: at Go's
// default of 100 the collector took a third of the provider's CPU time.
// At 400 it runs a quarter as often, for a peak heap five times the live
// one instead of twice (make bench reports the peak RSS).
const gcPercent = 400

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
