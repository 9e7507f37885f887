package pdk

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"sort"
	"strings"
)

// Args are a query string or form body decoded as ngx.decode_args does:
// each name maps to a string, true (a name without "="), or []any of
// those when it came more than once.
type Args = map[string]any

// maxArgs is ngx.decode_args' default limit.
const maxArgs = 100

// DecodeArgs is ngx.decode_args: "a=1&a=2&b&c=" is {a: [1 2], b: true,
// c: ""}; "+" is a space; at most 100 arguments are read.
func DecodeArgs(s string) Args {
	out := Args{}
	n := 0
	for _, part := range strings.Split(s, "&") {
		if part == "" {
			continue
		}
		if n++; n > maxArgs {
			break
		}
		k, v, eq := strings.Cut(part, "=")
		k = unescape(k)
		if k == "" {
			continue
		}
		var val any = true
		if eq {
			val = unescape(v)
		}
		switch old := out[k].(type) {
		case nil:
			out[k] = val
		case []any:
			out[k] = append(old, val)
		default:
			out[k] = []any{old, val}
		}
	}
	return out
}

// unescape is ngx.unescape_uri: %XX decoded where valid, "+" a space.
func unescape(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// escape is ngx.escape_uri: everything but letters, digits and "-._~"
// percent-encoded.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// EncodeArgs is kong.service.request.set_query's encoding
// (make_ordered_args over ngx.encode_args): each name's arguments in
// their order, names sorted; true is a bare name, false is left out.
func EncodeArgs(args Args) string {
	chunks := make([]string, 0, len(args))
	for k, v := range args {
		var parts []string
		add := func(v any) {
			switch t := v.(type) {
			case bool:
				if t {
					parts = append(parts, escape(k))
				}
			case string:
				parts = append(parts, escape(k)+"="+escape(t))
			}
		}
		if list, ok := v.([]any); ok {
			for _, e := range list {
				add(e)
			}
		} else {
			add(v)
		}
		if len(parts) > 0 {
			chunks = append(chunks, strings.Join(parts, "&"))
		}
	}
	sort.Strings(chunks)
	return strings.Join(chunks, "&")
}

// Query is kong.request.get_query: the query string, decoded.
func (c *Context) Query() Args { return DecodeArgs(c.Request.URL.RawQuery) }

// SetQuery is kong.service.request.set_query: the query sent upstream is
// args, names sorted.
func (c *Context) SetQuery(args Args) {
	c.Request.URL.RawQuery = EncodeArgs(args)
}

// ClearQueryArg is kong.service.request.clear_query_arg: every argument
// named name is removed, the others keep their order. Like the
// URLSearchParams Kong uses (resty.ada.search), what remains is decoded
// and written again (a space as %20).
func (c *Context) ClearQueryArg(name string) {
	raw := c.Request.URL.RawQuery
	if raw == "" {
		return
	}
	var kept []string
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, v = unescape(k), unescape(v)
		if k == name {
			continue
		}
		kept = append(kept, formEscape(k)+"="+formEscape(v))
	}
	c.Request.URL.RawQuery = strings.Join(kept, "&")
}

// formEscape is the application/x-www-form-urlencoded serializer's
// escaping, with Kong's "+" → "%20".
func formEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("*-._", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}

// SetHeader is kong.service.request.set_header: the host header sets the
// Host sent upstream.
func (c *Context) SetHeader(name, value string) {
	if strings.EqualFold(name, "host") {
		c.Request.Host = value
		return
	}
	c.Request.Header.Set(name, value)
}

// Content types kong.request.get_body reads.
const (
	MimeForm      = "application/x-www-form-urlencoded"
	MimeJSON      = "application/json"
	MimeMultipart = "multipart/form-data"
)

// Body is kong.request.get_body: the body decoded by its Content-Type (a
// form, a JSON object, multipart form data), and that type.
func (c *Context) Body() (Args, string, error) {
	ct := c.Request.Header.Get("Content-Type")
	if ct == "" {
		return nil, "", errors.New("missing content type")
	}
	base, _, _ := strings.Cut(strings.ToLower(ct), ";")
	switch {
	case strings.HasPrefix(base, MimeForm):
		return DecodeArgs(string(c.RawBody())), MimeForm, nil
	case strings.HasPrefix(base, MimeJSON):
		var v any
		if err := json.Unmarshal(c.RawBody(), &v); err != nil {
			return nil, MimeJSON, errors.New("invalid json body")
		}
		switch t := v.(type) {
		case map[string]any:
			return t, MimeJSON, nil
		case []any:
			return Args{}, MimeJSON, nil // a table with no names
		}
		return nil, MimeJSON, errors.New("invalid json body")
	case strings.HasPrefix(base, MimeMultipart):
		args, err := readMultipart(ct, c.RawBody())
		return args, MimeMultipart, err
	}
	return nil, base, errors.New("unsupported content type '" + ct + "'")
}

func readMultipart(ct string, body []byte) (Args, error) {
	_, params, err := mime.ParseMediaType(ct)
	if err != nil || params["boundary"] == "" {
		return nil, errors.New("unable to decode multipart body")
	}
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	out := Args{}
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, errors.New("unable to decode multipart body")
		}
		v, _ := io.ReadAll(p)
		name := p.FormName()
		switch old := out[name].(type) {
		case nil:
			out[name] = string(v)
		case []any:
			out[name] = append(old, string(v))
		default:
			out[name] = []any{old, string(v)}
		}
	}
}

// SetBody is kong.service.request.set_body: args encoded as the request's
// Content-Type says (a form, JSON or multipart form data).
func (c *Context) SetBody(args Args) error {
	ct := c.Request.Header.Get("Content-Type")
	base, _, _ := strings.Cut(strings.ToLower(ct), ";")
	switch strings.TrimSpace(base) {
	case MimeForm:
		c.SetRawBody([]byte(EncodeArgs(args)))
	case MimeJSON:
		b, err := json.Marshal(args)
		if err != nil {
			return err
		}
		c.SetRawBody(b)
	case MimeMultipart:
		_, params, _ := mime.ParseMediaType(ct)
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if b := params["boundary"]; b != "" {
			_ = w.SetBoundary(b)
		}
		names := make([]string, 0, len(args))
		for k := range args {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			vals, ok := args[k].([]any)
			if !ok {
				vals = []any{args[k]}
			}
			for _, v := range vals {
				if s, ok := v.(string); ok {
					_ = w.WriteField(k, s)
				}
			}
		}
		_ = w.Close()
		c.SetRawBody(buf.Bytes())
	default:
		return errors.New("unsupported content type " + ct)
	}
	return nil
}

// Values is a header or argument as a list: a string is one value, []any
// its strings.
func Values(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
