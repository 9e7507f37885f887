package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func TestAccProvider_adminToken(t *testing.T) {
	t.Parallel()
	const token = "s3cret-admin-token"
	srv := startKong(t, localkong.Options{AdminToken: token})
	kc := kongClient(t, srv.AdminURL, token, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(srv.AdminURL) + simpleImpl,
				ExpectError: errorRE(`Kong rejected the credentials.*HTTP 401: Invalid credentials. Token or User credentials required.*admin_token`),
			},
			{
				Config:      providerConfig(srv.AdminURL, `admin_token = "wrong"`) + simpleImpl,
				ExpectError: errorRE(`HTTP 401`),
			},
			{
				Config: providerConfig(srv.AdminURL, fmt.Sprintf("admin_token = %q", token)) + simpleImpl,
				Check: checkKong(kc, "payments-v1", func(s *kong.Service) error {
					if *s.Host != "payments.internal" {
						return fmt.Errorf("host = %s", *s.Host)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccProvider_workspaceIsolation(t *testing.T) {
	t.Parallel()
	skipExternal(t, "creates workspaces, which a shared Kong should not get (and Kong OSS has none)")
	srv := startKong(t, localkong.Options{})
	ctx := context.Background()
	root := kongClient(t, srv.AdminURL, "", "")
	for _, ws := range []string{"team-a", "team-b"} {
		if _, err := root.Workspaces.Create(ctx, &kong.Workspace{Name: kong.String(ws)}); err != nil {
			t.Fatal(err)
		}
	}
	// team-b already implements payments v1 under the same name. Neither
	// the name's uniqueness nor one-implementation-per-version crosses
	// workspaces, so team-a can have its own. (One provider configuration
	// per test: in-process test providers share their configuration
	// between aliases.)
	teamB := kongClient(t, srv.AdminURL, "", "team-b")
	if _, err := teamB.Services.Create(ctx, &kong.Service{
		Name: kong.String("payments-v1"), Host: kong.String("payments-b.internal"),
		Tags: kong.StringSlice("servicehub:service=payments", "servicehub:version=v1"),
	}); err != nil {
		t.Fatal(err)
	}
	hostIn := func(ws, want string) resource.TestCheckFunc {
		return checkKong(kongClient(t, srv.AdminURL, "", ws), "payments-v1", func(s *kong.Service) error {
			if *s.Host != want {
				return fmt.Errorf("workspace %s: host %s, want %s", ws, *s.Host, want)
			}
			return nil
		})
	}
	config := providerConfig(srv.AdminURL, `workspace = "team-a"`) + strings.Replace(simpleImpl, "payments.internal", "payments-a.internal", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			hostIn("team-b", "payments-b.internal"),
		),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					hostIn("team-a", "payments-a.internal"),
					hostIn("team-b", "payments-b.internal"),
					func(*terraform.State) error {
						if _, err := root.Services.Get(ctx, kong.String("payments-v1")); !kong.IsNotFoundErr(err) {
							return fmt.Errorf("default workspace sees payments-v1: %v", err)
						}
						return nil
					},
				),
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     "payments-v1",
				ImportStateVerify: true,
			},
			{
				// Pointed at team-b, the same configuration finds the version
				// taken there.
				Config:      providerConfig(srv.AdminURL, `workspace = "team-b"`) + strings.Replace(simpleImpl, `"test"`, `"other"`, 1),
				ExpectError: errorRE(`Gateway Service "payments-v1"`),
			},
		},
	})
}

// methodRecorder is a reverse proxy in front of the Admin API that records
// every method and can fail the first requests.
type methodRecorder struct {
	mu      sync.Mutex
	methods map[string]int
	failN   atomic.Int32
	proxy   *httputil.ReverseProxy
}

func newMethodRecorder(t *testing.T, target string) (*methodRecorder, *httptest.Server) {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	m := &methodRecorder{methods: map[string]int{}, proxy: httputil.NewSingleHostReverseProxy(u)}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv
}

func (m *methodRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	m.methods[r.Method]++
	m.mu.Unlock()
	if m.failN.Add(-1) >= 0 {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	m.proxy.ServeHTTP(w, r)
}

func (m *methodRecorder) count(method string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.methods[method]
}

func TestAccProvider_konnect(t *testing.T) {
	t.Parallel()
	const token = "kpat_test_token"
	srv := startKong(t, localkong.Options{Konnect: true, AdminToken: token})
	rec, front := newMethodRecorder(t, srv.AdminURL)
	cp := front.URL + "/v2/control-planes/" + uuid.NewString() + "/core-entities"
	config := func(body string) string {
		return fmt.Sprintf(`
provider "servicehub" {
  admin_url     = %q
  konnect_token = %q
}

resource "servicehub_implementation" "test" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  %s
}
`, cp, token, body)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if n := rec.count(http.MethodPatch); n != 0 {
				return fmt.Errorf("%d PATCH requests sent to Konnect", n)
			}
			if rec.count(http.MethodDelete) == 0 {
				return fmt.Errorf("no DELETE sent")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config(`url = "https://payments.internal/api"` + "\n  tags = [\"a\"]\n  tls_verify = true")},
			{
				Config: config(`url = "https://payments.internal/v2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "path", "/v2"),
					resource.TestCheckNoResourceAttr(res, "tls_verify"),
					func(*terraform.State) error {
						// The create is a POST under the version's slot id,
						// the update a PUT: Konnect has no PATCH.
						if rec.count(http.MethodPost) != 1 || rec.count(http.MethodPut) != 1 {
							return fmt.Errorf("POSTs = %d, PUTs = %d; want the create as POST and the update as PUT",
								rec.count(http.MethodPost), rec.count(http.MethodPut))
						}
						return nil
					},
				),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "payments-v1", ImportStateVerify: true},
			emptyPlanStep(config(`url = "https://payments.internal/v2"`)),
		},
	})
}

func TestAccProvider_retriesTransientErrors(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1")
	rec, front := newMethodRecorder(t, srv.AdminURL)
	rec.failN.Store(3)
	impl := srv.hcl(simpleImpl)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: providerConfig(front.URL, "max_retries = 4") + impl},
			{
				PreConfig:   func() { rec.failN.Store(100) },
				Config:      providerConfig(front.URL, "max_retries = 1") + impl,
				ExpectError: errorRE(`HTTP 503`),
			},
			{
				// Leave nothing behind for the destroy.
				PreConfig: func() { rec.failN.Store(0) },
				Config:    providerConfig(front.URL) + impl,
			},
		},
	})
}

func TestAccProvider_invalidConfiguration(t *testing.T) {
	t.Parallel()
	step := func(cfg, want string) resource.TestStep {
		return resource.TestStep{Config: cfg + simpleImpl, PlanOnly: true, ExpectError: errorRE(want)}
	}
	certPEM, keyPEM := testCertificate(t, "client.test", false)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			step(providerConfig("localhost:8001"), `Invalid Kong Admin API URL.*a URL starts with http:// or https://, e.g. "http://localhost:8001"`),
			step(providerConfig("http://kong:8001/?a=b"), `Invalid Kong Admin API URL.*query`),
			step(providerConfig("http://kong:8001", fmt.Sprintf("client_certificate_pem = %q", certPEM)),
				`Incomplete client certificate.*client_certificate_pem is set but client_key_pem is not`),
			step(providerConfig("http://kong:8001", fmt.Sprintf("client_key_pem = %q", keyPEM)),
				`Incomplete client certificate.*client_key_pem is set but client_certificate_pem is not`),
			step(providerConfig("http://kong:8001", `ca_certificate_pem = "nonsense"`), `ca_certificate_pem: no PEM-encoded certificate`),
			step(providerConfig("http://kong:8001", `request_timeout = "soon"`), `request_timeout must be a positive duration`),
			step(providerConfig("http://kong:8001", `max_retries = -1`), `max_retries value must be between 0 and 100`),
			step(providerConfig("http://kong:8001", `workspace = "a"`, `konnect_token = "t"`), `Workspaces are not available on Konnect`),
			step(`
resource "terraform_data" "url" {
  input = "http://kong:8001"
}

provider "servicehub" {
  admin_url = terraform_data.url.output
}
`, `Unknown value for admin_url.*KONG_ADMIN_URL`),
		},
	})
}

// TestAccProvider_tokensNeverLogged runs Terraform and the provider at
// TRACE, both logging to one file (TF_ACC_LOG_PATH), and searches it for the
// secrets. Not parallel: it sets process environment.
func TestAccProvider_tokensNeverLogged(t *testing.T) {
	const adminToken = "adm-7f3c1e9b-never-log-me"
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logFile)

	// From the environment: the test harness logs each step's configuration
	// verbatim, so a token written there would be found by the test itself.
	t.Setenv("KONG_ADMIN_TOKEN", adminToken)

	srv := startKong(t, localkong.Options{AdminToken: adminToken})
	cfg := providerConfig(srv.AdminURL)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: cfg + simpleImpl},
			{Config: cfg + strings.Replace(simpleImpl, "payments.internal", "payments2.internal", 1)},
			{ResourceName: res, ImportState: true, ImportStateVerify: true},
		},
	})

	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	// Both sides must really have logged, or the test proves nothing.
	for _, want := range []string{"Kong Admin API request", "[TRACE]", "servicehub_implementation"} {
		if !strings.Contains(log, want) {
			t.Fatalf("trace log lacks %q; logging was not captured", want)
		}
	}
	if n := strings.Count(log, adminToken); n > 0 {
		i := strings.Index(log, adminToken)
		t.Errorf("trace log contains the token %d times, first: …%s…", n, log[max(0, i-300):min(len(log), i+50)])
	}
}

func TestAccProvider_requestTimeout(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{AdminLatency: 400 * time.Millisecond})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(srv.AdminURL, `request_timeout = "50ms"`, "max_retries = 1") + simpleImpl,
				ExpectError: errorRE(`no response within 50ms \(the request timeout\)`),
			},
			{Config: providerConfig(srv.AdminURL, `request_timeout = "10s"`) + simpleImpl},
		},
	})
}
