package basicauth

import (
	"net/http"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

const (
	bobID  = "11111111-1111-4111-8111-111111111111"
	userID = "44444444-4444-4444-8444-444444444444"
	anonID = "22222222-2222-4222-8222-222222222222"
)

func store() *plugintest.Store {
	s := &plugintest.Store{Consumers: []map[string]any{
		{"id": bobID, "username": "bob"},
		{"id": userID, "username": "user123"},
		{"id": anonID, "username": "anon"},
	}}
	cred := func(id, consumer, user, pw string) {
		s.Add("basicauth_credentials", user, map[string]any{"id": id, "username": user,
			"password": Hash(consumer, pw), "consumer": map[string]any{"id": consumer}})
	}
	cred("55555555-5555-4555-8555-555555555555", bobID, "bob", "kong")
	cred("66666666-6666-4666-8666-666666666666", userID, "user123", "password123")
	cred("77777777-7777-4777-8777-777777777777", userID, "user321", "password:123")
	return s
}

// Cases from spec/03-plugins/10-basic-auth/03-access_spec.lua.
func TestBasicAuth(t *testing.T) {
	tests := []struct {
		name      string
		g         pdk.Gateway
		config    map[string]any
		header    http.Header
		status    int
		message   string
		www       string
		upHeaders map[string]string
	}{
		{name: "missing", status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "missing realm", config: map[string]any{"realm": "test-realm"}, status: 401, message: "Unauthorized", www: `Basic realm="test-realm"`},
		{name: "garbage", header: http.Header{"Authorization": {"foobar"}}, status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "garbage proxy", header: http.Header{"Proxy-Authorization": {"foobar"}}, status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "password only", header: http.Header{"Authorization": {"Basic a29uZw=="}}, status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "username only", header: http.Header{"Authorization": {"Basic Ym9i"}}, status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "bad base64", header: http.Header{"Authorization": {"Basic adXNlcjEyMzpwYXNzd29yZDEyMw=="}}, status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "wrong password", header: http.Header{"Authorization": {"Basic Ym9iOm5vcGU="}}, status: 401, message: "Unauthorized", www: `Basic realm="service"`},
		{name: "valid", header: http.Header{"Authorization": {"Basic Ym9iOmtvbmc="}}, status: 200, upHeaders: map[string]string{
			"X-Consumer-Id": bobID, "X-Consumer-Username": "bob", "X-Credential-Identifier": "bob", "Authorization": "Basic Ym9iOmtvbmc=",
		}},
		{name: "valid user123", header: http.Header{"Authorization": {"Basic dXNlcjEyMzpwYXNzd29yZDEyMw=="}}, status: 200,
			upHeaders: map[string]string{"X-Consumer-Username": "user123"}},
		{name: "password with colon", header: http.Header{"Authorization": {"Basic dXNlcjMyMTpwYXNzd29yZDoxMjM="}}, status: 200,
			upHeaders: map[string]string{"X-Credential-Identifier": "user321"}},
		{name: "valid proxy", header: http.Header{"Proxy-Authorization": {"Basic Ym9iOmtvbmc="}}, status: 200},
		{name: "hidden", config: map[string]any{"hide_credentials": true}, header: http.Header{"Authorization": {"Basic Ym9iOmtvbmc="}},
			status: 200, upHeaders: map[string]string{"Authorization": ""}},
		{name: "anonymous", config: map[string]any{"anonymous": anonID}, header: http.Header{"Authorization": {"Basic Ym9iOm5vcGU="}},
			status: 200, upHeaders: map[string]string{"X-Consumer-Username": "anon", "X-Anonymous-Consumer": "true"}},
		{name: "anonymous missing", config: map[string]any{"anonymous": "nobody"}, status: 500,
			message: "anonymous consumer nobody is configured but doesn't exist"},
		{name: "3.4 missing", g: plugintest.Kong34, status: 401, message: "Unauthorized", www: `Basic realm="kong"`},
		{name: "3.4 wrong", g: plugintest.Kong34, header: http.Header{"Authorization": {"Basic Ym9iOm5vcGU="}}, status: 401,
			message: "Invalid authentication credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.g
			if g.Version.Major == 0 {
				g = plugintest.Kong310
			}
			in := plugintest.Instance(t, Plugin, g, tt.config)
			c := plugintest.Request("GET", "/", tt.header, "")
			c.Store = store()
			res := plugintest.Run(c, handler(g), in, nil)
			if res.Status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", res.Status, tt.status, res.Body)
			}
			if tt.message != "" && (res.Exit == nil || !res.Exit.Error || res.Exit.Body != tt.message) {
				t.Errorf("exit = %+v, want error %q", res.Exit, tt.message)
			}
			if got := res.Header.Get("WWW-Authenticate"); got != tt.www {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tt.www)
			}
			for k, want := range tt.upHeaders {
				if got := res.Upstream.Header.Get(k); got != want {
					t.Errorf("upstream %s = %q, want %q", k, got, want)
				}
			}
		})
	}
}
