package jwt

import (
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

var bearerRE = regexp.MustCompile(`\s*[Bb]earer\s+(.+)`)

// handler is kong/plugins/jwt/handler.lua: one token, from the query
// (uri_param_names), cookies (cookie_names) or a "Bearer" header
// (header_names), signed with the secret or public key of the jwt_secrets
// credential its key_claim_name names, with the alg that credential has,
// its exp/nbf checked as claims_to_verify says; else 401 with Kong's
// message (a JSON body, kong.response.exit's) and, from 3.8.0, a Bearer
// challenge (ES512, PS256-512 and EdDSA tokens came with 3.7.0). anonymous lets the request through as that consumer.
func handler(g pdk.Gateway) *pdk.Handler {
	return newHandler(g, time.Now)
}

func newHandler(g pdk.Gateway, now func() time.Time) *pdk.Handler {
	algs := algorithms(g)
	return &pdk.Handler{Access: func(c *pdk.Context, in *pdk.Instance) {
		cfg := in.Config
		if !pdk.ConfBool(cfg, "run_on_preflight") && c.Request.Method == http.MethodOptions {
			return
		}
		anonymous := pdk.ConfString(cfg, "anonymous")
		if anonymous != "" && c.Credential() != nil {
			return
		}
		status, body, header := authenticate(g, algs, c, cfg, now())
		if status == 0 {
			return
		}
		if anonymous == "" {
			c.Exit(status, body, header)
			return
		}
		consumer := c.Store.Consumer(anonymous)
		if consumer == nil {
			c.Error(500, "anonymous consumer "+anonymous+" is configured but doesn't exist", nil)
			return
		}
		c.SetConsumer(consumer, nil, "")
	}}
}

// tokens is retrieve_tokens: the distinct tokens the request carries.
func tokens(c *pdk.Context, cfg map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	query := c.Query()
	for _, name := range pdk.ConfStrings(cfg, "uri_param_names") {
		for _, v := range pdk.Values(query[name]) {
			add(v)
		}
	}
	for _, name := range pdk.ConfStrings(cfg, "cookie_names") {
		if ck, err := c.Request.Cookie(name); err == nil {
			add(ck.Value)
		}
	}
	for _, name := range pdk.ConfStrings(cfg, "header_names") {
		if v := c.Request.Header.Values(name); len(v) > 0 {
			if m := bearerRE.FindStringSubmatch(v[0]); m != nil {
				add(m[1])
			}
		}
	}
	return out
}

// authenticate is do_authentication: 0 when authenticated, else the
// status, body and headers to refuse the request with.
func authenticate(g pdk.Gateway, algs map[string]bool, c *pdk.Context, cfg map[string]any, now time.Time) (int, any, http.Header) {
	base, withError := http.Header(nil), http.Header(nil)
	if g.Since(3, 8) {
		b, e := "Bearer", `Bearer error="invalid_token"`
		if realm := pdk.ConfString(cfg, "realm"); realm != "" {
			b = fmt.Sprintf(`Bearer realm="%s"`, realm)
			e = b + `, error="invalid_token"`
		}
		base, withError = http.Header{"WWW-Authenticate": {b}}, http.Header{"WWW-Authenticate": {e}}
	}
	fail := func(msg string) (int, any, http.Header) {
		return 401, map[string]any{"message": msg}, withError
	}
	claim := pdk.ConfString(cfg, "key_claim_name")

	ts := tokens(c, cfg)
	switch len(ts) {
	case 0:
		return 401, map[string]any{"message": "Unauthorized"}, base
	case 1:
	default:
		return fail("Multiple tokens provided")
	}
	t, err := decode(ts[0], algs)
	if err != "" {
		return fail("Bad token; " + err)
	}
	key, ok := t.claims[claim]
	if !ok || key == nil {
		key, ok = t.header[claim]
	}
	if !ok || key == nil {
		return fail("No mandatory '" + claim + "' in claims")
	}
	keyStr := fmt.Sprint(key)
	if f, isNum := key.(float64); isNum {
		keyStr = pdk.FormatNumber(f)
	}
	if keyStr == "" {
		return fail("Invalid '" + claim + "' in claims")
	}
	secret := c.Store.Entity("jwt_secrets", keyStr)
	if secret == nil {
		return fail("No credentials found for given '" + claim + "'")
	}
	alg, _ := secret["algorithm"].(string)
	if alg == "" {
		alg = "HS256"
	}
	if t.header["alg"] != alg {
		return fail("Invalid algorithm")
	}
	var value string
	var have bool
	if alg[:2] == "HS" {
		value, have = secret["secret"].(string)
		if have && pdk.ConfBool(cfg, "secret_is_base64") {
			b, err := decodeB64(value)
			value, have = string(b), err == nil
		}
	} else {
		value, have = secret["rsa_public_key"].(string)
	}
	if !have {
		return fail("Invalid key/secret")
	}
	if !t.verify(value) {
		return fail("Invalid signature")
	}
	if errs := t.verifyClaims(pdk.ConfStrings(cfg, "claims_to_verify"), now); errs != nil {
		return 401, errs, withError
	}
	if maxExp, _ := pdk.ConfNumber(cfg, "maximum_expiration"); maxExp > 0 {
		exp, ok := t.claims["exp"].(float64)
		if !ok || exp-float64(now.Unix()) > maxExp {
			return 401, map[string]any{"exp": "exceeds maximum allowed expiration"}, withError
		}
	}
	ref, _ := secret["consumer"].(map[string]any)
	id, _ := ref["id"].(string)
	consumer := c.Store.Consumer(id)
	if consumer == nil {
		return 401, map[string]any{"message": fmt.Sprintf("Could not find consumer for '%s=%s'", claim, keyStr)}, nil
	}
	c.SetConsumer(consumer, secret, keyStr)
	c.Shared["authenticated_jwt_token"] = ts[0]
	return 0, nil, nil
}
