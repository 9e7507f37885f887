package servicehub

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// testSchema reads a plugin schema as Kong 3.10 serves it (the fixtures
// of internal/kongschema/testdata/plugins).
func testSchema(t *testing.T, name string) *PluginSchema {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "kongschema", "testdata", "plugins", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := kongschema.ParsePluginSchema(name, doc)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := decodeSchema(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &PluginSchema{PluginSchema: ps, doc: raw}
}

func js(t *testing.T, s string) PluginConfig {
	t.Helper()
	if s == "" {
		return nil
	}
	var m PluginConfig
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return m
}

// rateLimitingMinute3 is rate-limiting's config as Kong 3.10 returns it
// for {"minute": 3}, with a deprecated name echoed back (its schema has no
// such field, so it is never compared).
const rateLimitingMinute3 = `{"second":null,"minute":3,"hour":null,"day":null,"month":null,"year":null,
"limit_by":"consumer","header_name":null,"path":null,"policy":"local","fault_tolerant":true,
"redis":{"host":null,"port":6379,"timeout":2000,"username":null,"password":null,"database":0,"ssl":false,"ssl_verify":false,"server_name":null},
"hide_client_headers":false,"error_code":429,"error_message":"API rate limit exceeded","sync_rate":-1,"redis_host":null}`

func TestReadConfig(t *testing.T) {
	t.Parallel()
	// patch sets keys of rate-limiting's Kong answer.
	patch := func(kv map[string]any) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(rateLimitingMinute3), &m)
		for k, v := range kv {
			m[k] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	redis := func(kv map[string]any) map[string]any {
		r := map[string]any{"host": nil, "port": 6379, "timeout": 2000, "username": nil, "password": nil,
			"database": 0, "ssl": false, "ssl_verify": false, "server_name": nil}
		for k, v := range kv {
			r[k] = v
		}
		return r
	}
	for _, tc := range []struct {
		name, plugin              string
		config, sensitive, actual string
		wantConfig, wantSensitive string // "" for null
		wantChanged               bool
	}{
		{name: "as written", plugin: "rate-limiting", config: `{"minute":3}`, actual: rateLimitingMinute3,
			wantConfig: `{"minute":3}`},
		{name: "a default written out", plugin: "rate-limiting", config: `{"minute":3,"policy":"local","fault_tolerant":true}`, actual: rateLimitingMinute3,
			wantConfig: `{"minute":3,"policy":"local","fault_tolerant":true}`},
		{name: "a written key changed", plugin: "rate-limiting", config: `{"minute":3,"policy":"local"}`, actual: patch(map[string]any{"minute": 5}),
			wantConfig: `{"minute":5,"policy":"local"}`, wantChanged: true},
		{name: "a default changed", plugin: "rate-limiting", config: `{"minute":3}`, actual: patch(map[string]any{"fault_tolerant": false}),
			wantConfig: `{"minute":3,"fault_tolerant":false}`, wantChanged: true},
		{name: "a default set to null", plugin: "rate-limiting", config: `{"minute":3}`, actual: patch(map[string]any{"error_code": nil}),
			wantConfig: `{"minute":3,"error_code":null}`, wantChanged: true},
		{name: "a nested default changed", plugin: "rate-limiting", config: `{"minute":3,"redis":{"host":"r"}}`,
			actual:     patch(map[string]any{"redis": redis(map[string]any{"host": "r", "port": 6380})}),
			wantConfig: `{"minute":3,"redis":{"host":"r","port":6380}}`, wantChanged: true},
		{name: "an unwritten secret set", plugin: "rate-limiting", config: `{"minute":3}`,
			actual:     patch(map[string]any{"redis": redis(map[string]any{"password": "hunter2"})}),
			wantConfig: `{"minute":3}`, wantSensitive: `{"redis":{"password":"hunter2"}}`, wantChanged: true},
		{name: "a sensitive value as written", plugin: "rate-limiting", config: `{"minute":3,"policy":"redis","redis":{"host":"r"}}`,
			sensitive:  `{"redis":{"password":"pw"}}`,
			actual:     patch(map[string]any{"policy": "redis", "redis": redis(map[string]any{"host": "r", "password": "pw"})}),
			wantConfig: `{"minute":3,"policy":"redis","redis":{"host":"r"}}`, wantSensitive: `{"redis":{"password":"pw"}}`},
		{name: "a sensitive value changed", plugin: "rate-limiting", config: `{"minute":3,"policy":"redis","redis":{"host":"r"}}`,
			sensitive:  `{"redis":{"password":"pw"}}`,
			actual:     patch(map[string]any{"policy": "redis", "redis": redis(map[string]any{"host": "r", "password": "other"})}),
			wantConfig: `{"minute":3,"policy":"redis","redis":{"host":"r"}}`, wantSensitive: `{"redis":{"password":"other"}}`, wantChanged: true},
		{name: "sensitive over config", plugin: "rate-limiting", config: `{"minute":3,"redis":{"host":"r","password":"x"}}`,
			sensitive:  `{"redis":{"password":"pw"}}`,
			actual:     patch(map[string]any{"redis": redis(map[string]any{"host": "r", "password": "pw"})}),
			wantConfig: `{"minute":3,"redis":{"host":"r","password":"x"}}`, wantSensitive: `{"redis":{"password":"pw"}}`},
		{name: "a shorthand written", plugin: "rate-limiting", config: `{"minute":3,"redis_host":"r"}`,
			actual:     patch(map[string]any{"redis": redis(map[string]any{"host": "r"}), "redis_host": "r"}),
			wantConfig: `{"minute":3,"redis_host":"r"}`},
		{name: "import", plugin: "rate-limiting", actual: patch(map[string]any{"hour": 100, "redis": redis(map[string]any{"password": "pw"})}),
			wantConfig: `{"minute":3,"hour":100}`, wantSensitive: `{"redis":{"password":"pw"}}`, wantChanged: true},
		{name: "a set in another order", plugin: "jwt", config: `{"header_names":["x-jwt","authorization"],"claims_to_verify":["nbf","exp"]}`,
			actual: `{"uri_param_names":["jwt"],"cookie_names":[],"key_claim_name":"iss","secret_is_base64":false,"claims_to_verify":["exp","nbf"],
"anonymous":null,"run_on_preflight":true,"maximum_expiration":0,"header_names":["authorization","x-jwt"],"realm":null}`,
			wantConfig: `{"header_names":["x-jwt","authorization"],"claims_to_verify":["nbf","exp"]}`},
		{name: "a set changed", plugin: "jwt", config: `{"header_names":["x-jwt","authorization"]}`,
			actual: `{"uri_param_names":["jwt"],"cookie_names":[],"key_claim_name":"iss","secret_is_base64":false,"claims_to_verify":null,
"anonymous":null,"run_on_preflight":true,"maximum_expiration":0,"header_names":["authorization"],"realm":null}`,
			wantConfig: `{"header_names":["authorization"]}`, wantChanged: true},
		{name: "an array's order matters", plugin: "cors", config: `{"methods":["POST","GET"]}`,
			actual: `{"origins":null,"headers":null,"exposed_headers":null,"methods":["GET","POST"],"max_age":null,"credentials":false,
"private_network":false,"preflight_continue":false,"allow_origin_absent":true}`,
			wantConfig: `{"methods":["GET","POST"]}`, wantChanged: true},
		{name: "empty written, null held", plugin: "cors", config: `{"origins":[]}`,
			actual: `{"origins":null,"headers":null,"exposed_headers":null,"methods":["GET","HEAD","PUT","PATCH","POST","DELETE","OPTIONS","TRACE","CONNECT"],
"max_age":null,"credentials":false,"private_network":false,"preflight_continue":false,"allow_origin_absent":true}`,
			wantConfig: `{"origins":[]}`},
		{name: "nothing written, empty held", plugin: "cors", config: `{}`,
			actual: `{"origins":[],"headers":[],"exposed_headers":null,"methods":["GET","HEAD","PUT","PATCH","POST","DELETE","OPTIONS","TRACE","CONNECT"],
"max_age":null,"credentials":false,"private_network":false,"preflight_continue":false,"allow_origin_absent":true}`,
			wantConfig: `{}`},
		{name: "arrays of records with their defaults", plugin: "datadog", config: `{"metrics":[{"name":"latency","stat_type":"timer"}]}`,
			actual: `{"host":"localhost","port":8125,"prefix":"kong","service_name_tag":"name","status_tag":"status","consumer_tag":"consumer",
"metrics":[{"name":"latency","stat_type":"timer","tags":null,"sample_rate":null,"consumer_identifier":null}]}`,
			wantConfig: `{"metrics":[{"name":"latency","stat_type":"timer"}]}`},
		{name: "a record in an array changed", plugin: "datadog", config: `{"metrics":[{"name":"latency","stat_type":"timer"}]}`,
			actual: `{"host":"localhost","port":8125,"prefix":"kong","service_name_tag":"name","status_tag":"status","consumer_tag":"consumer",
"metrics":[{"name":"latency","stat_type":"timer","tags":["a"],"sample_rate":null,"consumer_identifier":null}]}`,
			wantConfig: `{"metrics":[{"name":"latency","stat_type":"timer","tags":["a"],"sample_rate":null,"consumer_identifier":null}]}`, wantChanged: true},
		{name: "the default array of records", plugin: "datadog", config: `{}`,
			actual: `{"host":"localhost","port":8125,"prefix":"kong","service_name_tag":"name","status_tag":"status","consumer_tag":"consumer",
"metrics":[{"name":"request_count","stat_type":"counter","sample_rate":1,"tags":["app:kong"],"consumer_identifier":"custom_id"},
{"name":"latency","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"}]}`,
			wantConfig: `{}`},
		{name: "an unwritten referenceable field", plugin: "datadog", config: `{}`,
			actual: `{"host":"{vault://env/dd-host}","port":8125,"prefix":"kong","service_name_tag":"name","status_tag":"status","consumer_tag":"consumer",
"metrics":[{"name":"request_count","stat_type":"counter","sample_rate":1,"tags":["app:kong"],"consumer_identifier":"custom_id"},
{"name":"latency","stat_type":"timer","tags":["app:kong"],"sample_rate":null,"consumer_identifier":"custom_id"}]}`,
			wantConfig: `{}`, wantSensitive: `{"host":"{vault://env/dd-host}"}`, wantChanged: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ps := testSchema(t, tc.plugin)
			config, sensitive := js(t, tc.config), js(t, tc.sensitive)
			gotConfig, gotSensitive, changed, err := ps.ReadConfig(config, sensitive, js(t, tc.actual))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotConfig, js(t, tc.wantConfig)) {
				t.Errorf("config %v, want %s", gotConfig, tc.wantConfig)
			}
			if !reflect.DeepEqual(gotSensitive, js(t, tc.wantSensitive)) {
				t.Errorf("config_sensitive %v, want %s", gotSensitive, tc.wantSensitive)
			}
			if changed != tc.wantChanged {
				t.Errorf("changed %v, want %v", changed, tc.wantChanged)
			}
			if !reflect.DeepEqual(config, js(t, tc.config)) || !reflect.DeepEqual(sensitive, js(t, tc.sensitive)) {
				t.Error("the configuration read was modified")
			}
			// The rule's fixed point: a state it produced reads back
			// unchanged from the same Kong.
			if _, _, again, _ := ps.ReadConfig(gotConfig, gotSensitive, js(t, tc.actual)); again {
				t.Error("the state it produced does not read back unchanged")
			}
		})
	}
}

func TestReadProtocols(t *testing.T) {
	t.Parallel()
	ps := testSchema(t, "rate-limiting")
	for _, tc := range []struct {
		written, actual, want []string
		changed               bool
	}{
		{nil, []string{"https", "http", "grpcs", "grpc"}, nil, false},
		{nil, []string{"https"}, []string{"https"}, true},
		{[]string{"https", "http"}, []string{"http", "https"}, []string{"https", "http"}, false},
		{[]string{"https", "http"}, []string{"http"}, []string{"http"}, true},
	} {
		got, changed := ps.ReadProtocols(tc.written, tc.actual)
		if !reflect.DeepEqual(got, tc.want) || changed != tc.changed {
			t.Errorf("ReadProtocols(%v, %v) = %v, %v; want %v, %v", tc.written, tc.actual, got, changed, tc.want, tc.changed)
		}
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	config := js(t, `{"minute":3,"redis":{"host":"r","port":1}}`)
	got := Merge(config, js(t, `{"redis":{"password":"pw","port":2},"hour":4}`))
	if want := js(t, `{"minute":3,"hour":4,"redis":{"host":"r","port":2,"password":"pw"}}`); !reflect.DeepEqual(got, want) {
		t.Errorf("Merge = %v, want %v", got, want)
	}
	if !reflect.DeepEqual(config, js(t, `{"minute":3,"redis":{"host":"r","port":1}}`)) {
		t.Error("Merge modified its input")
	}
	if got := Merge(nil, nil); !reflect.DeepEqual(got, PluginConfig{}) {
		t.Errorf("Merge(nil, nil) = %v", got)
	}
}

func TestClosest(t *testing.T) {
	t.Parallel()
	enabled := []string{"acl", "basic-auth", "cors", "jwt", "key-auth", "rate-limiting", "request-transformer", "response-ratelimiting", "response-transformer"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"rate-limting", []string{"rate-limiting", "response-ratelimiting"}},
		{"ratelimiting", []string{"rate-limiting", "response-ratelimiting"}},
		{"cros", []string{"cors"}},
		{"keyauth", []string{"key-auth", "basic-auth"}},
		{"request-transform", []string{"request-transformer", "response-transformer"}},
		{"zzzzzzzzzzzz", []string{}},
	} {
		if got := Closest(tc.name, enabled, 3); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Closest(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSeen(t *testing.T) {
	t.Parallel()
	a := Seen(js(t, `{"a":1,"b":{"c":2}}`), nil, []string{"https", "http"}, js(t, `{"b":{"c":2},"a":1}`), []string{"http"})
	b := Seen(js(t, `{"b":{"c":2},"a":1}`), nil, []string{"http", "https"}, js(t, `{"a":1,"b":{"c":2}}`), []string{"http"})
	if a != b {
		t.Error("Seen depends on key or protocol order")
	}
	if a == Seen(js(t, `{"a":1,"b":{"c":2}}`), nil, []string{"https", "http"}, js(t, `{"b":{"c":3},"a":1}`), []string{"http"}) {
		t.Error("Seen misses a change in Kong")
	}
	if a == Seen(js(t, `{"a":1,"b":{"c":2}}`), js(t, `{"x":1}`), []string{"https", "http"}, js(t, `{"b":{"c":2},"a":1}`), []string{"http"}) {
		t.Error("Seen misses config_sensitive")
	}
}
