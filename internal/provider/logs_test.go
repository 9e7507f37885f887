package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccLogs_quietUnlessAsked runs the real terraform and the provider
// binary (main.go's logging setup included) with the provider's standard
// error copied to a file, which is where a provider sends its log lines to
// Terraform. Without any TF_LOG* variable the provider sends none (only
// go-plugin's handshake lines): building them is most of a plan's CPU time
// and Terraform would drop them. With TF_LOG=TRACE, TF_LOG_PROVIDER, or
// any other TF_LOG* variable, it sends them all, the SDK's, the
// framework's and its own, and Terraform's log shows them.
func TestAccLogs_quietUnlessAsked(t *testing.T) {
	t.Parallel()
	kong := startKong(t, localkong.Options{}).uses("payments", "payments-v1", "/payments")
	c := newCLI(t)
	sent := c.captureProviderStderr()
	c.write("main.tf", cliRequiredProviders+providerConfig(kong.AdminURL)+kong.hcl(simpleImpl+`
resource "servicehub_route" "test" {
  implementation_id = servicehub_implementation.test.id
  name              = "payments-v1"
  paths             = ["/payments"]
}
`))
	c.mustRun(2*time.Minute, "apply", "-auto-approve", "-input=false")
	if lines, _ := sent(); lines == 0 {
		t.Fatal("nothing captured from the provider's standard error: the wrapper did not run")
	}

	// withEnv runs a no-op plan with extra environment variables and says
	// what the provider sent, by log module, and what terraform printed.
	withEnv := func(env ...string) (map[string]int, string) {
		t.Helper()
		cc := *c
		cc.env = append(append([]string{}, c.env...), env...)
		out := cc.mustRun(time.Minute, "plan", "-input=false", "-detailed-exitcode")
		_, modules := sent()
		t.Logf("%v: the provider sent %v", env, modules)
		return modules, out
	}
	all := []string{"sdk.framework", "sdk.proto", "servicehub"}
	wantAll := func(what string, modules map[string]int) {
		t.Helper()
		for _, m := range all {
			if modules[m] == 0 {
				t.Errorf("%s: the provider sent no %s log line (sent %v)", what, m, modules)
			}
		}
	}

	if modules, _ := withEnv(); len(modules) != 0 {
		t.Errorf("no TF_LOG* variable: the provider sent log lines %v, want none", modules)
	}

	logFile := filepath.Join(t.TempDir(), "trace.log")
	modules, _ := withEnv("TF_LOG=TRACE", "TF_LOG_PATH="+logFile)
	wantAll("TF_LOG=TRACE", modules)
	logText, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"@module=sdk.framework", "@module=sdk.proto", "@module=servicehub", "Kong Admin API request"} {
		if !strings.Contains(string(logText), want) {
			t.Errorf("TF_LOG=TRACE: Terraform's log lacks %q", want)
		}
	}

	// Terraform prints provider logs to its standard error.
	modules, out := withEnv("TF_LOG_PROVIDER=TRACE")
	wantAll("TF_LOG_PROVIDER=TRACE", modules)
	for _, want := range []string{"@module=sdk.framework", "Kong Admin API request"} {
		if !strings.Contains(out, want) {
			t.Errorf("TF_LOG_PROVIDER=TRACE: terraform's output lacks %q", want)
		}
	}

	// Variables Terraform itself ignores are still the user's to set: the
	// provider leaves its loggers alone, as before.
	for _, env := range []string{"TF_LOG_SDK_FRAMEWORK=TRACE", "TF_LOG_PATH=" + filepath.Join(t.TempDir(), "path-only.log")} {
		modules, _ := withEnv(env)
		wantAll(env, modules)
	}
}

// captureProviderStderr points this working directory's dev_overrides at
// a wrapper of the provider binary that copies its standard error (still
// passed on to Terraform) to a file. sent returns how many lines arrived
// since the last call, and how many were log lines of each
// terraform-plugin-log module.
func (c *cli) captureProviderStderr() (sent func() (lines int, modules map[string]int)) {
	c.t.Helper()
	provider := filepath.Join(providerBinary(c.t), "terraform-provider-servicehub")
	wrapper, capture := c.t.TempDir(), filepath.Join(c.t.TempDir(), "stderr.log")
	script := fmt.Sprintf("#!/usr/bin/env bash\nexec %q \"$@\" 2> >(tee -a %q >&2)\n", provider, capture)
	if err := os.WriteFile(filepath.Join(wrapper, "terraform-provider-servicehub"), []byte(script), 0o755); err != nil {
		c.t.Fatal(err)
	}
	c.write("test.tfrc", fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"servicehub/servicehub\" = %q\n  }\n  direct {}\n}\n", wrapper))
	return func() (int, map[string]int) {
		data, err := os.ReadFile(capture)
		if err != nil && !os.IsNotExist(err) {
			c.t.Fatal(err)
		}
		if err := os.WriteFile(capture, nil, 0o600); err != nil {
			c.t.Fatal(err)
		}
		lines, modules := 0, map[string]int{}
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if l == "" {
				continue
			}
			lines++
			var entry struct {
				Module string `json:"@module"`
			}
			if json.Unmarshal([]byte(l), &entry) == nil && entry.Module != "" {
				modules[entry.Module]++
			}
		}
		return lines, modules
	}
}
