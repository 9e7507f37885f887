package proxy

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// exchange is one proxied request and the responses Kong itself writes for
// it (kong/pdk/response.lua exit and error, kong/error_handlers.lua).
type exchange struct {
	w      http.ResponseWriter
	r      *http.Request
	start  time.Time
	id     string // $kong_request_id
	server string // httpx.ServerToken
}

func newExchange(w http.ResponseWriter, r *http.Request, server string) *exchange {
	return &exchange{w: w, r: r, start: time.Now(), id: newRequestID(), server: server}
}

// newRequestID is like nginx's $request_id: 32 hex digits.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// kongHeaders are the headers Kong puts on a response it generated itself
// (headers = server_tokens, latency_tokens, x-kong-request-id).
func (x *exchange) kongHeaders() {
	h := x.w.Header()
	h.Set("Server", x.server)
	h.Set("X-Kong-Response-Latency", strconv.FormatInt(msSince(x.start), 10))
	h.Set("X-Kong-Request-Id", x.id)
}

// exit is kong.response.exit: a table body is sent as JSON, no body sends
// an empty response.
func (x *exchange) exit(status int, body map[string]any) {
	x.kongHeaders()
	var b []byte
	if body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
		b = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		x.w.Header().Set("Content-Type", contentTypeJSON)
	}
	x.send(status, b)
}

// fail is kong.response.error: the body format follows the Accept header,
// JSON when there is none.
func (x *exchange) fail(status int, message string, headers map[string]string) {
	for k, v := range headers {
		x.w.Header().Set(k, v)
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
		return
	}
	x.errorBody(status, message, responseType(accept))
}

var errorPageMessages = map[int]string{
	http.StatusBadGateway:     "An invalid response was received from the upstream server",
	http.StatusGatewayTimeout: "The upstream server is timing out",
}

func (x *exchange) errorBody(status int, message, mime string) {
	x.kongHeaders()
	if mime == "" { // gRPC: no body
		x.send(status, nil)
		return
	}
	x.w.Header().Set("Content-Type", mime)
	x.send(status, fmt.Appendf(nil, errorTemplates[mime], message, x.id))
}

func (x *exchange) send(status int, body []byte) {
	x.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	x.w.WriteHeader(status)
	if x.r.Method != http.MethodHead {
		_, _ = x.w.Write(body)
	}
}

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
