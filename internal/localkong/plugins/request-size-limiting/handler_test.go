package requestsizelimiting

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

// Cases from spec/03-plugins/12-request-size-limiting/01-access_spec.lua
// (TEST_SIZE = 2 of each unit).
func TestRequestSizeLimiting(t *testing.T) {
	type tc struct {
		name   string
		config map[string]any
		size   int
		header http.Header
		noCL   bool // no Content-Length: the body is measured
		status int
		msg    string
	}
	tests := []tc{
		{name: "under", size: 2*1048576 - 1, status: 200},
		{name: "at", size: 2 * 1048576, status: 200},
		{name: "over", size: 2*1048576 + 1, status: 413, msg: "Request size limit exceeded"},
		{name: "over expect", size: 2*1048576 + 1, header: http.Header{"Expect": {"100-continue"}}, status: 417, msg: "Request size limit exceeded"},
		{name: "over measured", size: 2*1048576 + 1, noCL: true, status: 413, msg: "Request size limit exceeded"},
		{name: "require content length", config: map[string]any{"require_content_length": true}, size: 1, noCL: true, status: 411,
			msg: "A valid Content-Length header is required"},
		{name: "require content length chunked", config: map[string]any{"require_content_length": true}, size: 1, noCL: true,
			header: http.Header{"Transfer-Encoding": {"chunked"}}, status: 200},
		{name: "default 128 megabytes", config: map[string]any{}, size: 1, header: http.Header{"Content-Length": {strconv.Itoa(128*1048576 + 1)}}, status: 413,
			msg: "Request size limit exceeded"},
	}
	for _, unit := range SizeUnits {
		tests = append(tests,
			tc{name: unit + " over", config: map[string]any{"size_unit": unit}, size: int(2*factors[unit]) + 1, status: 413, msg: "Request size limit exceeded"},
			tc{name: unit + " under", config: map[string]any{"size_unit": unit}, size: int(2*factors[unit]) - 1, status: 200})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := map[string]any{"allowed_payload_size": 2}
			for k, v := range tt.config {
				cfg[k] = v
			}
			if _, ok := tt.config["allowed_payload_size"]; !ok && tt.name == "default 128 megabytes" {
				delete(cfg, "allowed_payload_size")
			}
			in := plugintest.Instance(t, Plugin, plugintest.Kong310, cfg)
			h := http.Header{}
			for k, v := range tt.header {
				h[k] = v
			}
			if !tt.noCL && h.Get("Content-Length") == "" {
				h.Set("Content-Length", strconv.Itoa(tt.size))
			}
			c := plugintest.Request("POST", "/", h, strings.Repeat("A", tt.size))
			if tt.noCL {
				c.Request.Header.Del("Content-Length")
				c.Request.ContentLength = -1
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
