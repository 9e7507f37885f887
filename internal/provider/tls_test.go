package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// servicesIn fails unless the TLS Admin API holds exactly n Gateway
// Services; clientCert and clientKey are for one that wants mutual TLS.
func servicesIn(t *testing.T, srv *testKong, n int, clientCert, clientKey string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		cfg := &tls.Config{RootCAs: x509.NewCertPool()}
		cfg.RootCAs.AppendCertsFromPEM(srv.AdminCertPEM)
		if clientCert != "" {
			pair, err := tls.X509KeyPair([]byte(clientCert), []byte(clientKey))
			if err != nil {
				return err
			}
			cfg.Certificates = []tls.Certificate{pair}
		}
		kc, err := kong.NewClient(kong.String(srv.AdminURL), &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}})
		if err != nil {
			return err
		}
		svcs, err := kc.Services.ListAll(context.Background())
		if err != nil {
			return err
		}
		if len(svcs) != n {
			return fmt.Errorf("Kong holds %d Gateway Services, want %d", len(svcs), n)
		}
		return nil
	}
}

// TestAccTLS_verification: TLS verification is on by default; a custom CA
// makes a self-signed Admin API trusted, an unknown CA fails with an error
// that says what to set, and tls_skip_verify connects anyway.
func TestAccTLS_verification(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{AdminTLS: &localkong.AdminTLS{}})
	if !strings.HasPrefix(srv.AdminURL, "https://") {
		t.Fatalf("AdminURL %s", srv.AdminURL)
	}
	// Another CA, to make sure an unrelated ca_certificate_pem does not help.
	otherCA, _ := testCertificate(t, "other-ca.test", true)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy:             servicesIn(t, srv, 0, "", ""),
		Steps: []resource.TestStep{
			{
				Config: providerConfig(srv.AdminURL) + simpleImpl,
				ExpectError: errorRE(`signed by an unknown certificate authority\. Give the CA that signed it \(or the self-signed certificate itself\) ` +
					`in ca_certificate_pem, or set tls_skip_verify = true \(KONG_TLS_SKIP_VERIFY\) to skip verification, for testing only`),
			},
			{
				Config:      providerConfig(srv.AdminURL, fmt.Sprintf("ca_certificate_pem = %q", otherCA)) + simpleImpl,
				ExpectError: errorRE(`unknown certificate authority`),
			},
			{
				Config: providerConfig(srv.AdminURL, fmt.Sprintf("ca_certificate_pem = %q", srv.AdminCertPEM)) + simpleImpl,
				Check:  servicesIn(t, srv, 1, "", ""),
			},
			{
				Config: providerConfig(srv.AdminURL, "tls_skip_verify = true") + simpleImpl,
				Check:  servicesIn(t, srv, 1, "", ""),
			},
		},
	})
}

// TestAccTLS_wrongHost: a trusted certificate issued for another name.
func TestAccTLS_wrongHost(t *testing.T) {
	t.Parallel()
	cert, key, err := localkong.SelfSignedCertificate("kong.example", []string{"kong.example"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := startKong(t, localkong.Options{AdminTLS: &localkong.AdminTLS{CertPEM: cert, KeyPEM: key}})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      providerConfig(srv.AdminURL, fmt.Sprintf("ca_certificate_pem = %q", cert)) + simpleImpl,
			ExpectError: errorRE(`not valid for this host name\. Use the host name the certificate was issued for in admin_url`),
		}},
	})
}

// TestAccTLS_clientCertificate: an Admin API that requires mutual TLS
// refuses the provider until client_certificate_pem and client_key_pem are
// set, then accepts it: the certificate is really sent.
func TestAccTLS_clientCertificate(t *testing.T) {
	t.Parallel()
	clientCert, clientKey := testCertificate(t, "terraform-client", true)
	srv := startKong(t, localkong.Options{AdminTLS: &localkong.AdminTLS{ClientCAPEM: []byte(clientCert)}})
	strangerCert, strangerKey := testCertificate(t, "stranger", true)
	trust := fmt.Sprintf("ca_certificate_pem = %q", srv.AdminCertPEM)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy:             servicesIn(t, srv, 0, clientCert, clientKey),
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(srv.AdminURL, trust) + simpleImpl,
				ExpectError: errorRE(`refused the TLS connection; when it requires mutual TLS, set client_certificate_pem and client_key_pem`),
			},
			{
				Config: providerConfig(srv.AdminURL, trust,
					fmt.Sprintf("client_certificate_pem = %q", strangerCert), fmt.Sprintf("client_key_pem = %q", strangerKey)) + simpleImpl,
				ExpectError: errorRE(`refused the TLS connection`),
			},
			{
				Config: providerConfig(srv.AdminURL, trust,
					fmt.Sprintf("client_certificate_pem = %q", clientCert), fmt.Sprintf("client_key_pem = %q", clientKey)) + simpleImpl,
				Check: servicesIn(t, srv, 1, clientCert, clientKey),
			},
		},
	})
}
