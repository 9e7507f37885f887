package correlationid

import (
	"context"
	"net"
	"net/http"
	"regexp"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

// The patterns of spec/03-plugins/11-correlation-id/01-access_spec.lua.
var (
	uuidRE    = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	counterRE = regexp.MustCompile(`^(` + uuidRE + `)#(\d+)$`)
	plainRE   = regexp.MustCompile(`^` + uuidRE + `$`)
	trackerRE = regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+-\d+-\d+-\d+-\d+-\d{10}\.\d{3}$`)
)

func TestCorrelationID(t *testing.T) {
	g := plugintest.Kong310
	h := handler(g)

	// uuid#counter (the default): one worker uuid, counting up; not
	// echoed unless asked.
	in := plugintest.Instance(t, Plugin, g, nil)
	var worker string
	for i, want := range []string{"1", "2"} {
		res := plugintest.Run(plugintest.Request("GET", "/", nil, ""), h, in, nil)
		m := counterRE.FindStringSubmatch(res.Upstream.Header.Get("Kong-Request-ID"))
		if m == nil || m[2] != want || (i > 0 && m[1] != worker) {
			t.Fatalf("request %d: Kong-Request-ID %q", i, res.Upstream.Header.Get("Kong-Request-ID"))
		}
		worker = m[1]
		if res.Header.Get("Kong-Request-ID") != "" {
			t.Errorf("echoed without echo_downstream")
		}
	}

	// uuid, echoed, under another header name.
	in = plugintest.Instance(t, Plugin, g, map[string]any{"generator": "uuid", "header_name": "X-Trace", "echo_downstream": true})
	res := plugintest.Run(plugintest.Request("GET", "/", nil, ""), h, in, nil)
	id := res.Upstream.Header.Get("X-Trace")
	if !plainRE.MatchString(id) || res.Header.Get("X-Trace") != id {
		t.Errorf("uuid: upstream %q, downstream %q", id, res.Header.Get("X-Trace"))
	}

	// A request's own id is kept and echoed.
	res = plugintest.Run(plugintest.Request("GET", "/", http.Header{"X-Trace": {"mine"}}, ""), h, in, nil)
	if res.Upstream.Header.Get("X-Trace") != "mine" || res.Header.Get("X-Trace") != "mine" {
		t.Errorf("kept: upstream %q, downstream %q", res.Upstream.Header.Get("X-Trace"), res.Header.Get("X-Trace"))
	}

	// An answer that never reached access (a global plugin on a 404) gets
	// a fresh id in header_filter.
	c := plugintest.Request("GET", "/", nil, "")
	c.Response.Status = 404
	h.HeaderFilter(c, in)
	if !plainRE.MatchString(c.Response.Header.Get("X-Trace")) {
		t.Errorf("header_filter only: %q", c.Response.Header.Get("X-Trace"))
	}

	// tracker: server address and port, pid, connection, request, time.
	in = plugintest.Instance(t, Plugin, g, map[string]any{"generator": "tracker"})
	c = plugintest.Request("GET", "/", nil, "")
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), http.LocalAddrContextKey,
		&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8000}))
	res = plugintest.Run(c, h, in, nil)
	if got := res.Upstream.Header.Get("Kong-Request-ID"); !trackerRE.MatchString(got) {
		t.Errorf("tracker: %q", got)
	}
}
