package kongapi

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// tlsConfig builds the client TLS settings: extra trusted CAs on top of the
// system pool, optional skip-verify, and a client certificate for mTLS.
func tlsConfig(cfg Config) (*tls.Config, error) {
	t := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Users opt in explicitly, e.g. for a lab Kong with a self-signed
		// certificate.
		InsecureSkipVerify: cfg.TLSSkipVerify, //nolint:gosec
	}
	if cfg.CACertificatePEM != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM([]byte(cfg.CACertificatePEM)) {
			return nil, errors.New("ca_certificate_pem: no PEM-encoded certificate found")
		}
		t.RootCAs = pool
	}
	switch {
	case cfg.ClientCertificatePEM != "" && cfg.ClientKeyPEM != "":
		cert, err := tls.X509KeyPair([]byte(cfg.ClientCertificatePEM), []byte(cfg.ClientKeyPEM))
		if err != nil {
			return nil, fmt.Errorf("client_certificate_pem/client_key_pem: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	case cfg.ClientCertificatePEM != "":
		return nil, errors.New("client_certificate_pem is set but client_key_pem is not; mTLS needs both")
	case cfg.ClientKeyPEM != "":
		return nil, errors.New("client_key_pem is set but client_certificate_pem is not; mTLS needs both")
	}
	return t, nil
}
