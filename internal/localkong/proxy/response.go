package proxy

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// exchange is one proxied request and the response on its way back: the
// responses Kong writes itself (kong/pdk/response.lua exit and error,
// kong/error_handlers.lua) and the upstream's are assembled in c.Response
// so that the plugins' header and body filters see them before flush
// writes them.
type exchange struct {
	w      http.ResponseWriter
	r      *http.Request
	c      *pdk.Context
	start  time.Time
	id     string // $kong_request_id
	server string // httpx.ServerToken
	// method and host are the client's: a plugin may change what is sent
	// upstream.
	method, host string
	// stream is the upstream's body while it is not buffered.
	stream io.ReadCloser
	// closed: the client went away, nothing is written.
	closed bool
}

func newExchange(w http.ResponseWriter, r *http.Request, server string) *exchange {
	return &exchange{w: w, r: r, start: time.Now(), id: newRequestID(), server: server, method: r.Method, host: r.Host}
}

// newRequestID is like nginx's $request_id: 32 hex digits.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// header is the response's header.
func (x *exchange) header() http.Header { return x.c.Response.Header }

// kongHeaders are the headers Kong puts on a response it generated itself
// (headers = server_tokens, latency_tokens, x-kong-request-id).
func (x *exchange) kongHeaders() {
	h := x.header()
	h.Set("Server", x.server)
	h.Set("X-Kong-Response-Latency", strconv.FormatInt(msSince(x.start), 10))
	h.Set("X-Kong-Request-Id", x.id)
}

// exit is kong.response.exit: a table body is sent as JSON, no body sends
// an empty response.
func (x *exchange) exit(status int, body map[string]any) {
	var b []byte
	if body != nil {
		b = encodeJSON(body)
		x.header().Set("Content-Type", contentTypeJSON)
	}
	x.send(status, b)
}

func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// exitWith sends the exit a plugin answered with: its headers, then its
// body as kong.response.exit or kong.response.error would.
func (x *exchange) exitWith(e *pdk.Exit) {
	h := x.header()
	for k, vs := range e.Header {
		h[http.CanonicalHeaderKey(k)] = vs
	}
	if e.Error {
		msg, _ := e.Body.(string)
		mime := h.Get("Content-Type")
		if mime == "" {
			mime = responseType(x.r.Header.Get("Accept"))
			if strings.HasPrefix(x.r.Header.Get("Content-Type"), "application/grpc") {
				mime = ""
			}
		}
		x.errorBody(e.Status, msg, mime)
		return
	}
	var b []byte
	switch t := e.Body.(type) {
	case nil:
	case string:
		b = []byte(t)
	case []byte:
		b = t
	default:
		b = encodeJSON(t)
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", contentTypeJSON)
		}
	}
	x.send(e.Status, b)
}

// fail is kong.response.error: the body format follows the Accept header,
// JSON when there is none.
func (x *exchange) fail(status int, message string, headers map[string]string) {
	for k, v := range headers {
		x.header().Set(k, v)
	}
	x.errorBody(status, message, responseType(x.r.Header.Get("Accept")))
}

// errorPage is Kong's error handler for nginx-generated errors (502, 504):
// the format follows Accept, else the request's Content-Type, else
// error_default_type (text/plain).
func (x *exchange) errorPage(status int) {
	message := errorPageMessages[status]
	accept := x.r.Header.Get("Accept")
	if accept == "" {
		accept = x.r.Header.Get("Content-Type")
	}
	if accept == "" {
		accept = "text/plain"
	}
	if strings.HasPrefix(accept, "application/grpc") {
		x.exit(status, map[string]any{"message": message})
	} else {
		x.errorBody(status, message, responseType(accept))
	}
	x.c.Response.Source = "error"
}

var errorPageMessages = map[int]string{
	http.StatusBadGateway:     "An invalid response was received from the upstream server",
	http.StatusGatewayTimeout: "The upstream server is timing out",
}

func (x *exchange) errorBody(status int, message, mime string) {
	if mime == "" { // gRPC: no body
		x.send(status, nil)
		return
	}
	x.header().Set("Content-Type", mime)
	tmpl, ok := errorTemplates[mime]
	if !ok {
		tmpl = errorTemplates[contentTypeJSON]
	}
	x.send(status, fmt.Appendf(nil, tmpl, message, x.id))
}

// send sets a response Kong generated: status, body and Kong's headers.
func (x *exchange) send(status int, body []byte) {
	x.kongHeaders()
	x.header().Set("Content-Length", strconv.Itoa(len(body)))
	x.c.Response.Status, x.c.Response.Body, x.c.Response.Source = status, body, "exit"
}

// flush writes the response: the upstream's body is streamed unless a
// plugin filtered it.
func (x *exchange) flush() {
	if x.closed {
		return
	}
	resp := x.c.Response
	h := x.w.Header()
	for k, vs := range resp.Header {
		if w, ok := wireNames[k]; ok {
			k = w
		}
		h[k] = vs
	}
	x.w.WriteHeader(resp.Status)
	if x.method == http.MethodHead {
		return
	}
	if x.stream != nil {
		_, _ = io.Copy(x.w, x.stream)
		return
	}
	_, _ = x.w.Write(resp.Body)
}

// wireNames are Kong's spellings of the headers it and its plugins send
// whose Go canonical form differs ("Www-Authenticate"): header names are
// case-insensitive, but curl -i shows them as written.
var wireNames = func() map[string]string {
	m := map[string]string{"Www-Authenticate": "WWW-Authenticate"}
	for _, n := range []string{"Limit", "Remaining", "Reset"} {
		m["Ratelimit-"+n] = "RateLimit-" + n
	}
	for _, p := range []string{"Second", "Minute", "Hour", "Day", "Month", "Year"} {
		m["X-Ratelimit-Limit-"+p] = "X-RateLimit-Limit-" + p
		m["X-Ratelimit-Remaining-"+p] = "X-RateLimit-Remaining-" + p
	}
	return m
}()

// Content negotiation of kong/tools/http.lua.

const (
	contentTypeJSON  = "application/json; charset=utf-8"
	contentTypeHTML  = "text/html; charset=utf-8"
	contentTypePlain = "text/plain; charset=utf-8"
	contentTypeXML   = "application/xml; charset=utf-8"
)

var mimeTypes = map[string]string{
	"application/grpc": "",
	"text/html":        contentTypeHTML,
	"application/json": contentTypeJSON,
	"text/plain":       contentTypePlain,
	"application/xml":  contentTypeXML,
	"application":      contentTypeJSON,
	"text":             contentTypePlain,
}

var errorTemplates = map[string]string{
	contentTypeHTML: `<!doctype html>
<html>
  <head>
    <meta charset="utf-8">
    <title>Error</title>
  </head>
  <body>
    <h1>Error</h1>
    <p>%s.</p>
    <p>request_id: %s</p>
  </body>
</html>
`,
	contentTypeJSON:  "{\n  \"message\":\"%s\",\n  \"request_id\":\"%s\"\n}",
	contentTypePlain: "%s\nrequest_id: %s\n",
	contentTypeXML: `<?xml version="1.0" encoding="UTF-8"?>
<error>
  <message>%s</message>
  <requestid>%s</requestid>
</error>
`,
}

var acceptRE = regexp.MustCompile(`(?i)^((?:[a-z0-9][a-z0-9!#$&^_+.-]+|\*)/(?:[a-z0-9][a-z0-9!#$&^_+.-]+|\*))` +
	`(?:\s*;\s*q=(1(?:\.0{0,3})?|0(?:\.\d{0,3})?)|\s*;\s*[a-z0-9][a-z0-9!#$&^_+.-]+(?:=[^;]*)?)*`)

// responseType is get_response_type: the media range with the highest q
// (the first one on ties) picks the type; JSON by default.
func responseType(accept string) string {
	ct := contentTypeJSON
	best := 0.0
	for _, v := range strings.Split(accept, ",") {
		sm := acceptRE.FindStringSubmatch(strings.TrimSpace(v))
		if sm == nil {
			continue
		}
		q := 1.0
		if sm[2] != "" {
			q, _ = strconv.ParseFloat(sm[2], 64)
		}
		if q > best {
			best = q
			ct = mimeType(sm[1])
		}
	}
	return ct
}

// mimeType is get_mime_type with its default: unknown types give JSON.
func mimeType(media string) string {
	media, _, _ = strings.Cut(strings.TrimSpace(media), ";")
	parts := strings.SplitN(media, "/", 3)
	if len(parts) > 1 {
		key := media
		if parts[1] == "*" {
			if parts[0] == "*" {
				return contentTypeJSON
			}
			key = parts[0]
		}
		if t, ok := mimeTypes[key]; ok {
			return t
		}
	}
	return contentTypeJSON
}
