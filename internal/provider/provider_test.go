package provider

import (
	"fmt"
	"os"
	"runtime/debug"
	"testing"
)

func TestMain(m *testing.M) {
	// No user CLI configuration (provider mirrors, credentials, dev
	// overrides) may leak into the acceptance tests.
	rc, err := os.CreateTemp("", "servicehub-tfrc-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rc.Close()
	os.Setenv("TF_CLI_CONFIG_FILE", rc.Name())
	// A fifth of the acceptance tests' CPU goes to garbage collection, in
	// this process (the provider and localkong) and in the terraform
	// processes it starts: with GOGC=400 three of them took 22.6 CPU
	// seconds instead of 27.4. Set here rather than for `go test`, whose
	// compiler tunes its own collector and is slower with GOGC set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
		os.Setenv("GOGC", "400")
	}
	if err := setUpKongEnvironment(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.Remove(rc.Name())
	removeProviderBinary()
	os.Exit(code)
}
