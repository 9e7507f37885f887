package cors

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// handler is kong/plugins/cors/handler.lua: a preflight (OPTIONS with
// Origin and Access-Control-Request-Method) is answered 200 by the
// plugin with the Access-Control-Allow-* headers, unless
// preflight_continue hands it to the upstream; any other response gets
// Access-Control-Allow-Origin (the configured origin, or the request's
// when it matches one of origins, regexes included), -Allow-Credentials
// and -Expose-Headers in header_filter.
func handler(pdk.Gateway) *pdk.Handler {
	h := &cors{regexes: map[string]*regexp2.Regexp{}}
	return &pdk.Handler{Access: h.access, HeaderFilter: h.headerFilter}
}

type cors struct {
	mu      sync.Mutex
	regexes map[string]*regexp2.Regexp
}

const defaultMethods = "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT"

func (h *cors) access(c *pdk.Context, in *pdk.Instance) {
	cfg := in.Config
	origin := c.Request.Header.Get("Origin")
	if c.Request.Method != http.MethodOptions || origin == "" || len(c.Request.Header.Values("Access-Control-Request-Method")) == 0 {
		return
	}
	// header_filter adds nothing to a preflight: the upstream answers it,
	// or this did.
	c.Local(in)["skip"] = true
	if pdk.ConfBool(cfg, "preflight_continue") {
		return
	}
	rh := c.Response.Header
	allowAll := h.origin(c, cfg, false, origin)
	credentials(c, cfg, allowAll, false, origin)
	if hs := pdk.ConfStrings(cfg, "headers"); len(hs) > 0 {
		rh.Set("Access-Control-Allow-Headers", strings.Join(hs, ","))
	} else if acrh := c.Request.Header.Values("Access-Control-Request-Headers"); len(acrh) > 0 {
		rh.Set("Access-Control-Allow-Headers", acrh[0])
	} else {
		rh.Del("Access-Control-Allow-Headers")
	}
	methods := defaultMethods
	if ms, ok := cfg["methods"].([]any); ok {
		methods = strings.Join(pdk.Values(ms), ",")
	}
	rh.Set("Access-Control-Allow-Methods", methods)
	if n, ok := pdk.ConfNumber(cfg, "max_age"); ok {
		rh.Set("Access-Control-Max-Age", pdk.FormatNumber(n))
	}
	if pdk.ConfBool(cfg, "private_network") && c.Request.Header.Get("Access-Control-Request-Private-Network") == "true" {
		rh.Set("Access-Control-Allow-Private-Network", "true")
	}
	c.Exit(http.StatusOK, nil, nil)
}

func (h *cors) headerFilter(c *pdk.Context, in *pdk.Instance) {
	if c.Local(in)["skip"] == true {
		return
	}
	cfg := in.Config
	origin := c.Request.Header.Get("Origin")
	// allow_origin_absent (3.10.0) defaults to true, which is what the
	// releases before it did.
	if absent, ok := cfg["allow_origin_absent"].(bool); origin == "" && ok && !absent {
		return
	}
	allowAll := h.origin(c, cfg, true, origin)
	credentials(c, cfg, allowAll, true, origin)
	if hs := pdk.ConfStrings(cfg, "exposed_headers"); len(hs) > 0 {
		c.Response.Header.Set("Access-Control-Expose-Headers", strings.Join(hs, ","))
	}
}

var (
	plainOrigin = regexp.MustCompile(`^[A-Za-z0-9.:/-]+$`)
	maybeRegex  = regexp.MustCompile(`[^A-Za-z0-9.:/-]`)
)

// vary is add_vary_header: added in header_filter (the upstream's Vary
// stays), set in access.
func vary(c *pdk.Context, filter bool) {
	if filter {
		c.Response.Header.Add("Vary", "Origin")
	} else {
		c.Response.Header.Set("Vary", "Origin")
	}
}

// origin is configure_origin: it sets Access-Control-Allow-Origin and
// reports whether it allows any origin ("*").
func (h *cors) origin(c *pdk.Context, cfg map[string]any, filter bool, reqOrigin string) bool {
	rh := c.Response.Header
	origins := pdk.ConfStrings(cfg, "origins")
	if len(origins) == 0 || (len(origins) == 1 && origins[0] == "*") {
		rh.Set("Access-Control-Allow-Origin", "*")
		return true
	}
	vary(c, filter)
	if len(origins) == 1 && plainOrigin.MatchString(origins[0]) {
		rh.Set("Access-Control-Allow-Origin", origins[0])
		return false
	}
	if reqOrigin != "" {
		req := normalize(reqOrigin)
		for _, entry := range origins {
			if entry == "*" {
				rh.Set("Access-Control-Allow-Origin", "*")
				return true
			}
			byHost := !strings.Contains(entry, ":")
			found := false
			if maybeRegex.MatchString(entry) {
				subject := req.domain
				if byHost {
					subject = req.host
				}
				found = h.match(entry, subject)
			} else {
				found = req.domain == normalize(entry).domain
			}
			if found {
				rh.Set("Access-Control-Allow-Origin", req.domain)
				return false
			}
		}
	}
	rh.Del("Access-Control-Allow-Origin")
	return false
}

// match runs an origin regex as Kong does: anchored at both ends (Kong 0.x
// did not anchor, so an anchor the user wrote is kept).
func (h *cors) match(entry, subject string) bool {
	h.mu.Lock()
	re, ok := h.regexes[entry]
	if !ok {
		pattern := entry
		if !strings.HasSuffix(pattern, "$") {
			pattern += "$"
		}
		pattern = strings.TrimPrefix(pattern, "^")
		var err error
		re, err = regexp2.Compile(`^(?:`+pattern+`)`, regexp2.None)
		if err != nil {
			re = nil
		} else {
			re.MatchTimeout = time.Second
		}
		h.regexes[entry] = re
	}
	h.mu.Unlock()
	if re == nil {
		return false
	}
	ok, _ = re.MatchString(subject)
	return ok
}

// credentials is configure_credentials.
func credentials(c *pdk.Context, cfg map[string]any, allowAll, filter bool, reqOrigin string) {
	if !pdk.ConfBool(cfg, "credentials") {
		return
	}
	rh := c.Response.Header
	if !allowAll {
		rh.Set("Access-Control-Allow-Credentials", "true")
		return
	}
	// "*" cannot go with credentials: the request's origin is allowed.
	if reqOrigin != "" {
		vary(c, filter)
		rh.Set("Access-Control-Allow-Origin", reqOrigin)
		rh.Set("Access-Control-Allow-Credentials", "true")
	}
}

type normalized struct{ domain, host string }

var schemeRE = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9+\-.]*):`)

// normalize is normalize_origin over LuaSocket's url.parse: scheme, host
// and a port other than the scheme's default; the whole string when it
// has no host.
func normalize(s string) normalized {
	rest, scheme := s, ""
	if m := schemeRE.FindStringSubmatch(rest); m != nil {
		scheme, rest = m[1], rest[len(m[0]):]
	}
	if !strings.HasPrefix(rest, "//") {
		return normalized{domain: s, host: s}
	}
	authority := rest[2:]
	if i := strings.IndexByte(authority, '/'); i >= 0 {
		authority = authority[:i]
	}
	if i := strings.IndexByte(authority, '@'); i >= 0 {
		authority = authority[i+1:]
	}
	port, hasPort := "", false
	if i := strings.LastIndexByte(authority, ':'); i >= 0 && !strings.ContainsAny(authority[i+1:], ":]") {
		port, hasPort, authority = authority[i+1:], true, authority[:i]
	}
	if authority == "" {
		return normalized{domain: s, host: s}
	}
	host := authority
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		hasPort = false
	}
	domain := host
	if scheme != "" {
		domain = scheme + "://" + host
	}
	if hasPort {
		domain += ":" + port
	}
	return normalized{domain: domain, host: host}
}
