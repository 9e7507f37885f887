package localkong

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	oas3v1 = "openapi: 3.0.3\ninfo:\n  title: Payments\n  version: 1.0.0\npaths: {}\n"
	oas3v2 = `{"openapi":"3.0.3","info":{"title":"Payments","version":"2.0.0"},"paths":{}}`
)

// An API's version document: created, listed, read, updated and deleted
// through /versions, with the document's validation and errors; the API's
// current_version_summary follows it, and its id stays.
func TestKonnectAPIVersions(t *testing.T) {
	k := newKonnect(t, Options{})
	api := k.call("POST", "/v3/apis", obj{"name": "payments", "version": "v1", "labels": obj{"team": "pay"}}, 201)
	id := api["id"].(string)
	versions := "/v3/apis/" + id + "/versions"

	if list := k.call("GET", versions, nil, 200); len(list["data"].([]any)) != 0 {
		t.Fatalf("a new API has versions: %v", list)
	}
	// The document's own example, then ours.
	if ex := specExample(t, k.cat, "CreateApiVersionRequestExampleJson"); ex != nil {
		other := k.call("POST", "/v3/apis", obj{"name": "example"}, 201)["id"].(string)
		v := k.call("POST", "/v3/apis/"+other+"/versions", ex, 201)
		if v["version"] != "1.0.0" || v["spec"].(map[string]any)["type"] != "oas3" {
			t.Errorf("the document's example: %v", v)
		}
	}
	v := k.call("POST", versions, obj{"spec": obj{"content": oas3v1}}, 201)
	vid := v["id"].(string)
	want := obj{"id": vid, "version": "1.0.0", "spec": obj{"content": oas3v1, "type": "oas3", "validation_messages": []any{}},
		"created_at": v["created_at"], "updated_at": v["created_at"]}
	if !reflect.DeepEqual(v, normalise(want)) {
		t.Errorf("created:\n got %s\nwant %s", mustJSON(v), mustJSON(want))
	}
	if got := k.call("GET", versions+"/"+vid, nil, 200); !reflect.DeepEqual(got, v) {
		t.Errorf("GET %v", got)
	}
	a := k.call("GET", "/v3/apis/"+id, nil, 200)
	sum, _ := a["current_version_summary"].(map[string]any)
	if sum == nil || sum["id"] != vid || sum["version"] != "1.0.0" || !reflect.DeepEqual(a["api_spec_ids"], []any{vid}) {
		t.Fatalf("the API's summary: %v, %v", a["current_version_summary"], a["api_spec_ids"])
	}
	list := k.call("GET", versions, nil, 200)
	if items := list["data"].([]any); len(items) != 1 || !reflect.DeepEqual(items[0], obj{"id": vid, "version": "1.0.0",
		"spec": obj{"type": "oas3"}, "created_at": v["created_at"], "updated_at": v["updated_at"]}) {
		t.Errorf("list: %v", list)
	}
	k.call("GET", versions+"?filter[version][eq]=1.0.0&filter[type]=oas3&sort=created_at%20desc", nil, 200)
	if n := len(k.call("GET", versions+"?filter[type][eq]=asyncapi", nil, 200)["data"].([]any)); n != 0 {
		t.Errorf("filter[type]=asyncapi: %d", n)
	}

	// One version per API: the document's 409.
	k.problem("POST", versions, obj{"spec": obj{"content": oas3v2}}, 409, obj{"status": 409, "title": "Conflict",
		"detail": "Specification for API '" + id + "' already exists"}, "")

	// Updated in place: same id, new content and version (the content's
	// info.version unless one is sent), the API's summary too; the API
	// keeps its labels.
	time.Sleep(2 * time.Millisecond)
	up := k.call("PATCH", versions+"/"+vid, obj{"spec": obj{"content": oas3v2}}, 200)
	if up["id"] != vid || up["version"] != "2.0.0" || up["spec"].(map[string]any)["content"] != oas3v2 ||
		up["created_at"] != v["created_at"] || up["updated_at"] == v["updated_at"] {
		t.Errorf("PATCH content: %v", up)
	}
	if up = k.call("PATCH", versions+"/"+vid+"?force=false", obj{"version": "2.0.1"}, 200); up["version"] != "2.0.1" || up["spec"].(map[string]any)["content"] != oas3v2 {
		t.Errorf("PATCH version: %v", up)
	}
	if ex := specExample(t, k.cat, "UpdateApiVersionContentRequestExample"); ex != nil {
		if up = k.call("PATCH", versions+"/"+vid+"?force", ex, 200); up["version"] != "1.0.1" || up["id"] != vid {
			t.Errorf("the document's update example: %v", up)
		}
	}
	a = k.call("GET", "/v3/apis/"+id, nil, 200)
	if sum := a["current_version_summary"].(map[string]any); sum["id"] != vid || sum["updated_at"] != up["updated_at"] ||
		!reflect.DeepEqual(a["labels"], obj{"team": "pay"}) {
		t.Errorf("after the update: %v", a)
	}

	// The document's validation.
	k.problem("POST", "/v3/apis/"+k.call("POST", "/v3/apis", obj{"name": "nov"}, 201)["id"].(string)+"/versions",
		obj{"spec": obj{"content": `{"asyncapi":"2.6.0","info":{"title":"x"}}`}}, 400,
		badParams(obj{"field": "version", "rule": "missing_reference", "reason": "version must be provided if not included in spec_content"}),
		"ApiVersionBadRequestExample")
	k.problem("POST", versions, obj{"version": "", "colour": "red"}, 400, badParams(
		obj{"field": "colour", "rule": "unknown_property", "reason": "property colour should not exist"},
		obj{"field": "spec", "rule": "required", "reason": "spec is a required field"},
		obj{"field": "version", "rule": "min_length", "minimum": 1, "reason": "version must be longer than or equal to 1 characters"}), "")
	k.problem("PATCH", versions+"/"+vid, obj{"spec": obj{"content": "", "type": "oas3"}}, 400, badParams(
		obj{"field": "spec.content", "rule": "min_length", "minimum": 1, "reason": "spec.content must be longer than or equal to 1 characters"},
		obj{"field": "spec.type", "rule": "unknown_property", "reason": "property type should not exist"}), "")
	k.problem("PATCH", versions+"/"+vid, obj{"spec": obj{"content": "just text"}}, 400, badParams(
		obj{"field": "spec.content", "rule": "invalid", "reason": "spec.content must be a JSON or YAML document"}), "")
	k.problem("PATCH", versions+"/"+vid+"?force=maybe", obj{}, 400, badParams(obj{"field": "force", "rule": "enum",
		"choices": []any{"true", "false"}, "reason": `"force" field must contain any of: [true, false]`}), "")
	k.problem("POST", versions, `{"spec":{}}`, 415, nil, "UnsupportedMediaTypeExample")
	notFound := obj{"status": 404, "title": "Not Found", "detail": "Not Found"}
	k.problem("GET", versions+"/"+id, nil, 404, notFound, "ApiNotFoundExample")
	k.problem("PATCH", "/v3/apis/"+DefaultControlPlaneID+"/versions/"+vid, obj{}, 404, notFound, "")
	k.problem("GET", "/v3/apis/"+DefaultControlPlaneID+"/versions", nil, 404, notFound, "")
	k.problem("GET", versions+"?sort=version", nil, 400, nil, "")

	// Deleted: the API has no version again, and can take a new one.
	k.call("DELETE", versions+"/"+vid, nil, 204)
	k.problem("DELETE", versions+"/"+vid, nil, 404, notFound, "")
	if a = k.call("GET", "/v3/apis/"+id, nil, 200); a["current_version_summary"] != nil || len(a["api_spec_ids"].([]any)) != 0 {
		t.Errorf("after delete: %v", a)
	}
	if nv := k.call("POST", versions, obj{"version": "3", "spec": obj{"content": oas3v1}}, 201); nv["version"] != "3" || nv["id"] == vid {
		t.Errorf("a new version: %v", nv)
	}
}

// The deprecated /specifications is another view of the same document:
// the id is the version's, a second specification or version is a 409.
func TestKonnectAPISpecifications(t *testing.T) {
	k := newKonnect(t, Options{})
	id := k.call("POST", "/v3/apis", obj{"name": "legacy", "version": "v7"}, 201)["id"].(string)
	specs := "/v3/apis/" + id + "/specifications"
	swagger := `{"swagger":"2.0","info":{"title":"x"}}`
	sp := k.call("POST", specs, obj{"content": swagger, "type": "oas2"}, 201)
	sid := sp["id"].(string)
	if sp["type"] != "oas2" || sp["content"] != swagger || !reflect.DeepEqual(sp["validation_messages"], []any{}) {
		t.Errorf("created: %v", sp)
	}
	// Without info.version, the document's version is the API's.
	if v := k.call("GET", "/v3/apis/"+id+"/versions/"+sid, nil, 200); v["version"] != "v7" {
		t.Errorf("as a version: %v", v)
	}
	k.call("GET", specs+"/"+sid, nil, 200)
	if list := k.call("GET", specs+"?filter[type]=oas2", nil, 200)["data"].([]any); len(list) != 1 ||
		!reflect.DeepEqual(list[0], obj{"id": sid, "type": "oas2", "created_at": sp["created_at"], "updated_at": sp["updated_at"]}) {
		t.Errorf("list: %v", list)
	}
	k.problem("POST", specs, obj{"content": oas3v1}, 409, obj{"status": 409, "title": "Conflict", "detail": "Specification for API '" + id + "' already exists"}, "")
	k.problem("POST", "/v3/apis/"+id+"/versions", obj{"spec": obj{"content": oas3v1}}, 409, nil, "")
	k.problem("PATCH", specs+"/"+sid, obj{"content": ""}, 400, badParams(obj{"field": "content", "rule": "min_length",
		"minimum": 1, "reason": "content must be longer than or equal to 1 characters"}), "ApiSpecContentBadRequestExample")
	k.problem("PATCH", specs+"/"+sid, obj{"content": oas3v1, "type": "oas2"}, 400, badParams(obj{"field": "type", "rule": "invalid",
		"reason": "type oas2 does not match the content, which is oas3"}), "")
	k.problem("POST", "/v3/apis/"+k.call("POST", "/v3/apis", obj{"name": "nover"}, 201)["id"].(string)+"/specifications",
		obj{"content": swagger}, 400, nil, "ApiVersionBadRequestExample")
	up := k.call("PATCH", specs+"/"+sid, obj{"content": oas3v1, "id": "ignored"}, 200)
	if up["id"] != sid || up["type"] != "oas3" {
		t.Errorf("PATCH: %v", up)
	}
	if sum := k.call("GET", "/v3/apis/"+id, nil, 200)["current_version_summary"].(map[string]any); sum["version"] != "1.0.0" {
		t.Errorf("summary after PATCH: %v", sum)
	}
	k.call("DELETE", specs+"/"+sid, nil, 204)
	k.problem("GET", specs+"/"+sid, nil, 404, nil, "")
	if !strings.Contains(mustJSON(k.call("GET", specs, nil, 200)), `"total":0`) {
		t.Error("a deleted specification is still listed")
	}
}
