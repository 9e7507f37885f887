package provider

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/kong/go-kong/kong"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
	"github.com/servicehub/terraform-provider-servicehub/internal/servicehub"
)

// emptyPlanStep plans config again and expects no change: what was applied
// reads back from Kong as configured.
func emptyPlanStep(config string) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}
}

// recordID saves addr's id, for recreatedStep to compare against.
func recordID(addr string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		*id = s.RootModule().Resources[addr].Primary.ID
		return nil
	}
}

// recreatedStep runs del, which deletes addr's object behind Terraform's
// back: the plan must recreate it, without error and under an id other
// than *oldID.
func recreatedStep(config, addr string, oldID *string, del func()) resource.TestStep {
	return resource.TestStep{
		PreConfig: del,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
		},
		Check: func(s *terraform.State) error {
			if id := s.RootModule().Resources[addr].Primary.ID; id == *oldID {
				return fmt.Errorf("recreated with the old id %s", id)
			}
			return nil
		},
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func strPtr(s string) *string { return &s }

const res = "servicehub_implementation.test"

func jp(name string) tfjsonpath.Path { return tfjsonpath.New(name) }

// checkKong asserts on the Gateway Service as Kong stores it.
func checkKong(c *kong.Client, name string, check func(*kong.Service) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		svc, err := c.Services.Get(context.Background(), kong.String(name))
		if err != nil {
			return fmt.Errorf("Gateway Service %q: %w", name, err)
		}
		return check(svc)
	}
}

func kongTags(s *kong.Service) []string {
	var out []string
	for _, t := range s.Tags {
		out = append(out, *t)
	}
	return out
}

// errorRE compiles an expected-error pattern in which a space matches any
// whitespace: Terraform wraps diagnostics to the terminal width.
func errorRE(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// sleepPastSecond makes a later updated_at observable: Kong timestamps
// have one-second resolution.
func sleepPastSecond() { time.Sleep(1100 * time.Millisecond) }

const simpleImpl = `
resource "servicehub_implementation" "test" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://payments.internal/"
}
`

// testFactories serves the provider in-process, with backoff shrunk so
// retry paths cost milliseconds.
func testFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"servicehub": providerserver.NewProtocol6WithError(&servicehubProvider{
			version: "test",
			tune: func(c *servicehub.Config) {
				c.RetryWaitMin = 5 * time.Millisecond
				c.RetryWaitMax = 50 * time.Millisecond
			},
		}),
	}
}

// testKong is the Kong one test talks to: a localkong of its own, or the
// Kong at KONG_ADMIN_URL (see external_test.go), shared with other tests.
type testKong struct {
	*localkong.Server // nil against an external Kong
	// AdminURL and ProxyURL are where the test reaches it.
	AdminURL, ProxyURL string
	// Version and Flavor are what its GET / says.
	Version kongschema.Version
	Flavor  string

	sfx   string   // appended to names against a shared Kong
	names []string // names hcl makes unique
}

// startKong gives a test its Kong: a localkong with opts, or, against an
// external Kong, that Kong; a test whose opts only localkong has skips
// there.
func startKong(t *testing.T, opts localkong.Options) *testKong {
	t.Helper()
	if extKong != nil {
		if why := localOnly(opts); why != "" {
			skipBecause(t, "localkong only: "+why)
		}
		return &testKong{AdminURL: extKong.adminURL, ProxyURL: extKong.proxyURL,
			Version: extKong.version, Flavor: extKong.flavor, sfx: uniqueSuffix()}
	}
	srv, err := localkong.NewTestServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	v := kongschema.DefaultVersion
	if opts.Version != "" {
		v = kongschema.MustParseVersion(opts.Version)
	}
	return &testKong{Server: srv, AdminURL: srv.AdminURL, ProxyURL: srv.ProxyURL, Version: v, Flavor: "traditional_compatible"}
}

// kongClient talks to Kong behind the provider's back, for out-of-band
// edits and for checking what the provider really wrote. Against the
// external Kong it sends KONG_ADMIN_TOKEN and uses KONG_WORKSPACE unless
// told otherwise.
func kongClient(t *testing.T, adminURL, token, workspace string) *kong.Client {
	t.Helper()
	c, err := kong.NewClient(kong.String(adminURL), nil)
	if err != nil {
		t.Fatal(err)
	}
	if extKong != nil && adminURL == extKong.adminURL {
		token, workspace = cmp.Or(token, extKong.token), cmp.Or(workspace, extKong.workspace)
	}
	c.SetWorkspace(workspace)
	if token != "" {
		c.SetDoer(tokenDoer(token))
	}
	return c
}

// providerConfig renders a provider block for adminURL plus extra lines.
func providerConfig(adminURL string, extra ...string) string {
	return fmt.Sprintf("provider \"servicehub\" {\n  admin_url = %q\n  %s\n}\n", adminURL, strings.Join(extra, "\n  "))
}

// testCertificate returns a self-signed certificate and key in PEM; ca
// makes it a CA certificate, as Kong's ca_certificates require.
func testCertificate(t *testing.T, cn string, ca bool) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn},
		DNSNames:              []string{cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  ca,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

func diagText(ds diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		p := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		b.WriteString("  [" + p + "] " + d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

const routeRes = "servicehub_route.test"

const statusDS = "data.servicehub_version_status.test"

// freeURL is an http URL nothing listens at.
func freeURL(t *testing.T, path string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String() + path
}
