package localkong

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// pluginStack is a localkong with an upstream (NewUpstream), a service
// "svc" and a route "r" on /p, for plugins created through the Admin API.
type pluginStack struct {
	*client
	srv        *Server
	svc, route string
}

func newPluginStack(t *testing.T, opts Options) *pluginStack {
	t.Helper()
	up := httptest.NewServer(NewUpstream())
	t.Cleanup(up.Close)
	srv := startServer(t, opts)
	c := &client{t: t, base: srv.AdminURL, header: http.Header{}}
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "url": up.URL})["id"].(string)
	route := c.must(201, "POST", "/services/svc/routes", obj{"name": "r", "paths": []any{"/p"}})["id"].(string)
	return &pluginStack{client: c, srv: srv, svc: svc, route: route}
}

// proxied is a proxy response; echo is what the upstream received, when
// it answered.
type proxied struct {
	status int
	header http.Header
	raw    string
	echo   struct {
		Method, Path, Query, Body string
		Headers                   map[string]string
	}
}

// call sends a request through the proxy.
func (p *pluginStack) call(method, path string, header http.Header, body string) *proxied {
	p.t.Helper()
	req, err := http.NewRequest(method, p.srv.ProxyURL+path, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := &proxied{status: res.StatusCode, header: res.Header, raw: string(raw)}
	if res.Header.Get("Via") != "" { // the upstream answered
		_ = json.Unmarshal(raw, &out.echo)
	}
	return out
}

// kongError checks a response Kong's kong.response.error wrote: status,
// JSON body with message and this request's id.
func (p *proxied) kongError(t *testing.T, status int, message string) {
	t.Helper()
	want := fmt.Sprintf("{\n  \"message\":%q,\n  \"request_id\":%q\n}", message, p.header.Get("X-Kong-Request-Id"))
	if p.status != status || p.raw != want || p.header.Get("Content-Type") != "application/json; charset=utf-8" ||
		p.header.Get("Content-Length") != fmt.Sprint(len(want)) || p.header.Get("Server") == "" || p.header.Get("X-Kong-Response-Latency") == "" {
		t.Errorf("got %d %v %q, want %d %q", p.status, p.header, p.raw, status, want)
	}
}

func (p *proxied) expect(t *testing.T, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d: %s", p.status, status, p.raw)
	}
}

// plugin creates a plugin through the Admin API.
func (p *pluginStack) plugin(path string, body obj) string {
	p.t.Helper()
	return p.must(201, "POST", path, body)["id"].(string)
}

// metrics is the kong_http_requests_total series of /metrics for route r,
// as "code/source" → count.
func (p *pluginStack) metrics() map[string]string {
	p.t.Helper()
	res, err := http.Get(p.srv.AdminURL + "/metrics")
	if err != nil {
		p.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]string{}
	re := regexp.MustCompile(`kong_http_requests_total\{service="svc",route="r",code="(\d+)",source="(\w+)",workspace="default",consumer=""\} (\d+)`)
	for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
		out[m[1]+"/"+m[2]] = m[3]
	}
	return out
}

func TestProxyKeyAuth(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/routes/r/plugins", obj{"name": "key-auth", "config": obj{"hide_credentials": true}})
	alice := p.must(201, "POST", "/consumers", obj{"username": "alice", "custom_id": "a-1"})["id"].(string)
	cred := p.must(201, "POST", "/consumers/alice/key-auth", obj{"key": "secret"})["id"].(string)

	res := p.call("GET", "/p", nil, "")
	res.kongError(t, 401, "No API key found in request")
	if res.header.Get("WWW-Authenticate") != "Key" {
		t.Errorf("WWW-Authenticate %q", res.header.Get("WWW-Authenticate"))
	}
	p.call("GET", "/p?apikey=nope", nil, "").kongError(t, 401, "Unauthorized")
	res = p.call("GET", "/p", http.Header{"Accept": {"text/plain"}}, "")
	if res.status != 401 || res.raw != "No API key found in request\nrequest_id: "+res.header.Get("X-Kong-Request-Id")+"\n" {
		t.Errorf("text/plain: %d %q", res.status, res.raw)
	}

	res = p.call("GET", "/p?apikey=secret&x=1", nil, "")
	res.expect(t, 200)
	h := res.echo.Headers
	if res.echo.Query != "x=1" || h["x-consumer-id"] != alice || h["x-consumer-username"] != "alice" ||
		h["x-consumer-custom-id"] != "a-1" || h["x-credential-identifier"] != cred || h["x-anonymous-consumer"] != "" {
		t.Errorf("upstream saw query %q headers %v", res.echo.Query, h)
	}
	res = p.call("GET", "/p", http.Header{"Apikey": {"secret"}}, "")
	if res.expect(t, 200); res.echo.Headers["apikey"] != "" {
		t.Errorf("hide_credentials: upstream saw apikey %q", res.echo.Headers["apikey"])
	}
	// The credential goes: the key no longer works.
	p.must(204, "DELETE", "/consumers/alice/key-auth/secret", nil)
	p.call("GET", "/p?apikey=secret", nil, "").kongError(t, 401, "Unauthorized")

	if got := p.metrics(); got["401/kong"] != "4" || got["200/service"] != "2" {
		t.Errorf("metrics %v, want 4 × 401 (kong) and 2 × 200", got)
	}
}

func TestProxyBasicAuthAndACL(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/routes/r/plugins", obj{"name": "basic-auth"})
	p.plugin("/routes/r/plugins", obj{"name": "acl", "config": obj{"allow": []any{"admins"}}})
	p.must(201, "POST", "/consumers", obj{"username": "alice"})
	p.must(201, "POST", "/consumers/alice/basic-auth", obj{"username": "alice", "password": "pw"})
	p.must(201, "POST", "/consumers", obj{"username": "bob"})
	p.must(201, "POST", "/consumers/bob/basic-auth", obj{"username": "bob", "password": "pw"})
	p.must(201, "POST", "/consumers/alice/acls", obj{"group": "admins"})
	p.must(201, "POST", "/consumers/bob/acls", obj{"group": "users"})
	basic := func(user, pw string) http.Header {
		req, _ := http.NewRequest("GET", "/", nil)
		req.SetBasicAuth(user, pw)
		return req.Header
	}

	res := p.call("GET", "/p", nil, "")
	res.kongError(t, 401, "Unauthorized")
	if res.header.Get("WWW-Authenticate") != `Basic realm="service"` {
		t.Errorf("WWW-Authenticate %q", res.header.Get("WWW-Authenticate"))
	}
	p.call("GET", "/p", basic("alice", "wrong"), "").kongError(t, 401, "Unauthorized")
	p.call("GET", "/p", basic("bob", "pw"), "").kongError(t, 403, "You cannot consume this service")
	res = p.call("GET", "/p", basic("alice", "pw"), "")
	if res.expect(t, 200); res.echo.Headers["x-consumer-groups"] != "admins" || res.echo.Headers["x-credential-identifier"] != "alice" {
		t.Errorf("upstream saw %v", res.echo.Headers)
	}
}

func TestProxyRateLimiting(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/services/svc/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 3, "policy": "local"}})
	var statuses []int
	for i := 0; i < 4; i++ {
		res := p.call("GET", "/p", nil, "")
		statuses = append(statuses, res.status)
		remaining := fmt.Sprint(max(0, 2-i))
		if res.header.Get("X-RateLimit-Limit-Minute") != "3" || res.header.Get("X-RateLimit-Remaining-Minute") != remaining ||
			res.header.Get("RateLimit-Limit") != "3" || res.header.Get("RateLimit-Remaining") != remaining || res.header.Get("RateLimit-Reset") == "" {
			t.Errorf("request %d headers %v", i, res.header)
		}
		if i == 3 {
			res.kongError(t, 429, "API rate limit exceeded")
			if res.header.Get("Retry-After") != res.header.Get("RateLimit-Reset") {
				t.Errorf("Retry-After %q, RateLimit-Reset %q", res.header.Get("Retry-After"), res.header.Get("RateLimit-Reset"))
			}
		}
	}
	if fmt.Sprint(statuses) != "[200 200 200 429]" {
		t.Errorf("statuses %v", statuses)
	}
	// On the wire the headers are spelled as Kong spells them.
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.srv.ProxyURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET /p HTTP/1.1\r\nHost: localkong\r\nConnection: close\r\n\r\n")
	raw, _ := io.ReadAll(conn)
	for _, want := range []string{"\r\nX-RateLimit-Limit-Minute: 3\r\n", "\r\nRateLimit-Remaining: 0\r\n", "\r\nRetry-After: "} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("response lacks %q:\n%s", want, raw)
		}
	}
	if got := p.metrics(); got["200/service"] != "3" || got["429/kong"] != "2" || len(got) != 2 {
		t.Errorf("metrics %v, want 3 × 200 and 2 × 429", got)
	}
}

// Kong's precedence (plugins_iterator.lua lookup_cfg): the consumer's
// configuration over the route's over the service's over the global one;
// a disabled plugin does not run.
func TestProxyPluginPrecedence(t *testing.T) {
	p := newPluginStack(t, Options{})
	rt := func(h string) obj {
		return obj{"name": "response-transformer", "config": obj{"add": obj{"headers": []any{"x-from:" + h}}}}
	}
	from := func(header http.Header) string {
		res := p.call("GET", "/p", header, "")
		res.expect(t, 200)
		return res.header.Get("X-From")
	}
	global := p.plugin("/plugins", rt("global"))
	if got := from(nil); got != "global" {
		t.Errorf("global only: %q", got)
	}
	p.plugin("/services/svc/plugins", rt("service"))
	if got := from(nil); got != "service" {
		t.Errorf("service over global: %q", got)
	}
	routeLevel := p.plugin("/routes/r/plugins", rt("route"))
	if got := from(nil); got != "route" {
		t.Errorf("route over service: %q", got)
	}
	// A consumer's configuration applies once key-auth (global, higher
	// priority) has found the consumer.
	p.plugin("/plugins", obj{"name": "key-auth", "config": obj{"anonymous": "anon"}})
	p.must(201, "POST", "/consumers", obj{"username": "anon"})
	p.must(201, "POST", "/consumers", obj{"username": "alice"})
	p.must(201, "POST", "/consumers/alice/key-auth", obj{"key": "k"})
	p.plugin("/consumers/alice/plugins", rt("consumer"))
	if got := from(http.Header{"Apikey": {"k"}}); got != "consumer" {
		t.Errorf("consumer over route: %q", got)
	}
	if got := from(nil); got != "route" {
		t.Errorf("anonymous: %q", got)
	}
	p.must(200, "PATCH", "/plugins/"+routeLevel, obj{"enabled": false})
	if got := from(nil); got != "service" {
		t.Errorf("route plugin disabled: %q", got)
	}
	p.must(204, "DELETE", "/plugins/"+global, nil)
	p.must(204, "DELETE", "/services/svc/plugins/"+p.mustID("/services/svc/plugins"), nil)
	if got := from(nil); got != "" {
		t.Errorf("no plugin left: %q", got)
	}
}

// mustID is the id of the only plugin listed at path.
func (p *pluginStack) mustID(path string) string {
	p.t.Helper()
	got := ids(p.must(200, "GET", path, nil))
	if len(got) != 1 {
		p.t.Fatalf("%s: %v", path, got)
	}
	return got[0]
}

func TestProxyCORS(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/routes/r/plugins", obj{"name": "cors", "config": obj{
		"origins": []any{"https://app.test"}, "credentials": true, "max_age": 600, "exposed_headers": []any{"X-Total"}}})
	res := p.call("OPTIONS", "/p", http.Header{"Origin": {"https://app.test"}, "Access-Control-Request-Method": {"POST"}}, "")
	res.expect(t, 200)
	if res.raw != "" || res.header.Get("Via") != "" || res.header.Get("Access-Control-Allow-Origin") != "https://app.test" ||
		res.header.Get("Access-Control-Allow-Methods") != "GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS,TRACE,CONNECT" ||
		res.header.Get("Access-Control-Max-Age") != "600" || res.header.Get("Access-Control-Allow-Credentials") != "true" ||
		res.header.Get("Vary") != "Origin" || res.header.Get("Content-Length") != "0" {
		t.Errorf("preflight: %v %q", res.header, res.raw)
	}
	res = p.call("GET", "/p", http.Header{"Origin": {"https://app.test"}}, "")
	res.expect(t, 200)
	if res.header.Get("Access-Control-Allow-Origin") != "https://app.test" || res.header.Get("Access-Control-Expose-Headers") != "X-Total" ||
		res.header.Get("Access-Control-Allow-Methods") != "" || res.echo.Method != "GET" {
		t.Errorf("actual request: %v", res.header)
	}
}

func TestProxyTransformers(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/routes/r/plugins", obj{"name": "request-transformer", "config": obj{
		"add":    obj{"headers": []any{"x-added:yes"}, "querystring": []any{"q:1"}, "body": []any{"b:2"}},
		"remove": obj{"headers": []any{"x-secret"}},
	}})
	p.plugin("/routes/r/plugins", obj{"name": "response-transformer", "config": obj{
		"add":    obj{"headers": []any{"x-resp:1"}, "json": []any{"added:true"}, "json_types": []any{"boolean"}},
		"remove": obj{"json": []any{"headers"}},
	}})
	res := p.call("POST", "/p?z=0", http.Header{"X-Secret": {"s"}, "Content-Type": {"application/json"}}, `{"a":1}`)
	res.expect(t, 200)
	var body map[string]any
	if err := json.Unmarshal([]byte(res.raw), &body); err != nil {
		t.Fatalf("body %q: %v", res.raw, err)
	}
	if body["added"] != true || body["headers"] != nil || body["query"] != "q=1&z=0" || body["body"] != `{"a":1,"b":"2"}` ||
		res.header.Get("X-Resp") != "1" || res.header.Get("Content-Length") != fmt.Sprint(len(res.raw)) && res.header.Get("Content-Length") != "" {
		t.Errorf("response %v %s", res.header, res.raw)
	}
	// The upstream saw the transformed request: ask it without the
	// response-transformer's removal.
	p.must(200, "PATCH", "/plugins/"+p.pluginID("response-transformer"), obj{"config": obj{"remove": obj{"json": []any{}}}})
	res = p.call("GET", "/p", http.Header{"X-Secret": {"s"}}, "")
	if res.expect(t, 200); res.echo.Headers["x-added"] != "yes" || res.echo.Headers["x-secret"] != "" {
		t.Errorf("upstream saw %v", res.echo.Headers)
	}
}

// pluginID is the id of the plugin named name on route r.
func (p *pluginStack) pluginID(name string) string {
	p.t.Helper()
	for _, e := range p.must(200, "GET", "/routes/r/plugins", nil)["data"].([]any) {
		if e.(map[string]any)["name"] == name {
			return e.(map[string]any)["id"].(string)
		}
	}
	p.t.Fatalf("no %s plugin", name)
	return ""
}

func TestProxyRestrictions(t *testing.T) {
	p := newPluginStack(t, Options{})
	ipr := p.plugin("/routes/r/plugins", obj{"name": "ip-restriction", "config": obj{"deny": []any{"127.0.0.0/8", "::1"}}})
	p.call("GET", "/p", nil, "").kongError(t, 403, "IP address not allowed: 127.0.0.1")
	p.must(200, "PATCH", "/plugins/"+ipr, obj{"config": obj{"deny": nil, "allow": []any{"10.0.0.0/8"}, "status": 401, "message": "go away"}})
	p.call("GET", "/p", nil, "").kongError(t, 401, "go away")
	p.must(204, "DELETE", "/plugins/"+ipr, nil)

	p.plugin("/routes/r/plugins", obj{"name": "request-size-limiting", "config": obj{"allowed_payload_size": 1, "size_unit": "kilobytes"}})
	p.call("POST", "/p", nil, strings.Repeat("x", 1025)).kongError(t, 413, "Request size limit exceeded")
	p.call("POST", "/p", nil, strings.Repeat("x", 1024)).expect(t, 200)

	p.plugin("/plugins", obj{"name": "correlation-id", "config": obj{"echo_downstream": true}})
	res := p.call("GET", "/p", nil, "")
	id := res.header.Get("Kong-Request-Id")
	if res.expect(t, 200); id == "" || res.echo.Headers["kong-request-id"] != id {
		t.Errorf("correlation id %q, upstream saw %q", id, res.echo.Headers["kong-request-id"])
	}
	// A global plugin also sees requests no route matched.
	if res = p.call("GET", "/nowhere", nil, ""); res.status != 404 || res.header.Get("Kong-Request-Id") == "" {
		t.Errorf("404: %d %v", res.status, res.header)
	}
}

// Konnect's analytics count what the plugins answered, as /metrics does.
func TestProxyPluginsKonnectTraffic(t *testing.T) {
	p := newProxyStack(t, Options{})
	base := "/v2/control-planes/" + p.cp + "/core-entities"
	p.must(201, "POST", base+"/routes/pay/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 2}})
	p.get("/pay", 200)
	p.get("/pay", 200)
	p.get("/pay", 429)
	if got := p.srv.TrafficCounts(p.cp, p.svc); fmt.Sprint(got) != "map[200:2 429:1]" {
		t.Errorf("TrafficCounts = %v", got)
	}
}

func TestProxyJWTAndBotDetection(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/routes/r/plugins", obj{"name": "jwt"})
	p.must(201, "POST", "/consumers", obj{"username": "alice"})
	p.must(201, "POST", "/consumers/alice/jwt", obj{"key": "alice-key", "secret": "shh"})
	res := p.call("GET", "/p", nil, "")
	if res.status != 401 || res.raw != `{"message":"Unauthorized"}` || res.header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("no token: %d %v %s", res.status, res.header, res.raw)
	}
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"alice-key"}`))
	mac := hmac.New(sha256.New, []byte("shh"))
	mac.Write([]byte(head + "." + claims))
	token := head + "." + claims + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	res = p.call("GET", "/p", http.Header{"Authorization": {"Bearer " + token}}, "")
	if res.expect(t, 200); res.echo.Headers["x-consumer-username"] != "alice" || res.echo.Headers["x-credential-identifier"] != "alice-key" {
		t.Errorf("upstream saw %v", res.echo.Headers)
	}

	p.plugin("/plugins", obj{"name": "bot-detection"})
	// Go's own client is on Kong's bad-bot list.
	p.call("GET", "/p", nil, "").kongError(t, 403, "Forbidden")
	p.call("GET", "/p", http.Header{"User-Agent": {"curl/8.5.0"}, "Authorization": {"Bearer " + token}}, "").expect(t, 200)
}

// Concurrent requests are counted one by one: exactly the limit gets
// through (Kong's own counters, incremented in a timer, may let a few
// more by).
func TestProxyRateLimitingConcurrent(t *testing.T) {
	p := newPluginStack(t, Options{})
	p.plugin("/routes/r/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 5}})
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Get(p.srv.ProxyURL + "/p")
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			mu.Lock()
			counts[res.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts[200] != 5 || counts[429] != 15 {
		t.Errorf("statuses %v, want 5 × 200 and 15 × 429", counts)
	}
}
