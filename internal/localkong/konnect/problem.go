package konnect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/httpx"
)

// Konnect's platform APIs (API Catalog v3, Analytics) answer errors as
// application/problem+json: BaseError {status, title, type, instance,
// detail} and, for 400, invalid_parameters (konnect-api-catalog-v3
// components.schemas.BaseError / BadRequestError). The core-entities API
// keeps Kong's own error shapes.

// problem is one problem+json error.
type problem struct {
	status     int
	title      string
	detail     string
	params     []invalidParam
	retryAfter int // seconds; 0 sends no Retry-After
}

// invalidParam is one invalid_parameters item. Only the keys the spec's
// item schemas allow are written: minimum/maximum for min_*/max_* rules,
// choices for enum (and, as the Analytics examples do, for every rule
// there).
type invalidParam struct {
	field, rule, reason string
	choices             []string
	minimum, maximum    *int
}

func (p invalidParam) MarshalJSON() ([]byte, error) {
	m := map[string]any{"field": p.field, "reason": p.reason}
	if p.rule != "" { // rule is optional in InvalidParameterStandard
		m["rule"] = p.rule
	}
	if p.choices != nil {
		m["choices"] = p.choices
	}
	if p.minimum != nil {
		m["minimum"] = *p.minimum
	}
	if p.maximum != nil {
		m["maximum"] = *p.maximum
	}
	return json.Marshal(m)
}

var problemTitles = map[int]string{
	400: "Invalid Request",
	401: "Unauthorized",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	408: "Request Timeout",
	409: "Conflict",
	415: "Unsupported Media Type",
	429: "Too Many Requests",
	500: "Internal Server Error",
}

func newProblem(status int, detail string) *problem {
	return &problem{status: status, title: problemTitles[status], detail: detail}
}

// badRequest is the spec's 400: detail "Invalid Parameters" and at least
// one invalid parameter.
func badRequest(params ...invalidParam) *problem {
	return &problem{status: 400, title: problemTitles[400], detail: "Invalid Parameters", params: params}
}

// The spec's concrete examples (ApiNotFoundExample, ...) are what the
// server sends for these.
func problemNotFound() *problem { return newProblem(404, "Not Found") }

func problemConflict(detail string) *problem { return newProblem(409, detail) }

func (p *problem) write(w http.ResponseWriter) {
	body := map[string]any{
		"status":   p.status,
		"title":    p.title,
		"type":     "https://httpstatuses.com/" + strconv.Itoa(p.status),
		"instance": traceID(),
		"detail":   p.detail,
	}
	if p.params != nil {
		body["invalid_parameters"] = p.params
	}
	if p.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.retryAfter))
	}
	writeBody(w, p.status, "application/problem+json", body)
}

// traceID is an instance value as Konnect sends them, kong:trace:<digits>.
func traceID() string {
	return "kong:trace:" + strconv.FormatUint(rand.Uint64()>>1, 10)
}

// writeBody sends v as JSON with the given content type.
func writeBody(w http.ResponseWriter, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status, contentType = 500, "application/problem+json"
		buf.Reset()
		buf.WriteString(`{"status":500,"title":"Internal Server Error","instance":"kong:trace:0","detail":"An unexpected error occurred"}`)
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func sendJSON(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, "application/json", v)
}

// readJSONObject reads a platform API request body: application/json only
// (415 otherwise, the spec's UnsupportedMediaTypeExample), a JSON object.
func readJSONObject(r *http.Request) (map[string]any, *problem) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil, newProblem(415, "This API only supports requests with `Content-Type: application/json`")
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, httpx.MaxBodyBytes))
	if err != nil {
		return nil, badRequest(invalidParam{field: "body", rule: "invalid", reason: "the request body could not be read"})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil || dec.More() {
		return nil, badRequest(invalidParam{field: "body", rule: "is_object", reason: "the request body must be a JSON object"})
	}
	return body, nil
}

// Body field checks shared by the catalog and analytics.

func ruleParam(field, rule, reason string) invalidParam {
	return invalidParam{field: field, rule: rule, reason: reason}
}

// unknownProperty names the property by its own name, as the metrics
// document's example does (time_range.time_range: "property time_range
// should not exist").
func unknownProperty(field string) invalidParam {
	name := field[strings.LastIndex(field, ".")+1:]
	return ruleParam(field, "unknown_property", fmt.Sprintf("property %s should not exist", name))
}

func enumParam(field string, choices []string) invalidParam {
	return invalidParam{field: field, rule: "enum", choices: choices,
		reason: fmt.Sprintf("%q field must contain any of: [%s]", field, strings.Join(choices, ", "))}
}

// minParam is a min or min_length rule; every minimum these APIs check
// is 1.
func minParam(field, rule string, reason string) invalidParam {
	n := 1
	return invalidParam{field: field, rule: rule, minimum: &n, reason: reason}
}

func maxParam(field, rule string, n int, reason string) invalidParam {
	return invalidParam{field: field, rule: rule, maximum: &n, reason: reason}
}

// stringField checks an optional string of 1..max characters; nullable
// allows JSON null. It returns the value and whether it was a string.
func stringField(body map[string]any, field string, maxLen int, nullable bool, bad *[]invalidParam) (string, bool) {
	v, ok := body[field]
	if !ok {
		return "", false
	}
	if v == nil {
		if !nullable {
			*bad = append(*bad, ruleParam(field, "is_string", field+" must be a string"))
		}
		return "", false
	}
	s, ok := v.(string)
	switch {
	case !ok:
		*bad = append(*bad, ruleParam(field, "is_string", field+" must be a string"))
	case maxLen > 0 && len([]rune(s)) < 1:
		*bad = append(*bad, minParam(field, "min_length", field+" must be longer than or equal to 1 characters"))
	case maxLen > 0 && len([]rune(s)) > maxLen:
		*bad = append(*bad, maxParam(field, "max_length", maxLen,
			fmt.Sprintf("%s must be shorter than or equal to %d characters", field, maxLen)))
	default:
		return s, true
	}
	return "", false
}
