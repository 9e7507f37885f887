package provider

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

func TestMain(m *testing.M) {
	// No user CLI configuration (provider mirrors, credentials, dev
	// overrides) may leak into the acceptance tests.
	rc, err := os.CreateTemp("", "servicehub-tfrc-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rc.Close()
	os.Setenv("TF_CLI_CONFIG_FILE", rc.Name())
	code := m.Run()
	os.Remove(rc.Name())
	os.Exit(code)
}

// testFactories serves the provider in-process, with backoff shrunk so
// retry paths cost milliseconds.
func testFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"servicehub": providerserver.NewProtocol6WithError(&servicehubProvider{
			version: "test",
			tune: func(c *kongapi.Config) {
				c.RetryWaitMin = 5 * time.Millisecond
				c.RetryWaitMax = 50 * time.Millisecond
			},
		}),
	}
}

// startKong runs a localkong for one test.
func startKong(t *testing.T, opts localkong.Options) *localkong.Server {
	t.Helper()
	srv, err := localkong.NewTestServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// kongClient talks to Kong behind the provider's back, for out-of-band
// edits and for checking what the provider really wrote.
func kongClient(t *testing.T, adminURL, token, workspace string) *kong.Client {
	t.Helper()
	c, err := kong.NewClient(kong.String(adminURL), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetWorkspace(workspace)
	if token != "" {
		c.SetDoer(func(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
			req.Header.Set("Kong-Admin-Token", token)
			return hc.Do(req.WithContext(ctx))
		})
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
