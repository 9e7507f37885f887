package localkong

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The plugins', consumers' and credentials' Admin API responses are
// checked against Kong's Admin API OpenAPI document (Kong Gateway 3.10,
// shared/reference/kong-admin-ee-3.10.openapi.yaml, found as the Konnect
// documents are; skipped with a log line without it).

const adminDoc = "kong-admin-ee-3.10.openapi.yaml"

// adminPath finds the document's path for a request path: the one whose
// literal segments match, the most literal first (/plugins/enabled is
// not /plugins/{PluginId}).
func adminPath(doc *openapi3.T, path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best, bestLit := "", -1
	for tmpl := range doc.Paths.Map() {
		ts := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(ts) != len(segs) || strings.HasPrefix(tmpl, "/{workspace}") {
			continue
		}
		lit, ok := 0, true
		for i, t := range ts {
			switch {
			case strings.HasPrefix(t, "{"):
			case t == segs[i]:
				lit++
			default:
				ok = false
			}
		}
		if ok && lit > bestLit {
			best, bestLit = tmpl, lit
		}
	}
	return best
}

// checkAdmin validates a response body against the operation's schema for
// its status. Statuses the document does not list for the operation (most
// errors) are not checked.
func checkAdmin(t *testing.T, doc *openapi3.T, method, path string, r *response) {
	t.Helper()
	tmpl := adminPath(doc, path)
	item := doc.Paths.Find(tmpl)
	if item == nil || item.GetOperation(method) == nil {
		t.Errorf("%s %s: no such operation in the Admin API document", method, path)
		return
	}
	ref := item.GetOperation(method).Responses.Status(r.status)
	if ref == nil || ref.Value == nil {
		if r.status < 400 {
			t.Errorf("%s %s: %d is not a status the document lists", method, tmpl, r.status)
		}
		return
	}
	if ref.Value.Content == nil {
		return
	}
	mt := ref.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return
	}
	var v any
	if err := json.Unmarshal(r.raw, &v); err != nil {
		t.Errorf("%s %s: body is not JSON: %q", method, tmpl, r.raw)
		return
	}
	// PaginationNextResponse says "URI to the next page (may be null)"
	// but is not marked nullable; Kong sends null on the last page.
	if m, ok := v.(map[string]any); ok {
		if next, has := m["next"]; has && next == nil {
			delete(m, "next")
		}
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse()); err != nil {
		t.Errorf("%s %s: %d body does not match the document:\n%s\nbody: %s", method, tmpl, r.status, err, r.raw)
	}
}

func TestAdminPluginsMatchOpenAPI(t *testing.T) {
	doc := loadSpec(t, adminDoc)
	if doc == nil {
		t.Skip("no Admin API document")
	}
	c := newClient(t, Options{})
	do := func(method, path string, body any, status int) map[string]any {
		t.Helper()
		r := c.do(method, path, body)
		if r.status != status {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, r.status, status, r.raw)
		}
		checkAdmin(t, doc, method, path, r)
		return r.body
	}
	do("POST", "/services", obj{"name": "svc", "host": "example.test"}, 201)
	do("POST", "/services/svc/routes", obj{"name": "r", "paths": []any{"/r"}}, 201)
	for _, name := range []string{"rate-limiting", "cors", "key-auth", "request-transformer", "acl"} {
		do("GET", "/schemas/plugins/"+name, nil, 200)
	}
	p := do("POST", "/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 3}, "tags": []any{"t"}}, 201)
	id := p["id"].(string)
	do("GET", "/plugins/"+id, nil, 200)
	do("PATCH", "/plugins/"+id, obj{"enabled": false}, 200)
	do("PUT", "/plugins/"+id, obj{"name": "rate-limiting", "config": obj{"hour": 3}}, 200)
	do("GET", "/plugins?tags=t", nil, 200)
	sp := do("POST", "/services/svc/plugins", obj{"name": "key-auth"}, 201)
	do("GET", "/services/svc/plugins", nil, 200)
	do("GET", "/services/svc/plugins/"+sp["id"].(string), nil, 200)
	rp := do("POST", "/routes/r/plugins", obj{"name": "cors"}, 201)
	do("GET", "/routes/r/plugins/"+rp["id"].(string), nil, 200)
	do("POST", "/consumers", obj{"username": "alice", "custom_id": "a"}, 201)
	do("GET", "/consumers", nil, 200)
	do("GET", "/consumers/alice", nil, 200)
	do("POST", "/consumers/alice/plugins", obj{"name": "rate-limiting", "config": obj{"second": 1}}, 201)
	do("GET", "/consumers/alice/plugins", nil, 200)
	k := do("POST", "/consumers/alice/key-auth", obj{"ttl": 100}, 201)
	do("GET", "/consumers/alice/key-auth", nil, 200)
	do("GET", "/key-auths", nil, 200)
	do("GET", "/key-auths/"+k["id"].(string), nil, 200)
	do("POST", "/consumers/alice/basic-auth", obj{"username": "alice", "password": "pw"}, 201)
	do("GET", "/basic-auths", nil, 200)
	do("POST", "/consumers/alice/acls", obj{"group": "g"}, 201)
	do("GET", "/consumers/alice/acls/g", nil, 200)
	do("GET", "/acls", nil, 200)
	j := do("POST", "/consumers/alice/jwt", obj{}, 201)
	do("GET", "/jwts/"+j["id"].(string), nil, 200)
	do("DELETE", "/plugins/"+id, nil, http.StatusNoContent)
	do("DELETE", "/consumers/alice", nil, http.StatusNoContent)
}

// In Konnect mode the same entities answer as Konnect's control plane
// configuration document (konnect-control-planes-config-v2) says.
func TestKonnectPluginsMatchOpenAPI(t *testing.T) {
	doc := loadSpec(t, "konnect-control-planes-config-v2.openapi.yaml")
	if doc == nil {
		t.Skip("no Konnect control planes document")
	}
	c := newClient(t, Options{Konnect: true})
	c.header.Set("Authorization", "Bearer kpat_x")
	const base = "/v2/control-planes/5ca1ab1e-0000-4000-8000-00000000c0de/core-entities"
	do := func(method, path string, body any, status int) map[string]any {
		t.Helper()
		r := c.do(method, base+path, body)
		if r.status != status {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, r.status, status, r.raw)
		}
		checkAdmin(t, doc, method, strings.TrimPrefix(base, "/v2")+path, r)
		return r.body
	}
	do("POST", "/services", obj{"name": "svc", "host": "example.test"}, 201)
	p := do("POST", "/services/svc/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 3}}, 201)
	do("GET", "/plugins/"+p["id"].(string), nil, 200)
	do("PUT", "/plugins/"+p["id"].(string), obj{"name": "rate-limiting", "config": obj{"minute": 4}}, 200)
	do("GET", "/plugins", nil, 200)
	do("GET", "/schemas/plugins/rate-limiting", nil, 200)
	do("POST", "/consumers", obj{"username": "alice"}, 201)
	do("POST", "/consumers/alice/key-auth", obj{}, 201)
	do("GET", "/key-auths", nil, 200)
	do("POST", "/consumers/alice/acls", obj{"group": "g"}, 201)
	do("POST", "/consumers/alice/basic-auth", obj{"username": "a", "password": "p"}, 201)
	do("POST", "/consumers/alice/jwt", obj{}, 201)
	do("GET", "/jwts", nil, 200)
	do("DELETE", "/consumers/alice", nil, http.StatusNoContent)
}
