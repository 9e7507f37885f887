package proxy

import (
	"bytes"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// The router follows Kong 3.10's default router_flavor,
// traditional_compatible: every route is turned into an ATC matcher
// (kong/router/transform.lua get_expression) with a 64-bit priority
// (get_priority), and the ATC router tries matchers in descending
// (priority, uuid) order, first match wins (atc-router src/router.rs).
//
// A route whose paths mix regexes and prefixes of different lengths is split
// into one matcher per group (split_routes_and_services_by_path); each part
// gets a v5 UUID derived from the route id, as Kong does.
//
// Ordering, most significant first, as get_priority computes it:
//
//  1. routes with only plain (non-wildcard) hosts, bit 60 — a route with a
//     "hosts" array and no "*" in it, even an empty array;
//  2. regex-path routes, bit 51;
//  3. the match weight: one point for each of sources, destinations, methods,
//     hosts, headers, snis and paths that is set, at bits 29-31;
//  4. the number of header names, at bits 20-27;
//  5. regex_priority (regex routes only), from bit 19;
//  6. the prefix length (prefix routes only), bits 0-18;
//  7. the larger route (or split part) UUID.
//
// Kong's documentation puts the match weight first (bits 61-63). The code
// does not: lshift_uint64 rebinds its cached uint64 to the plain Lua number
// it is given, so bit.lshift works on 32 bits and shifts by the count mod 32
// (61 → 29, 52 → 20). Only the two flag bits are real 64-bit constants, so
// they outrank the weight. Negative 32-bit intermediates (weight ≥ 4,
// negative or huge regex_priority) are taken as two's complement, which puts
// those routes above all others. This was checked against LuaJIT 2.1.

const (
	plainHostOnlyBit = uint64(1) << 60
	regexURLBit      = uint64(1) << 51
)

// router is the compiled form of one generation of routes.
type router struct {
	gen      uint64
	matchers []*routeMatcher
	// regexes keeps compiled patterns so a rebuild reuses them.
	regexes map[string]*regexp2.Regexp
}

// proxyRoute is a route joined with its service, as the proxy uses it.
type proxyRoute struct {
	workspace     string
	ns            string         // namespace key, for its plugins and consumers
	entity        map[string]any // the route as the Admin API returns it
	id, name      string
	service       map[string]any // nil: no usable service (Kong answers 503)
	protocols     map[string]bool
	stripPath     bool
	preserveHost  bool
	redirectCode  int
	regexPriority int64
}

// label is the prometheus "route" label: the name, else the id.
func (r *proxyRoute) label() string {
	if r.name != "" {
		return r.name
	}
	return r.id
}

type routeMatcher struct {
	route    *proxyRoute
	id       uuid.UUID
	priority uint64
	methods  []string
	hosts    []hostRule
	paths    []pathRule
	headers  []headerRule
	snis     []affixRule
}

// affixRule compares a value for equality, as a prefix or as a suffix
// (ATC's ==, ^= and =^).
type affixRule struct {
	op    byte // '=', '^' (prefix) or '$' (suffix)
	value string
}

func (a affixRule) match(s string) bool {
	switch a.op {
	case '^':
		return strings.HasPrefix(s, a.value)
	case '$':
		return strings.HasSuffix(s, a.value)
	}
	return s == a.value
}

type hostRule struct {
	affixRule
	port int // 0: any
}

type pathRule struct {
	prefix string
	re     *regexp2.Regexp
}

type headerRule struct {
	name   string // lower case, '-' for '_'
	values []headerValue
}

type headerValue struct {
	exact string // lower case
	re    *regexp2.Regexp
}

// routeQuery is what the router matches on.
type routeQuery struct {
	method string
	path   string // normalized, without query
	host   string // Host header without port; "" when absent
	port   int    // Host header port, else the listener's port
	https  bool
	sni    string
	header http.Header

	lowered map[string][]string // lazily built header view
}

// routeMatch is a successful lookup.
type routeMatch struct {
	*routeMatcher
	// path is the matched prefix or the regex's full match; "" when the
	// route has no paths.
	path string
	// captures are a regex path's groups (uri_captures).
	captures map[string]string
}

// compileRouter builds the router for a generation. Routes that Kong would
// leave out are skipped: non-HTTP protocols, disabled services, and
// matchers that fail to compile.
func compileRouter(gen uint64, entries []store.RouteEntry, prev *router) *router {
	rt := &router{gen: gen, regexes: map[string]*regexp2.Regexp{}}
	var old map[string]*regexp2.Regexp
	if prev != nil {
		old = prev.regexes
	}
	for _, e := range entries {
		pr, ok := newProxyRoute(e)
		if !ok {
			continue
		}
		for _, part := range splitPaths(e.Route) {
			m, err := rt.compile(pr, e.Route, part, old)
			if err == nil {
				rt.matchers = append(rt.matchers, m)
			}
		}
	}
	sort.Slice(rt.matchers, func(i, j int) bool {
		a, b := rt.matchers[i], rt.matchers[j]
		if a.priority != b.priority {
			return a.priority > b.priority
		}
		return bytes.Compare(a.id[:], b.id[:]) > 0
	})
	return rt
}

func newProxyRoute(e store.RouteEntry) (*proxyRoute, bool) {
	r := e.Route
	pr := &proxyRoute{
		workspace:     e.Workspace,
		ns:            e.NS,
		entity:        r,
		id:            entString(r["id"]),
		name:          entString(r["name"]),
		protocols:     map[string]bool{},
		stripPath:     entBool(r["strip_path"]),
		preserveHost:  entBool(r["preserve_host"]),
		redirectCode:  int(entInt(r["https_redirect_status_code"], 426)),
		regexPriority: entInt(r["regex_priority"], 0),
	}
	http := false
	for _, p := range entStrings(r["protocols"]) {
		pr.protocols[p] = true
		http = http || kongschema.ProtocolSubsystem(p) == "http"
	}
	if !http {
		return nil, false // served by the stream subsystem
	}
	if svc := e.Service; svc != nil {
		// A service of a stream protocol is dropped with a warning, which
		// leaves the route serviceless; a disabled one hides the route.
		switch {
		case kongschema.ProtocolSubsystem(entString(svc["protocol"])) == "stream":
		case svc["enabled"] == false:
			return nil, false
		default:
			pr.service = svc
		}
	}
	return pr, true
}

func (rt *router) compile(pr *proxyRoute, r map[string]any, g pathGroup, old map[string]*regexp2.Regexp) (*routeMatcher, error) {
	id, err := uuid.Parse(g.id)
	if err != nil {
		return nil, err
	}
	m := &routeMatcher{route: pr, id: id, methods: entStrings(r["methods"])}
	m.priority = priority(r, g.paths)

	for _, h := range entStrings(r["hosts"]) {
		host, port := splitHostPort(h)
		rule := hostRule{affixRule: affixRule{op: '=', value: host}, port: port}
		switch {
		case strings.HasPrefix(host, "*"):
			rule.op, rule.value = '$', host[1:]
		case strings.HasSuffix(host, "*"):
			rule.op, rule.value = '^', host[:len(host)-1]
		}
		m.hosts = append(m.hosts, rule)
	}

	for _, s := range entStrings(r["snis"]) {
		m.snis = append(m.snis, sniRule(s))
	}

	for _, p := range g.paths {
		if !isRegexPath(p) {
			m.paths = append(m.paths, pathRule{prefix: p})
			continue
		}
		// Anchored at the start like the traditional router.
		re, err := rt.regex("^"+p[1:], old)
		if err != nil {
			return nil, err
		}
		m.paths = append(m.paths, pathRule{re: re})
	}

	if hs, ok := r["headers"].(map[string]any); ok {
		names := make([]string, 0, len(hs))
		for n := range hs {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			rule := headerRule{name: headerKey(n)}
			for _, v := range entStrings(hs[n]) {
				// Kong lower-cases the whole value, regex included.
				v = strings.ToLower(v)
				if rest, ok := strings.CutPrefix(v, "~*"); ok {
					re, err := rt.regex(rest, old)
					if err != nil {
						return nil, err
					}
					rule.values = append(rule.values, headerValue{re: re})
					continue
				}
				rule.values = append(rule.values, headerValue{exact: v})
			}
			if len(rule.values) > 0 {
				m.headers = append(m.headers, rule)
			}
		}
	}
	return m, nil
}

// regexMatchTimeout bounds backtracking; the Rust regex engine Kong uses
// runs in linear time, so a pattern needing longer is treated as no match.
const regexMatchTimeout = time.Second

func (rt *router) regex(pattern string, old map[string]*regexp2.Regexp) (*regexp2.Regexp, error) {
	if re, ok := rt.regexes[pattern]; ok {
		return re, nil
	}
	re, ok := old[pattern]
	if !ok {
		var err error
		// RE2 mode accepts (?P<name>…) as Rust's regex crate does.
		re, err = regexp2.Compile(pattern, regexp2.RE2)
		if err != nil {
			return nil, err
		}
		re.MatchTimeout = regexMatchTimeout
	}
	rt.regexes[pattern] = re
	return re, nil
}

// sniRule is transform.sni_op_transform and sni_val_transform.
func sniRule(s string) affixRule {
	if !strings.HasPrefix(s, "*") && strings.HasSuffix(s, "*") {
		return affixRule{op: '^', value: s[:len(s)-1]}
	}
	if len(s) > 1 && strings.HasSuffix(s, ".") {
		s = s[:len(s)-1] // the root dot is not used for routing
	}
	if strings.HasPrefix(s, "*") {
		return affixRule{op: '$', value: s[1:]}
	}
	return affixRule{op: '=', value: s}
}

// headerKey is how a header name is looked up: nginx's header table is
// case-insensitive and treats '_' in a lookup as '-'.
func headerKey(name string) string {
	return strings.ReplaceAll(strings.ToLower(name), "_", "-")
}

// splitHostPort is transform.split_host_port: the text after the first ':'
// is a port only if it is a number.
func splitHostPort(h string) (string, int) {
	i := strings.IndexByte(h, ':')
	if i < 0 {
		return h, 0
	}
	port, err := strconv.Atoi(h[i+1:])
	if err != nil {
		return h, 0
	}
	return h[:i], port
}

// priority is transform.get_priority; see the comment at the top.
func priority(r map[string]any, paths []string) uint64 {
	weight := int64(0)
	for _, f := range []string{"sources", "destinations", "methods", "hosts"} {
		if nonEmpty(r[f]) {
			weight++
		}
	}
	headers := int64(0)
	if hs, ok := r["headers"].(map[string]any); ok && len(hs) > 0 {
		weight++
		headers = min(int64(len(hs)), 255)
	}
	if nonEmpty(r["snis"]) {
		weight++
	}

	hosts, plainHostOnly := r["hosts"].([]any)
	for _, h := range hosts {
		if s, _ := h.(string); strings.Contains(s, "*") {
			plainHostOnly = false
		}
	}

	regex, length := false, int64(0)
	if len(paths) > 0 {
		weight++
		if isRegexPath(paths[0]) {
			regex = true
		} else {
			length = int64(len(paths[0]))
		}
	}
	regexPriority := int64(0)
	if regex {
		regexPriority = entInt(r["regex_priority"], 0)
	}

	p := lshift32(weight, 61) | lshift32(headers, 52) | lshift32(regexPriority, 19) | uint64(length&0x7FFFF)
	if plainHostOnly {
		p |= plainHostOnlyBit
	}
	if regex {
		p |= regexURLBit
	}
	return p
}

// lshift32 is LuaJIT's bit.lshift on a Lua number (32-bit, count mod 32),
// widened to 64 bits as a signed value.
func lshift32(v int64, n uint) uint64 {
	return uint64(int64(int32(uint32(v) << (n % 32))))
}

// match returns the first matcher, in priority order, that accepts q.
func (rt *router) match(q *routeQuery) (routeMatch, bool) {
	for _, m := range rt.matchers {
		if path, captures, ok := m.match(q); ok {
			return routeMatch{routeMatcher: m, path: path, captures: captures}, true
		}
	}
	return routeMatch{}, false
}

// match reports whether m accepts q, with the path it matched and, for a
// regex path, its captures.
func (m *routeMatcher) match(q *routeQuery) (string, map[string]string, bool) {
	if len(m.methods) > 0 && !hasString(m.methods, q.method) {
		return "", nil, false
	}
	if len(m.hosts) > 0 && !m.matchHost(q) {
		return "", nil, false
	}
	// SNIs only constrain HTTPS requests.
	if len(m.snis) > 0 && q.https && !matchAny(m.snis, q.sni) {
		return "", nil, false
	}
	for _, h := range m.headers {
		if !h.match(q.headerValues(h.name)) {
			return "", nil, false
		}
	}
	if len(m.paths) == 0 {
		return "", nil, true
	}
	for _, p := range m.paths {
		if p.re == nil {
			if strings.HasPrefix(q.path, p.prefix) {
				return p.prefix, nil, true
			}
			continue
		}
		if res, err := p.re.FindStringMatch(q.path); err == nil && res != nil {
			return res.String(), captures(res), true
		}
	}
	return "", nil, false
}

// captures are a regex path's uri_captures: "0" the whole match, then each
// group that matched by number and, when named, by name.
func captures(res *regexp2.Match) map[string]string {
	out := map[string]string{}
	for _, g := range res.Groups() {
		if len(g.Captures) == 0 {
			continue
		}
		out[g.Name] = g.String()
	}
	return out
}

func (m *routeMatcher) matchHost(q *routeQuery) bool {
	if q.host == "" {
		return false
	}
	for _, h := range m.hosts {
		if h.match(q.host) && (h.port == 0 || h.port == q.port) {
			return true
		}
	}
	return false
}

func (h headerRule) match(values []string) bool {
	for _, v := range values {
		for _, want := range h.values {
			if want.re == nil {
				if v == want.exact {
					return true
				}
				continue
			}
			if ok, err := want.re.MatchString(v); err == nil && ok {
				return true
			}
		}
	}
	return false
}

func matchAny(rules []affixRule, s string) bool {
	for _, r := range rules {
		if r.match(s) {
			return true
		}
	}
	return false
}

// headerValues returns the lower-cased values of a header. Names holding
// '_' are skipped: nginx drops them (ignore_invalid_headers on).
func (q *routeQuery) headerValues(key string) []string {
	if q.lowered == nil {
		q.lowered = map[string][]string{}
		for name, vs := range q.header {
			if strings.Contains(name, "_") {
				continue
			}
			k := strings.ToLower(name)
			for _, v := range vs {
				q.lowered[k] = append(q.lowered[k], strings.ToLower(v))
			}
		}
	}
	return q.lowered[key]
}

func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Entity accessors for the canonical JSON form.

func entString(v any) string { s, _ := v.(string); return s }

func entBool(v any) bool { b, _ := v.(bool); return b }

func entInt(v any, def int64) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int:
		return int64(n)
	case int64:
		return n
	}
	return def
}

func entStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func nonEmpty(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return false
}
