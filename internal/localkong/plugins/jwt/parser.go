package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"hash"
	"math/big"
	"strings"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// token is a decoded JWT (kong/plugins/jwt/jwt_parser.lua decode_token).
type token struct {
	header, claims map[string]any
	signed         string // header_64.claims_64
	signature      []byte
}

// decodeB64 is jwt_parser's base64_decode: base64url, padding optional.
func decodeB64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// algorithms are the alg values jwt_parser verifies in g: ES512, PS256-512
// and EdDSA came with 3.7.0.
func algorithms(g pdk.Gateway) map[string]bool {
	algs := map[string]bool{}
	for _, a := range []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384"} {
		algs[a] = true
	}
	if g.Since(3, 7) {
		for _, a := range []string{"ES512", "PS256", "PS384", "PS512", "EdDSA"} {
			algs[a] = true
		}
	}
	return algs
}

// decode is decode_token; its errors are Kong's ("invalid JSON", …).
func decode(s string, algs map[string]bool) (*token, string) {
	parts := strings.SplitN(s, ".", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	t := &token{signed: parts[0] + "." + parts[1]}
	hb, err1 := decodeB64(parts[0])
	cb, err2 := decodeB64(parts[1])
	if err1 != nil || err2 != nil {
		return nil, "invalid JSON"
	}
	var header, claims any
	if json.Unmarshal(hb, &header) != nil || json.Unmarshal(cb, &claims) != nil {
		return nil, "invalid JSON"
	}
	t.header, _ = header.(map[string]any)
	alg, _ := t.header["alg"].(string)
	if !algs[alg] {
		return nil, "invalid alg"
	}
	if t.claims, _ = claims.(map[string]any); t.claims == nil {
		return nil, "invalid claims"
	}
	sig, err := decodeB64(parts[2])
	if err != nil {
		return nil, "invalid signature"
	}
	t.signature = sig
	return t, ""
}

func hasher(alg string) (crypto.Hash, func() hash.Hash) {
	switch alg[2:] {
	case "384":
		return crypto.SHA384, sha512.New384
	case "512":
		return crypto.SHA512, sha512.New
	}
	return crypto.SHA256, sha256.New
}

// publicKey parses a PEM public key; a bad one is a runtime error in
// Kong ("Consumer Public Key is Invalid": 500).
func publicKey(pemKey string) crypto.PublicKey {
	block, _ := pem.Decode([]byte(pemKey))
	if block == nil {
		panic("Consumer Public Key is Invalid")
	}
	if k, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		return k
	}
	if k, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return k
	}
	if c, err := x509.ParseCertificate(block.Bytes); err == nil {
		return c.PublicKey
	}
	panic("Consumer Public Key is Invalid")
}

// verify is verify_signature with key (the secret, or the public key).
func (t *token) verify(key string) bool {
	alg, _ := t.header["alg"].(string)
	data := []byte(t.signed)
	if strings.HasPrefix(alg, "HS") {
		_, h := hasher(alg)
		mac := hmac.New(h, []byte(key))
		mac.Write(data)
		return hmac.Equal(mac.Sum(nil), t.signature)
	}
	pub := publicKey(key)
	if alg == "EdDSA" {
		k, ok := pub.(ed25519.PublicKey)
		return ok && ed25519.Verify(k, data, t.signature)
	}
	ch, h := hasher(alg)
	d := h()
	d.Write(data)
	digest := d.Sum(nil)
	switch alg[:2] {
	case "RS", "PS":
		k, ok := pub.(*rsa.PublicKey)
		if alg[:2] == "PS" && len(t.signature) != 256 {
			panic("Signature must be 256 bytes")
		}
		if !ok {
			return false
		}
		if alg[:2] == "RS" {
			return rsa.VerifyPKCS1v15(k, ch, digest, t.signature) == nil
		}
		return rsa.VerifyPSS(k, ch, digest, t.signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil
	case "ES":
		size := map[string]int{"ES256": 64, "ES384": 96, "ES512": 132}[alg]
		if len(t.signature) != size {
			panic("Signature must be " + pdk.FormatNumber(float64(size)) + " bytes.")
		}
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return false
		}
		r := new(big.Int).SetBytes(t.signature[:size/2])
		s := new(big.Int).SetBytes(t.signature[size/2:])
		return ecdsa.Verify(k, digest, r, s)
	}
	return false
}

// verifyClaims is verify_registered_claims: nil when every claim checks,
// else the errors by claim name.
func (t *token) verifyClaims(names []string, now time.Time) map[string]any {
	errs := map[string]any{}
	for _, name := range names {
		n, ok := t.claims[name].(float64)
		switch {
		case !ok:
			errs[name] = "must be a number"
		case name == "nbf" && n > float64(now.Unix()):
			errs[name] = "token not valid yet"
		case name == "exp" && n <= float64(now.Unix()):
			errs[name] = "token expired"
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
