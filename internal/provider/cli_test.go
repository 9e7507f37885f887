package provider

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// cli runs the real terraform against this provider built as a binary and
// installed through dev_overrides, for what the test framework cannot do:
// interrupt an apply, or see the complete log of Terraform and the
// provider process.
type cli struct {
	t   *testing.T
	tf  string
	dir string
	env []string
}

// newCLI builds the provider and prepares a working directory. extraEnv
// entries are KEY=VALUE.
func newCLI(t *testing.T, extraEnv ...string) *cli { return newCLIs(t, 1, extraEnv...)[0] }

// newCLIs builds the provider once and prepares n working directories, as
// n Terraform workspaces would be.
func newCLIs(t *testing.T, n int, extraEnv ...string) []*cli {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform on PATH and no TF_ACC_TERRAFORM_PATH")
		}
	}
	bin := providerBinary(t)

	// Nothing from the outside may configure Terraform or the provider.
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "KONG_") || strings.HasPrefix(k, "KONNECT_") {
			continue
		}
		env = append(env, kv)
	}
	clis := make([]*cli, n)
	for i := range clis {
		dir := t.TempDir()
		rc := filepath.Join(dir, "test.tfrc")
		if err := os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "servicehub/servicehub" = %q
  }
  direct {}
}
`, bin)), 0o600); err != nil {
			t.Fatal(err)
		}
		e := append(append([]string(nil), env...), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
		clis[i] = &cli{t: t, tf: tf, dir: dir, env: append(e, extraEnv...)}
	}
	return clis
}

// built is the provider binary, built once for all the tests of the
// package that run it (TestMain removes it).
var built struct {
	once sync.Once
	dir  string
	err  error
}

// providerBinary builds the provider, or returns the directory it was
// built into by an earlier test.
func providerBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		// Not t.TempDir: the binary outlives the test that builds it.
		if built.dir, built.err = os.MkdirTemp("", "servicehub-provider-"); built.err != nil { //nolint:usetesting // shared by the package's tests
			return
		}
		// Without the race detector even when the tests have it: a
		// race-enabled provider makes every terraform command several
		// times slower, and the in-process acceptance tests run the same
		// code under it.
		args := []string{"build", "-o", filepath.Join(built.dir, "terraform-provider-servicehub"), "github.com/servicehub/terraform-provider-servicehub"}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		start := time.Now()
		if out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %w\n%s", err, out)
			return
		}
		t.Logf("built the provider in %v", time.Since(start).Round(time.Millisecond))
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.dir
}

// removeProviderBinary deletes what providerBinary built, if anything.
func removeProviderBinary() {
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
}

// provider block requirements for dev_overrides.
const cliRequiredProviders = `terraform {
  required_providers {
    servicehub = {
      source = "servicehub/servicehub"
    }
  }
}
`

func (c *cli) write(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cli) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, c.tf, append(args, "-no-color")...)
	cmd.Dir = c.dir
	cmd.Env = c.env
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// run runs one command to its end, within timeout, and returns its output.
func (c *cli) run(timeout time.Duration, args ...string) (string, error) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	out, err := c.command(ctx, args...).CombinedOutput()
	c.t.Logf("terraform %s: %v", args[0], time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		c.t.Fatalf("terraform %s did not finish within %v:\n%s", strings.Join(args, " "), timeout, out)
	}
	return string(out), err
}

// mustRun is run, failing the test on a non-zero exit.
func (c *cli) mustRun(timeout time.Duration, args ...string) string {
	c.t.Helper()
	out, err := c.run(timeout, args...)
	if err != nil {
		c.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// running is a terraform command in progress whose output is watched.
type running struct {
	cmd    *exec.Cmd
	cancel context.CancelFunc
	mu     sync.Mutex
	out    bytes.Buffer
	lines  chan string
	done   chan error
}

func (c *cli) start(timeout time.Duration, args ...string) *running {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	r := &running{cmd: c.command(ctx, args...), cancel: cancel, lines: make(chan string, 1024), done: make(chan error, 1)}
	pr, pw := io.Pipe()
	r.cmd.Stdout, r.cmd.Stderr = pw, pw
	if err := r.cmd.Start(); err != nil {
		cancel()
		c.t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			r.mu.Lock()
			r.out.WriteString(sc.Text() + "\n")
			r.mu.Unlock()
			select {
			case r.lines <- sc.Text():
			default:
			}
		}
		close(r.lines)
	}()
	go func() {
		err := r.cmd.Wait()
		pw.Close()
		cancel()
		r.done <- err
	}()
	c.t.Cleanup(func() { cancel() })
	return r
}

// wait waits for the command to exit and its output to be read.
func (r *running) wait() error {
	err := <-r.done
	for range r.lines {
	}
	return err
}

func (r *running) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}
