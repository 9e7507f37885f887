package iprestriction

import (
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

// Cases from spec/03-plugins/17-ip-restriction/02-access_spec.lua.
func TestIPRestriction(t *testing.T) {
	tests := []struct {
		name    string
		config  map[string]any
		ip      string
		status  int
		message string
	}{
		{"denied", map[string]any{"deny": []any{"127.0.0.1", "127.0.0.2"}}, "127.0.0.1", 403, "IP address not allowed: 127.0.0.1"},
		{"denied status and message", map[string]any{"deny": []any{"127.0.0.1"}, "status": 401, "message": "Forbidden"}, "127.0.0.1", 401, "Forbidden"},
		{"not denied", map[string]any{"deny": []any{"127.0.0.2"}}, "127.0.0.1", 200, ""},
		{"denied CIDR", map[string]any{"deny": []any{"127.0.0.0/24"}}, "127.0.0.9", 403, "IP address not allowed: 127.0.0.9"},
		{"allowed", map[string]any{"allow": []any{"127.0.0.1"}}, "127.0.0.1", 200, ""},
		{"allowed CIDR", map[string]any{"allow": []any{"10.0.0.0/8"}}, "10.2.3.4", 200, ""},
		{"not allowed", map[string]any{"allow": []any{"127.0.0.2"}}, "127.0.0.1", 403, "IP address not allowed: 127.0.0.1"},
		{"deny wins over allow", map[string]any{"allow": []any{"127.0.0.0/24"}, "deny": []any{"127.0.0.1"}}, "127.0.0.1", 403, "IP address not allowed: 127.0.0.1"},
		{"IPv6 denied", map[string]any{"deny": []any{"::1"}}, "::1", 403, "IP address not allowed: ::1"},
		{"IPv6 CIDR allowed", map[string]any{"allow": []any{"fe80::/64"}}, "fe80::1", 200, ""},
		{"IPv6 not in IPv4 list", map[string]any{"allow": []any{"127.0.0.1"}}, "::1", 403, "IP address not allowed: ::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := plugintest.Instance(t, Plugin, plugintest.Kong310, tt.config)
			c := plugintest.Request("GET", "/", nil, "")
			c.ClientIP = tt.ip
			res := plugintest.Run(c, handler(plugintest.Kong310), in, nil)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d", res.Status, tt.status)
			}
			if tt.message != "" && (res.Exit == nil || !res.Exit.Error || res.Exit.Body != tt.message) {
				t.Errorf("exit %+v, want %q", res.Exit, tt.message)
			}
		})
	}
}
