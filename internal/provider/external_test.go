package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// The acceptance tests run against a Kong of their own each, an
// in-process localkong, unless KONG_ADMIN_URL is set: then every test
// that localkong alone can serve skips (saying why in one line) and the
// others run against that Kong, with:
//
//	KONG_ADMIN_URL    the Admin API (required; selects this mode)
//	KONG_PROXY_URL    its proxy, as the tests reach it (default http://localhost:8000)
//	KONG_METRICS_URL  its Prometheus metrics (default <KONG_ADMIN_URL>/metrics)
//	KONG_ADMIN_TOKEN  an RBAC token, KONG_WORKSPACE a workspace
//	KONG_TEST_UPSTREAM_URL  an upstream answering as localkong's demo
//	                  upstream does, at an address Kong reaches; default: one
//	                  the test starts on 127.0.0.1 (right when Kong shares
//	                  the host's network)
//
// Against a shared Kong every test gives its entities names of its own
// (testKong.n, testKong.hcl), removes what it made, and assumes nothing
// about what else the runtime group holds. In the in-process mode the
// tests are hermetic: TestMain clears every other KONG_* and KONNECT_*
// variable, so a user's shell cannot reach the provider under test.

// extKong is the Kong at KONG_ADMIN_URL; nil in the in-process mode.
var extKong *externalKong

type externalKong struct {
	adminURL, proxyURL, token, workspace, upstreamURL string
	version                                           kongschema.Version
	flavor                                            string
}

// passedOn are the variables the provider under test still sees against
// an external Kong; TestMain clears every other KONG_* and KONNECT_*.
var passedOn = []string{"KONG_ADMIN_URL", "KONG_PROXY_URL", "KONG_METRICS_URL", "KONG_ADMIN_TOKEN", "KONG_WORKSPACE", "KONG_TLS_SKIP_VERIFY"}

// setUpKongEnvironment selects the mode from KONG_ADMIN_URL and makes the
// environment what that mode needs.
func setUpKongEnvironment() error {
	if u := strings.TrimSpace(os.Getenv("KONG_ADMIN_URL")); u != "" {
		ext := &externalKong{
			adminURL:    strings.TrimRight(u, "/"),
			proxyURL:    strings.TrimRight(envOr("KONG_PROXY_URL", "http://localhost:8000"), "/"),
			token:       os.Getenv("KONG_ADMIN_TOKEN"),
			workspace:   os.Getenv("KONG_WORKSPACE"),
			upstreamURL: os.Getenv("KONG_TEST_UPSTREAM_URL"),
		}
		if err := ext.readVersion(); err != nil {
			return fmt.Errorf("KONG_ADMIN_URL=%s: %w", u, err)
		}
		extKong = ext
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "KONG_") && !strings.HasPrefix(name, "KONNECT_") {
			continue
		}
		if extKong != nil && slices.Contains(passedOn, name) {
			continue
		}
		if err := os.Unsetenv(name); err != nil {
			return err
		}
	}
	return nil
}

func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

// readVersion asks GET / which Kong this is, as the provider does.
func (e *externalKong) readVersion() error {
	c, err := kong.NewClient(kong.String(e.adminURL), &http.Client{Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	c.SetWorkspace(e.workspace)
	if e.token != "" {
		c.SetDoer(tokenDoer(e.token))
	}
	root, err := c.Root(context.Background())
	if err != nil {
		return fmt.Errorf("GET /: %w", err)
	}
	if e.version, err = kongschema.ParseVersion(kong.VersionFromInfo(root)); err != nil {
		return err
	}
	if conf, ok := root["configuration"].(map[string]any); ok {
		e.flavor, _ = conf["router_flavor"].(string)
	}
	return nil
}

func tokenDoer(token string) kong.Doer {
	return func(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
		req.Header.Set("Kong-Admin-Token", token)
		return hc.Do(req.WithContext(ctx))
	}
}

// localOnly says why a test with these options needs localkong.
func localOnly(opts localkong.Options) string {
	switch {
	case opts.Faults != nil:
		return "injects faults (localkong Options.Faults)"
	case opts.AdminLatency != 0:
		return "adds Admin API latency (localkong Options.AdminLatency)"
	case opts.AdminTLS != nil:
		return "needs localkong's own TLS Admin API"
	case opts.Konnect:
		return "plays a Konnect control plane (localkong Options.Konnect)"
	case opts.AdminToken != "":
		return "sets the Admin API's RBAC token (localkong Options.AdminToken)"
	case opts.Version != "":
		return "plays Kong " + opts.Version + " (localkong Options.Version)"
	}
	return ""
}

// skipExternal skips a test against an external Kong, saying why in one
// line: what it needs that only an in-process localkong gives.
func skipExternal(t *testing.T, why string) {
	t.Helper()
	if extKong != nil {
		skipBecause(t, "localkong only: "+why)
	}
}

// skipBecause skips with a one-line reason that names the test, so that
// scripts/testacc-external.sh can list the reasons of a parallel run.
func skipBecause(t *testing.T, why string) {
	t.Helper()
	t.Skipf("skipped %s: %s", t.Name(), why)
}

// uniqueSuffix is what a test appends to its names against a shared Kong.
func uniqueSuffix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return "-t" + hex.EncodeToString(b)
}

// n is name as this test uses it in Kong: the name itself in a localkong
// of the test's own, made unique against a shared Kong.
func (k *testKong) n(name string) string { return name + k.sfx }

// hcl makes the names registered with uses unique in a configuration:
// quoted values (after "=", "[" or ",") equal to one, not block labels. So
// a name must be no other value of the configuration (a route "grpc"
// would rename the protocol).
func (k *testKong) hcl(config string) string {
	if k.sfx == "" {
		return config
	}
	for _, name := range k.names {
		re := regexp.MustCompile(`([=\[,]\s*)"` + regexp.QuoteMeta(name) + `"`)
		config = re.ReplaceAllString(config, `$1"`+name+k.sfx+`"`)
	}
	return config
}

// uses registers the names (of services, Gateway Services, routes, paths)
// that hcl makes unique.
func (k *testKong) uses(names ...string) *testKong {
	k.names = append(k.names, names...)
	return k
}

// trafficSettled waits, against a real Kong, until requests just proxied
// show in /metrics: the prometheus plugin's counters reach the shared
// dictionary on a one-second timer (lua-resty-counter's sync_interval).
func trafficSettled() {
	if extKong != nil {
		time.Sleep(1500 * time.Millisecond)
	}
}

// proxyGet sends method path through the proxy with a Host header ("" for
// the proxy's own). A real Kong builds its router from the database in the
// background (worker_state_update_frequency, 5 s by default), so against
// one, ready (when set) is polled until it accepts the answer or 30 s pass.
func proxyGet(proxyURL, method, host, path string, ready func(status int, body []byte) bool) (int, []byte, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, err := http.NewRequest(method, proxyURL+path, nil)
		if err != nil {
			return 0, nil, err
		}
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, nil, err
		}
		if extKong == nil || ready == nil || ready(resp.StatusCode, body) || time.Now().After(deadline) {
			return resp.StatusCode, body, nil
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// startKongHaving gives a test a Kong that has feature f: a localkong
// playing version, or the external Kong when it has f. An external Kong
// without f skips the test; TestAccKongVersions checks its error there.
func startKongHaving(t *testing.T, f kongschema.Feature, version string) *testKong {
	t.Helper()
	if extKong != nil && !f.In(extKong.version, extKong.flavor) {
		skipBecause(t, fmt.Sprintf("the Kong at KONG_ADMIN_URL (%s) lacks %s", extKong.version.Describe(), f.What))
	}
	if extKong != nil {
		return startKong(t, localkong.Options{})
	}
	return startKong(t, localkong.Options{Version: version})
}
