package kongapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/kong/go-kong/kong"
)

// maxBody bounds a successful response read: a page of 1000 routes is
// about a megabyte.
const maxBody = 64 << 20

// DecodeError is a successful status whose body is not what Kong sends:
// empty, not JSON, cut short, or JSON of another shape. It usually means
// admin_url points at something other than Kong's Admin API, or a proxy in
// between mangled the response.
type DecodeError struct {
	Method, Path string
	StatusCode   int
	Problem      string
	Body         string // the start of the body, for the message
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("%s %s: HTTP %d, but the response is not one Kong's Admin API sends: %s", e.Method, e.Path, e.StatusCode, e.Problem)
	if e.Body != "" {
		msg += fmt.Sprintf(" (body starts %q)", e.Body)
	}
	return msg + ". Check that admin_url points at the Admin API of a Kong Gateway or Konnect control plane"
}

// errRepeatedOffset stops a listing whose next page is the one just read:
// followed, it would never end.
var errRepeatedOffset = errors.New("the Admin API answered a page with the offset that requested it, so the listing would never end; " +
	"check that admin_url points at the Admin API of a Kong Gateway or Konnect control plane")

// checkBody reads a successful response and makes sure go-kong will be
// able to decode it, so that a bad body gives a DecodeError rather than
// encoding/json's terse message. It leaves resp.Body readable again.
func checkBody(req *http.Request, resp *http.Response) error {
	if req.Method == http.MethodHead || resp.StatusCode == http.StatusNoContent || resp.StatusCode >= 300 {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	fail := func(problem string) error {
		snippet := string(body)
		if len(snippet) > 120 {
			snippet = snippet[:120] + "…"
		}
		return &DecodeError{Method: req.Method, Path: req.URL.EscapedPath(), StatusCode: resp.StatusCode, Problem: problem, Body: snippet}
	}
	switch {
	case err != nil:
		return fail(fmt.Sprintf("reading it failed after %d bytes (%v)", len(body), err))
	case len(body) > maxBody:
		return fail(fmt.Sprintf("it is larger than %d MiB", maxBody>>20))
	case req.Method == http.MethodDelete && len(bytes.TrimSpace(body)) == 0:
		return nil
	}
	return checkShape(req.URL.Path, body, fail)
}

// checkShape decodes body as go-kong will, for the paths this package
// reads, and as any JSON object otherwise.
func checkShape(urlPath string, body []byte, fail func(string) error) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fail("the body is empty")
	}
	if !json.Valid(trimmed) {
		var v any
		err := json.Unmarshal(trimmed, &v)
		if err != nil && strings.Contains(err.Error(), "unexpected end of JSON input") {
			return fail("the JSON ends early (truncated)")
		}
		if trimmed[0] == '{' || trimmed[0] == '[' {
			return fail(fmt.Sprintf("the body is malformed JSON (%v)", err))
		}
		return fail("the body is not JSON")
	}
	if trimmed[0] != '{' {
		return fail("expected a JSON object")
	}
	var target any
	switch kind, list := entityPath(urlPath); {
	case kind == "services" && list:
		target = &struct {
			Data   []*kong.Service `json:"data"`
			Offset *string         `json:"offset"`
		}{}
	case kind == "routes" && list:
		target = &struct {
			Data   []*kong.Route `json:"data"`
			Offset *string       `json:"offset"`
		}{}
	case kind == "services":
		target = &kong.Service{}
	case kind == "routes":
		target = &kong.Route{}
	default:
		return nil
	}
	if err := json.Unmarshal(trimmed, target); err != nil {
		return fail(fmt.Sprintf("unexpected shape (%v)", err))
	}
	return nil
}

// entityPath tells which entity a path reads: /…/services (a list),
// /…/services/{id} (one), /…/services/{id}/routes (a list of routes).
func entityPath(p string) (kind string, list bool) {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	n := len(segs)
	switch {
	case n >= 1 && (segs[n-1] == "services" || segs[n-1] == "routes"):
		return segs[n-1], true
	case n >= 2 && (segs[n-2] == "services" || segs[n-2] == "routes"):
		return segs[n-2], false
	}
	return "", false
}
