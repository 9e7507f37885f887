package localkong

import (
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The plugins' Admin API, checked against what Kong's own spec tests
// expect (spec/02-integration/04-admin_api/04-plugins_routes_spec.lua,
// 10-services_routes_spec.lua).

func TestPluginDefaultsFilledOnWrite(t *testing.T) {
	c := newClient(t, Options{})
	body := c.must(201, "POST", "/plugins", obj{"name": "key-auth", "config": obj{"key_names": []any{"testkey"}}})
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if got := strings.Join(keys, ","); got != "config,consumer,created_at,enabled,id,instance_name,name,protocols,route,service,tags,updated_at" {
		t.Errorf("keys %s", got)
	}
	want := normalise(obj{"config": obj{
		"key_names": []any{"testkey"}, "hide_credentials": false, "anonymous": nil, "key_in_header": true,
		"key_in_query": true, "key_in_body": false, "run_on_preflight": true, "realm": nil,
	}, "protocols": []any{"grpc", "grpcs", "http", "https"}, "enabled": true})
	for k, v := range want {
		if !reflect.DeepEqual(body[k], v) {
			t.Errorf("%s = %s, want %s", k, mustJSON(body[k]), mustJSON(v))
		}
	}
	// GET answers what the write did.
	if got := c.must(200, "GET", "/plugins/"+body["id"].(string), nil); !reflect.DeepEqual(got, body) {
		t.Errorf("GET %s, POST %s", mustJSON(got), mustJSON(body))
	}
}

func TestPluginErrors(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"host": "example.test"})
	sid := svc["id"].(string)
	c.expect("POST", "/services/"+sid+"/plugins", obj{}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (name: required field missing)",
		"fields": obj{"name": "required field missing"},
	})
	c.expect("POST", "/plugins", obj{"name": "plugin-not-present"}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (name: plugin 'plugin-not-present' not enabled; add it to the 'plugins' configuration property)",
		"fields":  obj{"name": "plugin 'plugin-not-present' not enabled; add it to the 'plugins' configuration property"},
	})
	c.must(201, "POST", "/services/"+sid+"/plugins", obj{"name": "basic-auth"})
	c.expect("POST", "/services/"+sid+"/plugins", obj{"name": "basic-auth"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"fields":  obj{"consumer": nil, "name": "basic-auth", "route": nil, "service": obj{"id": sid}},
		"message": `UNIQUE violation detected on '{consumer=null,name="basic-auth",route=null,service={id="` + sid + `"}}'`,
	})
	p := c.must(201, "POST", "/plugins", obj{"name": "key-auth", "config": obj{"key_names": []any{"testkey"}}})
	pid := p["id"].(string)
	c.expect("PATCH", "/plugins/"+pid, obj{"foo": "bar"}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (foo: unknown field)", "fields": obj{"foo": "unknown field"},
	})
	c.expect("PATCH", "/plugins/"+pid, obj{"config": "bar"}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (config: expected a record)", "fields": obj{"config": "expected a record"},
	})
	if got := c.must(200, "GET", "/plugins/"+pid, nil); mustJSON(got["config"].(obj)["key_names"]) != `["testkey"]` {
		t.Errorf("a refused PATCH changed the plugin: %s", mustJSON(got))
	}
	c.expect("PATCH", "/plugins/f4aecadc-05c7-11e6-8d41-1f3b3d5fa15c", obj{"enabled": false}, 404, nil)
	c.expect("DELETE", "/plugins", nil, 405, obj{"message": "Method not allowed"})
	c.expect("PATCH", "/plugins", obj{}, 405, obj{"message": "Method not allowed"})
	c.expect("POST", "/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 10, "hour": 5}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (config: The limit for hour(5.0) cannot be lower than the limit for minute(10.0))",
		"fields":  obj{"config": "The limit for hour(5.0) cannot be lower than the limit for minute(10.0)"},
	})
	c.expect("POST", "/plugins", obj{"name": "acl", "config": obj{"allow": []any{"a"}, "deny": []any{"b"}}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (exactly one of these fields must be non-empty: 'config.allow', 'config.deny')",
		"fields":  obj{"@entity": []any{"exactly one of these fields must be non-empty: 'config.allow', 'config.deny'"}},
	})
}

func TestPluginByInstanceName(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"host": "example.test"})
	body := c.must(200, "PUT", "/plugins/name-1", obj{"name": "key-auth", "service": obj{"id": svc["id"]},
		"config": obj{"key_names": []any{"testkey"}}})
	if body["instance_name"] != "name-1" {
		t.Fatalf("instance_name %v", body["instance_name"])
	}
	again := c.must(200, "PUT", "/plugins/name-1", obj{"name": "key-auth", "service": obj{"id": svc["id"]},
		"config": obj{"key_names": []any{"testkey2"}}})
	if again["id"] != body["id"] || mustJSON(again["config"].(obj)["key_names"]) != `["testkey2"]` {
		t.Errorf("upsert by instance_name: %s", mustJSON(again))
	}
	if got := c.must(200, "PATCH", "/plugins/name-1", obj{"enabled": false}); got["enabled"] != false {
		t.Errorf("PATCH by instance_name: %v", got["enabled"])
	}
	c.must(201, "POST", "/plugins", obj{"name": "cors", "instance_name": "円"})
	c.must(200, "GET", "/plugins/"+url.PathEscape("円"), nil)
	c.expect("GET", "/plugins/not-found", nil, 404, obj{"message": "Not found"})
	c.expect("DELETE", "/plugins/name-1", nil, 204, nil)
	c.expect("DELETE", "/plugins/name-1", nil, 204, nil)
	c.expect("GET", "/plugins/name-1", nil, 404, obj{"message": "Not found"})
}

// PATCH merges the config it sends into the stored one, record by record;
// removing a foreign key makes the plugin global.
func TestPluginPatch(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.test"})
	p := c.must(201, "POST", "/services/svc/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 3, "redis": obj{"host": "r"}}})
	got := c.must(200, "PATCH", "/services/svc/plugins/"+p["id"].(string), obj{"config": obj{"hour": 100, "redis": obj{"port": 7000}}})
	cfg := got["config"].(obj)
	redis := cfg["redis"].(obj)
	if cfg["minute"] != 3.0 || cfg["hour"] != 100.0 || redis["host"] != "r" || redis["port"] != 7000.0 {
		t.Errorf("config after PATCH: %s", mustJSON(cfg))
	}
	if got["service"].(obj)["id"] != svc["id"] {
		t.Errorf("nested PATCH lost the service: %v", got["service"])
	}
	got = c.must(200, "PATCH", "/plugins/"+p["id"].(string), obj{"service": nil})
	if got["service"] != nil {
		t.Errorf("service %v after removing it", got["service"])
	}
}

func TestNestedPlugins(t *testing.T) {
	c := newClient(t, Options{})
	svc := c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.test"})
	route := c.must(201, "POST", "/services/svc/routes", obj{"name": "r1", "paths": []any{"/r1"}})
	c.must(201, "POST", "/consumers", obj{"username": "alice"})
	onSvc := c.must(201, "POST", "/services/svc/plugins", obj{"name": "key-auth"})
	onRoute := c.must(201, "POST", "/routes/r1/plugins", obj{"name": "key-auth"})
	onConsumer := c.must(201, "POST", "/consumers/alice/plugins", obj{"name": "rate-limiting", "config": obj{"second": 1}})
	global := c.must(201, "POST", "/plugins", obj{"name": "key-auth"})

	for path, want := range map[string][]string{
		"/services/svc/plugins":    {onSvc["id"].(string)},
		"/routes/r1/plugins":       {onRoute["id"].(string)},
		"/consumers/alice/plugins": {onConsumer["id"].(string)},
	} {
		if got := ids(c.must(200, "GET", path, nil)); !reflect.DeepEqual(got, want) {
			t.Errorf("GET %s: %v, want %v", path, got, want)
		}
	}
	if got := c.must(200, "GET", "/plugins/"+onRoute["id"].(string)+"/route", nil); got["id"] != route["id"] {
		t.Errorf("the route of the route's plugin: %v", got["id"])
	}
	c.expect("GET", "/plugins/"+global["id"].(string)+"/service", nil, 404, obj{"message": "Not found"})
	// A plugin of another scope is not found under this one.
	c.expect("GET", "/services/svc/plugins/"+onRoute["id"].(string), nil, 404, obj{"message": "Not found"})
	c.expect("DELETE", "/services/svc/plugins/"+onRoute["id"].(string), nil, 404, obj{"message": "Not found"})
	c.must(200, "GET", "/services/svc/plugins/"+onSvc["id"].(string), nil)
	// PUT under a route scopes it there.
	moved := c.must(200, "PUT", "/routes/r1/plugins/"+global["id"].(string), obj{"name": "cors"})
	if moved["route"].(obj)["id"] != route["id"] {
		t.Errorf("PUT under the route: %v", moved["route"])
	}

	// Deleting what a plugin is scoped to deletes the plugin.
	c.must(204, "DELETE", "/routes/r1", nil)
	c.expect("GET", "/plugins/"+onRoute["id"].(string), nil, 404, nil)
	c.must(204, "DELETE", "/services/svc", nil)
	c.expect("GET", "/plugins/"+onSvc["id"].(string), nil, 404, nil)
	c.must(204, "DELETE", "/consumers/alice", nil)
	c.expect("GET", "/plugins/"+onConsumer["id"].(string), nil, 404, nil)
	if got := ids(c.must(200, "GET", "/plugins", nil)); len(got) != 0 {
		t.Errorf("plugins left: %v", got)
	}
	_ = svc
}

func TestPluginListPagesAndTags(t *testing.T) {
	c := newClient(t, Options{})
	for _, name := range []string{"key-auth", "basic-auth", "jwt"} {
		c.must(201, "POST", "/plugins", obj{"name": name, "tags": []any{"t-" + name, "all"}})
	}
	first := c.must(200, "GET", "/plugins?size=2", nil)
	if len(ids(first)) != 2 || first["next"] == nil {
		t.Fatalf("first page: %s", mustJSON(first))
	}
	second := c.must(200, "GET", first["next"].(string), nil)
	if len(ids(second)) != 1 || second["next"] != nil {
		t.Errorf("second page: %s", mustJSON(second))
	}
	if got := c.must(200, "GET", "/plugins?tags=t-jwt", nil); len(ids(got)) != 1 || got["data"].([]any)[0].(obj)["name"] != "jwt" {
		t.Errorf("tags=t-jwt: %s", mustJSON(got))
	}
	if got := c.must(200, "GET", "/tags/all", nil); len(got["data"].([]any)) != 3 || got["data"].([]any)[0].(obj)["entity_name"] != "plugins" {
		t.Errorf("/tags/all: %s", mustJSON(got))
	}
}

func TestPluginSchemas(t *testing.T) {
	c := newClient(t, Options{})
	enabled := c.must(200, "GET", "/plugins/enabled", nil)["enabled_plugins"].([]any)
	if len(enabled) < 12 {
		t.Fatalf("enabled plugins: %v", enabled)
	}
	for _, name := range enabled {
		doc := c.must(200, "GET", "/schemas/plugins/"+name.(string), nil)
		if _, ok := doc["fields"].([]any); !ok {
			t.Errorf("%s: fields %T", name, doc["fields"])
		}
		if _, ok := doc["entity_checks"].([]any); !ok {
			t.Errorf("%s: entity_checks %T", name, doc["entity_checks"])
		}
	}
	r := c.do("GET", "/schemas/plugins/request-transformer", nil)
	raw := string(r.raw)
	if strings.Contains(raw, `"entity_checks":{`) || strings.Contains(raw, `"fields":{`) ||
		!strings.Contains(raw, `"default":[]`) || strings.Contains(raw, `"default":{}`) {
		t.Errorf("request-transformer: empty tables must be arrays: %s", raw)
	}
	c.expect("GET", "/schemas/plugins/foobar", nil, 404, obj{"message": "No plugin named 'foobar'"})
	conf := c.must(200, "GET", "/plugins/schema/key-auth", nil)
	if fields, _ := conf["fields"].([]any); len(fields) == 0 || fields[0].(obj)["key_names"] == nil {
		t.Errorf("/plugins/schema/key-auth: %s", mustJSON(conf))
	}
	c.expect("POST", "/schemas/plugins/validate", obj{"name": "key-auth", "config": obj{"anonymous": "true"}}, 200,
		obj{"message": "schema validation successful"})
	c.expect("POST", "/schemas/plugins/validate", obj{"name": "key-auth", "config": obj{"garbage": true}}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (config.garbage: unknown field)",
		"fields": obj{"config": obj{"garbage": "unknown field"}},
	})
	if doc := c.must(200, "GET", "/schemas/keyauth_credentials", nil); doc["fields"] == nil {
		t.Errorf("/schemas/keyauth_credentials: %s", mustJSON(doc))
	}
}

// A plugin's schema is the one of the Kong played: cors'
// allow_origin_absent came with 3.10.0.
func TestPluginSchemaFollowsVersion(t *testing.T) {
	old := newClient(t, Options{Version: "3.9.1"})
	c := newClient(t, Options{})
	absent := func(c *client) bool {
		return !strings.Contains(string(c.do("GET", "/schemas/plugins/cors", nil).raw), "allow_origin_absent")
	}
	if !absent(old) || absent(c) {
		t.Errorf("allow_origin_absent: in 3.9.1 %v, in 3.10.0 %v", !absent(old), !absent(c))
	}
	old.expect("POST", "/plugins", obj{"name": "cors", "config": obj{"allow_origin_absent": false}}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (config.allow_origin_absent: unknown field)",
		"fields": obj{"config": obj{"allow_origin_absent": "unknown field"}},
	})
	c.must(201, "POST", "/plugins", obj{"name": "cors", "config": obj{"allow_origin_absent": false}})
	// Kong 3.6 to 3.8 write rate-limiting's deprecated redis_* names back
	// into what they return.
	v38 := newClient(t, Options{Version: "3.8.0"})
	p := v38.must(201, "POST", "/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 1, "redis_host": "r"}})
	cfg := p["config"].(obj)
	if cfg["redis_host"] != "r" || cfg["redis"].(obj)["host"] != "r" || cfg["redis_port"] != 6379.0 {
		t.Errorf("3.8 rate-limiting config: %s", mustJSON(cfg))
	}
	v38.expect("POST", "/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 1, "redis_host": "a", "redis": obj{"host": "b"}}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (redis_host: both deprecated and new field are used but their values mismatch: redis_host = a vs redis.host = b)",
		"fields":  obj{"redis_host": "both deprecated and new field are used but their values mismatch: redis_host = a vs redis.host = b"},
	})
	if cfg := c.must(201, "POST", "/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 1, "redis_host": "r"}})["config"].(obj); cfg["redis_host"] != nil {
		t.Errorf("3.10 returns the shorthand: %s", mustJSON(cfg))
	}
}

func TestRootListsPlugins(t *testing.T) {
	c := newClient(t, Options{})
	root := c.must(200, "GET", "/", nil)
	plugins := root["plugins"].(obj)
	available := plugins["available_on_server"].(obj)
	enabled := c.must(200, "GET", "/plugins/enabled", nil)["enabled_plugins"].([]any)
	if len(available) != len(enabled) {
		t.Errorf("available %d, enabled %d", len(available), len(enabled))
	}
	if ka := available["key-auth"].(obj); ka["priority"] != 1250.0 || ka["version"] != "3.10.0" {
		t.Errorf("key-auth: %v", ka)
	}
	if got := plugins["enabled_in_cluster"].([]any); len(got) != 0 {
		t.Errorf("enabled_in_cluster before any plugin: %v", got)
	}
	c.must(201, "POST", "/plugins", obj{"name": "cors"})
	if got := c.must(200, "GET", "/", nil)["plugins"].(obj)["enabled_in_cluster"]; mustJSON(got) != `["cors"]` {
		t.Errorf("enabled_in_cluster: %v", got)
	}
}

func TestKonnectPlugins(t *testing.T) {
	c := newClient(t, Options{Konnect: true})
	c.header.Set("Authorization", "Bearer kpat_x")
	base := "/v2/control-planes/5ca1ab1e-0000-4000-8000-00000000c0de/core-entities"
	c.must(201, "POST", base+"/services", obj{"name": "svc", "host": "example.test"})
	p := c.must(201, "POST", base+"/services/svc/plugins", obj{"name": "rate-limiting", "config": obj{"minute": 3}})
	c.must(200, "GET", base+"/plugins/"+p["id"].(string), nil)
	c.must(200, "PUT", base+"/plugins/"+p["id"].(string), obj{"name": "rate-limiting", "service": obj{"name": "svc"}, "config": obj{"minute": 4}})
	doc := c.must(200, "GET", base+"/schemas/plugins/rate-limiting", nil)
	// A control plane offers no cluster policy.
	if strings.Contains(mustJSON(doc), `"cluster"`) {
		t.Errorf("Konnect's rate-limiting has a cluster policy: %s", mustJSON(doc))
	}
	c.expect("PATCH", base+"/plugins/"+p["id"].(string), obj{"enabled": false}, 405, nil)
	c.expect("GET", base+"/plugins/enabled", nil, 404, nil)
	c.must(201, "POST", base+"/consumers", obj{"username": "alice"})
	c.must(201, "POST", base+"/consumers/alice/key-auth", obj{"key": "k"})
	c.must(204, "DELETE", base+"/services/svc", nil)
	c.expect("GET", base+"/plugins/"+p["id"].(string), nil, 404, nil)
}

// Arrays of records get their elements' defaults and checks (datadog's
// metrics); a config's custom_validator runs once its fields are valid
// (http-log's user info and Authorization header).
func TestPluginArraysOfRecords(t *testing.T) {
	c := newClient(t, Options{})
	p := c.must(201, "POST", "/plugins", obj{"name": "datadog", "config": obj{"metrics": []any{obj{"name": "latency", "stat_type": "timer"}}}})
	if got := mustJSON(p["config"].(obj)["metrics"]); got != `[{"consumer_identifier":null,"name":"latency","sample_rate":null,"stat_type":"timer","tags":null}]` {
		t.Errorf("metrics = %s", got)
	}
	c.expect("POST", "/plugins", obj{"name": "datadog", "config": obj{"metrics": []any{obj{"name": "latency", "stat_type": "counter"}}}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (config.metrics: {\n  {\n    [\"@entity\"] = {\n      \"failed conditional validation given value of field 'stat_type'\"\n    },\n    sample_rate = \"required field missing\"\n  }\n})",
		"fields": obj{"config": obj{"metrics": []any{obj{
			"@entity": []any{"failed conditional validation given value of field 'stat_type'"}, "sample_rate": "required field missing"}}}},
	})
	c.must(204, "DELETE", "/plugins/"+p["id"].(string), nil)
	if d := c.must(201, "POST", "/plugins", obj{"name": "datadog", "service": nil, "route": nil, "consumer": nil, "tags": []any{"d"}}); len(d["config"].(obj)["metrics"].([]any)) != 6 {
		t.Errorf("default metrics: %s", mustJSON(d["config"]))
	}
	c.expect("POST", "/plugins", obj{"name": "http-log", "config": obj{"http_endpoint": "http://u:p@example.test/", "headers": obj{"Authorization": "x"}}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (config: specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed)",
		"fields":  obj{"config": "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed"},
	})
}

// Form bodies are typed by the plugin's own schema, and a plugin's
// entities by theirs.
func TestPluginFormBodies(t *testing.T) {
	c := newClient(t, Options{})
	post := func(path, form string) *response {
		req, _ := http.NewRequest("POST", c.base+path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return c.send(req)
	}
	c.must(201, "POST", "/services", obj{"name": "svc", "host": "example.test"})
	r := post("/services/svc/plugins", "name=rate-limiting&config.minute=3&config.redis.port=7000&config.hide_client_headers=true")
	if r.status != 201 {
		t.Fatalf("form plugin: %d %s", r.status, r.raw)
	}
	cfg := r.body["config"].(obj)
	if cfg["minute"] != 3.0 || cfg["hide_client_headers"] != true || cfg["redis"].(obj)["port"] != 7000.0 {
		t.Errorf("form plugin config: %s", mustJSON(cfg))
	}
	if r := post("/services/svc/plugins", ""); r.status != 400 || r.body["message"] != "schema violation (name: required field missing)" {
		t.Errorf("empty form: %d %s", r.status, r.raw)
	}
	c.must(201, "POST", "/consumers", obj{"username": "alice"})
	if r := post("/consumers/alice/jwt", "algorithm=HS384&tags[]=a"); r.status != 201 || r.body["algorithm"] != "HS384" || mustJSON(r.body["tags"]) != `["a"]` {
		t.Errorf("form jwt: %d %s", r.status, r.raw)
	}
}
