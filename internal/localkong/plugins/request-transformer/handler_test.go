package requesttransformer

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

type want struct {
	method, path, query, body, host string
	headers                         map[string][]string // nil slice: absent
}

func run(t *testing.T, config map[string]any, method, target string, header http.Header, body string, prep func(*pdk.Context)) *pdk.Context {
	t.Helper()
	in := plugintest.Instance(t, Plugin, plugintest.Kong310, config)
	c := plugintest.Request(method, target, header, body)
	if prep != nil {
		prep(c)
	}
	plugintest.Run(c, handler(plugintest.Kong310), in, nil)
	return c
}

func check(t *testing.T, c *pdk.Context, w want) {
	t.Helper()
	r := c.Request
	if w.method != "" && r.Method != w.method {
		t.Errorf("method %s, want %s", r.Method, w.method)
	}
	if w.path != "" && c.UpstreamPath != w.path {
		t.Errorf("path %s, want %s", c.UpstreamPath, w.path)
	}
	if r.URL.RawQuery != w.query {
		t.Errorf("query %q, want %q", r.URL.RawQuery, w.query)
	}
	if w.body != "" {
		b, _ := io.ReadAll(r.Body)
		if string(b) != w.body {
			t.Errorf("body %q, want %q", b, w.body)
		}
		if r.Header.Get("Content-Length") != "" && r.ContentLength != int64(len(w.body)) {
			t.Errorf("content length %d for %d bytes", r.ContentLength, len(w.body))
		}
	}
	if w.host != "" && r.Host != w.host {
		t.Errorf("host %q, want %q", r.Host, w.host)
	}
	for k, vs := range w.headers {
		got := r.Header.Values(k)
		if strings.Join(got, "|") != strings.Join(vs, "|") || len(got) != len(vs) {
			t.Errorf("header %s = %q, want %q", k, got, vs)
		}
	}
}

const form = "application/x-www-form-urlencoded"

// Cases after spec/03-plugins/36-request-transformer/02-access_spec.lua.
func TestRequestTransformer(t *testing.T) {
	t.Run("headers and query", func(t *testing.T) {
		c := run(t, map[string]any{
			"add": map[string]any{
				"headers":     []any{"x-added:a1", "x-added2:b1", "x-added3:c2"},
				"querystring": []any{"query-added:newvalue", "p1:anything:1"},
			},
			"remove":  map[string]any{"headers": []any{"x-to-remove"}, "querystring": []any{"toremovequery"}},
			"append":  map[string]any{"headers": []any{"x-added:a2", "x-added:a3"}, "querystring": []any{"p2:b2"}},
			"replace": map[string]any{"headers": []any{"x-to-replace:false", "x-absent:no"}, "querystring": []any{"toreplacequery:no"}},
			"rename":  map[string]any{"headers": []any{"x-to-rename:x-is-renamed"}, "querystring": []any{"originalparam:renamedparam"}},
		}, "GET", "/r?q1=v1&toremovequery=yes&toreplacequery=yes&originalparam=o&p2=b1", http.Header{
			"X-To-Remove": {"1"}, "X-To-Replace": {"true"}, "X-Added2": {"b0"}, "X-To-Rename": {"r"}, "Host": {"test1.test"},
		}, "", nil)
		check(t, c, want{
			query: "p1=anything%3A1&p2=b1&p2=b2&q1=v1&query-added=newvalue&renamedparam=o&toreplacequery=no",
			host:  "test1.test",
			headers: map[string][]string{
				"X-Added": {"a1", "a2", "a3"}, "X-Added2": {"b0"}, "X-Added3": {"c2"},
				"X-To-Remove": nil, "X-To-Replace": {"false"}, "X-Absent": nil, "X-To-Rename": nil, "X-Is-Renamed": {"r"},
			},
		})
	})
	t.Run("rename query", func(t *testing.T) {
		c := run(t, map[string]any{"rename": map[string]any{"querystring": []any{"originalparam:renamedparam"}}},
			"GET", "/?originalparam=yes&nottorename=x", nil, "", nil)
		check(t, c, want{query: "nottorename=x&renamedparam=yes"})
	})
	// Kong accepts "host" in replace.headers (kong.tools.http's header
	// name rule, not the routes' one): it sets the upstream Host.
	t.Run("replace host", func(t *testing.T) {
		c := run(t, map[string]any{"replace": map[string]any{"headers": []any{"host:upstream.test"}}}, "GET", "/", nil, "", nil)
		check(t, c, want{host: "upstream.test"})
	})
	t.Run("form body", func(t *testing.T) {
		c := run(t, map[string]any{
			"remove":  map[string]any{"body": []any{"toremoveform"}},
			"rename":  map[string]any{"body": []any{"originalparam:renamedparam"}},
			"replace": map[string]any{"body": []any{"p1:v2", "absent:x"}},
			"add":     map[string]any{"body": []any{"p1:nope", "newformparam:newvalue"}},
			"append":  map[string]any{"body": []any{"p2:b2"}},
		}, "POST", "/", http.Header{"Content-Type": {form}}, "toremoveform=yes&originalparam=o&p1=v1&p2=b1", nil)
		check(t, c, want{body: "newformparam=newvalue&p1=v2&p2=b1&p2=b2&renamedparam=o"})
	})
	t.Run("json body", func(t *testing.T) {
		c := run(t, map[string]any{
			"remove":  map[string]any{"body": []any{"toremove"}},
			"replace": map[string]any{"body": []any{"p1:v2", "f:x"}},
			"add":     map[string]any{"body": []any{"p1:nope", "f:added", "n:1"}},
			"append":  map[string]any{"body": []any{"list:b"}},
		}, "POST", "/", http.Header{"Content-Type": {"application/json"}}, `{"toremove":1,"p1":"v1","f":false,"list":["a"]}`, nil)
		check(t, c, want{body: `{"f":"added","list":["a","b"],"n":"1","p1":"v2"}`})
	})
	t.Run("json body invalid is kept", func(t *testing.T) {
		c := run(t, map[string]any{"add": map[string]any{"body": []any{"a:b"}}}, "POST", "/",
			http.Header{"Content-Type": {"application/json"}}, `{not json`, nil)
		check(t, c, want{body: `{not json`})
	})
	t.Run("json body empty gets added", func(t *testing.T) {
		c := run(t, map[string]any{"add": map[string]any{"body": []any{"a:b"}}, "remove": map[string]any{"body": []any{"x"}}}, "POST", "/",
			http.Header{"Content-Type": {"application/json"}}, ``, nil)
		check(t, c, want{body: `{"a":"b"}`})
	})
	t.Run("multipart body", func(t *testing.T) {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("keep", "k")
		_ = w.WriteField("old", "o")
		_ = w.WriteField("gone", "g")
		_ = w.Close()
		c := run(t, map[string]any{
			"rename": map[string]any{"body": []any{"old:new"}},
			"remove": map[string]any{"body": []any{"gone"}},
			"add":    map[string]any{"body": []any{"added:a"}},
		}, "POST", "/", http.Header{"Content-Type": {w.FormDataContentType()}}, buf.String(), nil)
		args, _, err := c.Body()
		if err != nil || len(args) != 3 || args["keep"] != "k" || args["new"] != "o" || args["added"] != "a" {
			t.Errorf("multipart: %v %v", args, err)
		}
	})
	t.Run("http_method GET moves the form into the query", func(t *testing.T) {
		c := run(t, map[string]any{"http_method": "GET"}, "POST", "/?q=1", http.Header{"Content-Type": {form}}, "hello=world&q=2", nil)
		check(t, c, want{method: "GET", query: "hello=world&q=1&q=2"})
	})
	t.Run("http_method POST", func(t *testing.T) {
		c := run(t, map[string]any{"http_method": "POST"}, "GET", "/?q=1", nil, "", nil)
		check(t, c, want{method: "POST", query: "q=1"})
	})
}

// Templates, as the spec's "request rewrite using template" cases.
func TestRequestTransformerTemplates(t *testing.T) {
	captures := func(c *pdk.Context) {
		c.URICaptures = map[string]string{"0": "/requests/user1/foo/user2/bar", "user1": "foo", "user2": "bar"}
	}
	t.Run("captures into query and uri", func(t *testing.T) {
		c := run(t, map[string]any{
			"add":     map[string]any{"querystring": []any{"uri_param1:$(uri_captures.user1)", "uri_param2[some_index][1]:$(uri_captures.user2)"}},
			"replace": map[string]any{"uri": "/requests/user2/$(uri_captures.user2)/user1/$(uri_captures.user1)"},
		}, "GET", "/requests/user1/foo/user2/bar?q1=20", nil, "", captures)
		check(t, c, want{path: "/requests/user2/bar/user1/foo", query: "q1=20&uri_param1=foo&uri_param2%5Bsome_index%5D%5B1%5D=bar"})
	})
	t.Run("or default", func(t *testing.T) {
		c := run(t, map[string]any{"add": map[string]any{"querystring": []any{
			"uri_param1:$(uri_captures.user1 or 'default1')", `uri_param2:$(uri_captures["user2"] or "default2")`}}},
			"GET", "/requests/?q1=20", nil, "", nil)
		check(t, c, want{query: "q1=20&uri_param1=default1&uri_param2=default2"})
	})
	t.Run("index 0", func(t *testing.T) {
		c := run(t, map[string]any{"replace": map[string]any{"uri": "/requests$(uri_captures[0])"}}, "GET", "/x", nil, "", captures)
		check(t, c, want{path: "/requests/requests/user1/foo/user2/bar"})
	})
	t.Run("headers and query params", func(t *testing.T) {
		c := run(t, map[string]any{
			"remove":  map[string]any{"querystring": []any{"q1"}},
			"add":     map[string]any{"querystring": []any{"uri_param1:$(uri_captures.user1)", "uri_param2:$(headers.host)"}},
			"replace": map[string]any{"querystring": []any{}},
			"append":  map[string]any{"headers": []any{"x-test-header:$(query_params.q1)"}},
		}, "GET", "/requests/user1/foo/user2/bar?q1=20", http.Header{"Host": {"test15.test"}}, "", captures)
		check(t, c, want{query: "uri_param1=foo&uri_param2=test15.test", headers: map[string][]string{"X-Test-Header": {"20"}}})
	})
	t.Run("removed header still renders", func(t *testing.T) {
		c := run(t, map[string]any{
			"remove": map[string]any{"headers": []any{"x-remove-header"}},
			"add":    map[string]any{"querystring": []any{"q2:$(headers['x-remove-header'])"}, "headers": []any{"x-test-header:$(headers['x-remove-header'])"}},
		}, "GET", "/", http.Header{"X-Remove-Header": {"its a test"}}, "", nil)
		check(t, c, want{query: "q2=its%20a%20test", headers: map[string][]string{"X-Remove-Header": nil, "X-Test-Header": {"its a test"}}})
	})
	t.Run("escaped", func(t *testing.T) {
		c := run(t, map[string]any{"add": map[string]any{"querystring": []any{`q1:$('$(uri_captures.user1)')`}}}, "GET", "/", nil, "", captures)
		check(t, c, want{query: "q1=%24%28uri_captures.user1%29"})
	})
	t.Run("shared", func(t *testing.T) {
		c := run(t, map[string]any{"add": map[string]any{"querystring": []any{"shared_param1:$(shared.my_version)"}}}, "GET", "/", nil, "",
			func(c *pdk.Context) { c.Shared["my_version"] = "1.2.3" })
		check(t, c, want{query: "shared_param1=1.2.3"})
	})
	t.Run("a template error is a runtime error", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Error("no error for $(ERROR())")
			}
		}()
		run(t, map[string]any{"add": map[string]any{"querystring": []any{"q1:$(ERROR())"}}}, "GET", "/", nil, "", nil)
	})
}
