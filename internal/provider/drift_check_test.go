package provider

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccDriftCheckPattern runs the "Drift checks in CI" sequence of the
// verify guide on its two example configurations: after traffic, the drift
// check of infra/ plans nothing, while status/ (outputs that change with
// traffic) would plan a change; apply -refresh-only and terraform output
// then read the new counts.
func TestAccDriftCheckPattern(t *testing.T) {
	t.Parallel()
	skipExternal(t, "applies examples/ci-drift-check as written, whose names other tests use too")
	srv := startKong(t, localkong.Options{})
	c := newCLI(t, "KONG_ADMIN_URL="+srv.AdminURL, "KONG_PROXY_URL="+srv.ProxyURL)
	for _, dir := range []string{"infra", "status"} {
		b, err := os.ReadFile(filepath.Join("../../examples/ci-drift-check", dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(c.dir, dir), 0o700); err != nil {
			t.Fatal(err)
		}
		c.write(filepath.Join(dir, "main.tf"), string(b))
	}
	const minute = time.Minute
	upstream := "-var=upstream_url=" + startUpstream(t)
	c.mustRun(minute, "-chdir=infra", "apply", "-input=false", "-auto-approve", upstream)
	c.mustRun(minute, "-chdir=status", "apply", "-input=false", "-auto-approve")
	for range 3 {
		proxyCall(t, srv.ProxyURL, "", "/payments", 200)
	}

	exitCode := func(err error) int {
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit):
			return exit.ExitCode()
		}
		t.Fatal(err)
		return -1
	}
	if out, err := c.run(minute, "-chdir=infra", "plan", "-input=false", "-detailed-exitcode", upstream); exitCode(err) != 0 {
		t.Fatalf("drift check of infra/ after traffic: exit %d, want 0:\n%s", exitCode(err), out)
	}
	// Why the status lives apart: its plan changes with traffic.
	if out, err := c.run(minute, "-chdir=status", "plan", "-input=false", "-detailed-exitcode"); exitCode(err) != 2 || !strings.Contains(out, "Changes to Outputs") {
		t.Fatalf("plan of status/ after traffic: exit %d, want 2 with output changes:\n%s", exitCode(err), out)
	}
	c.mustRun(minute, "-chdir=status", "apply", "-input=false", "-refresh-only", "-auto-approve")
	out := c.mustRun(minute, "-chdir=status", "output", "-json", "payments_v1_status_codes")
	var codes map[string]int64
	if err := json.Unmarshal([]byte(out), &codes); err != nil || codes["200"] != 3 || len(codes) != 1 {
		t.Fatalf("status codes after apply -refresh-only: %v (%v), want {200: 3}:\n%s", codes, err, out)
	}
	c.mustRun(minute, "-chdir=infra", "destroy", "-input=false", "-auto-approve", upstream)
}
