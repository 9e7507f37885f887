package acl

import (
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

const (
	adminID = "11111111-1111-4111-8111-111111111111"
	proID   = "22222222-2222-4222-8222-222222222222"
	noneID  = "33333333-3333-4333-8333-333333333333"
)

func store() *plugintest.Store {
	s := &plugintest.Store{Consumers: []map[string]any{
		{"id": adminID, "username": "admin"}, {"id": proID, "username": "pro"}, {"id": noneID, "username": "none"},
	}}
	group := func(id, consumer, g string) {
		s.Add("acls", id, map[string]any{"id": id, "group": g, "consumer": map[string]any{"id": consumer}})
	}
	group("a0000000-0000-4000-8000-000000000001", adminID, "admin")
	group("a0000000-0000-4000-8000-000000000002", proID, "pro")
	group("a0000000-0000-4000-8000-000000000003", proID, "hello")
	return s
}

// Cases from spec/03-plugins/18-acl/02-access_spec.lua.
func TestACL(t *testing.T) {
	cred := map[string]any{"id": "c0000000-0000-4000-8000-000000000001"}
	tests := []struct {
		name     string
		config   map[string]any
		consumer string         // authenticated consumer id
		cred     map[string]any // its credential (nil: anonymous)
		groups   []any          // authenticated groups
		status   int
		message  string
		header   string // X-Consumer-Groups upstream
		authHdr  string // X-Authenticated-Groups upstream
	}{
		{name: "no auth plugin", config: map[string]any{"allow": []any{"admin"}}, status: 401, message: "Unauthorized"},
		{name: "credential, no consumer", config: map[string]any{"allow": []any{"admin"}}, cred: cred, status: 403, message: errForbidden},
		{name: "allowed", config: map[string]any{"allow": []any{"admin"}}, consumer: adminID, cred: cred, status: 200, header: "admin"},
		{name: "not allowed", config: map[string]any{"allow": []any{"admin"}}, consumer: proID, cred: cred, status: 403, message: errForbidden},
		{name: "two groups", config: map[string]any{"allow": []any{"hello"}}, consumer: proID, cred: cred, status: 200, header: "pro, hello"},
		{name: "hidden", config: map[string]any{"allow": []any{"admin"}, "hide_groups_header": true}, consumer: adminID, cred: cred, status: 200},
		{name: "no groups", config: map[string]any{"allow": []any{"admin"}}, consumer: noneID, cred: cred, status: 403, message: errForbidden},
		{name: "no groups anonymous", config: map[string]any{"allow": []any{"admin"}}, consumer: noneID, status: 401, message: "Unauthorized"},
		{name: "not denied", config: map[string]any{"deny": []any{"admin"}}, consumer: proID, cred: cred, status: 200, header: "pro, hello"},
		{name: "not denied no groups", config: map[string]any{"deny": []any{"admin"}}, consumer: noneID, cred: cred, status: 200},
		{name: "denied", config: map[string]any{"deny": []any{"admin"}}, consumer: adminID, cred: cred, status: 403, message: errForbidden},
		{name: "authenticated groups", config: map[string]any{"allow": []any{"admin"}}, groups: []any{"admin"}, status: 200, authHdr: "admin"},
		{name: "authenticated groups denied", config: map[string]any{"deny": []any{"admin"}}, groups: []any{"admin"}, status: 403, message: errForbidden},
		{name: "anonymous uses authenticated groups", config: map[string]any{"allow": []any{"admin"}}, consumer: proID, groups: []any{"admin"}, status: 200, authHdr: "admin"},
		{name: "credential ignores authenticated groups", config: map[string]any{"allow": []any{"admin"}}, consumer: proID, cred: cred, groups: []any{"admin"}, status: 403, message: errForbidden},
		{name: "always_use_authenticated_groups", config: map[string]any{"allow": []any{"admin"}, "always_use_authenticated_groups": true},
			consumer: proID, cred: cred, groups: []any{"admin"}, status: 200, authHdr: "admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := plugintest.Instance(t, Plugin, plugintest.Kong310, tt.config)
			c := plugintest.Request("GET", "/", nil, "")
			s := store()
			c.Store = s
			if tt.consumer != "" || tt.cred != nil {
				c.Authenticate(s.Consumer(tt.consumer), tt.cred)
			}
			if tt.groups != nil {
				c.Shared["authenticated_groups"] = tt.groups
			}
			res := plugintest.Run(c, handler(plugintest.Kong310), in, nil)
			if res.Status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", res.Status, tt.status, res.Body)
			}
			if tt.message != "" && (res.Exit == nil || res.Exit.Body != tt.message) {
				t.Errorf("exit = %+v, want %q", res.Exit, tt.message)
			}
			if got := res.Upstream.Header.Get("X-Consumer-Groups"); got != tt.header {
				t.Errorf("X-Consumer-Groups = %q, want %q", got, tt.header)
			}
			if got := res.Upstream.Header.Get("X-Authenticated-Groups"); got != tt.authHdr {
				t.Errorf("X-Authenticated-Groups = %q, want %q", got, tt.authHdr)
			}
		})
	}
}
