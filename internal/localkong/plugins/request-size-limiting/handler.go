package requestsizelimiting

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// factors are unit_multiplication_factor.
var factors = map[string]float64{"bytes": 1, "kilobytes": 1024, "megabytes": 1048576}

// handler is kong/plugins/request-size-limiting/handler.lua: a body over
// allowed_payload_size (in size_unit) is refused with 413 "Request size
// limit exceeded" (417 when the client sent Expect: 100-continue). The
// Content-Length says the size when it is a number; without one,
// require_content_length refuses all but chunked requests with 411, and
// otherwise the body read is measured.
func handler(pdk.Gateway) *pdk.Handler {
	return &pdk.Handler{Access: access}
}

func access(c *pdk.Context, in *pdk.Instance) {
	cfg := in.Config
	r := c.Request
	check := func(length float64) {
		allowed, _ := pdk.ConfNumber(cfg, "allowed_payload_size")
		if length <= allowed*factors[pdk.ConfString(cfg, "size_unit")] {
			return
		}
		if strings.EqualFold(strings.TrimSpace(r.Header.Get("Expect")), "100-continue") {
			c.Error(http.StatusExpectationFailed, "Request size limit exceeded", nil)
			return
		}
		c.Error(http.StatusRequestEntityTooLarge, "Request size limit exceeded", nil)
	}
	if cl, err := strconv.ParseFloat(strings.TrimSpace(r.Header.Get("Content-Length")), 64); err == nil {
		check(cl)
		return
	}
	// Go's server keeps a chunked request's Transfer-Encoding apart.
	chunked := r.Header.Get("Transfer-Encoding") == "chunked" || slices.Equal(r.TransferEncoding, []string{"chunked"})
	if pdk.ConfBool(cfg, "require_content_length") && !chunked {
		c.Error(http.StatusLengthRequired, "A valid Content-Length header is required", nil)
		return
	}
	check(float64(len(c.RawBody())))
}
