package localkong

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestPagination(t *testing.T) {
	c := newClient(t, Options{})
	c.expect("GET", "/services", nil, 200, obj{"data": []any{}, "next": nil})
	var want []string
	for i := 0; i < 5; i++ {
		want = append(want, c.must(201, "POST", "/services", obj{"host": "example.com"})["id"].(string))
	}
	sort.Strings(want) // Kong pages by id, not by creation.

	var got []string
	path := "/services?size=2"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatalf("too many pages")
		}
		r := c.do("GET", path, nil)
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.raw)
		}
		got = append(got, ids(r.body)...)
		off, hasOff := r.body["offset"].(string)
		if !hasOff {
			if _, present := r.body["offset"]; present || r.body["next"] != nil {
				t.Errorf("last page must omit offset and have next null: %s", r.raw)
			}
			break
		}
		wantNext := "/services?offset=" + store.EscapeURI(off) + "&size=2"
		if r.body["next"] != wantNext {
			t.Errorf("next = %v, want %s", r.body["next"], wantNext)
		}
		// The token is base64 of ["<last id>"], unpadded.
		raw, err := base64.RawStdEncoding.DecodeString(off)
		if err != nil || string(raw) != fmt.Sprintf(`[%q]`, got[len(got)-1]) {
			t.Errorf("offset %s decodes to %q (%v)", off, raw, err)
		}
		path = r.body["next"].(string)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("paged ids %v, want %v", got, want)
	}
	// Exactly one full page leaves no offset.
	if body := c.must(200, "GET", "/services?size=5", nil); body["next"] != nil {
		t.Errorf("size=5 of 5: %v", body["next"])
	}
}

func TestPaginationErrors(t *testing.T) {
	c := newClient(t, Options{})
	for _, size := range []string{"foo", ""} {
		c.expect("GET", "/services?size="+size, nil, 400, obj{"code": 9, "name": "invalid size", "message": "size must be a number"})
	}
	for _, size := range []string{"0", "1001", "1.5", "-1"} {
		c.expect("GET", "/services?size="+size, nil, 400, obj{
			"code": 9, "name": "invalid size", "message": "size must be an integer between 1 and 1000",
		})
	}
	c.must(200, "GET", "/services?size=1000", nil)
	c.expect("GET", "/services?offset=x", nil, 400, obj{
		"code": 7, "name": "invalid offset", "message": "'x' is not a valid offset: bad base64 encoding",
	})
	bad := base64.RawStdEncoding.EncodeToString([]byte("nope"))
	c.expect("GET", "/services?offset="+bad, nil, 400, obj{
		"code": 7, "name": "invalid offset", "message": fmt.Sprintf("'%s' is not a valid offset: bad json encoding", bad),
	})
	c.expect("GET", "/routes?unknown=1", nil, 200, obj{"data": []any{}, "next": nil})
}

func TestTagFilters(t *testing.T) {
	c := newClient(t, Options{})
	byName := map[string]string{}
	for name, tags := range map[string][]any{
		"ab": {"a", "b"}, "a": {"a"}, "b": {"b"}, "c": {"c"}, "none": nil, "sp": {"corp_ a", "🦍"},
	} {
		body := c.must(201, "POST", "/services", obj{"name": name, "host": "example.com", "tags": tags})
		byName[body["id"].(string)] = name
	}
	names := func(q string) []string {
		body := c.must(200, "GET", "/services?tags="+q, nil)
		var out []string
		for _, id := range ids(body) {
			out = append(out, byName[id])
		}
		sort.Strings(out)
		return out
	}
	for q, want := range map[string][]string{
		"a":                        {"a", "ab"},
		"a,b":                      {"ab"},
		"a/b":                      {"a", "ab", "b"},
		"a/c":                      {"a", "ab", "c"},
		"x":                        nil,
		"''":                       nil,
		url.QueryEscape("corp_ a"): {"sp"},
		url.QueryEscape("🦍"):       {"sp"},
	} {
		if got := names(q); !reflect.DeepEqual(got, want) {
			t.Errorf("tags=%s: %v, want %v", q, got, want)
		}
	}
	syntax := obj{"code": 11, "name": "invalid options", "message": "invalid option (tags: invalid filter syntax)",
		"options": obj{"tags": "invalid filter syntax"}}
	c.expect("GET", "/services?tags=a,b/c", nil, 400, syntax)
	c.expect("GET", "/services?tags=a,,b", nil, 400, syntax)
	c.expect("GET", "/services?tags=a,b,c,d,e,f", nil, 400, obj{"code": 11, "name": "invalid options",
		"message": "invalid option (tags: cannot query more than 5 tags)", "options": obj{"tags": "cannot query more than 5 tags"}})
	c.expect("GET", "/services?tags=", nil, 400, obj{"code": 11, "name": "invalid options",
		"message": "invalid option (tags: cannot be null)", "options": obj{"tags": "cannot be null"}})

	// Tags stay in the next link, before size.
	body := c.must(200, "GET", "/services?tags=a/b&size=1", nil)
	want := "/services?offset=" + store.EscapeURI(body["offset"].(string)) + "&tags=a%2Fb&size=1"
	if body["next"] != want {
		t.Errorf("next = %v, want %s", body["next"], want)
	}
	next := c.must(200, "GET", body["next"].(string), nil)
	if len(next["data"].([]any)) != 1 {
		t.Errorf("second tagged page: %v", next)
	}
}

func TestTagsEndpoint(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"host": "example.com", "tags": []any{"x", "y"}})
	route := c.must(201, "POST", "/routes", obj{"paths": []any{"/"}, "tags": []any{"y"}})
	c.must(201, "POST", "/services", obj{"host": "example.com"})

	var rows []any
	path := "/tags?size=1"
	for path != "" && len(rows) < 10 {
		body := c.must(200, "GET", path, nil)
		rows = append(rows, body["data"].([]any)...)
		path, _ = body["next"].(string)
	}
	want := []any{
		obj{"entity_name": "services", "entity_id": svc["id"], "tag": "x"},
		obj{"entity_name": "services", "entity_id": svc["id"], "tag": "y"},
		obj{"entity_name": "routes", "entity_id": route["id"], "tag": "y"},
	}
	if svc["id"].(string) > route["id"].(string) {
		want = []any{want[2], want[0], want[1]}
	}
	if mustJSON(rows) != mustJSON(want) {
		t.Errorf("/tags rows:\n got %s\nwant %s", mustJSON(rows), mustJSON(want))
	}
	body := c.must(200, "GET", "/tags/y", nil)
	if len(body["data"].([]any)) != 2 || body["next"] != nil {
		t.Errorf("/tags/y: %v", body)
	}
	body = c.must(200, "GET", "/tags/y?size=1", nil)
	if next, _ := body["next"].(string); next != "/tags/y?offset="+store.EscapeURI(body["offset"].(string)) {
		t.Errorf("/tags/y next: %v", body["next"])
	}
}
