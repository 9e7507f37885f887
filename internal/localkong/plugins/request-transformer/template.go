package requesttransformer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// env is the template environment of access.lua: headers, query_params,
// uri_captures and shared, each read the first time a template uses it
// and kept for the rest of the request.
type env struct {
	c       *pdk.Context
	headers headerTable
	query   pdk.Args
}

// headerTable is ngx.req.get_headers(): lower-case names, each a string
// or []any; a name is looked up case-insensitively, "_" as "-".
type headerTable map[string]any

func (e *env) table(name string) (any, bool) {
	switch name {
	case "headers":
		if e.headers == nil {
			e.headers = headerTable{}
			for k, vs := range e.c.Request.Header {
				e.headers[strings.ToLower(k)] = listValue(vs)
			}
			if e.c.Request.Host != "" {
				e.headers["host"] = e.c.Request.Host
			}
		}
		return e.headers, true
	case "query_params":
		if e.query == nil {
			e.query = e.c.Query()
		}
		return e.query, true
	case "uri_captures":
		out := map[string]any{}
		for k, v := range e.c.URICaptures {
			out[k] = v
		}
		return out, true
	case "shared":
		return e.c.Shared, true
	}
	return nil, false
}

func listValue(vs []string) any {
	if len(vs) == 1 {
		return vs[0]
	}
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// render is param_value: a Penlight template, whose $(expr) parts are Lua
// expressions in the sandbox. localkong evaluates the expressions most
// templates use: a table's field (headers.x, headers["x-y"],
// query_params.q, uri_captures.name, uri_captures[1], shared.k), a string
// or number literal, and "or" between them; anything else (a function
// call, arithmetic) fails as a template error does in Kong (500). An
// expression that is nil renders as "".
func render(tmpl string, e *env) (string, error) {
	var out strings.Builder
	for {
		i := strings.Index(tmpl, "$(")
		if i < 0 {
			out.WriteString(tmpl)
			return out.String(), nil
		}
		end := balanced(tmpl[i+1:])
		if end < 0 {
			out.WriteString(tmpl)
			return out.String(), nil
		}
		out.WriteString(tmpl[:i])
		expr := tmpl[i+2 : i+1+end]
		v, err := evaluate(expr, e)
		if err != nil {
			return "", err
		}
		switch t := v.(type) {
		case nil, bool:
			if t == true {
				return "", errors.New("attempt to concatenate a boolean value")
			}
		case string:
			out.WriteString(t)
		case float64:
			out.WriteString(pdk.FormatNumber(t))
		default:
			return "", errors.New("attempt to concatenate a table value")
		}
		tmpl = tmpl[i+2+end:]
	}
}

// balanced is Lua's %b(): the index of the parenthesis closing s[0].
func balanced(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// evaluate evaluates the expression subset render documents.
func evaluate(expr string, e *env) (any, error) {
	p := &parser{src: expr, env: e}
	v, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.skip(); p.pos < len(p.src) {
		return nil, fmt.Errorf("unsupported template expression %q", expr)
	}
	return v, nil
}

type parser struct {
	src string
	pos int
	env *env
}

func (p *parser) skip() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *parser) keyword(k string) bool {
	p.skip()
	if strings.HasPrefix(p.src[p.pos:], k) {
		end := p.pos + len(k)
		if end == len(p.src) || !isIdent(p.src[end]) {
			p.pos = end
			return true
		}
	}
	return false
}

func (p *parser) or() (any, error) {
	v, err := p.primary()
	for err == nil && p.keyword("or") {
		var w any
		if w, err = p.primary(); v == nil || v == false {
			v = w
		}
	}
	return v, err
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) primary() (any, error) {
	p.skip()
	if p.pos >= len(p.src) {
		return nil, errors.New("unexpected end of template expression")
	}
	switch c := p.src[p.pos]; {
	case c == '"' || c == '\'':
		return p.str()
	case c >= '0' && c <= '9':
		start := p.pos
		for p.pos < len(p.src) && (isIdent(p.src[p.pos]) || p.src[p.pos] == '.') {
			p.pos++
		}
		return strconv.ParseFloat(p.src[start:p.pos], 64)
	case isIdent(c):
		start := p.pos
		for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[start:p.pos]
		switch name {
		case "nil":
			return nil, nil
		case "true", "false":
			return name == "true", nil
		}
		t, ok := p.env.table(name)
		if !ok {
			return nil, fmt.Errorf("unsupported template name %q", name)
		}
		return p.index(t)
	}
	return nil, fmt.Errorf("unsupported template expression %q", p.src)
}

// index reads .field and [key] after a table.
func (p *parser) index(t any) (any, error) {
	v := t
	for {
		p.skip()
		if p.pos >= len(p.src) || (p.src[p.pos] != '.' && p.src[p.pos] != '[') {
			return v, nil
		}
		var key string
		if p.src[p.pos] == '.' {
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
				p.pos++
			}
			key = p.src[start:p.pos]
		} else {
			p.pos++
			k, err := p.primary()
			if err != nil {
				return nil, err
			}
			p.skip()
			if p.pos >= len(p.src) || p.src[p.pos] != ']' {
				return nil, errors.New("']' expected in template expression")
			}
			p.pos++
			switch t := k.(type) {
			case string:
				key = t
			case float64:
				key = pdk.FormatNumber(t)
			default:
				return nil, errors.New("unsupported template index")
			}
		}
		switch t := v.(type) {
		case headerTable:
			v = t[strings.ReplaceAll(strings.ToLower(key), "_", "-")]
		case map[string]any:
			v = t[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i < 1 || i > len(t) {
				v = nil
			} else {
				v = t[i-1]
			}
		default:
			return nil, errors.New("attempt to index a non-table value")
		}
	}
}

// str reads a quoted Lua string.
func (p *parser) str() (string, error) {
	q := p.src[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		p.pos++
		switch {
		case c == q:
			return b.String(), nil
		case c == '\\' && p.pos < len(p.src):
			n := p.src[p.pos]
			p.pos++
			switch n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				b.WriteByte(n)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", errors.New("unfinished string in template expression")
}
