package localkong

import (
	"crypto/sha1" //nolint:gosec // Kong's basic-auth hash
	"encoding/hex"
	"strings"
	"testing"
)

func TestConsumers(t *testing.T) {
	c := newClient(t, Options{})
	alice := c.must(201, "POST", "/consumers", obj{"username": "alice", "custom_id": "a-1", "tags": []any{"t"}})
	if alice["created_at"] == nil || alice["updated_at"] == nil || !strings.Contains(mustJSON(alice), `"custom_id":"a-1"`) {
		t.Errorf("consumer %s", mustJSON(alice))
	}
	c.expect("POST", "/consumers", obj{}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (at least one of these fields must be non-empty: 'custom_id', 'username')",
		"fields":  obj{"@entity": []any{"at least one of these fields must be non-empty: 'custom_id', 'username'"}},
	})
	c.expect("POST", "/consumers", obj{"username": "alice"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"message": `UNIQUE violation detected on '{username="alice"}'`, "fields": obj{"username": "alice"},
	})
	c.expect("POST", "/consumers", obj{"custom_id": "a-1"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"message": `UNIQUE violation detected on '{custom_id="a-1"}'`, "fields": obj{"custom_id": "a-1"},
	})
	c.must(200, "GET", "/consumers/alice", nil)
	c.must(200, "GET", "/consumers/"+alice["id"].(string), nil)
	if got := c.must(200, "PATCH", "/consumers/alice", obj{"custom_id": "a-2"}); got["custom_id"] != "a-2" {
		t.Errorf("PATCH: %v", got["custom_id"])
	}
	found := c.must(200, "GET", "/consumers?custom_id=a-2", nil)
	if mustJSON(ids(found)) != mustJSON([]string{alice["id"].(string)}) || found["next"] != nil {
		t.Errorf("by custom_id: %s", mustJSON(found))
	}
	c.expect("GET", "/consumers?custom_id=none", nil, 200, obj{"data": []any{}, "next": nil})
	c.expect("GET", "/consumers?custom_id=", nil, 400, obj{"message": "custom_id must be an unempty string"})
	c.must(200, "PUT", "/consumers/bob", obj{})
	if got := c.must(200, "GET", "/consumers", nil); len(ids(got)) != 2 {
		t.Errorf("consumers: %s", mustJSON(got))
	}
}

func TestKeyAuthCredentials(t *testing.T) {
	c := newClient(t, Options{})
	alice := c.must(201, "POST", "/consumers", obj{"username": "alice"})
	gen := c.must(201, "POST", "/consumers/alice/key-auth", obj{})
	if k, _ := gen["key"].(string); len(k) != 32 || gen["ttl"] != nil || gen["consumer"].(obj)["id"] != alice["id"] {
		t.Errorf("generated key-auth: %s", mustJSON(gen))
	}
	mine := c.must(201, "POST", "/consumers/alice/key-auth", obj{"key": "my-key", "tags": []any{"k"}})
	c.expect("POST", "/consumers/alice/key-auth", obj{"key": "my-key"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"message": `UNIQUE violation detected on '{key="my-key"}'`, "fields": obj{"key": "my-key"},
	})
	// Named by its key at the top level, and under its consumer.
	if got := c.must(200, "GET", "/key-auths/my-key", nil); got["id"] != mine["id"] {
		t.Errorf("by key: %v", got["id"])
	}
	c.must(200, "GET", "/consumers/alice/key-auth/my-key", nil)
	if got := c.must(200, "GET", "/key-auths/my-key/consumer", nil); got["id"] != alice["id"] {
		t.Errorf("its consumer: %v", got["id"])
	}
	if got := ids(c.must(200, "GET", "/consumers/alice/key-auth", nil)); len(got) != 2 {
		t.Errorf("alice's keys: %v", got)
	}
	c.must(201, "POST", "/consumers", obj{"username": "bob"})
	c.expect("GET", "/consumers/bob/key-auth/my-key", nil, 404, obj{"message": "Not found"})
	withTTL := c.must(201, "POST", "/key-auths", obj{"consumer": obj{"username": "bob"}, "key": "short", "ttl": 10})
	if ttl, _ := withTTL["ttl"].(float64); ttl < 9 || ttl > 10 {
		t.Errorf("ttl right after writing 10: %v", withTTL["ttl"])
	}
	c.expect("POST", "/consumers/nobody/key-auth", obj{}, 404, obj{"message": "Not found"})
	// Credentials go with their consumer.
	c.must(204, "DELETE", "/consumers/alice", nil)
	c.expect("GET", "/key-auths/my-key", nil, 404, nil)
	if got := ids(c.must(200, "GET", "/key-auths", nil)); len(got) != 1 {
		t.Errorf("keys left: %v", got)
	}
}

func TestBasicAuthCredentials(t *testing.T) {
	c := newClient(t, Options{})
	alice := c.must(201, "POST", "/consumers", obj{"username": "alice"})
	cred := c.must(201, "POST", "/consumers/alice/basic-auth", obj{"username": "alice-login", "password": "s3cret"})
	// Kong stores sha1(password .. consumer id) in hex.
	sum := sha1.Sum([]byte("s3cret" + alice["id"].(string))) //nolint:gosec // Kong's hash
	if cred["password"] != hex.EncodeToString(sum[:]) {
		t.Errorf("password stored as %v", cred["password"])
	}
	// A PATCH without a password keeps the hash; with one, hashes it.
	if got := c.must(200, "PATCH", "/basic-auths/alice-login", obj{"tags": []any{"x"}}); got["password"] != cred["password"] {
		t.Errorf("PATCH rehashed: %v", got["password"])
	}
	sum = sha1.Sum([]byte("other" + alice["id"].(string))) //nolint:gosec // Kong's hash
	if got := c.must(200, "PATCH", "/consumers/alice/basic-auth/alice-login", obj{"password": "other"}); got["password"] != hex.EncodeToString(sum[:]) {
		t.Errorf("new password stored as %v", got["password"])
	}
	c.expect("POST", "/consumers/alice/basic-auth", obj{"password": "x"}, 400, obj{
		"code": 2, "name": "schema violation", "message": "schema violation (username: required field missing)",
		"fields": obj{"username": "required field missing"},
	})
}

func TestACLs(t *testing.T) {
	c := newClient(t, Options{})
	alice := c.must(201, "POST", "/consumers", obj{"username": "alice"})
	g := c.must(201, "POST", "/consumers/alice/acls", obj{"group": "admins"})
	c.expect("POST", "/consumers/alice/acls", obj{"group": "admins"}, 409, obj{
		"code": 5, "name": "unique constraint violation",
		"message": `UNIQUE violation detected on '{consumer={id="` + alice["id"].(string) + `"},group="admins"}'`,
		"fields":  obj{"consumer": obj{"id": alice["id"]}, "group": "admins"},
	})
	// Under its consumer a group names it (kong/plugins/acl/api.lua).
	if got := c.must(200, "GET", "/consumers/alice/acls/admins", nil); got["id"] != g["id"] {
		t.Errorf("by group: %v", got["id"])
	}
	c.expect("GET", "/consumers/alice/acls/nope", nil, 404, obj{"message": "Not found"})
	made := c.must(200, "PUT", "/consumers/alice/acls/ops", obj{})
	if made["group"] != "ops" {
		t.Errorf("PUT by group: %s", mustJSON(made))
	}
	c.must(200, "GET", "/acls/"+g["id"].(string), nil)
	c.expect("GET", "/acls/admins", nil, 400, obj{
		"code": 1, "name": "invalid primary key", "message": `invalid primary key: '{id="expected a valid UUID"}'`,
		"fields": obj{"id": "expected a valid UUID"},
	})
	c.must(204, "DELETE", "/consumers/alice/acls/admins", nil)
	if got := ids(c.must(200, "GET", "/acls", nil)); len(got) != 1 {
		t.Errorf("groups left: %v", got)
	}
}

func TestJWTCredentials(t *testing.T) {
	c := newClient(t, Options{})
	c.must(201, "POST", "/consumers", obj{"username": "alice"})
	j := c.must(201, "POST", "/consumers/alice/jwt", obj{})
	if j["algorithm"] != "HS256" || len(j["key"].(string)) != 32 || len(j["secret"].(string)) != 32 || j["rsa_public_key"] != nil {
		t.Errorf("jwt defaults: %s", mustJSON(j))
	}
	c.must(200, "GET", "/jwts/"+j["key"].(string), nil)
	c.expect("POST", "/consumers/alice/jwt", obj{"algorithm": "RS256"}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "2 schema violations (failed conditional validation given value of field 'algorithm'; rsa_public_key: required field missing)",
		"fields": obj{"@entity": []any{"failed conditional validation given value of field 'algorithm'"},
			"rsa_public_key": "required field missing"},
	})
	// EdDSA came with 3.7.0.
	old := newClient(t, Options{Version: "3.6.1"})
	old.must(201, "POST", "/consumers", obj{"username": "alice"})
	r := old.do("POST", "/consumers/alice/jwt", obj{"algorithm": "EdDSA"})
	if r.status != 400 || !strings.Contains(string(r.raw), "algorithm: expected one of: HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384") {
		t.Errorf("EdDSA in 3.6.1: %d %s", r.status, r.raw)
	}
}
