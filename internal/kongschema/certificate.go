package kongschema

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"sort"
	"strings"
	"time"
)

// Certificates and CA certificates (certificates.lua, ca_certificates.lua).
// Kong parses PEM with OpenSSL; its parse errors are OpenSSL's error queue,
// which Go cannot reproduce, so a fixed OpenSSL-style reason is used.
const (
	certParseErr = "invalid certificate: x509.new: error:688010A:asn1 encoding routines:asn1_item_embed_d2i:nested asn1 error:asn1/tasn_dec.c:349:"
	keyParseErr  = "invalid key: pkey.new:load_key: error:1E08010C:DECODER routines::unsupported"

	msgCertKeyMismatch    = "certificate does not match key"
	msgAltCertKeyMismatch = "alternative certificate does not match key"
	msgSameCertType       = "certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type"
	msgOneCertOnly        = "please submit only one certificate at a time"
	msgCertExpired        = "certificate expired, \"Not After\" time is in the past"
	msgNotCA              = "certificate does not appear to be a CA because it is missing the \"CA\" basic constraint"
	certTag               = "-----BEGIN CERTIFICATE-----"
)

// now is replaceable in tests.
var now = time.Now

// parseCert reads the first PEM certificate, or DER, as OpenSSL's
// PEM_read_bio_X509 / d2i_X509 fallback does.
func parseCert(s string) (*x509.Certificate, bool) {
	rest := []byte(s)
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			return c, err == nil
		}
	}
	c, err := x509.ParseCertificate([]byte(s))
	return c, err == nil
}

// parseKey reads a private key (PKCS#8, PKCS#1, SEC 1) or, as OpenSSL's
// pkey.new also accepts, a public key, and returns its public half.
func parseKey(s string) (crypto.PublicKey, bool) {
	var ders [][]byte
	rest := []byte(s)
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if strings.Contains(blk.Type, "KEY") && !strings.Contains(blk.Type, "ENCRYPTED") {
			ders = append(ders, blk.Bytes)
		}
	}
	if len(ders) == 0 {
		ders = append(ders, []byte(s))
	}
	for _, der := range ders {
		if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
			if signer, ok := k.(crypto.Signer); ok {
				return signer.Public(), true
			}
		}
		if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
			return k.Public(), true
		}
		if k, err := x509.ParseECPrivateKey(der); err == nil {
			return k.Public(), true
		}
		if k, err := x509.ParsePKIXPublicKey(der); err == nil {
			return k, true
		}
		if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
			return k, true
		}
	}
	return nil, false
}

func certRule(s string) string {
	if _, ok := parseCert(s); !ok {
		return certParseErr
	}
	return ""
}

func keyRule(s string) string {
	if _, ok := parseKey(s); !ok {
		return keyParseErr
	}
	return ""
}

func samePublicKey(a, b crypto.PublicKey) bool {
	da, err1 := x509.MarshalPKIXPublicKey(a)
	db, err2 := x509.MarshalPKIXPublicKey(b)
	return err1 == nil && err2 == nil && bytes.Equal(da, db)
}

// pairError checks that a certificate and key (both strings) belong
// together; non-strings (null) pass, as in Kong.
func pairError(cert, key any, msg string) string {
	cs, ok1 := cert.(string)
	ks, ok2 := key.(string)
	if !ok1 || !ok2 {
		return ""
	}
	c, ok1 := parseCert(cs)
	k, ok2 := parseKey(ks)
	if ok1 && ok2 && !samePublicKey(c.PublicKey, k) {
		return msg
	}
	return ""
}

func certificatesSchema() *schema {
	return newSchema(&schema{
		name:       "certificates",
		primaryKey: "id",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"cert", certificateField(true)},
			{"key", keyField(true)},
			{"cert_alt", certificateField(false)},
			{"key_alt", keyField(false)},
			{"tags", tagsField()},
			{"snis", &Field{Type: "array", Elements: wildcardHostField(), Transient: true}},
		},
		checks: []Check{
			mutuallyRequired("cert_alt", "key_alt"),
			customCheck([]string{"cert", "key"}, false, func(in map[string]any) string {
				return pairError(in["cert"], in["key"], msgCertKeyMismatch)
			}),
			customCheck([]string{"cert_alt", "key_alt"}, false, func(in map[string]any) string {
				return pairError(in["cert_alt"], in["key_alt"], msgAltCertKeyMismatch)
			}),
			customCheck([]string{"cert", "cert_alt"}, false, func(in map[string]any) string {
				cs, ok1 := in["cert"].(string)
				as, ok2 := in["cert_alt"].(string)
				if !ok1 || !ok2 {
					return ""
				}
				c, ok1 := parseCert(cs)
				a, ok2 := parseCert(as)
				if ok1 && ok2 && c.PublicKeyAlgorithm == a.PublicKeyAlgorithm {
					return msgSameCertType
				}
				return ""
			}),
		},
	})
}

func caCertificatesSchema() *schema {
	return newSchema(&schema{
		name:       "ca_certificates",
		primaryKey: "id",
		fields: []NamedField{
			{"id", uuidField()},
			{"created_at", timestampField()},
			{"updated_at", timestampField()},
			{"cert", certificateField(true)},
			{"cert_digest", &Field{Type: "string", Unique: true}},
			{"tags", tagsField()},
		},
		checks: []Check{customCheck([]string{"cert"}, false, caCertError)},
		transform: func(out map[string]any) {
			if s, ok := out["cert"].(string); ok {
				if c, ok := parseCert(s); ok {
					sum := sha256.Sum256(c.Raw)
					out["cert_digest"] = hex.EncodeToString(sum[:])
				}
			}
		},
	})
}

func caCertError(in map[string]any) string {
	s, _ := in["cert"].(string)
	if i := strings.Index(s, certTag); i >= 0 && i+len(certTag)+1 <= len(s) &&
		strings.Contains(s[i+len(certTag)+1:], certTag) {
		return msgOneCertOnly
	}
	c, ok := parseCert(s)
	if !ok {
		return ""
	}
	if c.NotAfter.Before(now()) {
		return msgCertExpired
	}
	if !c.BasicConstraintsValid || !c.IsCA {
		return msgNotCA
	}
	return ""
}

// ProcessCertificate is ProcessService for certificates (cert, key, cert_alt, key_alt, tags, snis).
// "snis" comes back sorted; on Update an absent "snis" keeps the existing
// list, otherwise absent or null means none.
func ProcessCertificate(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	if list, ok := normalize(body["snis"]).([]any); ok {
		seen := map[any]bool{}
		for _, n := range list {
			if isTable(n) {
				continue
			}
			if seen[n] {
				return nil, newViolation(map[string]any{"snis": luaString(n) + " is duplicated"})
			}
			seen[n] = true
		}
	}
	out, v := process(schemaByName("certificates"), op, body, existing, true)
	if v != nil {
		return nil, v
	}
	snis, present := body["snis"]
	if !present && op == Update {
		snis = existing["snis"]
	}
	out["snis"] = sortedNames(normalize(snis))
	return out, nil
}

func sortedNames(v any) []any {
	list, _ := asSequence(v)
	names := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			names = append(names, s)
		}
	}
	sort.Strings(names)
	return anys(names...)
}

// ProcessCACertificate is ProcessService for ca_certificates (cert, cert_digest, tags).
// cert_digest is always computed from cert (hex SHA-256 of the DER).
func ProcessCACertificate(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	return process(schemaByName("ca_certificates"), op, body, existing, true)
}
