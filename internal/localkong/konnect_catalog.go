package localkong

import (
	"net/http"
	"strings"
	"time"
)

// Konnect's API Catalog v3 (konnect-api-catalog-v3.openapi.yaml), the part
// a Service Hub flow needs: APIs, their single gateway-service
// implementation, and the implementation list. One catalog per server
// (Konnect has one per organisation); implementations point at Gateway
// Services of the control planes this server serves. The catalog lives in
// the store and shares its lock, so "the service exists" and "link it" are
// one atomic step, and deleting a Gateway Service drops its link in the
// same step.

// catalog holds the APIs and implementations. Guarded by store.mu.
type catalog struct {
	seq   int64
	apis  map[string]*catAPI  // by id
	impls map[string]*catImpl // by id
}

type catAPI struct {
	seq         int64
	id, name    string
	version     *string
	description *string
	slug        *string
	labels      map[string]string
	attributes  map[string][]string
	spec        *catSpec
	created     time.Time
	updated     time.Time
}

// catSpec is the API's one version document, from spec_content: kept, but
// only its summary is ever returned (spec_content is writeOnly).
type catSpec struct {
	id, version, typ, content string
	created                   time.Time
}

type catImpl struct {
	seq                     int64
	id, apiID               string
	controlPlane, serviceID string
	created                 time.Time
}

func newCatalog() *catalog {
	return &catalog{apis: map[string]*catAPI{}, impls: map[string]*catImpl{}}
}

func (c *catalog) next() int64 { c.seq++; return c.seq }

// implOf returns the API's implementation, if any.
func (c *catalog) implOf(apiID string) *catImpl {
	for _, im := range c.impls {
		if im.apiID == apiID {
			return im
		}
	}
	return nil
}

// linkOf returns the implementation linking a Gateway Service, if any.
func (c *catalog) linkOf(cp, serviceID string) *catImpl {
	for _, im := range c.impls {
		if im.controlPlane == cp && im.serviceID == serviceID {
			return im
		}
	}
	return nil
}

// serviceRemoved drops the link of a deleted Gateway Service. The
// OpenAPI documents say nothing of what Konnect does then; the link goes,
// so the API reads as unimplemented and the id can be linked afresh.
func (c *catalog) serviceRemoved(cp, serviceID string) {
	if im := c.linkOf(cp, serviceID); im != nil {
		delete(c.impls, im.id)
	}
}

// catalogTime is the v3 timestamp form, e.g. 2022-11-04T20:10:06.927Z.
func catalogTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// platformRequest is one call to a Konnect platform API (catalog or
// analytics), after authentication.
type platformRequest struct {
	w    http.ResponseWriter
	r    *http.Request
	a    *admin
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

// isPlatformPath tells the catalog's and analytics' paths from the
// control planes' core entities.
func isPlatformPath(segs []string) bool {
	return len(segs) > 0 && segs[0] == "v3" || len(segs) == 2 && segs[0] == "v2" && segs[1] == "metrics"
}

// servePlatform routes the catalog and analytics.
func (a *admin) servePlatform(w http.ResponseWriter, r *http.Request, segs []string) {
	p := &platformRequest{w: w, r: r, a: a, segs: segs}
	var ep map[string]func()
	n := len(segs)
	switch {
	case n == 2 && segs[0] == "v2":
		ep = map[string]func(){http.MethodPost: p.metrics}
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
func (p *platformRequest) locked(write bool, fn func(s *store) (int, any, *problem)) {
	s := p.a.store
	var status int
	var body any
	var pr *problem
	s.locked(write, func() { status, body, pr = fn(s) })
	switch {
	case pr != nil:
		p.fail(pr)
	case status == http.StatusNoContent:
		p.w.WriteHeader(status)
	default:
		sendJSON(p.w, status, body)
	}
}
