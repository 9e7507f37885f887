package proxy

import (
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Path handling mirrors kong/tools/uri.lua and kong/router/utils.lua: the
// request path is normalized before matching, the upstream path is joined
// from the normalized path, and the result is escaped before proxying.

// normalizePath is uri.normalize(path, true): decode %XX of every
// non-reserved byte, upper-case the rest, remove dot segments and merge
// duplicate slashes.
func normalizePath(uri string) string { return kongschema.NormalizePath(uri, true) }

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

// pathGroup is the paths of one matcher and the id it is registered under.
type pathGroup struct {
	id    string
	paths []string
}

// splitPaths groups a route's paths: all regexes together, prefixes by
// length, in order of first appearance.
func splitPaths(r map[string]any) []pathGroup {
	id := entString(r["id"])
	paths := entStrings(r["paths"])
	if len(paths) <= 1 {
		return []pathGroup{{id: id, paths: paths}}
	}
	var groups []pathGroup
	index := map[int]int{}
	for _, p := range paths {
		k := len(p)
		if isRegexPath(p) {
			k = 0
		}
		if i, ok := index[k]; ok {
			groups[i].paths = append(groups[i].paths, p)
			continue
		}
		index[k] = len(groups)
		groups = append(groups, pathGroup{paths: []string{p}})
	}
	if len(groups) == 1 {
		groups[0].id = id
		return groups
	}
	for i := range groups {
		groups[i].id = splitID(id, i+1)
	}
	return groups
}

// splitNamespace is the v5 namespace of kong/router/transform.lua.
var splitNamespace = uuid.MustParse("7f145bf9-0dce-4f91-98eb-debbce4b9f6b")

func splitID(id string, n int) string {
	return uuid.NewSHA1(splitNamespace, []byte(id+"#"+strconv.Itoa(n))).String()
}

func isRegexPath(p string) bool { return strings.HasPrefix(p, "~") }
