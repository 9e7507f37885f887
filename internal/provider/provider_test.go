package provider

import (
	"fmt"
	"os"
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
	if err := setUpKongEnvironment(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.Remove(rc.Name())
	removeProviderBinary()
	os.Exit(code)
}
