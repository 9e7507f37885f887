package kongschema

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func loadPluginSchema(t *testing.T, name string) *PluginSchema {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("testdata", "plugins", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePluginSchema(name, doc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// errText renders a plugin check's errors one a line, as "path: message".
func errText(errs []FieldError) string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.String()
	}
	return strings.Join(lines, "\n")
}

func TestPluginSchemaCheck(t *testing.T) {
	t.Parallel()
	cfg := func(s string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, tc := range []struct {
		name, plugin, config string
		unknown              []string
		want                 string // "" for valid
	}{
		{"valid", "rate-limiting", `{"minute": 3, "policy": "local"}`, nil, ""},
		{"no limit", "rate-limiting", `{"policy": "local"}`, nil,
			"at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'"},
		{"limit unknown yet", "rate-limiting", `{"policy": "local"}`, []string{"config.minute"}, ""},
		{"wrong type", "rate-limiting", `{"minute": "3"}`, nil, "config.minute: expected a number"},
		{"gt", "rate-limiting", `{"minute": 0}`, nil, "config.minute: value must be greater than 0"},
		{"one_of", "rate-limiting", `{"minute": 1, "policy": "cloud"}`, nil, "config.policy: expected one of: local, cluster, redis"},
		{"unknown field", "rate-limiting", `{"minute": 1, "minutes": 2}`, nil, "config.minutes: unknown field"},
		{"nested unknown field", "rate-limiting", `{"minute": 1, "redis": {"hots": "x"}}`, nil, "config.redis.hots: unknown field"},
		{"conditional on a nested field", "rate-limiting", `{"minute": 1, "policy": "redis"}`, nil,
			"failed conditional validation given value of field 'config.policy'\nconfig.redis.host: required field missing"},
		{"conditional, host unknown yet", "rate-limiting", `{"minute": 1, "policy": "redis"}`, []string{"config.redis.host"}, ""},
		{"conditional met", "rate-limiting", `{"minute": 1, "policy": "redis", "redis": {"host": "redis.internal"}}`, nil, ""},
		{"shorthand moved", "rate-limiting", `{"minute": 1, "policy": "redis", "redis_host": "redis.internal"}`, nil, ""},
		{"between in a record", "rate-limiting", `{"minute": 1, "redis": {"port": 70000}}`, nil, "config.redis.port: value should be between 0 and 65535"},
		{"len_min 0 allows empty", "rate-limiting", `{"minute": 1, "redis": {"password": ""}}`, nil, ""},
		{"only_one_of", "acl", `{"allow": ["a"], "deny": ["b"]}`, nil,
			"exactly one of these fields must be non-empty: 'config.allow', 'config.deny'"},
		{"only_one_of and at_least_one_of", "acl", `{}`, nil,
			"exactly one of these fields must be non-empty: 'config.allow', 'config.deny'\n" +
				"at least one of these fields must be non-empty: 'config.allow', 'config.deny'"},
		{"array element type", "acl", `{"allow": ["a", 3]}`, nil, "config.allow.1: expected a string"},
		{"set element one_of", "jwt", `{"claims_to_verify": ["exp", "iat"]}`, nil, "config.claims_to_verify.1: expected one of: exp, nbf"},
		{"conditional contains", "jwt", `{"maximum_expiration": 60, "claims_to_verify": ["nbf"]}`, nil,
			"failed conditional validation given value of field 'config.maximum_expiration'\nconfig.claims_to_verify: expected to contain: exp"},
		{"conditional contains met", "jwt", `{"maximum_expiration": 60, "claims_to_verify": ["exp"]}`, nil, ""},
		{"record in array", "datadog", `{"metrics": [{"name": "latency", "stat_type": "timer"}, {"name": "nope", "stat_type": "counter"}]}`, nil,
			"config.metrics.1.@entity.0: failed conditional validation given value of field 'stat_type'\n" +
				"config.metrics.1.name: expected one of: kong_latency, latency, request_count, request_size, response_size, upstream_latency\n" +
				"config.metrics.1.sample_rate: required field missing"},
		{"match in array of records", "datadog", `{"metrics": [{"name": "latency", "stat_type": "timer", "tags": ["a:"]}]}`, nil,
			"config.metrics.0.tags.0: invalid value: a:"},
		{"protocols", "cors", `{}`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := loadPluginSchema(t, tc.plugin)
			body := map[string]any{"config": cfg(tc.config), "service": map[string]any{"id": "5c1b0d4e-9a77-4f6c-9a62-0b3a1c7e2d11"}}
			if got := errText(p.Check(body, tc.unknown)); got != tc.want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestPluginSchemaCheckProtocolsAndScope(t *testing.T) {
	t.Parallel()
	p := loadPluginSchema(t, "cors")
	errs := p.Check(map[string]any{
		"config":    map[string]any{},
		"protocols": []any{"http", "tcp"},
		"consumer":  map[string]any{"id": "5c1b0d4e-9a77-4f6c-9a62-0b3a1c7e2d11"},
	}, nil)
	want := "consumer: value must be null\nprotocols.1: expected one of: grpc, grpcs, http, https"
	if got := errText(errs); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
}

func TestPluginSchemaDocumentRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"rate-limiting", "cors", "acl", "jwt", "datadog"} {
		p := loadPluginSchema(t, name)
		doc := p.Document()
		again, err := ParsePluginSchemaDocument(name, doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(doc, again.Document()) {
			t.Errorf("%s: the document changes when read back:\n%v\n%v", name, doc, again.Document())
		}
		// What the engine needs from the document survives it.
		cfg := doc["fields"].([]any)
		if len(cfg) != len(p.fields) {
			t.Errorf("%s: %d fields, want %d", name, len(cfg), len(p.fields))
		}
	}
	rl := loadPluginSchema(t, "rate-limiting")
	redis := rl.FieldAt([]string{"redis", "password"})
	if redis == nil || !redis.Encrypted || !redis.Referenceable || redis.LenMin == nil || *redis.LenMin != 0 {
		t.Errorf("redis.password = %+v", redis)
	}
	if got := rl.Document()["entity_checks"].([]any)[1]; !reflect.DeepEqual(got, map[string]any{"conditional": map[string]any{
		"if_field": "config.policy", "if_match": map[string]any{"eq": "redis"},
		"then_field": "config.redis.host", "then_match": map[string]any{"required": true},
	}}) {
		t.Errorf("conditional rendered as %v", got)
	}
}

func TestPluginSchemaSecretsAndDefaults(t *testing.T) {
	t.Parallel()
	rl := loadPluginSchema(t, "rate-limiting")
	if got, want := rl.SecretPaths(), []string{"redis.password", "redis.username"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rate-limiting secrets %v, want %v", got, want)
	}
	if got, want := loadPluginSchema(t, "datadog").SecretPaths(), []string{"host"}; !reflect.DeepEqual(got, want) {
		t.Errorf("datadog secrets %v, want %v", got, want)
	}
	if !rl.Secret([]string{"redis", "password"}) || rl.Secret([]string{"redis", "host"}) || rl.Secret([]string{"nope"}) {
		t.Error("Secret disagrees with the schema")
	}
	if got, want := rl.DefaultProtocols(), []string{"grpc", "grpcs", "http", "https"}; !reflect.DeepEqual(got, want) {
		t.Errorf("default protocols %v, want %v", got, want)
	}
	if f := loadPluginSchema(t, "datadog").FieldAt([]string{"metrics", "tags"}); f == nil || f.Type != "array" {
		t.Errorf("datadog metrics.tags = %+v: elements of an array of records are reached through its name", f)
	}
}

func TestExpandShorthands(t *testing.T) {
	t.Parallel()
	rl := loadPluginSchema(t, "rate-limiting")
	in := map[string]any{"minute": 1.0, "redis_host": "a", "redis_port": 6380.0, "redis": map[string]any{"port": 6381.0}}
	got := ExpandShorthands(rl.Config(), in)
	want := map[string]any{"minute": 1.0, "redis": map[string]any{"host": "a", "port": 6381.0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, ok := in["redis_host"]; !ok {
		t.Error("the input was modified")
	}
}

func TestLuaPattern(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern string
		match   []string
		miss    []string
	}{
		{"^.*[^:]$", []string{"app:kong", "a"}, []string{"a:", ""}},
		{"^%u+$", []string{"GET"}, []string{"get", "GE T"}},
		{"^[^:]+:.*$", []string{"x-h:v", "a:"}, []string{":v", "novalue"}},
		{"//", []string{"/a//b"}, []string{"/a/b"}},
		{"^%d+%.%d+$", []string{"3.10"}, []string{"3x10"}},
		{"a-b", []string{"ab", "aaab", "ba"}, []string{"a", "c"}},
		{"^[%w_-]+$", []string{"a_b-c"}, []string{"a b"}},
		{"50%%", []string{"50%"}, []string{"50"}},
		{"^*a", []string{"*a"}, []string{"a"}},
		{"a|b", []string{"a|b"}, []string{"a", "b"}},
	} {
		re, err := luaPattern(tc.pattern)
		if err != nil {
			t.Errorf("%q: %v", tc.pattern, err)
			continue
		}
		for _, s := range tc.match {
			if !re.MatchString(s) {
				t.Errorf("%q (as %s) does not match %q", tc.pattern, re, s)
			}
		}
		for _, s := range tc.miss {
			if re.MatchString(s) {
				t.Errorf("%q (as %s) matches %q", tc.pattern, re, s)
			}
		}
	}
	for _, p := range []string{"%b()", "%f[%w]", "(a)%1", "()", "[%A]", "[a"} {
		if _, err := luaPattern(p); err == nil {
			t.Errorf("%q: translated, want refused", p)
		}
	}
}
