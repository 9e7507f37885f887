package localkong

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// startServer runs a localkong for one test.
func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	s, err := NewTestServer(opts)
	if err != nil {
		t.Fatalf("NewTestServer: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// client talks JSON to one server, with optional fixed headers.
type client struct {
	t      *testing.T
	base   string
	header http.Header
}

func newClient(t *testing.T, opts Options) *client {
	return &client{t: t, base: startServer(t, opts).AdminURL, header: http.Header{}}
}

type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// do sends body as JSON (a string is sent as is, with no Content-Type).
func (c *client) do(method, path string, body any) *response {
	c.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return c.send(req)
}

func (c *client) send(req *http.Request) *response {
	c.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	r := &response{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			c.t.Fatalf("%s %s: bad JSON %q: %v", req.Method, req.URL, raw, err)
		}
	}
	return r
}

// must sends and requires the status, returning the decoded body.
func (c *client) must(status int, method, path string, body any) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != status {
		c.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, r.status, status, r.raw)
	}
	return r.body
}

// expect checks a response's status and that its body equals want exactly
// (JSON-decoded, so numbers are float64).
func (c *client) expect(method, path string, body any, status int, want map[string]any) {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != status {
		c.t.Errorf("%s %s: status %d, want %d; body %s", method, path, r.status, status, r.raw)
		return
	}
	if want != nil && !reflect.DeepEqual(r.body, normalise(want)) {
		c.t.Errorf("%s %s:\n got %s\nwant %s", method, path, r.raw, mustJSON(want))
	}
}

func normalise(v map[string]any) map[string]any {
	var out map[string]any
	_ = json.Unmarshal([]byte(mustJSON(v)), &out)
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// ids returns the ids of a list response's data, in order.
func ids(body map[string]any) []string {
	var out []string
	for _, e := range body["data"].([]any) {
		out = append(out, e.(map[string]any)["id"].(string))
	}
	return out
}

type obj = map[string]any
