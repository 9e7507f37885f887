package localkong

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func TestRootInfo(t *testing.T) {
	c := newClient(t, Options{})
	r := c.do("GET", "/", nil)
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if got := r.header.Get("Server"); got != "kong/3.10.0" {
		t.Errorf("Server = %q", got)
	}
	if r.body["version"] != "3.10.0" || r.body["edition"] != "community" {
		t.Errorf("version/edition = %v/%v", r.body["version"], r.body["edition"])
	}
	conf := r.body["configuration"].(obj)
	if conf["database"] != "postgres" || conf["router_flavor"] != "traditional_compatible" {
		t.Errorf("configuration = %v / %v", conf["database"], conf["router_flavor"])
	}
	if !store.IsUUID(r.body["node_id"].(string)) {
		t.Errorf("node_id %v is not a uuid", r.body["node_id"])
	}
	if _, ok := r.body["plugins"].(obj)["enabled_in_cluster"].([]any); !ok {
		t.Errorf("enabled_in_cluster is not an array")
	}
	c.expect("POST", "/", obj{}, 405, obj{"message": "Method not allowed"})
}

func TestVersionOption(t *testing.T) {
	c := newClient(t, Options{Version: "3.9.1"})
	r := c.do("GET", "/", nil)
	if r.body["version"] != "3.9.1" || r.header.Get("Server") != "kong/3.9.1" {
		t.Errorf("version %v, Server %q", r.body["version"], r.header.Get("Server"))
	}
}

func TestCommonHeaders(t *testing.T) {
	c := newClient(t, Options{})
	for _, p := range []string{"/", "/services", "/nope"} {
		r := c.do("GET", p, nil)
		h := r.header
		if h.Get("Server") != "kong/3.10.0" || h.Get("X-Kong-Admin-Latency") == "" ||
			h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("GET %s: headers %v", p, h)
		}
		if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
	}
}

func TestStatus(t *testing.T) {
	c := newClient(t, Options{})
	body := c.must(200, "GET", "/status", nil)
	if body["database"].(obj)["reachable"] != true {
		t.Errorf("database = %v", body["database"])
	}
	kong := body["memory"].(obj)["lua_shared_dicts"].(obj)["kong"].(obj)
	if s, _ := kong["capacity"].(string); s != "5.00 MiB" {
		t.Errorf("capacity = %v", kong["capacity"])
	}
	body = c.must(200, "GET", "/status?unit=k&scale=1", nil)
	kong = body["memory"].(obj)["lua_shared_dicts"].(obj)["kong"].(obj)
	if kong["capacity"] != "5120.0 KiB" {
		t.Errorf("unit=k capacity = %v", kong["capacity"])
	}
	body = c.must(200, "GET", "/status?unit=b", nil)
	kong = body["memory"].(obj)["lua_shared_dicts"].(obj)["kong"].(obj)
	if kong["capacity"] != float64(5<<20) {
		t.Errorf("unit=b capacity = %v", kong["capacity"])
	}
	c.expect("GET", "/status?unit=V", nil, 400, obj{"message": "invalid unit 'V' (expected 'k/K', 'm/M', or 'g/G')"})
}

func TestUnknownPathsAndMethods(t *testing.T) {
	c := newClient(t, Options{})
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		c.expect(m, "/non-existing", nil, 404, obj{"message": "Not found"})
	}
	r := c.do("HEAD", "/non-existing", nil)
	if r.status != 404 || len(r.raw) != 0 {
		t.Errorf("HEAD unknown: %d %q", r.status, r.raw)
	}
	for _, m := range []string{"DELETE", "PUT", "PATCH"} {
		c.expect(m, "/routes", nil, 405, obj{"message": "Method not allowed"})
	}
	c.expect("POST", "/services/foo", obj{}, 405, obj{"message": "Method not allowed"})
	c.expect("GET", "/services/foo/bar", nil, 404, obj{"message": "Not found"})
}

func TestTrailingSlash(t *testing.T) {
	c := newClient(t, Options{})
	c.must(201, "POST", "/services/", obj{"name": "s", "host": "example.com"})
	body := c.must(200, "GET", "/services/", nil)
	if len(body["data"].([]any)) != 1 {
		t.Errorf("GET /services/: %v", body)
	}
	c.must(200, "GET", "/services/s/", nil)
}

func TestOptions(t *testing.T) {
	c := newClient(t, Options{})
	for path, want := range map[string]string{
		"/services":            "GET, HEAD, OPTIONS, POST",
		"/routes":              "GET, HEAD, OPTIONS, POST",
		"/services/x/routes":   "GET, HEAD, OPTIONS, POST",
		"/services/x":          "DELETE, GET, HEAD, OPTIONS, PATCH, PUT",
		"/routes/x/service":    "DELETE, GET, HEAD, OPTIONS, PATCH, PUT",
		"/services/x/routes/y": "DELETE, GET, HEAD, OPTIONS, PATCH, PUT",
		"/":                    "GET, HEAD, OPTIONS",
	} {
		r := c.do("OPTIONS", path, nil)
		if r.status != 204 || len(r.raw) != 0 {
			t.Errorf("OPTIONS %s: %d %q", path, r.status, r.raw)
		}
		if r.header.Get("Allow") != want || r.header.Get("Access-Control-Allow-Methods") != want {
			t.Errorf("OPTIONS %s: Allow %q, want %q", path, r.header.Get("Allow"), want)
		}
		if r.header.Get("Access-Control-Allow-Headers") != "Content-Type" {
			t.Errorf("OPTIONS %s: Allow-Headers %q", path, r.header.Get("Access-Control-Allow-Headers"))
		}
	}
	req, _ := http.NewRequest("OPTIONS", c.base+"/services", nil)
	req.Header.Set("Access-Control-Request-Headers", "X-Foo")
	if r := c.send(req); r.header.Get("Access-Control-Allow-Headers") != "X-Foo" {
		t.Errorf("Allow-Headers not echoed: %q", r.header.Get("Access-Control-Allow-Headers"))
	}
}

func TestHead(t *testing.T) {
	c := newClient(t, Options{})
	c.must(201, "POST", "/services", obj{"name": "s", "host": "example.com"})
	r := c.do("HEAD", "/services/s", nil)
	if r.status != 200 || len(r.raw) != 0 || r.header.Get("Server") == "" {
		t.Errorf("HEAD: %d %q %v", r.status, r.raw, r.header)
	}
	if r := c.do("HEAD", "/services/missing", nil); r.status != 404 {
		t.Errorf("HEAD missing: %d", r.status)
	}
}

func TestRequestBodies(t *testing.T) {
	c := newClient(t, Options{})
	post := func(ct, body string, headers ...string) *response {
		req, _ := http.NewRequest("POST", c.base+"/services", strings.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		for _, h := range headers {
			req.Header.Add("Content-Type", h)
		}
		return c.send(req)
	}

	if r := post("application/json", "{bad"); r.status != 400 || string(r.raw) != `{"message":"Cannot parse JSON body"}` {
		t.Errorf("malformed JSON: %d %q", r.status, r.raw)
	}
	if r := post("text/plain", "host=x"); r.status != 415 || len(r.raw) != 0 || r.header.Get("Content-Length") != "0" {
		t.Errorf("text/plain: %d %q", r.status, r.raw)
	}
	if r := post("", `{"host":"x"}`); r.status != 415 {
		t.Errorf("no content type with a body: %d", r.status)
	}
	if r := post("", "", "application/json", "application/json"); r.status != 400 ||
		string(r.raw) != "Multiple Content-Type headers not allowed" {
		t.Errorf("two content types: %d %q", r.status, r.raw)
	}
	// GET and DELETE ignore bodies, even invalid ones.
	req, _ := http.NewRequest("GET", c.base+"/services", strings.NewReader("{bad"))
	req.Header.Set("Content-Type", "application/json")
	if r := c.send(req); r.status != 200 {
		t.Errorf("GET with bad body: %d", r.status)
	}
	if r := post("application/json; charset=utf-8", `{"name":"json-ok","host":"example.com"}`); r.status != 201 {
		t.Errorf("json with charset: %d %s", r.status, r.raw)
	}
}

func TestFormBodies(t *testing.T) {
	c := newClient(t, Options{})
	post := func(path, form string) *response {
		req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return c.send(req)
	}
	r := post("/services", "name=form-svc&host=example.com&port=8080&tags[]=a&tags[]=b&enabled=false")
	if r.status != 201 {
		t.Fatalf("form service: %d %s", r.status, r.raw)
	}
	if r.body["port"] != float64(8080) || r.body["enabled"] != false || mustJSON(r.body["tags"]) != `["a","b"]` {
		t.Errorf("form coercion: %s", r.raw)
	}
	r = post("/routes", "name=form-route&hosts=example.com&service.name=form-svc&headers.x-foo[]=bar")
	if r.status != 201 {
		t.Fatalf("form route: %d %s", r.status, r.raw)
	}
	if mustJSON(r.body["hosts"]) != `["example.com"]` || mustJSON(r.body["headers"]) != `{"x-foo":["bar"]}` {
		t.Errorf("form route coercion: %s", r.raw)
	}
	// An empty value means null.
	req, _ := http.NewRequest("PATCH", c.base+"/services/form-svc", strings.NewReader("tags="))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := c.send(req); r.status != 200 || r.body["tags"] != nil {
		t.Errorf("empty form value: %d %s", r.status, r.raw)
	}

	// Positions order array elements, and records inside sets are typed.
	r = post("/routes", "protocols=tcp&sources[2].port=81&sources[1].ip=10.0.0.1&sources[1].port=80")
	if r.status != 201 || mustJSON(r.body["sources"]) != `[{"ip":"10.0.0.1","port":80},{"ip":null,"port":81}]` {
		t.Errorf("form sources: %d %s", r.status, r.raw)
	}
	// Workspaces have no schema here: keys nest, values stay strings.
	r = post("/workspaces", "name=form-ws&meta.color=red&config.n=1")
	if r.status != 201 || mustJSON(r.body["meta"]) != `{"color":"red"}` || mustJSON(r.body["config"]) != `{"n":"1"}` {
		t.Errorf("form workspace: %d %s", r.status, r.raw)
	}

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("name", "multi")
	_ = mw.WriteField("host", "example.com")
	_ = mw.WriteField("retries", "7")
	mw.Close()
	req, _ = http.NewRequest("POST", c.base+"/services", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := c.send(req); r.status != 201 || r.body["retries"] != float64(7) {
		t.Errorf("multipart: %d %s", r.status, r.raw)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	c := newClient(t, Options{})
	r := c.do("GET", "/metrics", nil)
	if r.status != 200 {
		t.Errorf("GET /metrics: %d", r.status)
	}
	c.expect("POST", "/metrics", obj{}, 405, obj{"message": "Method not allowed"})
}

func TestRequestCount(t *testing.T) {
	s := startServer(t, Options{})
	c := &client{t: t, base: s.AdminURL, header: http.Header{}}
	s.ResetRequestCount()
	for i := 0; i < 3; i++ {
		c.do("GET", "/services", nil)
	}
	c.do("GET", "/nope", nil)
	if n := s.RequestCount(); n != 4 {
		t.Errorf("RequestCount = %d, want 4", n)
	}
	s.ResetRequestCount()
	if n := s.RequestCount(); n != 0 {
		t.Errorf("after reset: %d", n)
	}
}
