// Package konnect serves Konnect's platform APIs, which share the admin
// listener with the control planes' core entities (Kong's Admin API under
// /v2/control-planes/{id}/core-entities, served by ../admin): the Control
// Planes API (control_planes.go), the API Catalog v3 (catalog*.go, its API
// versions in catalog_versions.go) and Analytics (metrics*.go), counted
// from the proxy's traffic (traffic.go), with application/problem+json
// errors (problem.go).
package konnect

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Platform serves Konnect's platform APIs of one localkong.
type Platform struct {
	catalog     *catalog
	traffic     *Traffic
	token       string
	limiter     *rateLimiter
	unavailable atomic.Int32 // SetUnavailable's status
	limitCap    atomic.Int32 // SetLimit's cap on a query's limit; 0: none
	planes      *controlPlanes
	counts      apiCounts
}

// New returns the platform APIs: a catalog linking Gateway Services of
// st's control planes (under st's lock, so "the service exists" and "link
// it" are one atomic step), and analytics counted in t. token, when set,
// is the bearer token every request needs (any bearer token passes
// otherwise); rateLimit, when > 0, allows that many POST /v2/metrics a
// minute per token, then 429 with Retry-After (Konnect allows 10).
func New(st *store.Store, t *Traffic, token string, rateLimit int) *Platform {
	pl := &Platform{catalog: newCatalog(st), traffic: t, token: token, planes: newControlPlanes(st)}
	if rateLimit > 0 {
		pl.limiter = &rateLimiter{n: rateLimit}
	}
	return pl
}

// Owns tells the catalog's and analytics' paths (unescaped segments) from
// the control planes' core entities.
func (pl *Platform) Owns(segs []string) bool { return isPlatformPath(segs) }

// Serve answers a platform API request: 401 as problem+json unless its
// bearer token passes, then the catalog or analytics.
func (pl *Platform) Serve(w http.ResponseWriter, r *http.Request, segs []string) {
	if msg := httpx.BearerFailure(r, pl.token); msg != "" {
		newProblem(http.StatusUnauthorized, msg).write(w)
		return
	}
	pl.counts.add(apiOf(segs))
	pl.route(w, r, segs)
}

// The platform APIs a request can be to, as RequestCounts names them.
const (
	APICatalog       = "catalog"
	APIAnalytics     = "analytics"
	APIControlPlanes = "control-planes"
)

func apiOf(segs []string) string {
	switch {
	case segs[0] == "v3":
		return APICatalog
	case segs[1] == "metrics":
		return APIAnalytics
	}
	return APIControlPlanes
}

// apiCounts counts authenticated requests per platform API, so tests can
// say what a Terraform run asked of each (the admin listener counts them
// all together).
type apiCounts struct {
	mu sync.Mutex
	n  map[string]int64
}

func (c *apiCounts) add(api string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int64{}
	}
	c.n[api]++
}

// RequestCounts is the number of requests served so far per platform API
// (APICatalog, APIAnalytics, APIControlPlanes), after authentication.
func (pl *Platform) RequestCounts() map[string]int64 {
	pl.counts.mu.Lock()
	defer pl.counts.mu.Unlock()
	out := make(map[string]int64, len(pl.counts.n))
	for k, v := range pl.counts.n {
		out[k] = v
	}
	return out
}

// ResetRequestCounts sets the counts back to zero.
func (pl *Platform) ResetRequestCounts() {
	pl.counts.mu.Lock()
	defer pl.counts.mu.Unlock()
	pl.counts.n = nil
}

// platformRequest is one call to a Konnect platform API (catalog or
// analytics), after authentication.
type platformRequest struct {
	w    http.ResponseWriter
	r    *http.Request
	pl   *Platform
	segs []string
}

func (p *platformRequest) fail(pr *problem) { pr.write(p.w) }

// object reads the JSON body, listing as unknown the properties that
// allowed (or extra) does not name; false means it already failed.
func (p *platformRequest) object(allowed map[string]bool, extra string) (map[string]any, []invalidParam, bool) {
	body, pr := readJSONObject(p.r)
	if pr != nil {
		p.fail(pr)
		return nil, nil, false
	}
	var bad []invalidParam
	for k := range body {
		if !allowed[k] && k != extra {
			bad = append(bad, unknownProperty(k))
		}
	}
	return body, bad, true
}

// isPlatformPath tells the catalog's, analytics' and the Control Planes
// API's paths from the control planes' core entities (which are
// /v2/control-planes/{id}/core-entities/...).
func isPlatformPath(segs []string) bool {
	n := len(segs)
	return n > 0 && segs[0] == "v3" ||
		n == 2 && segs[0] == "v2" && segs[1] == "metrics" ||
		(n == 2 || n == 3) && segs[0] == "v2" && segs[1] == "control-planes"
}

// route serves the catalog, analytics and control planes.
func (pl *Platform) route(w http.ResponseWriter, r *http.Request, segs []string) {
	p := &platformRequest{w: w, r: r, pl: pl, segs: segs}
	var ep map[string]func()
	n := len(segs)
	switch {
	case n == 2 && segs[0] == "v2" && segs[1] == "metrics":
		ep = map[string]func(){http.MethodPost: p.metrics}
	case n == 2 && segs[0] == "v2":
		ep = map[string]func(){http.MethodGet: p.listControlPlanes}
	case n == 3 && segs[0] == "v2":
		ep = map[string]func(){http.MethodGet: func() { p.readControlPlane(segs[2]) }}
	case n == 2 && segs[1] == "apis":
		ep = map[string]func(){http.MethodGet: p.listAPIs, http.MethodPost: p.createAPI}
	case n == 3 && segs[1] == "apis":
		id := strings.ToLower(segs[2])
		ep = map[string]func(){
			http.MethodGet:    func() { p.readAPI(id) },
			http.MethodPatch:  func() { p.patchAPI(id) },
			http.MethodDelete: func() { p.deleteAPI(id) },
		}
	case n == 4 && segs[1] == "apis" && segs[3] == "implementations":
		id := strings.ToLower(segs[2])
		ep = map[string]func(){http.MethodPost: func() { p.createImpl(id) }}
	case n == 5 && segs[1] == "apis" && segs[3] == "implementations":
		id, impl := strings.ToLower(segs[2]), strings.ToLower(segs[4])
		ep = map[string]func(){
			http.MethodGet:    func() { p.readImpl(id, impl) },
			http.MethodDelete: func() { p.deleteImpl(id, impl) },
		}
	case n == 2 && segs[1] == "api-implementations":
		ep = map[string]func(){http.MethodGet: p.listImpls}
	case n == 4 && segs[1] == "apis" && (segs[3] == "versions" || segs[3] == "specifications"):
		id, as := strings.ToLower(segs[2]), viewOf(segs[3])
		ep = map[string]func(){
			http.MethodGet:  func() { p.listDocuments(id, as) },
			http.MethodPost: func() { p.createDocument(id, as) },
		}
	case n == 5 && segs[1] == "apis" && (segs[3] == "versions" || segs[3] == "specifications"):
		id, doc, as := strings.ToLower(segs[2]), strings.ToLower(segs[4]), viewOf(segs[3])
		ep = map[string]func(){
			http.MethodGet:    func() { p.readDocument(id, doc, as) },
			http.MethodPatch:  func() { p.patchDocument(id, doc, as) },
			http.MethodDelete: func() { p.deleteDocument(id, doc) },
		}
	}
	if ep == nil {
		p.fail(problemNotFound())
		return
	}
	h, ok := ep[r.Method]
	if !ok {
		p.fail(newProblem(http.StatusMethodNotAllowed, "Method Not Allowed"))
		return
	}
	h()
}

// locked runs fn under the store lock and sends its result afterwards.
func (p *platformRequest) locked(write bool, fn func(c *catalog) (int, any, *problem)) {
	c := p.pl.catalog
	var status int
	var body any
	var pr *problem
	c.store.Locked(write, func() { status, body, pr = fn(c) })
	switch {
	case pr != nil:
		p.fail(pr)
	case status == http.StatusNoContent:
		p.w.WriteHeader(status)
	default:
		sendJSON(p.w, status, body)
	}
}
