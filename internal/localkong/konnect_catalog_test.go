package localkong

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// konnectClient calls the catalog and analytics with a bearer token and
// checks every response against Konnect's OpenAPI documents.
type konnectClient struct {
	*client
	srv           *Server
	cat, met, cps *openapi3.T
}

func newKonnect(t *testing.T, opts Options) *konnectClient {
	t.Helper()
	opts.Konnect = true
	if opts.AdminToken == "" {
		opts.AdminToken = "kpat_test"
	}
	srv := startServer(t, opts)
	c := &client{t: t, base: srv.AdminURL, header: http.Header{}}
	c.header.Set("Authorization", "Bearer "+opts.AdminToken)
	return &konnectClient{client: c, srv: srv, cat: loadSpec(t, catalogDoc), met: loadSpec(t, metricsDoc), cps: loadSpec(t, controlPlanesDoc)}
}

func (k *konnectClient) doc(path string) *openapi3.T {
	switch {
	case strings.HasPrefix(path, "/v3/"):
		return k.cat
	case strings.HasPrefix(path, "/v2/control-planes"):
		return k.cps
	}
	return k.met
}

// call sends a request, requires the status, checks the response against
// the document and returns the decoded body (nil without one).
func (k *konnectClient) call(method, path string, body any, status int) map[string]any {
	k.t.Helper()
	r := k.do(method, path, body)
	if r.status != status {
		k.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.status, status, r.raw)
	}
	checkResponse(k.t, k.doc(path), method, path, r)
	if len(r.raw) == 0 {
		return nil
	}
	var out map[string]any
	if err := json.Unmarshal(r.raw, &out); err != nil {
		k.t.Fatalf("%s %s: %v: %s", method, path, err, r.raw)
	}
	return out
}

var traceInstance = regexp.MustCompile(`^kong:trace:\d+$`)

// problem requires a problem+json error whose body, instance and type
// aside, is want; example names a document example it must also equal.
func (k *konnectClient) problem(method, path string, body any, status int, want map[string]any, example string) map[string]any {
	k.t.Helper()
	r := k.do(method, path, body)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		k.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	got := k.call(method, path, body, status)
	if !traceInstance.MatchString(fmt.Sprint(got["instance"])) {
		k.t.Errorf("%s %s: instance %v", method, path, got["instance"])
	}
	if got["type"] != fmt.Sprintf("https://httpstatuses.com/%d", status) {
		k.t.Errorf("%s %s: type %v", method, path, got["type"])
	}
	delete(got, "instance")
	delete(got, "type")
	if want != nil && !reflect.DeepEqual(got, normalise(want)) {
		k.t.Errorf("%s %s:\n got %s\nwant %s", method, path, mustJSON(got), mustJSON(want))
	}
	if ex := specExample(k.t, k.doc(path), example); ex != nil {
		ex = normalise(ex)
		delete(ex, "instance")
		if !reflect.DeepEqual(got, ex) {
			k.t.Errorf("%s %s: not the document's %s:\n got %s\nwant %s", method, path, example, mustJSON(got), mustJSON(ex))
		}
	}
	return got
}

func badParams(items ...obj) obj {
	list := make([]any, len(items))
	for i, it := range items {
		list[i] = it
	}
	return obj{"status": 400, "title": "Invalid Request", "detail": "Invalid Parameters", "invalid_parameters": list}
}

func TestKonnectCatalogAuth(t *testing.T) {
	k := newKonnect(t, Options{AdminToken: "kpat_right"})
	paths := []struct{ method, path string }{
		{"GET", "/v3/apis"}, {"POST", "/v3/apis"}, {"GET", "/v3/apis/" + DefaultControlPlaneID},
		{"GET", "/v3/api-implementations"}, {"POST", "/v2/metrics"},
	}
	for _, p := range paths {
		k.header.Del("Authorization")
		k.problem(p.method, p.path, nil, 401, obj{"status": 401, "title": "Unauthorized", "detail": "No API key found in request"}, "")
		k.header.Set("Authorization", "Bearer kpat_wrong")
		k.problem(p.method, p.path, nil, 401, obj{"status": 401, "title": "Unauthorized", "detail": "Unauthorized"}, "")
	}
	// Kong-mode servers know nothing of the catalog.
	c := newClient(t, Options{})
	c.expect("GET", "/v3/apis", nil, 404, obj{"message": "Not found"})
}

func TestKonnectAPICreate(t *testing.T) {
	k := newKonnect(t, Options{})
	body := k.call("POST", "/v3/apis", obj{"name": "myAPI"}, 201)
	ts := body["created_at"].(string)
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", ts); err != nil || body["updated_at"] != ts {
		t.Errorf("timestamps %v %v", ts, body["updated_at"])
	}
	delete(body, "created_at")
	delete(body, "updated_at")
	id := body["id"].(string)
	want := obj{"id": id, "name": "myAPI", "description": nil, "version": nil, "slug": "my-api",
		"current_version_summary": nil, "api_spec_ids": []any{}, "portals": []any{}, "labels": obj{},
		"attributes": obj{}, "implementation_mode": nil}
	if !reflect.DeepEqual(body, normalise(want)) {
		t.Errorf("minimal API:\n got %s\nwant %s", mustJSON(body), mustJSON(want))
	}

	// The document's full example, and its slugify example (myAPI + v1 → my-api-v1).
	full := specExample(t, k.cat, "CreateApiRequestFullExample")
	if full == nil {
		full = obj{"name": "myAPI", "version": "v1", "slug": "my-api-v1", "labels": obj{"env": "test"}}
	}
	body = k.call("POST", "/v3/apis", full, 201)
	if body["slug"] != "my-api-v1" || body["version"] != "v1" || !reflect.DeepEqual(body["labels"], obj{"env": "test"}) {
		t.Errorf("full example: %v", body)
	}
	for _, c := range []struct{ name, version, slug string }{
		{"myAPI", "v2", "my-api-v2"},
		{"Payments API", "2.0.1", "payments-api-2-0-1"},
		{"APIKeyService", "v1Beta", "api-key-service-v1-beta"},
	} {
		if got := k.call("POST", "/v3/apis", obj{"name": c.name, "version": c.version}, 201)["slug"]; got != c.slug {
			t.Errorf("slug of %s %s = %v, want %s", c.name, c.version, got, c.slug)
		}
	}
	if got := k.call("POST", "/v3/apis", obj{"name": "!!!", "version": nil}, 201)["slug"]; got != nil {
		t.Errorf("slug of !!! = %v, want null", got)
	}

	// name + version is unique; so are slugs.
	k.problem("POST", "/v3/apis", obj{"name": "myAPI", "version": "v1"}, 409,
		obj{"status": 409, "title": "Conflict", "detail": "API with name [myAPI] and version [v1] already exists"}, "")
	k.problem("POST", "/v3/apis", obj{"name": "myAPI"}, 409,
		obj{"status": 409, "title": "Conflict", "detail": "API with name [myAPI] and no version already exists"}, "")
	k.problem("POST", "/v3/apis", obj{"name": "other", "slug": "my-api-v1"}, 409,
		obj{"status": 409, "title": "Conflict", "detail": "API with slug [my-api-v1] already exists"}, "")

	// Bad bodies.
	k.problem("POST", "/v3/apis", obj{"name": ""}, 400, badParams(obj{"field": "name", "rule": "min_length", "minimum": 1,
		"reason": "name must be longer than or equal to 1 characters"}), "ApiNameBadRequestExample")
	k.problem("POST", "/v3/apis", obj{"version": "v1", "colour": "red"}, 400, badParams(
		obj{"field": "colour", "rule": "unknown_property", "reason": "property colour should not exist"},
		obj{"field": "name", "rule": "required", "reason": "name is a required field"}), "")
	k.problem("POST", "/v3/apis", obj{"name": strings.Repeat("x", 256), "slug": "a b", "version": 1}, 400, badParams(
		obj{"field": "name", "rule": "max_length", "maximum": 255, "reason": "name must be shorter than or equal to 255 characters"},
		obj{"field": "slug", "rule": "matches_regex", "reason": `slug must match /^[\w-]+$/ regular expression`},
		obj{"field": "version", "rule": "is_string", "reason": "version must be a string"}), "")
	r := k.problem("POST", "/v3/apis", obj{"name": "l", "labels": obj{"kong-x": "a", "ok": "-bad"}}, 400, nil, "")
	if ps := r["invalid_parameters"].([]any); len(ps) != 2 || ps[0].(map[string]any)["rule"] != "is_label" || ps[1].(map[string]any)["field"] != "labels.ok" {
		t.Errorf("labels: %v", ps)
	}
	k.problem("POST", "/v3/apis", `{"name":"x"}`, 415, obj{"status": 415, "title": "Unsupported Media Type",
		"detail": "This API only supports requests with `Content-Type: application/json`"}, "UnsupportedMediaTypeExample")
}

func TestKonnectAPISpecContent(t *testing.T) {
	k := newKonnect(t, Options{})
	spec := "openapi: 3.0.3\ninfo:\n  title: Payments\n  version: 1.2.0\npaths: {}\n"
	body := k.call("POST", "/v3/apis", obj{"name": "payments", "version": "v1", "spec_content": spec}, 201)
	sum, _ := body["current_version_summary"].(map[string]any)
	if sum == nil || sum["version"] != "1.2.0" || !reflect.DeepEqual(sum["spec"], obj{"type": "oas3"}) {
		t.Fatalf("summary: %v", body["current_version_summary"])
	}
	if ids := body["api_spec_ids"].([]any); len(ids) != 1 || ids[0] != sum["id"] {
		t.Errorf("api_spec_ids %v", ids)
	}
	if _, ok := body["spec_content"]; ok {
		t.Error("spec_content is writeOnly but was returned")
	}
	got := k.call("GET", "/v3/apis/"+body["id"].(string), nil, 200)
	if !reflect.DeepEqual(got, body) {
		t.Errorf("GET differs from POST:\n%v\n%v", got, body)
	}
	swagger := `{"swagger": "2.0", "info": {"title": "x"}}`
	body = k.call("POST", "/v3/apis", obj{"name": "old", "version": "v9", "spec_content": swagger}, 201)
	if sum := body["current_version_summary"].(map[string]any); sum["version"] != "v9" || sum["spec"].(map[string]any)["type"] != "oas2" {
		t.Errorf("oas2 summary %v", sum)
	}
	k.problem("POST", "/v3/apis", obj{"name": "nov", "spec_content": `{"asyncapi": "2.6.0", "info": {}}`}, 400,
		badParams(obj{"field": "version", "rule": "missing_reference", "reason": "version must be provided if not included in spec_content"}),
		"ApiVersionBadRequestExample")
	k.problem("POST", "/v3/apis", obj{"name": "bad", "spec_content": "just text"}, 400, badParams(
		obj{"field": "spec_content", "rule": "invalid", "reason": "spec_content must be a JSON or YAML document"}), "")
}

func TestKonnectAPIReadPatchDelete(t *testing.T) {
	k := newKonnect(t, Options{})
	api := k.call("POST", "/v3/apis", obj{"name": "myAPI", "version": "v1", "labels": obj{"env": "test", "team": "a"}}, 201)
	id := api["id"].(string)
	path := "/v3/apis/" + id
	if got := k.call("GET", path, nil, 200); !reflect.DeepEqual(got, api) {
		t.Errorf("GET %v, POST %v", got, api)
	}
	notFound := obj{"status": 404, "title": "Not Found", "detail": "Not Found"}
	k.problem("GET", "/v3/apis/"+DefaultControlPlaneID, nil, 404, notFound, "ApiNotFoundExample")
	k.problem("GET", "/v3/apis/nope", nil, 404, notFound, "")

	time.Sleep(2 * time.Millisecond) // updated_at has millisecond precision
	// The document's example: a default slug follows the version.
	got := k.call("PATCH", path, obj{"version": "v2"}, 200)
	if got["version"] != "v2" || got["slug"] != "my-api-v2" || got["created_at"] != api["created_at"] || got["updated_at"] == api["updated_at"] {
		t.Errorf("PATCH version: %v", got)
	}
	// Labels sent replace the API's: env, left out, goes; a null value
	// is one left out; labels: null removes them all.
	got = k.call("PATCH", path, obj{"labels": obj{"team": nil, "tier": "gold"}, "description": "d"}, 200)
	if !reflect.DeepEqual(got["labels"], obj{"tier": "gold"}) || got["description"] != "d" {
		t.Errorf("PATCH labels: %v", got)
	}
	// A PATCH without labels leaves them.
	if got = k.call("PATCH", path, obj{"description": "e"}, 200); !reflect.DeepEqual(got["labels"], obj{"tier": "gold"}) {
		t.Errorf("PATCH without labels: %v", got["labels"])
	}
	// So do attributes: the map sent is the API's.
	k.call("PATCH", path, obj{"attributes": obj{"domains": []any{"web"}, "env": []any{"prod"}}}, 200)
	if got = k.call("PATCH", path, obj{"attributes": obj{"env": []any{"dev"}, "gone": nil}}, 200); !reflect.DeepEqual(got["attributes"], obj{"env": []any{"dev"}}) {
		t.Errorf("PATCH attributes: %v", got["attributes"])
	}
	if got = k.call("PATCH", path, obj{"labels": nil}, 200); !reflect.DeepEqual(got["labels"], obj{}) {
		t.Errorf("labels null: %v", got["labels"])
	}
	// A slug set by hand stays when the name changes.
	k.call("PATCH", path, obj{"slug": "mine"}, 200)
	if got = k.call("PATCH", path, obj{"name": "renamed"}, 200); got["slug"] != "mine" || got["name"] != "renamed" {
		t.Errorf("rename: %v", got)
	}
	other := k.call("POST", "/v3/apis", obj{"name": "other", "version": "v2"}, 201)
	k.problem("PATCH", path, obj{"name": "other"}, 409,
		obj{"status": 409, "title": "Conflict", "detail": "API with name [other] and version [v2] already exists"}, "")
	k.problem("PATCH", path, obj{"spec_content": "x", "name": ""}, 400, badParams(
		obj{"field": "name", "rule": "min_length", "minimum": 1, "reason": "name must be longer than or equal to 1 characters"},
		obj{"field": "spec_content", "rule": "unknown_property", "reason": "property spec_content should not exist"}), "")
	k.problem("PATCH", "/v3/apis/"+DefaultControlPlaneID, obj{"name": "x"}, 404, notFound, "")

	k.call("DELETE", path, nil, 204)
	k.problem("DELETE", path, nil, 404, notFound, "")
	k.problem("GET", path, nil, 404, notFound, "")
	k.call("GET", "/v3/apis/"+other["id"].(string), nil, 200)
	k.problem("PUT", path, obj{}, 405, obj{"status": 405, "title": "Method Not Allowed", "detail": "Method Not Allowed"}, "")
	k.problem("GET", "/v3/portals", nil, 404, notFound, "")
}

func TestKonnectAPIList(t *testing.T) {
	k := newKonnect(t, Options{})
	var ids []string
	for i := range 12 {
		body := obj{"name": fmt.Sprintf("svc-%02d", i), "version": []string{"v1", "v2"}[i%2]}
		if i < 3 {
			body["labels"] = obj{"env": "prod"}
			body["attributes"] = obj{"domains": []any{"web", fmt.Sprint("d", i)}}
		}
		ids = append(ids, k.call("POST", "/v3/apis", body, 201)["id"].(string))
	}
	page := func(query string, total int, want ...string) {
		t.Helper()
		body := k.call("GET", "/v3/apis"+query, nil, 200)
		var names []string
		for _, a := range body["data"].([]any) {
			names = append(names, a.(map[string]any)["name"].(string))
		}
		if strings.Join(names, ",") != strings.Join(want, ",") || body["meta"].(map[string]any)["page"].(map[string]any)["total"] != float64(total) {
			t.Errorf("%s: %v %v, want %v total %d", query, names, body["meta"], want, total)
		}
	}
	body := k.call("GET", "/v3/apis", nil, 200)
	if len(body["data"].([]any)) != 10 || !reflect.DeepEqual(body["meta"], obj{"page": obj{"number": 1.0, "size": 10.0, "total": 12.0}}) {
		t.Errorf("first page: %d items, meta %v", len(body["data"].([]any)), body["meta"])
	}
	page("?page[number]=2", 12, "svc-10", "svc-11")
	page("?page[size]=5&page[number]=3", 12, "svc-10", "svc-11")
	page("?page[size]=5&page[number]=4", 12)
	page("?filter[name][eq]=svc-03", 1, "svc-03")
	page("?filter[name]=svc-03", 1, "svc-03")
	page("?filter[name][eq]=svc-03&filter[version][eq]=v2", 1, "svc-03")
	page("?filter[name][eq]=svc-03&filter[version][eq]=v1", 0)
	page("?filter[version][eq]=v1&page[size]=3", 6, "svc-00", "svc-02", "svc-04")
	page("?filter[name][contains]=SVC-1", 2, "svc-10", "svc-11")
	page("?filter[name][ocontains]=-10,-09", 2, "svc-09", "svc-10")
	page("?filter[name][oeq]=svc-01,svc-02", 2, "svc-01", "svc-02")
	page("?filter[name][neq]=svc-02&filter[version][neq]=v2", 5, "svc-00", "svc-04", "svc-06", "svc-08", "svc-10")
	page("?filter[id][eq]="+strings.ToUpper(ids[4]), 1, "svc-04")
	page("?filter[id][oeq]="+ids[4]+","+ids[5], 2, "svc-04", "svc-05")
	page("?filter[labels.env][eq]=prod", 3, "svc-00", "svc-01", "svc-02")
	page("?filter[labels.env][neq]=prod&filter[name][oeq]=svc-02,svc-03", 1, "svc-03")
	page("?filter[attributes.domains][eq]=d1", 1, "svc-01")
	page("?filter[implementation_mode][eq]=gateway_entity_binding", 0)
	page("?sort=name%20desc&page[size]=2", 12, "svc-11", "svc-10")
	page("?sort=version%20desc,name&page[size]=3", 12, "svc-01", "svc-03", "svc-05")
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	page("?filter[created_at][gt]="+future, 0)
	page("?filter[created_at][lt]="+future+"&page[size]=1", 12, "svc-00")

	k.problem("GET", "/v3/apis?sort=colour", nil, 400, badParams(obj{"field": "sort", "rule": "enum",
		"choices": []any{"name", "version", "created_at", "updated_at"},
		"reason":  `"sort" field must contain any of: [name, version, created_at, updated_at]`}), "")
	k.problem("GET", "/v3/apis?filter[colour][eq]=red", nil, 400, nil, "")
	k.problem("GET", "/v3/apis?filter[name][lt]=x", nil, 400, badParams(obj{"field": "filter[name][lt]", "rule": "enum",
		"choices": []any{"eq", "oeq", "neq", "contains", "ocontains"},
		"reason":  `"filter[name][lt]" field must contain any of: [eq, oeq, neq, contains, ocontains]`}), "")
	k.problem("GET", "/v3/apis?filter[created_at][gt]=yesterday", nil, 400, badParams(obj{"field": "filter[created_at][gt]",
		"rule": "is_date_time", "reason": "filter[created_at][gt] must be an RFC 3339 date-time"}), "")
	k.problem("GET", "/v3/apis?page[size]=101", nil, 400, badParams(obj{"field": "page[size]", "rule": "max", "maximum": 100,
		"reason": "page[size] must not be greater than 100"}), "")
	k.problem("GET", "/v3/apis?page[number]=0", nil, 400, badParams(obj{"field": "page[number]", "rule": "min", "minimum": 1,
		"reason": "page[number] must not be less than 1"}), "")
	k.problem("GET", "/v3/apis?page[size]=ten", nil, 400, badParams(obj{"field": "page[size]", "rule": "is_integer",
		"reason": "page[size] must be an integer"}), "")
}

// serviceIn creates a Gateway Service in a control plane over the
// core-entities API and returns its id.
func (k *konnectClient) serviceIn(cp, name string) string {
	k.t.Helper()
	return k.must(201, "POST", "/v2/control-planes/"+cp+"/core-entities/services",
		obj{"name": name, "host": "example.com"})["id"].(string)
}

func TestKonnectImplementations(t *testing.T) {
	k := newKonnect(t, Options{})
	cp := DefaultControlPlaneID
	svc := k.serviceIn(cp, "payments-v1")
	api := k.call("POST", "/v3/apis", obj{"name": "payments", "version": "v1"}, 201)["id"].(string)
	other := k.call("POST", "/v3/apis", obj{"name": "payments", "version": "v2"}, 201)["id"].(string)
	impls := "/v3/apis/" + api + "/implementations"

	link := obj{"service": obj{"control_plane_id": cp, "id": svc}}
	im := k.call("POST", impls, link, 201)
	if _, ok := im["api_id"]; ok || !reflect.DeepEqual(im["service"], obj{"control_plane_id": cp, "id": svc}) || im["created_at"] != im["updated_at"] {
		t.Errorf("implementation: %v", im)
	}
	implPath := impls + "/" + im["id"].(string)
	if got := k.call("GET", implPath, nil, 200); !reflect.DeepEqual(got, im) {
		t.Errorf("GET %v", got)
	}
	if mode := k.call("GET", "/v3/apis/"+api, nil, 200)["implementation_mode"]; mode != "gateway_entity_binding" {
		t.Errorf("implementation_mode %v", mode)
	}
	notFound := obj{"status": 404, "title": "Not Found", "detail": "Not Found"}
	k.problem("GET", "/v3/apis/"+other+"/implementations/"+im["id"].(string), nil, 404, notFound, "")

	// The document's two 409s, word for word.
	k.problem("POST", impls, link, 409, obj{"status": 409, "title": "Conflict",
		"detail": "An implementation already exists for this API"}, "ApiImplementationCountConflictExample")
	k.problem("POST", "/v3/apis/"+other+"/implementations", link, 409, obj{"status": 409, "title": "Conflict",
		"detail": "This gateway service is already linked to another API"}, "ApiImplementationServiceConflictExample")
	// The service must exist in that control plane.
	missing := obj{"service": obj{"control_plane_id": cp, "id": "dd4e1b98-3629-4dd3-acc0-759a726ffee2"}}
	k.problem("POST", "/v3/apis/"+other+"/implementations", missing, 400, badParams(obj{"field": "service.id",
		"rule": "missing_reference", "reason": "Service not found"}), "ApiImplementationBadRequestExample")
	elsewhere := obj{"service": obj{"control_plane_id": "fd4e1b98-3629-4dd3-acc0-759a726ffee2", "id": svc}}
	k.problem("POST", "/v3/apis/"+other+"/implementations", elsewhere, 400, badParams(obj{"field": "service.control_plane_id",
		"rule": "missing_reference", "reason": "Control plane not found"}), "")
	k.problem("POST", "/v3/apis/"+other+"/implementations", obj{"service": obj{"id": "x", "name": "n"}}, 400, badParams(
		obj{"field": "service.control_plane_id", "rule": "required", "reason": "service.control_plane_id is a required field"},
		obj{"field": "service.id", "rule": "is_uuid", "reason": "service.id must be a UUID"},
		obj{"field": "service.name", "rule": "unknown_property", "reason": "property name should not exist"}), "")
	k.problem("POST", "/v3/apis/"+other+"/implementations", obj{"control_plane": obj{"control_plane_id": cp}}, 400, badParams(
		obj{"field": "control_plane", "rule": "invalid", "reason": "localkong links gateway services only: give service {control_plane_id, id}"}), "")
	k.problem("POST", "/v3/apis/"+DefaultControlPlaneID+"/implementations", link, 404, notFound, "")
	k.problem("GET", impls, nil, 405, nil, "") // no list under an API: /v3/api-implementations

	// The list carries api_id and takes the document's filters.
	svc2 := k.serviceIn(cp, "payments-v2")
	im2 := k.call("POST", "/v3/apis/"+other+"/implementations", obj{"service": obj{"control_plane_id": cp, "id": svc2}}, 201)
	list := func(query string, want ...string) {
		t.Helper()
		body := k.call("GET", "/v3/api-implementations"+query, nil, 200)
		var got []string
		for _, it := range body["data"].([]any) {
			m := it.(map[string]any)
			got = append(got, m["api_id"].(string)+"/"+m["service"].(map[string]any)["id"].(string))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
	list("", api+"/"+svc, other+"/"+svc2)
	list("?filter[api_id][eq]="+other, other+"/"+svc2)
	list("?filter[service_id][eq]="+svc+"&filter[control_plane_id][eq]="+cp, api+"/"+svc)
	list("?filter[control_plane_id][eq]=" + other)
	list("?filter[id][neq]="+im2["id"].(string), api+"/"+svc)
	list("?sort=service_id%20desc&page[size]=1", map[bool]string{true: api + "/" + svc, false: other + "/" + svc2}[svc > svc2])
	// The brief's filter[service.id] is not the document's service_id.
	k.problem("GET", "/v3/api-implementations?filter[service.id][eq]="+svc, nil, 400, nil, "")

	k.call("DELETE", implPath, nil, 204)
	k.problem("GET", implPath, nil, 404, notFound, "")
	k.problem("DELETE", implPath, nil, 404, notFound, "")
	if mode := k.call("GET", "/v3/apis/"+api, nil, 200)["implementation_mode"]; mode != nil {
		t.Errorf("implementation_mode after unlink %v", mode)
	}
	list("", other+"/"+svc2)

	// Deleting a linked Gateway Service drops its link; deleting an API its implementation.
	k.must(204, "DELETE", "/v2/control-planes/"+cp+"/core-entities/services/"+svc2, nil)
	list("")
	k.problem("GET", "/v3/apis/"+other+"/implementations/"+im2["id"].(string), nil, 404, notFound, "")
	k.call("POST", impls, link, 201)
	k.call("DELETE", "/v3/apis/"+api, nil, 204)
	list("")
	k.call("POST", "/v3/apis/"+other+"/implementations", link, 201)
}

// Concurrent links for one API: the check and the write are one step, so
// exactly one wins.
func TestKonnectImplementationRace(t *testing.T) {
	k := newKonnect(t, Options{})
	api := k.call("POST", "/v3/apis", obj{"name": "race"}, 201)["id"].(string)
	var svcs []string
	for i := range 8 {
		svcs = append(svcs, k.serviceIn(DefaultControlPlaneID, fmt.Sprint("s", i)))
	}
	var wg sync.WaitGroup
	statuses := make([]int, len(svcs))
	for i, svc := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := k.do("POST", "/v3/apis/"+api+"/implementations", obj{"service": obj{"control_plane_id": DefaultControlPlaneID, "id": svc}})
			statuses[i] = r.status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case 201:
			created++
		case 409:
		default:
			t.Errorf("status %d", s)
		}
	}
	if created != 1 {
		t.Errorf("%d links created: %v", created, statuses)
	}
}
