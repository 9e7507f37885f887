package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const root = "../.."

// composeFile is the part of the Compose specification the checks read.
type composeFile struct {
	Name     string `yaml:"name"`
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     any               `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		Expose      []string          `yaml:"expose"`
		Healthcheck *struct {
			Test     []string `yaml:"test"`
			Interval string   `yaml:"interval"`
			Retries  int      `yaml:"retries"`
		} `yaml:"healthcheck"`
		DependsOn map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Build *struct {
			Context    string `yaml:"context"`
			Dockerfile string `yaml:"dockerfile"`
		} `yaml:"build"`
	} `yaml:"services"`
}

func readYAML(t *testing.T, path string, into any) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

// interpolate resolves ${VAR:-default} as Compose does with VAR unset.
func interpolate(s string) string {
	return regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`).ReplaceAllString(s, "$1")
}

func command(v any) string {
	switch c := v.(type) {
	case string:
		return c
	case []any:
		parts := make([]string, len(c))
		for i, p := range c {
			parts[i], _ = p.(string)
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// TestCompose: Kong Gateway 3.10 on PostgreSQL, migrations bootstrapped
// before it starts, Admin API on 8001 and proxy on 8000, the prometheus
// plugin global with status_code_metrics, an upstream for the demo, and
// health checks that the start order waits on.
func TestCompose(t *testing.T) {
	var c composeFile
	raw := readYAML(t, "deploy/kong/compose.yaml", &c)
	for _, name := range []string{"postgres", "kong-migrations", "kong", "kong-setup", "upstream"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("no service %q", name)
		}
	}
	pg, migrations, kong, setup, upstream := c.Services["postgres"], c.Services["kong-migrations"], c.Services["kong"], c.Services["kong-setup"], c.Services["upstream"]

	if !strings.HasPrefix(pg.Image, "postgres:") || pg.Healthcheck == nil || !slices.Contains(pg.Healthcheck.Test, "pg_isready") {
		t.Errorf("postgres: image %q, healthcheck %+v", pg.Image, pg.Healthcheck)
	}
	if got := interpolate(kong.Image); got != "kong/kong-gateway:3.10" {
		t.Errorf("kong image by default = %q, want kong/kong-gateway:3.10", got)
	}
	for _, v := range []string{"KONG_VERSION", "KONG_IMAGE"} {
		if !strings.Contains(kong.Image, "${"+v+":-") || migrations.Image != kong.Image {
			t.Errorf("kong and kong-migrations must share an image selectable by %s: %q, %q", v, kong.Image, migrations.Image)
		}
	}
	if !strings.Contains(command(migrations.Command), "kong migrations bootstrap") {
		t.Errorf("kong-migrations command = %q", command(migrations.Command))
	}
	if migrations.DependsOn["postgres"].Condition != "service_healthy" ||
		kong.DependsOn["kong-migrations"].Condition != "service_completed_successfully" ||
		setup.DependsOn["kong"].Condition != "service_healthy" {
		t.Errorf("start order: migrations %+v, kong %+v, setup %+v", migrations.DependsOn, kong.DependsOn, setup.DependsOn)
	}
	// The anchor shares the database settings with the migrations.
	for _, env := range []map[string]string{migrations.Environment, kong.Environment} {
		if env["KONG_DATABASE"] != "postgres" || env["KONG_PG_HOST"] != "postgres" || env["KONG_PG_PASSWORD"] != pg.Environment["POSTGRES_PASSWORD"] {
			t.Errorf("database settings: %v", env)
		}
	}
	if kong.Environment["KONG_ADMIN_LISTEN"] != "0.0.0.0:8001" || kong.Environment["KONG_PROXY_LISTEN"] != "0.0.0.0:8000" {
		t.Errorf("listeners: %v", kong.Environment)
	}
	if !slices.Contains(kong.Ports, "127.0.0.1:8001:8001") || !slices.Contains(kong.Ports, "127.0.0.1:8000:8000") {
		t.Errorf("kong ports = %q, want the Admin API on 8001 and the proxy on 8000", kong.Ports)
	}
	if kong.Healthcheck == nil || strings.Join(kong.Healthcheck.Test, " ") != "CMD kong health" || kong.Healthcheck.Retries == 0 {
		t.Errorf("kong healthcheck = %+v", kong.Healthcheck)
	}
	if interpolate(kong.Environment["KONG_ROUTER_FLAVOR"]) != "traditional_compatible" {
		t.Errorf("router flavor = %q", kong.Environment["KONG_ROUTER_FLAVOR"])
	}
	cmd := command(setup.Command)
	if !strings.Contains(cmd, "PUT http://kong:8001/plugins/") || !strings.Contains(cmd, "name=prometheus") ||
		!strings.Contains(cmd, "config.status_code_metrics=true") {
		t.Errorf("kong-setup does not enable prometheus with status codes: %q", cmd)
	}
	// scripts/kong.sh and the CI workflow wait for, and make, the same plugin.
	id := regexp.MustCompile(`plugins/([0-9a-f-]{36})`).FindStringSubmatch(cmd)
	for _, f := range []string{"scripts/kong.sh", ".github/workflows/acceptance-kong.yml"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil || id == nil || !strings.Contains(string(b), id[1]) {
			t.Errorf("%s does not use the prometheus plugin id of compose.yaml (%v)", f, err)
		}
	}
	if upstream.Build == nil || !slices.Contains(upstream.Expose, "9000") {
		t.Fatalf("upstream: %+v", upstream)
	}
	df, err := os.ReadFile(filepath.Join(root, "deploy/kong", upstream.Build.Context, upstream.Build.Dockerfile))
	if err != nil || !strings.Contains(string(df), `"-upstream-listen", "0.0.0.0:9000"`) {
		t.Errorf("upstream Dockerfile: %v", err)
	}
	if !strings.Contains(string(raw), "Needs Docker") {
		t.Error("compose.yaml does not say it needs Docker")
	}
}
