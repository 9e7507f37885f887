package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The harness: localkong and the provider built from this repository (the
// module two directories up), terraform from TF_ACC_TERRAFORM_PATH or
// PATH, each test with its own localkong process and working directory.
// This module cannot import localkong or the provider: they need go-kong
// v0.78.0, and decK's engine is built, as decK builds it, on the go-kong
// go-database-reconciler v1.19.0 requires (v0.63.0).

var bins struct {
	localkong, providerDir, terraform string
}

func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") == "" {
		fmt.Println("decktest: TF_ACC not set, skipping the tests that run terraform")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "decktest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 1
	if err := build(dir); err != nil {
		fmt.Fprintln(os.Stderr, "decktest:", err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// build compiles localkong and the provider from the repository root.
func build(dir string) error {
	root, err := filepath.Abs("../..")
	if err != nil {
		return err
	}
	bins.localkong = filepath.Join(dir, "localkong")
	bins.providerDir = filepath.Join(dir, "provider")
	for _, b := range [][]string{
		{"-o", bins.localkong, "./internal/localkong/cmd/localkong"},
		{"-o", filepath.Join(bins.providerDir, "terraform-provider-servicehub"), "."},
	} {
		cmd := exec.Command("go", append([]string{"build"}, b...)...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", b[len(b)-1], err, out)
		}
	}
	bins.terraform = os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bins.terraform == "" {
		if bins.terraform, err = exec.LookPath("terraform"); err != nil {
			return fmt.Errorf("no terraform: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
	}
	tfrc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"servicehub/servicehub\" = %q\n  }\n  direct {}\n}\n", bins.providerDir)
	return os.WriteFile(filepath.Join(dir, "tfrc"), []byte(tfrc), 0o600)
}

// world is one test's localkong and terraform working directory.
type world struct {
	t     *testing.T
	admin string // localkong's Admin API
	dir   string // terraform's working directory
}

func newWorld(t *testing.T) *world {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	cmd := exec.Command(bins.localkong, "-admin-listen", "127.0.0.1:0", "-proxy-listen", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	w := &world{t: t, dir: t.TempDir()}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if _, err := fmt.Sscanf(lines.Text(), "localkong admin=%s", &w.admin); err == nil {
			break
		}
	}
	if w.admin == "" {
		t.Fatal("localkong did not say where it listens")
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return w
}

// configure writes the working directory's configuration, the provider
// block first.
func (w *world) configure(provider, resources string) {
	w.t.Helper()
	hcl := fmt.Sprintf("terraform {\n  required_providers {\n    servicehub = { source = \"servicehub/servicehub\" }\n  }\n}\n\n"+
		"provider \"servicehub\" {\n  admin_url = %q\n  %s\n}\n%s", w.admin, provider, resources)
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// terraform runs a terraform command in the working directory; its
// output, and whether it succeeded.
func (w *world) terraform(args ...string) (string, error) {
	w.t.Helper()
	cmd := exec.Command(bins.terraform, args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(filepath.Dir(bins.localkong), "tfrc"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "NO_COLOR=1")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.String(), err
}

// mustTerraform is terraform, failing the test when it fails.
func (w *world) mustTerraform(args ...string) string {
	w.t.Helper()
	out, err := w.terraform(args...)
	if err != nil {
		w.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (w *world) apply() string {
	return w.mustTerraform("apply", "-auto-approve", "-input=false", "-no-color")
}

// plan returns the actions of the plan by resource address, no-ops left
// out.
func (w *world) plan() map[string]string {
	w.t.Helper()
	w.mustTerraform("plan", "-input=false", "-no-color", "-out=tfplan")
	out := w.mustTerraform("show", "-json", "tfplan")
	var p struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		w.t.Fatalf("terraform show -json: %v", err)
	}
	actions := map[string]string{}
	for _, rc := range p.ResourceChanges {
		if a := strings.Join(rc.Change.Actions, ","); a != "no-op" {
			actions[rc.Address] = a
		}
	}
	return actions
}

// deck runs decK's sync (or, dry, its diff) with the files given as
// contents, in the working directory.
func (w *world) deck(dry bool, selectTags []string, files ...string) (Stats, string, error) {
	w.t.Helper()
	var names []string
	for i, f := range files {
		name := filepath.Join(w.dir, fmt.Sprintf("deck-%d.yaml", i))
		if err := os.WriteFile(name, []byte(f), 0o600); err != nil {
			w.t.Fatal(err)
		}
		names = append(names, name)
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := Sync{Addr: w.admin, Files: names, SelectTags: selectTags, Dry: dry, Out: &out}.Run(ctx)
	return st, out.String(), err
}

// entity is one of Kong's entities as the Admin API returns it.
type entity map[string]any

func (e entity) id() string   { s, _ := e["id"].(string); return s }
func (e entity) name() string { s, _ := e["name"].(string); return s }

func (e entity) tags() []string {
	var out []string
	list, _ := e["tags"].([]any)
	for _, t := range list {
		if s, ok := t.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (e entity) hasTag(tag string) bool {
	for _, t := range e.tags() {
		if t == tag {
			return true
		}
	}
	return false
}

// list returns every entity of a kind ("services", "routes", "plugins"),
// by id.
func (w *world) list(kind string) map[string]entity {
	w.t.Helper()
	out := map[string]entity{}
	next := "/" + kind + "?size=1000"
	for next != "" {
		resp, err := http.Get(w.admin + next)
		if err != nil {
			w.t.Fatal(err)
		}
		var page struct {
			Data []entity `json:"data"`
			Next *string  `json:"next"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			w.t.Fatal(err)
		}
		for _, e := range page.Data {
			out[e.id()] = e
		}
		next = ""
		if page.Next != nil {
			next = strings.TrimPrefix(*page.Next, w.admin)
		}
	}
	return out
}

// snapshot is every service, route and plugin Kong holds, as JSON by
// kind and id, for comparing what a tool's run changed.
type snapshot map[string]map[string]string

func (w *world) snapshot() snapshot {
	s := snapshot{}
	for _, kind := range []string{"services", "routes", "plugins"} {
		s[kind] = map[string]string{}
		for id, e := range w.list(kind) {
			b, _ := json.Marshal(e)
			s[kind][id] = string(b)
		}
	}
	return s
}

// differences says how after departs from s for the entities keep
// accepts: changed, gone, or (new) added.
func (s snapshot) differences(after snapshot, keep func(kind string, e entity) bool) []string {
	var out []string
	for kind, before := range s {
		for id, b := range before {
			var e entity
			_ = json.Unmarshal([]byte(b), &e)
			if !keep(kind, e) {
				continue
			}
			switch a, ok := after[kind][id]; {
			case !ok:
				out = append(out, fmt.Sprintf("%s %s %q deleted", kind, id, e.name()))
			case a != b:
				out = append(out, fmt.Sprintf("%s %s %q changed:\n  before %s\n  after  %s", kind, id, e.name(), b, a))
			}
		}
	}
	return out
}
