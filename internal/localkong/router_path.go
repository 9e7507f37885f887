package localkong

import (
	"strings"
)

// Path handling mirrors kong/tools/uri.lua and kong/router/utils.lua: the
// request path is normalized before matching, the upstream path is joined
// from the normalized path, and the result is escaped before proxying.

// reservedURIChars are RFC 3986 reserved characters: their %XX escapes keep
// their meaning, so normalization leaves them encoded (upper-cased).
const reservedURIChars = "!*'();:@&=+$,/?%#[]"

// normalizePath is uri.normalize(path, true): decode %XX of every
// non-reserved byte, upper-case the rest, remove dot segments and merge
// duplicate slashes.
func normalizePath(uri string) string {
	if uri == "" || uri == "/" {
		return uri
	}
	if strings.Contains(uri, "%") {
		uri = decodeUnreserved(uri)
	}
	if !strings.Contains(uri, ".") && !strings.Contains(uri, "//") {
		return uri
	}

	var out []string
	for len(uri) > 0 {
		switch {
		case uri == "/.":
			uri = "/"
		case uri == "/..":
			uri = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case uri == "." || uri == "..":
			uri = ""
		case strings.HasPrefix(uri, "../"):
			uri = uri[3:]
		case strings.HasPrefix(uri, "./"):
			uri = uri[2:]
		case strings.HasPrefix(uri, "/./"):
			uri = uri[2:]
		case strings.HasPrefix(uri, "/../"):
			uri = uri[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case strings.HasPrefix(uri, "//"):
			uri = uri[1:]
		default:
			if i := strings.IndexByte(uri[1:], '/'); i >= 0 {
				out = append(out, uri[:i+1])
				uri = uri[i+1:]
			} else {
				out = append(out, uri)
				uri = ""
			}
		}
	}
	return strings.Join(out, "")
}

func decodeUnreserved(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			if strings.IndexByte(reservedURIChars, c) < 0 {
				b.WriteByte(c)
			} else {
				b.WriteString(strings.ToUpper(s[i : i+3]))
			}
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// escapePath is uri.escape: percent-encode every byte outside
// [!#$&'()*+,/:;=?@[\]A-Za-z0-9\-_.~%], so decoded "other" characters
// travel upstream encoded again.
func escapePath(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keepInPath(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func keepInPath(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&'()*+,/:;=?@[]-_.~%", c) >= 0
}

// sanitizePostfix drops a leading "./" or "../" left after stripping.
func sanitizePostfix(p string) string {
	switch {
	case p == "." || p == "..":
		return ""
	case strings.HasPrefix(p, "./"):
		return p[2:]
	case strings.HasPrefix(p, "../"):
		return p[3:]
	}
	return p
}

// upstreamPath joins the service path and the request path the way
// utils.get_upstream_uri_v0 does. Under the traditional_compatible flavour
// every route takes this path, whatever its path_handling: the ATC router
// never reads that field (kong/router/atc.lua set_upstream_uri), and Kong
// warns that path_handling=v1 "will not work under 'expressions' or
// 'traditional_compatible' router_flavor" (kong/db/schema/entities/routes.lua).
//
// reqPath is the normalized request path, prefix the matched part when
// strip_path is on ("" otherwise) and base the service path ("/" if null).
func upstreamPath(strip bool, prefix, reqPath, base string) string {
	if reqPath == "" {
		reqPath = "/"
	}
	if base == "" {
		base = "/"
	}
	if prefix == "" {
		prefix = "/"
	}
	postfix := ""
	if len(prefix) < len(reqPath) {
		postfix = sanitizePostfix(reqPath[len(prefix):])
	}
	last := func(s string) byte { return s[len(s)-1] }

	if last(base) == '/' {
		if !strip {
			// keep the request path, minus its leading slash
			return base + reqPath[1:]
		}
		switch {
		case postfix == "":
			if base == "/" {
				return "/"
			}
			if last(reqPath) == '/' {
				return base
			}
			return base[:len(base)-1]
		case postfix[0] == '/':
			return base[:len(base)-1] + postfix
		default:
			return base + postfix
		}
	}

	if !strip {
		if reqPath == "/" {
			return base
		}
		return base + reqPath
	}
	switch {
	case postfix == "":
		if len(reqPath) > 1 && last(reqPath) == '/' {
			return base + "/"
		}
		return base
	case postfix[0] == '/':
		return base + postfix
	default:
		return base + "/" + postfix
	}
}
