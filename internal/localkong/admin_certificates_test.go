package localkong

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"
	"time"
)

// testCert makes a fresh self-signed certificate and key in PEM.
func testCert(t *testing.T, cn string, ca bool) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		DNSNames:              []string{cn},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		BasicConstraintsValid: true,
		IsCA:                  ca,
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

func TestCertificates(t *testing.T) {
	c := newClient(t, Options{})
	cert, key := testCert(t, "one.test", false)
	body := c.must(201, "POST", "/certificates", obj{"cert": cert, "key": key, "snis": []any{"b.test", "a.test"}})
	id := body["id"].(string)
	if mustJSON(body["snis"]) != `["a.test","b.test"]` {
		t.Errorf("snis not sorted: %v", body["snis"])
	}
	// A certificate is also addressed by one of its server names.
	if got := c.must(200, "GET", "/certificates/a.test", nil)["id"]; got != id {
		t.Errorf("GET by sni: %v", got)
	}
	c.expect("GET", "/certificates/none.test", nil, 404, obj{"message": "SNI not found"})

	// A server name belongs to one certificate only.
	cert2, key2 := testCert(t, "two.test", false)
	c.expect("POST", "/certificates", obj{"cert": cert2, "key": key2, "snis": []any{"a.test"}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": fmt.Sprintf("schema violation (snis: a.test already associated with existing certificate '%s')", id),
		"fields":  obj{"snis": fmt.Sprintf("a.test already associated with existing certificate '%s'", id)},
	})

	// PATCH without snis keeps them; PUT by server name keeps that name.
	body = c.must(200, "PATCH", "/certificates/"+id, obj{"tags": []any{"t"}})
	if mustJSON(body["snis"]) != `["a.test","b.test"]` {
		t.Errorf("PATCH lost snis: %v", body["snis"])
	}
	body = c.must(200, "PUT", "/certificates/c.test", obj{"cert": cert2, "key": key2})
	if mustJSON(body["snis"]) != `["c.test"]` || body["id"] == id {
		t.Errorf("PUT by new sni: %v", body)
	}
	// PUT replaces: no snis sent means none kept.
	body = c.must(200, "PUT", "/certificates/"+id, obj{"cert": cert, "key": key})
	if mustJSON(body["snis"]) != `[]` {
		t.Errorf("PUT kept snis: %v", body["snis"])
	}

	// A service using the certificate blocks its deletion.
	svc := c.must(201, "POST", "/services", obj{"host": "example.com", "protocol": "https", "client_certificate": obj{"id": id}})
	if mustJSON(svc["client_certificate"]) != mustJSON(obj{"id": id}) {
		t.Errorf("client_certificate = %v", svc["client_certificate"])
	}
	c.expect("DELETE", "/certificates/"+id, nil, 400, obj{
		"code": 4, "name": "foreign key violation",
		"message": "an existing 'services' entity references this 'certificates' entity",
		"fields":  obj{"@referenced_by": "services"},
	})
	missing := "00000000-0000-4000-8000-000000000000"
	c.expect("POST", "/services", obj{"host": "example.com", "protocol": "https", "client_certificate": obj{"id": missing}}, 400, obj{
		"code": 4, "name": "foreign key violation",
		"message": fmt.Sprintf(`the foreign key '{id="%s"}' does not reference an existing 'certificates' entity.`, missing),
		"fields":  obj{"client_certificate": obj{"id": missing}},
	})
	c.must(204, "DELETE", "/services/"+svc["id"].(string), nil)
	c.must(204, "DELETE", "/certificates/"+id, nil)
	c.must(204, "DELETE", "/certificates/"+id, nil)
	c.expect("PATCH", "/certificates/"+id, obj{}, 404, obj{
		"code": 6, "name": "not found",
		"message": fmt.Sprintf(`could not find the entity with primary key '{id="%s"}'`, id),
		"fields":  obj{"id": id},
	})
}

func TestCACertificates(t *testing.T) {
	c := newClient(t, Options{})
	cert, _ := testCert(t, "ca.test", true)
	ca := c.must(201, "POST", "/ca_certificates", obj{"cert": cert, "tags": []any{"t1", "t2"}})
	id := ca["id"].(string)
	if mustJSON(ca["tags"]) != `["t1","t2"]` {
		t.Errorf("tags: %v", ca["tags"])
	}
	c.expect("GET", "/ca_certificates/not-a-uuid", nil, 400, obj{
		"code": 1, "name": "invalid primary key",
		"message": `invalid primary key: '{id="expected a valid UUID"}'`,
		"fields":  obj{"id": "expected a valid UUID"},
	})
	missing := "00000000-0000-4000-8000-000000000000"
	c.expect("POST", "/services", obj{"host": "example.com", "protocol": "https", "ca_certificates": []any{missing}}, 400, obj{
		"code": 4, "name": "foreign key violation",
		"message": fmt.Sprintf(`the foreign key '{id="%s"}' does not reference an existing 'ca_certificates' entity.`, missing),
		"fields":  obj{"ca_certificates": obj{"id": missing}},
	})
	svc := c.must(201, "POST", "/services", obj{"host": "example.com", "protocol": "https", "ca_certificates": []any{id}})
	c.expect("DELETE", "/ca_certificates/"+id, nil, 400, obj{
		"code": 19, "name": "referenced by others",
		"message": fmt.Sprintf("ca certificate %s is still referenced by services (id = %s)", id, svc["id"]),
	})
	c.must(204, "DELETE", "/services/"+svc["id"].(string), nil)
	c.must(204, "DELETE", "/ca_certificates/"+id, nil)
}
