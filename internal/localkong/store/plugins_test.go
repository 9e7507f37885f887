package store

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

func newStore(t *testing.T) (*Store, *Space) {
	t.Helper()
	v := kongschema.DefaultVersion
	s := New(kongschema.For(v), plugins.For(pdk.Gateway{Version: v}))
	return s, s.Namespace(WorkspaceNS(DefaultWorkspace))
}

func body(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func mustInsert(t *testing.T, s *Store, sp *Space, k *Kind, b string) map[string]any {
	t.Helper()
	e, err := s.Insert(sp, k, body(t, b))
	if err != nil {
		t.Fatalf("insert %s %s: %v", k.Name(), b, err)
	}
	return e
}

func TestPluginDefaultsAndUniqueness(t *testing.T) {
	s, sp := newStore(t)
	svc := mustInsert(t, s, sp, Services, `{"name":"svc","host":"example.com"}`)
	p := mustInsert(t, s, sp, PluginsKind, `{"name":"basic-auth","service":{"name":"svc"}}`)
	if got := mustJSONString(t, p["config"]); got != `{"anonymous":null,"hide_credentials":false,"realm":"service"}` {
		t.Errorf("config = %s", got)
	}
	if p["enabled"] != true || mustJSONString(t, p["protocols"]) != `["grpc","grpcs","http","https"]` {
		t.Errorf("enabled %v, protocols %v", p["enabled"], p["protocols"])
	}
	_, err := s.Insert(sp, PluginsKind, body(t, `{"name":"basic-auth","service":{"id":"`+svc["id"].(string)+`"}}`))
	want := `UNIQUE violation detected on '{consumer=null,name="basic-auth",route=null,service={id="` + svc["id"].(string) + `"}}'`
	if err == nil || err.Status != 409 || err.Body["message"] != want || err.Body["code"] != 5 {
		t.Fatalf("second basic-auth on the service: %v, want 409 %s", err, want)
	}
	if got := mustJSONString(t, err.Body["fields"]); got != `{"consumer":null,"name":"basic-auth","route":null,"service":{"id":"`+svc["id"].(string)+`"}}` {
		t.Errorf("fields = %s", got)
	}
	// The same plugin globally is another scope.
	mustInsert(t, s, sp, PluginsKind, `{"name":"basic-auth"}`)

	_, err = s.Insert(sp, PluginsKind, body(t, `{"name":"nope"}`))
	if err == nil || err.Body["message"] != "schema violation (name: plugin 'nope' not enabled; add it to the 'plugins' configuration property)" {
		t.Errorf("unknown plugin: %v", err)
	}
	_, err = s.Insert(sp, PluginsKind, body(t, `{"name":"rate-limiting","config":{}}`))
	if err == nil || !strings.Contains(err.Body["message"].(string), "at least one of these fields must be non-empty: 'config.second'") {
		t.Errorf("rate-limiting without a limit: %v", err)
	}
	_, err = s.Insert(sp, PluginsKind, body(t, `{"name":"rate-limiting","config":{"minute":5,"hour":2}}`))
	if err == nil || err.Body["message"] != "schema violation (config: The limit for hour(2.0) cannot be lower than the limit for minute(5.0))" {
		t.Errorf("periods out of order: %v", err)
	}
}

func TestPluginPatchMergesConfig(t *testing.T) {
	s, sp := newStore(t)
	p := mustInsert(t, s, sp, PluginsKind, `{"name":"rate-limiting","config":{"minute":5,"redis":{"host":"r1"}}}`)
	e, err := s.Update(sp, PluginsKind, sp.Get(PluginsKind, p["id"].(string)), body(t, `{"config":{"hour":50,"redis":{"port":7000}}}`))
	if err != nil {
		t.Fatal(err)
	}
	cfg := e["config"].(map[string]any)
	redis := cfg["redis"].(map[string]any)
	if cfg["minute"] != 5.0 || cfg["hour"] != 50.0 || redis["host"] != "r1" || redis["port"] != 7000.0 {
		t.Errorf("merged config = %s", mustJSONString(t, cfg))
	}
}

func TestPluginProtocolsMatchRoute(t *testing.T) {
	s, sp := newStore(t)
	r := mustInsert(t, s, sp, Routes, `{"protocols":["https"],"paths":["/x"]}`)
	_, err := s.Insert(sp, PluginsKind, body(t, `{"name":"key-auth","protocols":["http"],"route":{"id":"`+r["id"].(string)+`"}}`))
	if err == nil || err.Body["message"] != "schema violation (protocols: must match the associated route's protocols)" {
		t.Errorf("got %v", err)
	}
}

func TestCascades(t *testing.T) {
	s, sp := newStore(t)
	svc := mustInsert(t, s, sp, Services, `{"name":"svc","host":"example.com"}`)
	route := mustInsert(t, s, sp, Routes, `{"name":"r","paths":["/r"],"service":{"id":"`+svc["id"].(string)+`"}}`)
	c := mustInsert(t, s, sp, Consumers, `{"username":"alice"}`)
	onRoute := mustInsert(t, s, sp, PluginsKind, `{"name":"key-auth","route":{"name":"r"}}`)
	onService := mustInsert(t, s, sp, PluginsKind, `{"name":"key-auth","service":{"name":"svc"}}`)
	onConsumer := mustInsert(t, s, sp, PluginsKind, `{"name":"rate-limiting","consumer":{"username":"alice"},"config":{"second":1}}`)
	keys := s.Kind("keyauth_credentials")
	cred := mustInsert(t, s, sp, keys, `{"consumer":{"username":"alice"}}`)
	if k, _ := cred["key"].(string); len(k) != 32 {
		t.Errorf("generated key %q, want 32 characters", cred["key"])
	}
	if cred["ttl"] != nil {
		t.Errorf("ttl = %v without one", cred["ttl"])
	}
	if got := s.Lookups(WorkspaceNS(DefaultWorkspace)).Entity("keyauth_credentials", cred["key"].(string)); got == nil || got["id"] != cred["id"] {
		t.Errorf("lookup by key: %v", got)
	}

	if err := s.Remove(sp, Routes, route); err != nil {
		t.Fatal(err)
	}
	if sp.Get(PluginsKind, onRoute["id"].(string)) != nil {
		t.Errorf("the route's plugin outlived it")
	}
	if err := s.Remove(sp, Services, svc); err != nil {
		t.Fatal(err)
	}
	if sp.Get(PluginsKind, onService["id"].(string)) != nil {
		t.Errorf("the service's plugin outlived it")
	}
	if err := s.Remove(sp, Consumers, c); err != nil {
		t.Fatal(err)
	}
	if sp.Get(PluginsKind, onConsumer["id"].(string)) != nil || sp.Get(keys, cred["id"].(string)) != nil {
		t.Errorf("the consumer's plugin or key outlived it")
	}
}

func TestCredentials(t *testing.T) {
	s, sp := newStore(t)
	c := mustInsert(t, s, sp, Consumers, `{"username":"bob"}`)
	ba := mustInsert(t, s, sp, s.Kind("basicauth_credentials"), `{"consumer":{"id":"`+c["id"].(string)+`"},"username":"bob","password":"secret"}`)
	// sha1("secret" .. consumer id), as Kong's crypto.lua.
	if ba["password"] == "secret" || len(ba["password"].(string)) != 40 {
		t.Errorf("password stored as %v", ba["password"])
	}
	_, err := s.Insert(sp, s.Kind("basicauth_credentials"), body(t, `{"consumer":{"id":"`+c["id"].(string)+`"},"username":"bob","password":"x"}`))
	if err == nil || err.Status != 409 || err.Body["message"] != `UNIQUE violation detected on '{username="bob"}'` {
		t.Errorf("second username: %v", err)
	}
	acls := s.Kind("acls")
	mustInsert(t, s, sp, acls, `{"consumer":{"username":"bob"},"group":"admins"}`)
	_, err = s.Insert(sp, acls, body(t, `{"consumer":{"username":"bob"},"group":"admins"}`))
	want := `UNIQUE violation detected on '{consumer={id="` + c["id"].(string) + `"},group="admins"}'`
	if err == nil || err.Body["message"] != want {
		t.Errorf("group twice: %v, want %s", err, want)
	}
	jwt := mustInsert(t, s, sp, s.Kind("jwt_secrets"), `{"consumer":{"username":"bob"}}`)
	if jwt["algorithm"] != "HS256" || len(jwt["key"].(string)) != 32 || len(jwt["secret"].(string)) != 32 {
		t.Errorf("jwt defaults: %v", jwt)
	}
	_, err = s.Insert(sp, s.Kind("jwt_secrets"), body(t, `{"consumer":{"username":"bob"},"algorithm":"RS256","rsa_public_key":"nope"}`))
	if err == nil || err.Body["message"] != "2 schema violations (failed conditional validation given value of field 'algorithm'; rsa_public_key: invalid key)" {
		t.Errorf("RS256 with a bad key: %v", err)
	}
	groups := s.Lookups(WorkspaceNS(DefaultWorkspace)).ConsumerEntities("acls", c["id"].(string))
	if len(groups) != 1 || groups[0]["group"] != "admins" {
		t.Errorf("groups: %v", groups)
	}
}

func TestTTL(t *testing.T) {
	s, sp := newStore(t)
	mustInsert(t, s, sp, Consumers, `{"username":"carol"}`)
	keys := s.Kind("keyauth_credentials")
	cred := mustInsert(t, s, sp, keys, `{"consumer":{"username":"carol"},"key":"k1","ttl":10}`)
	if ttl, _ := cred["ttl"].(float64); ttl < 9 || ttl > 10 {
		t.Errorf("ttl = %v right after a write with 10", cred["ttl"])
	}
	sp.tabs[keys.name].expires[cred["id"].(string)] = nowExact() - 1
	if sp.Get(keys, cred["id"].(string)) != nil || len(sp.Rows(keys)) != 0 {
		t.Errorf("an expired key is still read")
	}
	// Its key is free again.
	mustInsert(t, s, sp, keys, `{"consumer":{"username":"carol"},"key":"k1"}`)
	_, err := s.Insert(sp, keys, body(t, `{"consumer":{"username":"carol"},"ttl":-1}`))
	if err == nil || err.Body["message"] != "invalid option (ttl: must be an integer between 0 and 100000000)" {
		t.Errorf("bad ttl: %v", err)
	}
}

func mustJSONString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
