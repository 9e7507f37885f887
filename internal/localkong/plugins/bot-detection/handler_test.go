package botdetection

import (
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

func TestBadBotsCompile(t *testing.T) {
	for _, r := range badBots {
		if _, err := regexp2.Compile(r, regexp2.None); err != nil {
			t.Errorf("%s: %v", r, err)
		}
	}
}

// Cases from spec/03-plugins/21-bot-detection/01-access_spec.lua.
func TestBotDetection(t *testing.T) {
	const (
		helloWorld = "HelloWorld"
		facebook   = "facebookexternalhit/1.1"
		chrome     = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 Safari/537.36"
	)
	tests := []struct {
		name   string
		config map[string]any
		agents []string
		status int
		msg    string
	}{
		{"no user agent", nil, nil, 200, ""},
		{"browser", nil, []string{chrome}, 200, ""},
		{"unknown", nil, []string{helloWorld}, 200, ""},
		{"curl", nil, []string{"curl/7.43.0"}, 200, ""},
		{"googlebot", nil, []string{"Googlebot/2.1 (+http://www.google.com/bot.html)"}, 403, "Forbidden"},
		{"facebook", nil, []string{facebook}, 403, "Forbidden"},
		{"Go's default client", nil, []string{"Go-http-client/1.1"}, 403, "Forbidden"},
		{"bingbot", nil, []string{"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"}, 403, "Forbidden"},
		{"python requests", nil, []string{"python-requests/2.31.0"}, 403, "Forbidden"},
		{"robot in a word", nil, []string{"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0 Abbott"}, 200, ""},
		{"denied", map[string]any{"deny": []any{helloWorld}}, []string{helloWorld}, 403, "Forbidden"},
		{"allowed bot", map[string]any{"allow": []any{facebook}}, []string{facebook}, 200, ""},
		{"allow wins over deny", map[string]any{"allow": []any{"Hello"}, "deny": []any{"World"}}, []string{helloWorld}, 200, ""},
		{"two agents", nil, []string{chrome, chrome}, 400, "Only one User-Agent header allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := plugintest.Instance(t, Plugin, plugintest.Kong310, tt.config)
			c := plugintest.Request("GET", "/", nil, "")
			c.Request.Header.Del("User-Agent")
			for _, a := range tt.agents {
				c.Request.Header.Add("User-Agent", a)
			}
			res := plugintest.Run(c, handler(plugintest.Kong310), in, nil)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d", res.Status, tt.status)
			}
			if tt.msg != "" && (res.Exit == nil || res.Exit.Body != tt.msg) {
				t.Errorf("exit %+v, want %q", res.Exit, tt.msg)
			}
		})
	}
}
