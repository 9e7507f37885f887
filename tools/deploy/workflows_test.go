package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

type workflow struct {
	Name string         `yaml:"name"`
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Strategy struct {
			Matrix map[string]any `yaml:"matrix"`
		} `yaml:"strategy"`
		Services map[string]struct {
			Image string `yaml:"image"`
		} `yaml:"services"`
		Steps []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	var w workflow
	readYAML(t, ".github/workflows/"+name, &w)
	return w
}

// pinned is an action pinned to an exact release (v1.2.3) or a commit.
var pinned = regexp.MustCompile(`@(v\d+\.\d+\.\d+|[0-9a-f]{40})$`)

func TestWorkflowsPinActions(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github/workflows/*.yml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("workflows: %v %v", files, err)
	}
	for _, f := range files {
		w := readWorkflow(t, filepath.Base(f))
		for job, j := range w.Jobs {
			for _, s := range j.Steps {
				if s.Uses != "" && !pinned.MatchString(s.Uses) {
					t.Errorf("%s: job %s uses %s, not pinned to a version", filepath.Base(f), job, s.Uses)
				}
			}
		}
	}
}

// runs reports whether a job runs cmd with setup-go reading go.mod.
func runs(t *testing.T, w workflow, job, cmd string) {
	t.Helper()
	j, ok := w.Jobs[job]
	if !ok {
		t.Fatalf("%s: no job %s", w.Name, job)
	}
	goFromMod, ran := false, false
	for _, s := range j.Steps {
		goFromMod = goFromMod || (strings.HasPrefix(s.Uses, "actions/setup-go@") && s.With["go-version-file"] == "go.mod")
		ran = ran || strings.TrimSpace(s.Run) == cmd
	}
	if !goFromMod || !ran {
		t.Errorf("%s/%s: Go from go.mod %v, runs %q %v", w.Name, job, goFromMod, cmd, ran)
	}
}

func TestWorkflowTest(t *testing.T) {
	w := readWorkflow(t, "test.yml")
	if _, ok := w.On["push"]; !ok {
		t.Error("test does not run on pushes")
	}
	if _, ok := w.On["pull_request"]; !ok {
		t.Error("test does not run on pull requests")
	}
	runs(t, w, "test", "make test")
	// make test runs the acceptance tests without the race detector; this
	// job runs them under it.
	runs(t, w, "race", "make testacc-race")
	// Before make test: Kong's Konnect OpenAPI documents, downloaded from
	// Kong/developer.konghq.com at a pinned commit, checked, and named by
	// SERVICEHUB_OPENAPI_DIR, with which localkong's contract tests fail
	// rather than skip when one is missing.
	var fetched, ranTests bool
	for _, s := range w.Jobs["test"].Steps {
		if strings.TrimSpace(s.Run) == "make test" {
			ranTests = true
			if !fetched {
				t.Error("make test runs before the Konnect OpenAPI documents are downloaded")
			}
		}
		if !strings.Contains(s.Run, `SERVICEHUB_OPENAPI_DIR=`) || !strings.Contains(s.Run, "GITHUB_ENV") {
			continue
		}
		fetched = true
		if !regexp.MustCompile(`raw\.githubusercontent\.com/Kong/developer\.konghq\.com/[0-9a-f]{40}/`).MatchString(s.Env["SPECS"]) {
			t.Errorf("the documents come from %q, not a pinned commit of Kong/developer.konghq.com", s.Env["SPECS"])
		}
		for _, doc := range []string{"konnect-api-catalog-v3.openapi.yaml", "konnect-analytics-metrics-v2.openapi.yaml", "konnect-control-planes-v2.openapi.yaml"} {
			if !strings.Contains(s.Run, `-o "$dir/`+doc+`"`) || !regexp.MustCompile(`[0-9a-f]{64}  `+regexp.QuoteMeta(doc)).MatchString(s.Run) {
				t.Errorf("%s is not downloaded and checked", doc)
			}
		}
	}
	if !fetched || !ranTests {
		t.Errorf("the test job downloads the documents: %v; runs make test: %v", fetched, ranTests)
	}
}

func TestWorkflowAcceptanceKong(t *testing.T) {
	w := readWorkflow(t, "acceptance-kong.yml")
	runs(t, w, "acceptance", "make testacc")
	j := w.Jobs["acceptance"]
	var versions []string
	kongs, _ := j.Strategy.Matrix["kong"].([]any)
	for _, k := range kongs {
		m, _ := k.(map[string]any)
		v, _ := m["version"].(string)
		image, _ := m["image"].(string)
		if !strings.HasSuffix(image, ":"+v) {
			t.Errorf("matrix entry %v: image does not match the version", m)
		}
		versions = append(versions, v)
	}
	for _, want := range []string{"3.4", "3.9", "3.10"} {
		if !slices.Contains(versions, want) {
			t.Errorf("matrix versions %q lack %s", versions, want)
		}
	}
	flavors, _ := j.Strategy.Matrix["router_flavor"].([]any)
	if !slices.Contains(flavors, any("traditional_compatible")) || !slices.Contains(flavors, any("expressions")) {
		t.Errorf("router flavors %v", flavors)
	}
	if !strings.HasPrefix(j.Services["postgres"].Image, "postgres:") {
		t.Errorf("services: %+v", j.Services)
	}
	for _, s := range j.Steps {
		if strings.TrimSpace(s.Run) == "make testacc" && (s.Env["KONG_ADMIN_URL"] == "" || s.Env["KONG_PROXY_URL"] == "") {
			t.Errorf("make testacc without KONG_ADMIN_URL and KONG_PROXY_URL: %v", s.Env)
		}
	}
}

func TestWorkflowRelease(t *testing.T) {
	w := readWorkflow(t, "release.yml")
	push, _ := w.On["push"].(map[string]any)
	if tags, _ := push["tags"].([]any); !slices.Contains(tags, any("v*")) {
		t.Errorf("release runs on %v, want tags v*", w.On)
	}
	// scripts/goreleaser.sh builds the goreleaser release-check.sh runs.
	script, err := os.ReadFile(filepath.Join(root, "scripts/goreleaser.sh"))
	if err != nil {
		t.Fatal(err)
	}
	checked := regexp.MustCompile(`(?m)^version=(v[0-9.]+)$`).FindSubmatch(script)
	var gpgFromSecrets, signed bool
	for _, s := range w.Jobs["goreleaser"].Steps {
		if strings.HasPrefix(s.Uses, "crazy-max/ghaction-import-gpg@") {
			gpgFromSecrets = strings.Contains(s.With["gpg_private_key"], "secrets.")
		}
		if strings.HasPrefix(s.Uses, "goreleaser/goreleaser-action@") {
			signed = strings.Contains(s.Env["GPG_FINGERPRINT"], "steps.gpg.outputs.fingerprint")
			if checked == nil || s.With["version"] != string(checked[1]) {
				t.Errorf("goreleaser %q, but release-check.sh checks with %q (scripts/goreleaser.sh)", s.With["version"], checked)
			}
		}
	}
	if !gpgFromSecrets || !signed {
		t.Errorf("GPG key from secrets %v, passed to goreleaser %v", gpgFromSecrets, signed)
	}
}
