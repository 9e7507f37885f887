package localkong

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// AdminTLS serves the Admin API over HTTPS, as Kong's admin_listen "ssl"
// does, optionally requiring client certificates (mutual TLS).
type AdminTLS struct {
	// CertPEM and KeyPEM are the server certificate and its key. When both
	// are empty a self-signed certificate for localhost, 127.0.0.1 and ::1
	// is generated at start; Server.AdminCertPEM holds it for clients.
	CertPEM, KeyPEM []byte
	// ClientCAPEM, when set, makes the Admin API require a client
	// certificate signed by one of these CAs.
	ClientCAPEM []byte
}

// serverTLS builds the listener's TLS configuration and returns the
// certificate clients should trust.
func (t *AdminTLS) serverTLS() (*tls.Config, []byte, error) {
	certPEM, keyPEM := t.CertPEM, t.KeyPEM
	switch {
	case len(certPEM) == 0 && len(keyPEM) == 0:
		var err error
		if certPEM, keyPEM, err = SelfSignedCertificate("localkong", []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}); err != nil {
			return nil, nil, err
		}
	case len(certPEM) == 0 || len(keyPEM) == 0:
		return nil, nil, errors.New("admin TLS needs both a certificate and its key")
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("admin TLS certificate: %w", err)
	}
	cfg := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
	}
	if len(t.ClientCAPEM) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(t.ClientCAPEM) {
			return nil, nil, errors.New("admin TLS client CA: no PEM-encoded certificate found")
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		// Under TLS 1.3 the server checks the client certificate after the
		// client considers the handshake done, so a refused client sees either
		// the alert or, when its request is still unread, a connection reset:
		// a race that made tests flaky. TLS 1.2 refuses inside the handshake,
		// so every client reads the same alert.
		cfg.MaxVersion = tls.VersionTLS12
	}
	return cfg, certPEM, nil
}

// SelfSignedCertificate returns a new self-signed certificate (usable as
// its own CA) and its PKCS #8 key, both PEM-encoded, valid for a day for
// the given names and addresses. It serves as a server or client
// certificate.
func SelfSignedCertificate(commonName string, dnsNames []string, ips []net.IP) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: commonName, Organization: []string{"localkong"}},
		DNSNames:              dnsNames,
		IPAddresses:           ips,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}
