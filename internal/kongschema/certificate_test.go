package kongschema

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"sync"
	"testing"
	"time"
)

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// testKey returns an RSA (shared, slow to generate) or a fresh ECDSA key.
func testKey(t *testing.T, kind string) crypto.Signer {
	t.Helper()
	if kind == "ecdsa" {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	rsaOnce.Do(func() {
		var err error
		if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return rsaKey
}

// testCert issues a self-signed certificate and returns it with its PKCS#8
// key, both PEM.
func testCert(t *testing.T, key crypto.Signer, ca bool, notAfter time.Time) (string, string) {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "kongschema test"},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              notAfter,
		BasicConstraintsValid: ca,
		IsCA:                  ca,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}))
}

var nextYear = time.Now().AddDate(1, 0, 0)

func TestCertificates(t *testing.T) {
	rsaK, ecK, otherEC := testKey(t, "rsa"), testKey(t, "ecdsa"), testKey(t, "ecdsa")
	cert, key := testCert(t, rsaK, false, nextYear)
	ecCert, ecKey := testCert(t, ecK, false, nextYear)
	_, otherKey := testCert(t, otherEC, false, nextYear)
	// An expired certificate is still accepted: Kong only parses it.
	oldCert, oldKey := testCert(t, ecK, false, time.Now().AddDate(-1, 0, 0))

	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaK.(*rsa.PrivateKey))}))
	sec1DER, _ := x509.MarshalECPrivateKey(ecK.(*ecdsa.PrivateKey))
	sec1 := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1DER}))
	pubDER, _ := x509.MarshalPKIXPublicKey(ecK.Public())
	pub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))

	accepted := []map[string]any{
		{"cert": cert, "key": key},
		{"cert": cert, "key": pkcs1},
		{"cert": ecCert, "key": sec1},
		{"cert": ecCert, "key": pub},
		{"cert": oldCert, "key": oldKey},
		{"cert": "junk before\n" + cert, "key": key},
		{"cert": cert, "key": key, "cert_alt": ecCert, "key_alt": ecKey},
		{"cert": cert, "key": key, "cert_alt": nil, "key_alt": nil},
	}
	for i, body := range accepted {
		if _, v := ProcessCertificate(Insert, body, nil); v != nil {
			t.Errorf("case %d rejected: %s", i, v.Message())
		}
	}

	tests := []struct {
		name string
		body map[string]any
		want string
	}{
		{"missing", map[string]any{},
			`{"code":2,"name":"schema violation","message":"2 schema violations (cert: required field missing; key: required field missing)","fields":{"cert":"required field missing","key":"required field missing"}}`},
		{"alt without key", map[string]any{"cert": cert, "key": key, "cert_alt": ecCert},
			`{"code":2,"name":"schema violation","message":"schema violation (all or none of these fields must be set: 'cert_alt', 'key_alt')","fields":{"@entity":["all or none of these fields must be set: 'cert_alt', 'key_alt'"]}}`},
		{"mismatch", map[string]any{"cert": cert, "key": ecKey},
			`{"code":2,"name":"schema violation","message":"schema violation (certificate does not match key)","fields":{"@entity":["certificate does not match key"]}}`},
		{"alt mismatch", map[string]any{"cert": cert, "key": key, "cert_alt": ecCert, "key_alt": otherKey},
			`{"code":2,"name":"schema violation","message":"schema violation (alternative certificate does not match key)","fields":{"@entity":["alternative certificate does not match key"]}}`},
		{"same type", map[string]any{"cert": cert, "key": key, "cert_alt": cert, "key_alt": key},
			`{"code":2,"name":"schema violation","message":"schema violation (certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type)","fields":{"@entity":["certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type"]}}`},
		{"unparsable", map[string]any{"cert": "bar", "key": "foo"},
			`{"code":2,"name":"schema violation","message":"2 schema violations (cert: ` + certParseErr + `; key: ` + keyParseErr + `)","fields":{"cert":"` + certParseErr + `","key":"` + keyParseErr + `"}}`},
		{"duplicate snis", map[string]any{"cert": cert, "key": key, "snis": anys("a.test", "b.test", "a.test")},
			`{"code":2,"name":"schema violation","message":"schema violation (snis: a.test is duplicated)","fields":{"snis":"a.test is duplicated"}}`},
		{"bad sni", map[string]any{"cert": cert, "key": key, "snis": anys("a.test", "1.2.3.4")},
			`{"code":2,"name":"schema violation","message":"schema violation (snis.2: must not be an IP)","fields":{"snis":[null,"must not be an IP"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, v := ProcessCertificate(Insert, tt.body, nil)
			wantBody(t, v, tt.want)
		})
	}
}

func TestCertificateSnis(t *testing.T) {
	cert, key := testCert(t, testKey(t, "ecdsa"), false, nextYear)
	out, v := ProcessCertificate(Insert, map[string]any{"cert": cert, "key": key, "snis": anys("b.test", "*.a.test"), "tags": anys("t1", "t2")}, nil)
	wantEntity(t, out, v, `{"snis":["*.a.test","b.test"],"tags":["t1","t2"],"cert_alt":null,"key_alt":null,"id":null}`)

	out, v = ProcessCertificate(Insert, map[string]any{"cert": cert, "key": key}, nil)
	wantEntity(t, out, v, `{"snis":[]}`)
	out, v = ProcessCertificate(Upsert, map[string]any{"cert": cert, "key": key, "snis": nil}, nil)
	wantEntity(t, out, v, `{"snis":[]}`)

	existing := map[string]any{"id": "4b0e9f5e-1234-4abc-8def-0123456789ab", "cert": cert, "key": key,
		"snis": anys("x.test"), "created_at": float64(1700000000)}
	out, v = ProcessCertificate(Update, map[string]any{"tags": anys("t")}, existing)
	wantEntity(t, out, v, `{"snis":["x.test"],"tags":["t"],"id":"4b0e9f5e-1234-4abc-8def-0123456789ab","created_at":1700000000}`)
	out, v = ProcessCertificate(Update, map[string]any{"snis": nil}, existing)
	wantEntity(t, out, v, `{"snis":[]}`)
	out, v = ProcessCertificate(Update, map[string]any{"snis": anys("z.test", "y.test")}, existing)
	wantEntity(t, out, v, `{"snis":["y.test","z.test"]}`)
	// PATCH with a new pair is validated on the merged entity.
	otherCert, _ := testCert(t, testKey(t, "ecdsa"), false, nextYear)
	_, v = ProcessCertificate(Update, map[string]any{"cert": otherCert}, existing)
	wantMessage(t, v, "schema violation (certificate does not match key)")
}

func TestCACertificates(t *testing.T) {
	k := testKey(t, "ecdsa")
	ca, _ := testCert(t, k, true, nextYear)
	leaf, _ := testCert(t, k, false, nextYear)
	expired, _ := testCert(t, k, true, time.Now().AddDate(0, 0, -1))

	out, v := ProcessCACertificate(Insert, map[string]any{"cert": ca, "cert_digest": "ignored", "tags": anys("a")}, nil)
	wantNoViolation(t, v)
	blk, _ := pem.Decode([]byte(ca))
	sum := sha256.Sum256(blk.Bytes)
	wantEntity(t, out, nil, `{"cert_digest":"`+hex.EncodeToString(sum[:])+`","tags":["a"],"id":null}`)

	tests := []struct {
		name string
		cert any
		msg  string
	}{
		{"not a CA", leaf, `schema violation (certificate does not appear to be a CA because it is missing the "CA" basic constraint)`},
		{"expired", expired, `schema violation (certificate expired, "Not After" time is in the past)`},
		{"two certificates", ca + ca, "schema violation (please submit only one certificate at a time)"},
		{"unparsable", "bar", "schema violation (cert: " + certParseErr + ")"},
		{"missing", nil, "schema violation (cert: required field missing)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, v := ProcessCACertificate(Insert, map[string]any{"cert": tt.cert}, nil)
			wantMessage(t, v, tt.msg)
		})
	}

	// PATCH recomputes the digest of the new certificate.
	ca2, _ := testCert(t, testKey(t, "ecdsa"), true, nextYear)
	out2, v := ProcessCACertificate(Update, map[string]any{"cert": ca2}, out)
	wantNoViolation(t, v)
	if out2["cert_digest"] == out["cert_digest"] {
		t.Error("digest not recomputed")
	}
}

func TestCertificateValidators(t *testing.T) {
	cert, key := testCert(t, testKey(t, "ecdsa"), false, nextYear)
	if ValidateCertificate(cert) != nil || ValidateKey(key) != nil {
		t.Error("valid PEM rejected")
	}
	if err := ValidateCertificate(key); err == nil || err.Error() != certParseErr {
		t.Errorf("key as certificate: %v", err)
	}
	if err := ValidateKey(cert); err == nil || err.Error() != keyParseErr {
		t.Errorf("certificate as key: %v", err)
	}
}
