package requesttransformer

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// handler is kong/plugins/request-transformer/{handler,access}.lua: the
// request is changed before it is proxied, in Kong's order: the path
// (replace.uri), the method (http_method; a form body of a GET, HEAD or
// TRACE goes into the query), then headers, body (JSON, form or
// multipart) and query string, each by remove, rename, replace, add,
// append. Values may be templates (render).
func handler(pdk.Gateway) *pdk.Handler {
	return &pdk.Handler{Access: func(c *pdk.Context, in *pdk.Instance) {
		t := &transform{c: c, cfg: in.Config, env: &env{c: c}}
		t.uri()
		t.method()
		t.headers()
		t.body()
		t.querystring()
	}}
}

type transform struct {
	c   *pdk.Context
	cfg map[string]any
	env *env
}

// pair is one "name:value" entry, its value rendered ("" for none).
type pair struct{ name, value string }

// list is iter over config.<op>.<part>: each entry split at its first
// colon, its value rendered. A template that fails is a runtime error:
// Kong answers 500.
func (t *transform) list(op, part string) []pair {
	var out []pair
	for _, entry := range pdk.ConfStrings(pdk.ConfRecord(t.cfg, op), part) {
		name, value, ok := split(entry)
		if !ok {
			continue
		}
		if value != "" {
			v, err := render(value, t.env)
			if err != nil {
				panic("[request-transformer] failed to render the template " + value + ", error:" + err.Error())
			}
			value = v
		}
		out = append(out, pair{name, value})
	}
	return out
}

func (t *transform) uri() {
	tmpl := pdk.ConfString(pdk.ConfRecord(t.cfg, "replace"), "uri")
	if tmpl == "" {
		return
	}
	path, err := render(tmpl, t.env)
	if err != nil {
		panic("[request-transformer] failed to render the template " + tmpl + ", error:" + err.Error())
	}
	if !strings.HasPrefix(path, "/") {
		panic("path must start with /")
	}
	t.c.UpstreamPath = path
}

// contentType is get_content_type.
func contentType(v string) string {
	v = strings.ToLower(v)
	switch {
	case strings.Contains(v, "application/json"):
		return "json"
	case strings.Contains(v, "multipart/form-data"):
		return "multipart"
	case strings.Contains(v, "application/x-www-form-urlencoded"):
		return "form"
	}
	return ""
}

func (t *transform) method() {
	m := pdk.ConfString(t.cfg, "http_method")
	if m == "" {
		return
	}
	r := t.c.Request
	r.Method = strings.ToUpper(m)
	if (m != "GET" && m != "HEAD" && m != "TRACE") || contentType(r.Header.Get("Content-Type")) != "form" {
		return
	}
	params := pdk.DecodeArgs(string(t.c.RawBody()))
	if len(params) == 0 {
		return
	}
	query := t.c.Query()
	for name, v := range params {
		query[name] = appendValue(query[name], v)
	}
	t.c.SetQuery(query)
}

// appendValue is append_value: a value after the one(s) there.
func appendValue(current, v any) any {
	switch cur := current.(type) {
	case string:
		return []any{cur, v}
	case []any:
		return append(cur, v)
	}
	return []any{v}
}

// headers works on a copy, set on the request at the end as Kong does
// (templates still see the headers as they came).
func (t *transform) headers() {
	h := t.c.Request.Header.Clone()
	host := ""
	defer func() {
		t.c.Request.Header = h
		if host != "" {
			t.c.SetHeader("host", host)
		}
	}()
	present := func(name string) bool { return len(h.Values(name)) > 0 }
	for _, p := range t.list("remove", "headers") {
		h.Del(p.name)
	}
	for _, p := range t.list("rename", "headers") {
		if strings.EqualFold(p.name, p.value) || !present(p.name) {
			continue
		}
		vs := h.Values(p.name)
		h.Del(p.name)
		h[http.CanonicalHeaderKey(p.value)] = vs
	}
	for _, p := range t.list("replace", "headers") {
		if strings.EqualFold(p.name, "host") {
			host = p.value
		} else if present(p.name) {
			h.Set(p.name, p.value)
		}
	}
	for _, p := range t.list("add", "headers") {
		if !present(p.name) && !strings.EqualFold(p.name, "host") {
			h.Set(p.name, p.value)
		}
	}
	for _, p := range t.list("append", "headers") {
		if strings.EqualFold(p.name, "host") {
			continue
		}
		h.Add(p.name, p.value)
	}
}

func (t *transform) querystring() {
	ops := []string{"remove", "rename", "replace", "add", "append"}
	set := false
	for _, op := range ops {
		set = set || len(pdk.ConfStrings(pdk.ConfRecord(t.cfg, op), "querystring")) > 0
	}
	if !set {
		return
	}
	if _, ok := t.env.table("query_params"); !ok {
		return
	}
	q := pdk.Args{}
	for k, v := range t.env.query {
		q[k] = v
	}
	for _, p := range t.list("remove", "querystring") {
		delete(q, p.name)
	}
	for _, p := range t.list("rename", "querystring") {
		rename(q, p.name, p.value)
	}
	for _, p := range t.list("replace", "querystring") {
		if q[p.name] != nil {
			q[p.name] = p.value
		}
	}
	for _, p := range t.list("add", "querystring") {
		if q[p.name] == nil {
			q[p.name] = p.value
		}
	}
	for _, p := range t.list("append", "querystring") {
		q[p.name] = appendValue(q[p.name], p.value)
	}
	t.c.SetQuery(q)
}

// rename moves a value to a new name; false when there was none.
func rename(m map[string]any, old, name string) bool {
	if old == name {
		return false
	}
	v, ok := m[old]
	if !ok || v == nil || v == false {
		return false
	}
	delete(m, old)
	m[name] = v
	return true
}

// truthy is Lua's truth: anything but nil and false.
func truthy(v any) bool { return v != nil && v != false }

func (t *transform) body() {
	ct := t.c.Request.Header.Get("Content-Type")
	kind := contentType(ct)
	if kind == "" {
		return
	}
	set := false
	for _, op := range []string{"remove", "rename", "replace", "add", "append"} {
		set = set || len(pdk.ConfStrings(pdk.ConfRecord(t.cfg, op), "body")) > 0
	}
	if !set {
		return
	}
	raw := t.c.RawBody()
	var out []byte
	switch kind {
	case "json":
		out = t.jsonBody(raw)
	case "form":
		out = t.formBody(raw)
	case "multipart":
		out = t.multipartBody(raw, ct)
	}
	if out != nil {
		t.c.SetRawBody(out)
	}
}

// params applies remove, rename, replace, add and append to body
// parameters; nil when nothing changed. exists says whether add sees a
// parameter as there (JSON: truthy; form: not nil).
func (t *transform) params(m map[string]any, length int, exists func(any) bool) bool {
	changed := false
	if length > 0 {
		for _, p := range t.list("remove", "body") {
			delete(m, p.name)
			changed = true
		}
		for _, p := range t.list("rename", "body") {
			changed = rename(m, p.name, p.value) || changed
		}
		for _, p := range t.list("replace", "body") {
			if truthy(m[p.name]) {
				m[p.name] = p.value
				changed = true
			}
		}
	}
	for _, p := range t.list("add", "body") {
		if !exists(m[p.name]) {
			m[p.name] = p.value
			changed = true
		}
	}
	for _, p := range t.list("append", "body") {
		m[p.name] = appendValue(m[p.name], p.value)
		changed = true
	}
	return changed
}

func (t *transform) jsonBody(raw []byte) []byte {
	var params map[string]any
	if err := json.Unmarshal(raw, &params); err != nil || params == nil {
		if len(raw) > 0 {
			return nil
		}
		params = map[string]any{}
	}
	if !t.params(params, len(raw), truthy) {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(params)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func (t *transform) formBody(raw []byte) []byte {
	params := pdk.DecodeArgs(string(raw))
	if !t.params(params, len(raw), func(v any) bool { return v != nil }) {
		return nil
	}
	return []byte(pdk.EncodeArgs(params))
}

// multipartBody transforms form data (rename, remove, replace, add; no
// append, as in Kong), its parts otherwise kept in order.
func (t *transform) multipartBody(raw []byte, ct string) []byte {
	_, params, err := mime.ParseMediaType(ct)
	boundary := params["boundary"]
	if err != nil || boundary == "" {
		return nil
	}
	type part struct{ name, value string }
	var parts []part
	r := multipart.NewReader(bytes.NewReader(raw), boundary)
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		v, _ := io.ReadAll(p)
		parts = append(parts, part{p.FormName(), string(v)})
	}
	index := func(name string) int {
		for i, p := range parts {
			if p.name == name {
				return i
			}
		}
		return -1
	}
	changed := false
	if len(raw) > 0 {
		for _, p := range t.list("rename", "body") {
			if i := index(p.name); i >= 0 && p.name != p.value {
				parts[i].name = p.value
				changed = true
			}
		}
		for _, p := range t.list("remove", "body") {
			for i := index(p.name); i >= 0; i = index(p.name) {
				parts = append(parts[:i], parts[i+1:]...)
			}
			changed = true
		}
		for _, p := range t.list("replace", "body") {
			if i := index(p.name); i >= 0 {
				parts[i].value = p.value
				changed = true
			}
		}
	}
	for _, p := range t.list("add", "body") {
		if index(p.name) < 0 {
			parts = append(parts, part(p))
			changed = true
		}
	}
	if !changed {
		return nil
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.SetBoundary(boundary)
	for _, p := range parts {
		_ = w.WriteField(p.name, p.value)
	}
	_ = w.Close()
	return buf.Bytes()
}
