package localkong

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
)

func tlsClient(t *testing.T, trust []byte, cert *tls.Certificate) *http.Client {
	t.Helper()
	cfg := &tls.Config{}
	if trust != nil {
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(trust) {
			t.Fatal("bad PEM")
		}
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true}}
}

func TestAdminTLSSelfSigned(t *testing.T) {
	s := startServer(t, Options{AdminTLS: &AdminTLS{}})
	if !strings.HasPrefix(s.AdminURL, "https://127.0.0.1:") || !strings.HasPrefix(s.ProxyURL, "http://") {
		t.Fatalf("AdminURL %s, ProxyURL %s", s.AdminURL, s.ProxyURL)
	}
	res, err := tlsClient(t, s.AdminCertPEM, nil).Get(s.AdminURL + "/status")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Server") != "kong/"+DefaultVersion {
		t.Errorf("status %d, Server %q", res.StatusCode, res.Header.Get("Server"))
	}
	if res.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2 as Kong's admin_listen ssl", res.Proto)
	}
	// localhost is in the certificate too.
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(s.AdminURL, "https://"))
	if res, err := tlsClient(t, s.AdminCertPEM, nil).Get("https://localhost:" + port + "/status"); err != nil {
		t.Errorf("via localhost: %v", err)
	} else {
		res.Body.Close()
	}

	_, err = tlsClient(t, nil, nil).Get(s.AdminURL + "/status")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("untrusted certificate: %v, want x509.UnknownAuthorityError", err)
	}
	// Plain HTTP to the TLS port gets nothing from the Admin API.
	if res, err := http.Get(strings.Replace(s.AdminURL, "https", "http", 1) + "/status"); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP: status %d", res.StatusCode)
		}
	}
}

func TestAdminTLSGivenCertificate(t *testing.T) {
	cert, key, err := SelfSignedCertificate("kong.test", []string{"kong.test"}, []net.IP{net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, Options{AdminTLS: &AdminTLS{CertPEM: cert, KeyPEM: key}})
	if string(s.AdminCertPEM) != string(cert) {
		t.Error("AdminCertPEM is not the given certificate")
	}
	res, err := tlsClient(t, cert, nil).Get(s.AdminURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	for _, o := range []AdminTLS{{CertPEM: cert}, {CertPEM: []byte("x"), KeyPEM: []byte("y")}, {ClientCAPEM: []byte("nope")}} {
		if _, err := NewTestServer(Options{AdminTLS: &o}); err == nil {
			t.Errorf("AdminTLS %+v accepted", o)
		}
	}
}

func TestAdminMutualTLS(t *testing.T) {
	caPEM, caKey, err := SelfSignedCertificate("client", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, Options{AdminTLS: &AdminTLS{ClientCAPEM: caPEM}})
	clientCert, err := tls.X509KeyPair(caPEM, caKey)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tlsClient(t, s.AdminCertPEM, &clientCert).Get(s.AdminURL + "/services")
	if err != nil {
		t.Fatalf("with a client certificate: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("status %d", res.StatusCode)
	}

	if _, err := tlsClient(t, s.AdminCertPEM, nil).Get(s.AdminURL + "/services"); err == nil {
		t.Error("no client certificate, yet a response")
	}
	otherPEM, otherKey, _ := SelfSignedCertificate("stranger", nil, nil)
	other, _ := tls.X509KeyPair(otherPEM, otherKey)
	if _, err := tlsClient(t, s.AdminCertPEM, &other).Get(s.AdminURL + "/services"); err == nil {
		t.Error("a certificate from another CA was accepted")
	}
}

func TestAdminTLSWithFaults(t *testing.T) {
	// Over HTTP/2 a drop resets the stream rather than the connection.
	s := startServer(t, Options{AdminTLS: &AdminTLS{}, Faults: &Faults{Rate: 1, Kinds: []FaultKind{FaultDropAfter}}})
	hc := tlsClient(t, s.AdminCertPEM, nil)
	if o, _ := outcome(t, hc, "PUT", s.AdminURL+"/services/6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", `{"host":"example.com"}`); o != "drop" {
		t.Fatalf("PUT = %s, want drop", o)
	}
	if err := s.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	if o, _ := outcome(t, hc, "GET", s.AdminURL+"/services/6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", ""); o != "200" {
		t.Errorf("GET after drop-after = %s, want 200", o)
	}
}
