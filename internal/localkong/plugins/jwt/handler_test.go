package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

const (
	aliceID = "11111111-1111-4111-8111-111111111111"
	anonID  = "22222222-2222-4222-8222-222222222222"
)

var now = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// sign makes a token: sign gets header.claims and returns the signature.
func sign(alg string, claims map[string]any, sig func([]byte) []byte) string {
	h, _ := json.Marshal(map[string]any{"typ": "JWT", "alg": alg})
	c, _ := json.Marshal(claims)
	data := b64(h) + "." + b64(c)
	return data + "." + b64(sig([]byte(data)))
}

func hs256(secret string) func([]byte) []byte {
	return func(data []byte) []byte {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(data)
		return m.Sum(nil)
	}
}

func pemOf(t *testing.T, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestJWT(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)

	store := &plugintest.Store{Consumers: []map[string]any{{"id": aliceID, "username": "alice"}, {"id": anonID, "username": "anon"}}}
	secret := func(key, alg, secret, pub string) {
		e := map[string]any{"id": "c-" + key, "key": key, "algorithm": alg, "consumer": map[string]any{"id": aliceID}}
		if secret != "" {
			e["secret"] = secret
		}
		if pub != "" {
			e["rsa_public_key"] = pub
		}
		store.Add("jwt_secrets", key, e)
	}
	secret("hs", "HS256", "shh", "")
	secret("b64", "HS256", b64([]byte("raw secret")), "")
	secret("rs", "RS256", "", pemOf(t, &rsaKey.PublicKey))
	secret("ps", "PS256", "", pemOf(t, &rsaKey.PublicKey))
	secret("es", "ES256", "", pemOf(t, &ecKey.PublicKey))
	secret("ed", "EdDSA", "", pemOf(t, edPub))
	secret("nokey", "RS256", "", "")

	rs := func(data []byte) []byte {
		d := sha256.Sum256(data)
		s, _ := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, d[:])
		return s
	}
	ps := func(data []byte) []byte {
		d := sha256.Sum256(data)
		s, _ := rsa.SignPSS(rand.Reader, rsaKey, crypto.SHA256, d[:], nil)
		return s
	}
	es := func(data []byte) []byte {
		d := sha256.Sum256(data)
		r, s, _ := ecdsa.Sign(rand.Reader, ecKey, d[:])
		out := make([]byte, 64)
		r.FillBytes(out[:32])
		s.FillBytes(out[32:])
		return out
	}
	ed := func(data []byte) []byte { return ed25519.Sign(edKey, data) }
	iss := func(k string, more ...any) map[string]any {
		m := map[string]any{"iss": k}
		for i := 0; i+1 < len(more); i += 2 {
			m[more[i].(string)] = more[i+1]
		}
		return m
	}
	valid := sign("HS256", iss("hs"), hs256("shh"))
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	invalid := `Bearer error="invalid_token"`

	tests := []struct {
		name   string
		g      pdk.Gateway
		config map[string]any
		target string
		header http.Header
		status int
		body   map[string]any
		www    string
		cred   string // X-Credential-Identifier upstream
	}{
		{name: "no token", status: 401, body: map[string]any{"message": "Unauthorized"}, www: "Bearer"},
		{name: "realm", config: map[string]any{"realm": "test-jwt"}, status: 401, body: map[string]any{"message": "Unauthorized"}, www: `Bearer realm="test-jwt"`},
		{name: "no iss", header: bearer(sign("HS256", map[string]any{"a": 1}, hs256("shh"))), status: 401,
			body: map[string]any{"message": "No mandatory 'iss' in claims"}, www: invalid},
		{name: "empty iss", header: bearer(sign("HS256", iss(""), hs256("shh"))), status: 401,
			body: map[string]any{"message": "Invalid 'iss' in claims"}, www: invalid},
		{name: "unknown iss", header: bearer(sign("HS256", iss("who"), hs256("shh"))), status: 401,
			body: map[string]any{"message": "No credentials found for given 'iss'"}, www: invalid},
		{name: "bad signature", header: bearer(sign("HS256", iss("hs"), hs256("other"))), status: 401,
			body: map[string]any{"message": "Invalid signature"}, www: invalid},
		{name: "wrong alg", header: bearer(sign("HS384", iss("rs"), hs256("shh"))), status: 401,
			body: map[string]any{"message": "Invalid algorithm"}, www: invalid},
		{name: "garbage", header: bearer("a.b.c"), status: 401, body: map[string]any{"message": "Bad token; invalid JSON"}, www: invalid},
		{name: "unknown alg", header: bearer(sign("none", iss("hs"), hs256("x"))), status: 401, body: map[string]any{"message": "Bad token; invalid alg"}, www: invalid},
		{name: "two tokens", target: "/?jwt=" + sign("HS256", iss("hs", "x", 1), hs256("shh")), header: bearer(valid), status: 401,
			body: map[string]any{"message": "Multiple tokens provided"}, www: invalid},
		{name: "same token twice", target: "/?jwt=" + valid, header: bearer(valid), status: 200, cred: "hs"},
		{name: "HS256 header", header: bearer(valid), status: 200, cred: "hs"},
		{name: "query", target: "/?jwt=" + valid, status: 200, cred: "hs"},
		{name: "cookie", config: map[string]any{"cookie_names": []any{"crumble"}}, header: http.Header{"Cookie": {"crumble=" + valid + "; path=/"}}, status: 200, cred: "hs"},
		{name: "custom header", config: map[string]any{"header_names": []any{"CustomAuthorization"}},
			header: http.Header{"Customauthorization": {"Bearer " + valid}}, status: 200},
		{name: "key claim in header", config: map[string]any{"key_claim_name": "kid"},
			header: bearer(sign("HS256", map[string]any{"kid": "hs"}, hs256("shh"))), status: 200, cred: "hs"},
		{name: "base64 secret", config: map[string]any{"secret_is_base64": true},
			header: bearer(sign("HS256", iss("b64"), hs256("raw secret"))), status: 200, cred: "b64"},
		{name: "RS256", header: bearer(sign("RS256", iss("rs"), rs)), status: 200, cred: "rs"},
		{name: "PS256", header: bearer(sign("PS256", iss("ps"), ps)), status: 200, cred: "ps"},
		{name: "ES256", header: bearer(sign("ES256", iss("es"), es)), status: 200, cred: "es"},
		{name: "EdDSA", header: bearer(sign("EdDSA", iss("ed"), ed)), status: 200, cred: "ed"},
		{name: "EdDSA before 3.8", g: plugintest.Kong34, header: bearer(sign("EdDSA", iss("ed"), ed)), status: 401,
			body: map[string]any{"message": "Bad token; invalid alg"}},
		{name: "no public key", header: bearer(sign("RS256", iss("nokey"), rs)), status: 401, body: map[string]any{"message": "Invalid key/secret"}, www: invalid},
		{name: "claims missing", config: map[string]any{"claims_to_verify": []any{"exp", "nbf"}}, header: bearer(valid), status: 401,
			body: map[string]any{"exp": "must be a number", "nbf": "must be a number"}, www: invalid},
		{name: "expired", config: map[string]any{"claims_to_verify": []any{"exp"}},
			header: bearer(sign("HS256", iss("hs", "exp", now.Unix()), hs256("shh"))), status: 401, body: map[string]any{"exp": "token expired"}, www: invalid},
		{name: "not yet", config: map[string]any{"claims_to_verify": []any{"nbf"}},
			header: bearer(sign("HS256", iss("hs", "nbf", now.Unix()+10), hs256("shh"))), status: 401, body: map[string]any{"nbf": "token not valid yet"}, www: invalid},
		{name: "valid claims", config: map[string]any{"claims_to_verify": []any{"exp", "nbf"}},
			header: bearer(sign("HS256", iss("hs", "exp", now.Unix()+10, "nbf", now.Unix()), hs256("shh"))), status: 200},
		{name: "maximum expiration", config: map[string]any{"claims_to_verify": []any{"exp"}, "maximum_expiration": 100},
			header: bearer(sign("HS256", iss("hs", "exp", now.Unix()+101), hs256("shh"))), status: 401,
			body: map[string]any{"exp": "exceeds maximum allowed expiration"}, www: invalid},
		{name: "preflight", config: map[string]any{"run_on_preflight": false}, target: "OPTIONS", status: 200},
		{name: "anonymous", config: map[string]any{"anonymous": "anon"}, header: bearer("x.y.z"), status: 200},
		{name: "3.4 no challenge", g: plugintest.Kong34, header: bearer(sign("HS256", iss("who"), hs256("shh"))), status: 401,
			body: map[string]any{"message": "No credentials found for given 'iss'"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.g
			if g.Version.Major == 0 {
				g = plugintest.Kong310
			}
			method, target := "GET", tt.target
			if target == "OPTIONS" {
				method, target = "OPTIONS", "/"
			}
			if target == "" {
				target = "/"
			}
			in := plugintest.Instance(t, Plugin, g, tt.config)
			c := plugintest.Request(method, target, tt.header, "")
			c.Store = store
			res := plugintest.Run(c, newHandler(g, func() time.Time { return now }), in, nil)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if tt.body != nil {
				var got map[string]any
				if err := json.Unmarshal([]byte(res.Body), &got); err != nil || !reflect.DeepEqual(got, tt.body) || res.Exit.Error {
					t.Errorf("body %s (error format %v), want %v", res.Body, res.Exit.Error, tt.body)
				}
			}
			if got := res.Header.Get("WWW-Authenticate"); got != tt.www {
				t.Errorf("WWW-Authenticate %q, want %q", got, tt.www)
			}
			if tt.cred != "" && (res.Upstream.Header.Get("X-Credential-Identifier") != tt.cred || res.Upstream.Header.Get("X-Consumer-Username") != "alice") {
				t.Errorf("upstream headers %v", res.Upstream.Header)
			}
		})
	}
}
