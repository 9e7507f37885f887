package localkong

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestServiceDefaults(t *testing.T) {
	c := newClient(t, Options{})
	body := c.must(201, "POST", "/services", obj{"host": "service.test"})
	want := obj{
		"name": nil, "retries": 5, "protocol": "http", "host": "service.test", "port": 80,
		"path": nil, "connect_timeout": 60000, "write_timeout": 60000, "read_timeout": 60000,
		"tags": nil, "client_certificate": nil, "tls_verify": nil, "tls_verify_depth": nil,
		"ca_certificates": nil, "enabled": true,
	}
	for k, v := range normalise(want) {
		if got, ok := body[k]; !ok || mustJSON(got) != mustJSON(v) {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	if len(body) != len(want)+3 {
		t.Errorf("keys: %v", body)
	}
	if !store.IsUUID(body["id"].(string)) || body["created_at"] == nil || body["updated_at"] == nil {
		t.Errorf("id/timestamps: %v", body)
	}
	if _, ok := body["url"]; ok {
		t.Errorf("url must never be returned")
	}
}

func TestServiceURLExpansion(t *testing.T) {
	c := newClient(t, Options{})
	for _, tc := range []struct {
		url, protocol, host string
		port                int
		path                any
	}{
		{"http://service.test/", "http", "service.test", 80, "/"},
		{"https://service.test/", "https", "service.test", 443, "/"},
		{"http://example.test:443", "http", "example.test", 443, nil},
		{"https://example2.test:80/", "https", "example2.test", 80, "/"},
		{"http://edited2.test:1234/foo", "http", "edited2.test", 1234, "/foo"},
	} {
		body := c.must(201, "POST", "/services", obj{"url": tc.url, "host": "ignored.test", "port": 1})
		got := fmt.Sprint(body["protocol"], " ", body["host"], " ", body["port"], " ", body["path"])
		want := fmt.Sprint(tc.protocol, " ", tc.host, " ", float64(tc.port), " ", tc.path)
		if got != want {
			t.Errorf("url %s: got %s, want %s", tc.url, got, want)
		}
	}
	c.expect("POST", "/services", obj{"url": "invalid url"}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "2 schema violations (host: required field missing; path: should start with: /)",
		"fields":  obj{"host": "required field missing", "path": "should start with: /"},
	})
	// PATCH with a url that has no path clears the path.
	svc := c.must(201, "POST", "/services", obj{"url": "http://a.test/old"})
	body := c.must(200, "PATCH", "/services/"+svc["id"].(string), obj{"url": "https://b.test"})
	if body["path"] != nil || body["host"] != "b.test" || body["port"] != float64(443) {
		t.Errorf("PATCH url: %v", body)
	}
}

func TestServiceNames(t *testing.T) {
	c := newClient(t, Options{})
	c.must(201, "POST", "/services", obj{"name": "foo", "host": "example.com"})
	// Names are case-sensitive.
	c.must(201, "POST", "/services", obj{"name": "Foo", "host": "example.com"})
	c.expect("POST", "/services", obj{"name": "foo", "host": "example.com"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"message": `UNIQUE violation detected on '{name="foo"}'`, "fields": obj{"name": "foo"},
	})
	if got := c.must(200, "GET", "/services/Foo", nil)["name"]; got != "Foo" {
		t.Errorf("GET /services/Foo: %v", got)
	}
	c.expect("GET", "/services/FOO", nil, 404, obj{"message": "Not found"})
	// An invalid name in the path is code 10, for every method.
	for _, m := range []string{"GET", "PUT", "PATCH", "DELETE"} {
		c.expect(m, "/services/foo%20bar", obj{}, 400, obj{
			"code": 10, "name": "invalid unique name",
			"message": "invalid value 'foo bar': the only accepted ascii characters are alphanumerics or ., -, _, and ~",
		})
	}
	// Path segments are unescaped.
	c.must(201, "POST", "/services", obj{"name": "円", "host": "example.com"})
	if got := c.must(200, "GET", "/services/%E5%86%86", nil)["name"]; got != "円" {
		t.Errorf("unescaped lookup: %v", got)
	}
	// Ids are matched case-insensitively and come back lowercased.
	id := c.must(201, "POST", "/services", obj{"id": "6B6F8D2B-D6A1-4F7F-8B5D-C1C2C3C4C5C6", "host": "example.com"})["id"]
	if id != "6b6f8d2b-d6a1-4f7f-8b5d-c1c2c3c4c5c6" {
		t.Errorf("id not lowercased: %v", id)
	}
	c.must(200, "GET", "/services/6B6F8D2B-D6A1-4F7F-8B5D-C1C2C3C4C5C6", nil)
	c.expect("POST", "/services", obj{"id": id, "host": "example.com"}, 400, obj{
		"code": 3, "name": "primary key violation",
		"message": `primary key violation on key '{id="6b6f8d2b-d6a1-4f7f-8b5d-c1c2c3c4c5c6"}'`,
		"fields":  obj{"id": id},
	})
}

func TestServicePut(t *testing.T) {
	c := newClient(t, Options{})
	id := "a1b2c3d4-0000-4000-8000-000000000001"
	body := c.must(200, "PUT", "/services/"+id, obj{"id": "a1b2c3d4-0000-4000-8000-0000000000ff", "host": "one.test", "retries": 9})
	if body["id"] != id || body["retries"] != float64(9) {
		t.Fatalf("PUT by id: %v", body)
	}
	// A PUT replaces the whole entity: what is not sent gets its default.
	body = c.must(200, "PUT", "/services/"+id, obj{"host": "two.test", "created_at": 42})
	if body["retries"] != float64(5) || body["host"] != "two.test" || body["created_at"] != float64(42) {
		t.Errorf("PUT replace: %v", body)
	}
	// created_at resets to now unless sent.
	body = c.must(200, "PUT", "/services/"+id, obj{"host": "two.test"})
	if ts := body["created_at"].(float64); ts < float64(time.Now().Unix()-60) {
		t.Errorf("created_at not reset: %v", ts)
	}
	// By name: the URL name wins; a new entity gets a fresh id.
	body = c.must(200, "PUT", "/services/by-name", obj{"name": "other", "host": "three.test"})
	if body["name"] != "by-name" || !store.IsUUID(body["id"].(string)) {
		t.Errorf("PUT by name: %v", body)
	}
	again := c.must(200, "PUT", "/services/by-name", obj{"host": "four.test"})
	if again["id"] != body["id"] || again["host"] != "four.test" {
		t.Errorf("PUT by name replace: %v", again)
	}
	// A body id taken by another entity is a primary key violation.
	c.expect("PUT", "/services/by-name", obj{"id": id, "host": "x.test"}, 400, obj{
		"code": 3, "name": "primary key violation",
		"message": fmt.Sprintf(`primary key violation on key '{id="%s"}'`, id), "fields": obj{"id": id},
	})
	// A name held by another entity is a 409.
	c.expect("PUT", "/services/"+id, obj{"name": "by-name", "host": "x.test"}, 409, nil)
	// PUT validates like an insert.
	c.expect("PUT", "/services/"+id, obj{"connect_timeout": "foobar"}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "2 schema violations (connect_timeout: expected an integer; host: required field missing)",
		"fields":  obj{"connect_timeout": "expected an integer", "host": "required field missing"},
	})
}

func TestServicePatch(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "p", "host": "example.com", "path": "/x", "retries": 3, "created_at": 100})
	id := svc["id"].(string)
	body := c.must(200, "PATCH", "/services/p", obj{"port": 8080, "id": "ffffffff-0000-4000-8000-000000000000"})
	if body["port"] != float64(8080) || body["retries"] != float64(3) || body["path"] != "/x" || body["id"] != id {
		t.Errorf("PATCH merge: %v", body)
	}
	if body["created_at"] != float64(100) {
		t.Errorf("PATCH keeps created_at: %v", body["created_at"])
	}
	body = c.must(200, "PATCH", "/services/"+id, obj{"path": nil, "name": nil})
	if body["path"] != nil || body["name"] != nil {
		t.Errorf("PATCH null clears: %v", body)
	}
	c.expect("PATCH", "/services/00000000-0000-4000-8000-000000000000", obj{}, 404, obj{
		"code": 6, "name": "not found",
		"message": `could not find the entity with primary key '{id="00000000-0000-4000-8000-000000000000"}'`,
		"fields":  obj{"id": "00000000-0000-4000-8000-000000000000"},
	})
	c.expect("PATCH", "/services/nope", obj{}, 404, obj{
		"code": 6, "name": "not found",
		"message": `could not find the entity with '{name="nope"}'`, "fields": obj{"name": "nope"},
	})
	c.must(201, "POST", "/services", obj{"name": "taken", "host": "example.com"})
	c.expect("PATCH", "/services/"+id, obj{"name": "taken"}, 409, nil)
	// Validation runs on the merged entity.
	c.must(200, "PATCH", "/services/"+id, obj{"path": "/y"})
	r := c.do("PATCH", "/services/"+id, obj{"protocol": "tcp"})
	if r.status != 400 || !strings.Contains(r.body["message"].(string), "path: value must be null") {
		t.Errorf("PATCH merged validation: %d %s", r.status, r.raw)
	}
}

func TestServiceDelete(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "d", "host": "example.com"})
	route := c.must(201, "POST", "/routes", obj{"paths": []any{"/d"}, "service": obj{"id": svc["id"]}})
	c.expect("DELETE", "/services/d", nil, 400, obj{
		"code": 4, "name": "foreign key violation",
		"message": "an existing 'routes' entity references this 'services' entity",
		"fields":  obj{"@referenced_by": "routes"},
	})
	c.must(204, "DELETE", "/routes/"+route["id"].(string), nil)
	c.must(204, "DELETE", "/services/d", nil)
	c.must(204, "DELETE", "/services/d", nil)
	c.must(204, "DELETE", "/services/00000000-0000-4000-8000-000000000000", nil)
	c.expect("GET", "/services/d", nil, 404, obj{"message": "Not found"})
}

func TestRouteDefaultsAndReferences(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.com"})
	sid := svc["id"].(string)
	body := c.must(201, "POST", "/routes", obj{"hosts": []any{"example.com"}, "service": svc})
	want := normalise(obj{
		"name": nil, "protocols": []any{"http", "https"}, "methods": nil, "hosts": []any{"example.com"},
		"headers": nil, "paths": nil, "snis": nil, "sources": nil, "destinations": nil,
		"regex_priority": 0, "preserve_host": false, "strip_path": true, "path_handling": "v0",
		"tags": nil, "service": obj{"id": sid}, "https_redirect_status_code": 426,
		"request_buffering": true, "response_buffering": true,
	})
	for k, v := range want {
		if mustJSON(body[k]) != mustJSON(v) {
			t.Errorf("route %s = %v, want %v", k, body[k], v)
		}
	}
	if len(body) != len(want)+3 {
		t.Errorf("route keys: %v", body)
	}
	// By name, resolved to the id.
	body = c.must(201, "POST", "/routes", obj{"paths": []any{"/n"}, "service": obj{"name": "svc"}})
	if mustJSON(body["service"]) != mustJSON(obj{"id": sid}) {
		t.Errorf("service by name: %v", body["service"])
	}
	missing := "00000000-0000-4000-8000-000000000000"
	c.expect("POST", "/routes", obj{"paths": []any{"/x"}, "service": obj{"id": missing}}, 400, obj{
		"code": 4, "name": "foreign key violation",
		"message": fmt.Sprintf(`the foreign key '{id="%s"}' does not reference an existing 'services' entity.`, missing),
		"fields":  obj{"service": obj{"id": missing}},
	})
	msg := `the foreign key cannot be resolved with '{name="x"}' for an existing 'services' entity`
	c.expect("POST", "/routes", obj{"paths": []any{"/x"}, "service": obj{"name": "x"}}, 400, obj{
		"code": 13, "name": "foreign keys unresolved",
		"message": "foreign key unresolved (service.name: " + msg + ")",
		"fields":  obj{"service": obj{"name": msg}},
	})
	c.expect("POST", "/routes", obj{}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https')",
		"fields":  obj{"@entity": []any{"must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"}},
	})
	// null detaches.
	body = c.must(200, "PATCH", "/routes/"+body["id"].(string), obj{"service": nil})
	if body["service"] != nil {
		t.Errorf("detach: %v", body["service"])
	}
}

// Kong resolves a service given by name before validating the route, so an
// unknown name is reported instead of the body's schema errors, on every
// write method.
func TestRouteServiceResolvedFirst(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.com"})
	route := c.must(201, "POST", "/routes", obj{"name": "r", "paths": []any{"/r"}})
	msg := `the foreign key cannot be resolved with '{name="nope"}' for an existing 'services' entity`
	unresolved := obj{
		"code": 13, "name": "foreign keys unresolved",
		"message": "foreign key unresolved (service.name: " + msg + ")",
		"fields":  obj{"service": obj{"name": msg}},
	}
	bad := obj{"paths": []any{"bad"}, "protocols": []any{"http"}, "service": obj{"name": "nope"}}
	c.expect("POST", "/routes", bad, 400, unresolved)
	c.expect("PUT", "/routes/other", bad, 400, unresolved)
	c.expect("PATCH", "/routes/r", bad, 400, unresolved)
	c.expect("POST", "/routes", obj{"service": obj{"name": "nope"}}, 400, unresolved)

	// A known name resolves, then the schema speaks.
	bad["service"] = obj{"name": "svc"}
	c.expect("POST", "/routes", bad, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (paths.1: should start with: / (fixed path) or ~/ (regex path))",
		"fields":  obj{"paths": []any{"should start with: / (fixed path) or ~/ (regex path)"}},
	})
	// By name on PATCH too, and nothing was written by the failures.
	body := c.must(200, "PATCH", "/routes/r", obj{"service": obj{"name": "svc"}})
	if mustJSON(body["service"]) != mustJSON(obj{"id": svc["id"]}) || body["id"] != route["id"] {
		t.Errorf("PATCH by name: %s", mustJSON(body))
	}
	if list := c.must(200, "GET", "/routes", nil); len(list["data"].([]any)) != 1 {
		t.Errorf("routes after failed writes: %s", mustJSON(list))
	}
}

func TestNestedServiceRoutes(t *testing.T) {
	c := newClient(t, Options{})
	a := c.must(201, "POST", "/services", obj{"name": "a", "host": "a.test"})
	b := c.must(201, "POST", "/services", obj{"name": "b", "host": "b.test"})
	var mine []string
	for i := 0; i < 3; i++ {
		// POST forces the parent, whatever the body says.
		r := c.must(201, "POST", "/services/a/routes", obj{"paths": []any{fmt.Sprintf("/a%d", i)}, "service": obj{"id": b["id"]}})
		if store.RefID(r["service"]) != a["id"] {
			t.Fatalf("nested POST service = %v", r["service"])
		}
		mine = append(mine, r["id"].(string))
	}
	other := c.must(201, "POST", "/services/b/routes", obj{"paths": []any{"/b"}})

	list := c.must(200, "GET", "/services/a/routes?size=2&tags=ignored", nil)
	if len(list["data"].([]any)) != 2 {
		t.Fatalf("nested page: %v", list)
	}
	if next := list["next"].(string); next != "/services/a/routes?offset="+store.EscapeURI(list["offset"].(string)) {
		t.Errorf("nested next = %s", next)
	}
	rest := c.must(200, "GET", "/services/a/routes?offset="+store.EscapeURI(list["offset"].(string)), nil)
	if got := len(ids(list)) + len(ids(rest)); got != 3 || rest["next"] != nil {
		t.Errorf("nested pages: %d routes, next %v", got, rest["next"])
	}
	c.expect("GET", "/services/zzz/routes", nil, 404, obj{"message": "Not found"})
	c.expect("POST", "/services/zzz/routes", obj{"paths": []any{"/z"}}, 404, obj{"message": "Not found"})

	// Membership is checked on GET, PATCH and DELETE.
	oid := other["id"].(string)
	c.expect("GET", "/services/a/routes/"+oid, nil, 404, obj{"message": "Not found"})
	c.expect("PATCH", "/services/a/routes/"+oid, obj{}, 404, obj{"message": "Not found"})
	c.expect("DELETE", "/services/a/routes/"+oid, nil, 404, obj{"message": "Not found"})
	c.must(200, "GET", "/services/a/routes/"+mine[0], nil)
	r := c.must(200, "PATCH", "/services/a/routes/"+mine[0], obj{"name": "r0"})
	if r["name"] != "r0" || store.RefID(r["service"]) != a["id"] {
		t.Errorf("nested PATCH: %v", r)
	}
	// PUT moves a route of another service to this one.
	r = c.must(200, "PUT", "/services/a/routes/"+oid, obj{"paths": []any{"/moved"}})
	if store.RefID(r["service"]) != a["id"] {
		t.Errorf("nested PUT did not move: %v", r["service"])
	}
	c.must(204, "DELETE", "/services/a/routes/"+mine[1], nil)
	c.expect("DELETE", "/services/a/routes/"+mine[1], nil, 404, obj{"message": "Not found"})
}

func TestRouteService(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "rs", "host": "example.com"})
	with := c.must(201, "POST", "/routes", obj{"name": "with", "paths": []any{"/w"}, "service": obj{"id": svc["id"]}})
	c.must(201, "POST", "/routes", obj{"name": "without", "paths": []any{"/wo"}})

	if got := c.must(200, "GET", "/routes/with/service", nil)["id"]; got != svc["id"] {
		t.Errorf("GET route service: %v", got)
	}
	c.expect("GET", "/routes/without/service", nil, 404, obj{"message": "Not found"})
	c.expect("GET", "/routes/missing/service", nil, 404, obj{"message": "Not found"})

	body := c.must(200, "PATCH", "/routes/with/service", obj{"url": "http://edited.test:1234/foo"})
	if body["host"] != "edited.test" || body["port"] != float64(1234) || body["id"] != svc["id"] {
		t.Errorf("PATCH route service: %v", body)
	}
	c.expect("PATCH", "/routes/without/service", obj{}, 404, obj{"message": "Not found"})

	body = c.must(200, "PUT", "/routes/with/service", obj{"host": "replaced.test"})
	if body["id"] != svc["id"] || body["port"] != float64(80) {
		t.Errorf("PUT route service: %v", body)
	}
	// PUT on a route without a service creates one and attaches it.
	created := c.must(200, "PUT", "/routes/without/service", obj{"host": "new.test"})
	if got := c.must(200, "GET", "/routes/without", nil)["service"]; store.RefID(got) != created["id"] {
		t.Errorf("route not attached: %v vs %v", got, created["id"])
	}
	c.expect("PUT", "/routes/missing/service", obj{"host": "x.test"}, 404, obj{"message": "Not found"})

	c.expect("DELETE", "/routes/with/service", nil, 405, obj{"message": "Method not allowed"})
	c.expect("POST", "/routes/with/service", obj{}, 405, obj{"message": "Method not allowed"})
	c.must(200, "PATCH", "/routes/without", obj{"service": nil})
	c.expect("DELETE", "/routes/without/service", nil, 404, obj{"message": "Not found"})
	if with["service"] == nil {
		t.Fatal("fixture route lost its service")
	}
}

func TestSchemasEndpoints(t *testing.T) {
	c := newClient(t, Options{})
	for _, e := range []string{"services", "routes", "targets", "upstreams", "plugins", "ca_certificates", "certificates", "consumers", "snis", "tags"} {
		body := c.must(200, "GET", "/schemas/"+e, nil)
		if _, ok := body["fields"].([]any); !ok {
			t.Errorf("/schemas/%s has no fields", e)
		}
	}
	c.expect("GET", "/schemas/nope", nil, 404, obj{"message": "No entity named 'nope'"})
	c.expect("POST", "/schemas/services/validate", obj{"host": "example.com"}, 200, obj{"message": "schema validation successful"})
	r := c.do("POST", "/schemas/services/validate", obj{"host": "example.com", "protocol": "nope"})
	if r.status != 400 || r.body["code"] != float64(2) || !strings.Contains(r.body["message"].(string), "protocol") {
		t.Errorf("invalid service validate: %d %s", r.status, r.raw)
	}
	// No database checks: an unknown service reference validates.
	c.expect("POST", "/schemas/routes/validate", obj{"paths": []any{"/"}, "service": obj{"id": "00000000-0000-4000-8000-000000000000"}}, 200, nil)
	r = c.do("POST", "/schemas/routes/validate", obj{"paths": []any{"/ok", "~/payment/(docs|health))"}})
	if r.status != 400 || !strings.HasPrefix(r.body["message"].(string), "schema violation (paths.2: invalid regex:") {
		t.Errorf("invalid regex validate: %d %s", r.status, r.raw)
	}
	c.expect("POST", "/schemas/nope/validate", obj{}, 404, obj{"message": "No entity named 'nope'"})

	// No lookups either: a service by name is a missing primary key, even
	// when it exists.
	c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.com"})
	c.expect("POST", "/schemas/routes/validate", obj{"paths": []any{"/"}, "service": obj{"name": "svc"}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (service.id: missing primary key)",
		"fields":  obj{"service": obj{"id": "missing primary key"}},
	})
	// Entities localkong does not store are validated too.
	c.expect("POST", "/schemas/consumers/validate", obj{}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (at least one of these fields must be non-empty: 'custom_id', 'username')",
		"fields":  obj{"@entity": []any{"at least one of these fields must be non-empty: 'custom_id', 'username'"}},
	})
	c.expect("POST", "/schemas/consumers/validate", obj{"username": "u"}, 200, nil)
}
