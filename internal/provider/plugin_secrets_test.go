package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccPlugin_secretsTraceLog runs the real terraform and provider at
// TF_LOG=TRACE with secrets in config_sensitive: a Redis password, a value
// Kong's message would echo back, and a password changed in Kong behind
// Terraform's back (which the next plan must show as a change of
// config_sensitive without its value). Through apply, plan, a failed plan,
// an update and destroy, no secret may appear in the log or in any
// command's output. A secret written in config instead gets a warning.
func TestAccPlugin_secretsTraceLog(t *testing.T) {
	t.Parallel()
	const (
		password   = "pw-7f3a91c2-redis-secret"
		rotated    = "pw-rotated-0b6e44d8-outside"
		echoed     = "tag-5d2c9e1a-echoed-secret:"
		inTheOpen  = "pw-in-config-8e1f"
		instanceID = "secret-limits"
	)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	c := newCLI(t, "TF_LOG=TRACE", "TF_LOG_PATH="+logFile)
	k := startPluginKong(t, localkong.Options{})
	k.uses("secretive", "secretive-v1", "/secretive", instanceID)
	config := func(extra string) string {
		return cliRequiredProviders + providerConfig(k.AdminURL) + k.hcl(fmt.Sprintf(`
resource "servicehub_implementation" "test" {
  service = "secretive"
  version = "v1"
  name    = "secretive-v1"
  url     = "http://secretive.internal/"
}

resource "servicehub_plugin" "limits" {
  implementation_id = servicehub_implementation.test.id
  name              = "rate-limiting"
  instance_name     = "secret-limits"
  config            = { minute = 3, policy = "redis", redis = { host = "redis.internal" } }
  config_sensitive  = jsonencode({ redis = { password = %q } })
}
%s`, password, extra))
	}
	var outputs []string
	c.write("main.tf", config(""))
	outputs = append(outputs, c.mustRun(2*time.Minute, "apply", "-auto-approve", "-input=false"))
	outputs = append(outputs, c.mustRun(time.Minute, "plan", "-input=false", "-detailed-exitcode"))

	// Rotated in Kong: the plan shows config_sensitive changing, no value.
	var p map[string]any
	k.call(t, "GET", "/plugins/"+k.n(instanceID), nil, &p)
	k.patchPlugin(t, p["id"].(string), func(p map[string]any) {
		pluginConfigOf(p)["redis"].(map[string]any)["password"] = rotated
	})
	out, err := c.run(time.Minute, "plan", "-input=false", "-detailed-exitcode")
	if err == nil || !strings.Contains(out, "config_sensitive") || !strings.Contains(out, "(sensitive value)") {
		t.Errorf("the plan after the password changed in Kong does not show config_sensitive changing (%v):\n%s", err, out)
	}
	outputs = append(outputs, out)
	outputs = append(outputs, c.mustRun(2*time.Minute, "apply", "-auto-approve", "-input=false"))
	k.call(t, "GET", "/plugins/"+k.n(instanceID), nil, &p)
	if got := pluginConfigOf(p)["redis"].(map[string]any)["password"]; got != password {
		t.Errorf("after the apply Kong's password is %v, want the configured one back", got)
	}

	// A value Kong's message would repeat ("invalid value: …"), in
	// config_sensitive: the error says where, not what.
	c.write("main.tf", config(fmt.Sprintf(`
resource "servicehub_plugin" "metrics" {
  implementation_id = servicehub_implementation.test.id
  name              = "datadog"
  config_sensitive  = jsonencode({ metrics = [{ name = "latency", stat_type = "timer", tags = [%q] }] })
}
`, echoed)))
	out, err = c.run(time.Minute, "plan", "-input=false")
	if err == nil || !errorRE(`Kong would reject config.metrics.0.tags.0: invalid value: \(sensitive value\)`).MatchString(out) {
		t.Errorf("the plan with a bad sensitive value did not fail with a masked message (%v):\n%s", err, out)
	}
	outputs = append(outputs, out)

	// A secret written in config: a warning pointing to config_sensitive.
	c.write("main.tf", config(fmt.Sprintf(`
resource "servicehub_plugin" "open" {
  route_id = null
  implementation_id = servicehub_implementation.test.id
  name              = "cors"
  config            = {}
}

resource "servicehub_implementation" "open" {
  service = "secretive"
  version = "v2"
  name    = "secretive-v2"
  url     = "http://secretive.internal/"
}

resource "servicehub_plugin" "open_limits" {
  implementation_id = servicehub_implementation.open.id
  name              = "rate-limiting"
  config            = { minute = 3, policy = "redis", redis = { host = "r", password = %q } }
}
`, inTheOpen)))
	out = c.mustRun(time.Minute, "plan", "-input=false")
	if !errorRE(`Warning: Secret in config.*config.redis.password as a secret.*config_sensitive = jsonencode\({ redis = { password = var.redis_password } }\)`).MatchString(out) {
		t.Errorf("a password in config gave no warning pointing to config_sensitive:\n%s", out)
	}
	c.write("main.tf", config(""))
	outputs = append(outputs, c.mustRun(2*time.Minute, "destroy", "-auto-approve", "-input=false"))

	logBytes, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logBytes)
	for _, want := range []string{"[TRACE]", "Kong Admin API request", "servicehub_plugin", "/schemas/plugins/rate-limiting"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log lacks %q; logging was not captured", want)
		}
	}
	places := map[string]string{"trace log": log, "command output": strings.Join(outputs, "\n")}
	for _, secret := range []string{password, rotated, echoed} {
		for where, text := range places {
			if i := strings.Index(text, secret); i >= 0 {
				t.Errorf("%q found in the %s: …%s…", secret, where, text[max(0, i-300):min(len(text), i+len(secret)+80)])
			}
		}
	}
}

// TestAccPlugin_planOutput: what a user sees when a default nobody wrote
// is changed in Kong: the plan names that key and no other of the
// plugin's fields.
func TestAccPlugin_planOutput(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	k := startPluginKong(t, localkong.Options{})
	k.uses("shown", "shown-v1")
	c.write("main.tf", cliRequiredProviders+providerConfig(k.AdminURL)+k.hcl(`
resource "servicehub_implementation" "test" {
  service = "shown"
  version = "v1"
  name    = "shown-v1"
  url     = "http://shown.internal/"
}

resource "servicehub_plugin" "limit" {
  implementation_id = servicehub_implementation.test.id
  name              = "rate-limiting"
  config            = { minute = 3 }
}
`))
	c.mustRun(2*time.Minute, "apply", "-auto-approve", "-input=false")
	ps := k.kongPlugins(t)
	if len(ps) != 1 {
		t.Fatalf("Kong holds %d plugins, want 1", len(ps))
	}
	k.patchPlugin(t, ps[0]["id"].(string), func(p map[string]any) { pluginConfigOf(p)["fault_tolerant"] = false })
	out, err := c.run(time.Minute, "plan", "-input=false", "-detailed-exitcode")
	t.Logf("plan:\n%s", out)
	if err == nil || !strings.Contains(out, "fault_tolerant") || !strings.Contains(out, "1 to change") {
		t.Errorf("the plan does not show fault_tolerant changing (%v)", err)
	}
	for _, other := range []string{"limit_by", "error_message", "sync_rate", "redis"} {
		if strings.Contains(out, other) {
			t.Errorf("the plan shows %s, which nobody changed", other)
		}
	}
}
