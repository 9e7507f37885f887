package localkong

import "testing"

// What decK's dump lists besides what localkong stores: the certificates'
// server names as snis (read-only), and no upstreams; writes are refused,
// saying so.
func TestSNIsAndUpstreamsListed(t *testing.T) {
	c := newClient(t, Options{})
	cert, key := testCert(t, "one.test", false)
	certID := c.must(201, "POST", "/certificates", obj{"cert": cert, "key": key, "snis": []any{"b.test", "a.test"}})["id"].(string)

	list := c.must(200, "GET", "/snis?size=1000", nil)
	data := list["data"].([]any)
	if len(data) != 2 || list["next"] != nil {
		t.Fatalf("GET /snis = %s", mustJSON(list))
	}
	names := map[string]string{}
	for _, e := range data {
		s := e.(map[string]any)
		if s["certificate"].(map[string]any)["id"] != certID {
			t.Errorf("sni %v not on its certificate %s", s, certID)
		}
		names[s["name"].(string)] = s["id"].(string)
	}
	if names["a.test"] == "" || names["b.test"] == "" {
		t.Fatalf("snis %v", names)
	}
	// Stable ids, and by name too.
	again := c.must(200, "GET", "/snis/a.test", nil)
	if again["id"] != names["a.test"] || c.must(200, "GET", "/snis/"+names["b.test"], nil)["name"] != "b.test" {
		t.Errorf("GET /snis/{name or id}: %s", mustJSON(again))
	}
	c.expect("GET", "/snis/none.test", nil, 404, nil)
	if r := c.do("POST", "/snis", obj{"name": "c.test", "certificate": obj{"id": certID}}); r.status != 405 {
		t.Errorf("POST /snis: %d %s", r.status, r.raw)
	}
	// Tags: the snis carry none.
	if got := c.must(200, "GET", "/snis?tags=team-edge", nil)["data"].([]any); len(got) != 0 {
		t.Errorf("GET /snis?tags=team-edge: %v", got)
	}

	c.expect("GET", "/upstreams?size=1000", nil, 200, obj{"data": []any{}, "next": nil})
	if r := c.do("POST", "/upstreams", obj{"name": "u"}); r.status != 405 {
		t.Errorf("POST /upstreams: %d %s", r.status, r.raw)
	}
}
