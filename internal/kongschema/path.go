package kongschema

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	re2syntax "regexp/syntax"

	"github.com/dlclark/regexp2"
	pcresyntax "github.com/dlclark/regexp2/syntax"
)

// Path rules from typedefs.path, typedefs.router_path and kong.tools.uri.

var (
	rfc3986Path = regexp.MustCompile(`^/[0-9A-Za-z.\-_~/%:@!$&'()*+,;=]*$`)
	pctTriplet  = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)
)

// servicePathRule is typedefs.path's custom validator. kind is "rfc3986"
// or "percent" for the failing check, as Kong reports it.
func servicePathRule(p string) (msg, kind string) {
	if !rfc3986Path.MatchString(p) {
		return "invalid path: '" + p + "' (characters outside of the reserved list of RFC 3986 found)", "rfc3986"
	}
	raw := pctTriplet.ReplaceAllString(p, "___")
	if i := strings.IndexByte(raw, '%'); i >= 0 {
		end := min(i+3, len(raw))
		return "invalid url-encoded value: '" + raw[i:end] + "'", "percent"
	}
	return "", ""
}

// routePathRule is validate_path_with_regexes: prefix paths must be
// normalized, regex paths (~) must compile.
func routePathRule(p string) string {
	if msg, kind := servicePathRule(p); kind == "percent" {
		return msg
	}
	if !strings.HasPrefix(p, "~") {
		if n := NormalizePath(p, true); n != p {
			return "non-normalized path, consider use '" + n + "' instead"
		}
		return ""
	}
	re := p[1:]
	if err := pcreCompile(re); err != "" {
		return "invalid regex: '" + re + "' (PCRE returned: " + err + ")"
	}
	return ""
}

const reservedChars = "!*'();:@&=+$,/?%#[]"

// NormalizePath is kong.tools.uri.normalize: decode unreserved and "other"
// %XX escapes, upper-case reserved ones, remove dot segments and, with
// mergeSlashes, collapse "//". Route validation and localkong's router
// both use it, as Kong does.
func NormalizePath(uri string, mergeSlashes bool) string {
	if uri == "" || uri == "/" {
		return uri
	}
	if strings.Contains(uri, "%") {
		uri = pctTriplet.ReplaceAllStringFunc(uri, func(m string) string {
			n, _ := strconv.ParseUint(m[1:], 16, 8)
			if strings.IndexByte(reservedChars, byte(n)) < 0 {
				return string([]byte{byte(n)})
			}
			return strings.ToUpper(m)
		})
	}
	if !strings.Contains(uri, ".") {
		if !mergeSlashes || !strings.Contains(uri, "//") {
			return uri
		}
	}
	var out []string
	n := 0
	set := func(seg string) {
		if n < len(out) {
			out[n] = seg
		} else {
			out = append(out, seg)
		}
		n++
	}
	for len(uri) > 0 {
		switch {
		case uri == "/.":
			uri = "/"
		case uri == "/..":
			uri = "/"
			if n > 0 {
				n--
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
			if n > 0 {
				n--
			}
		case mergeSlashes && strings.HasPrefix(uri, "//"):
			uri = uri[1:]
		default:
			i := strings.IndexByte(uri[1:], '/')
			if i >= 0 {
				set(uri[:i+1])
				uri = uri[i+1:]
			} else {
				set(uri)
				uri = ""
			}
		}
	}
	return strings.Join(out[:n], "")
}

// pcreMessages maps regexp2 parse errors to the PCRE2 texts Kong reports.
var pcreMessages = map[string]string{
	"missing closing )":                                  "missing closing parenthesis",
	"unexpected )":                                       "unmatched closing parenthesis",
	"unterminated [] set":                                "missing terminating ] for character class",
	"missing argument to repetition operator":            "quantifier does not follow a repeatable item",
	"invalid nested repetition operator":                 "quantifier does not follow a repeatable item",
	"illegal \\ at end of pattern":                       "\\ at end of pattern",
	"invalid repeat count":                               "numbers out of order in {} quantifier",
	"unterminated comment":                               "missing ) after (?# comment",
	"capture group number out of range":                  "reference to non-existent subpattern",
	"reference to undefined group number %v":             "reference to non-existent subpattern",
	"reference to undefined group name %v":               "reference to non-existent subpattern",
	"unrecognized grouping construct: (%v":               "unrecognized character after (? or (?-",
	"unrecognized escape sequence \\%v":                  "unrecognized character follows \\",
	"[%c-%c] range in reverse order":                     "range out of order in character class",
	"malformed \\p{X} character escape":                  "malformed \\P or \\p sequence",
	"incomplete \\p{X} character escape":                 "malformed \\P or \\p sequence",
	"unknown unicode category, script, or property '%v'": "unknown property name after \\P or \\p",
}

// pcreCompile compiles a route regex as Kong's PCRE dry run does and
// returns nginx's "pcre2_compile() failed: ..." text, or "".
func pcreCompile(re string) string {
	_, err := regexp2.Compile(re, regexp2.None)
	if err == nil {
		return ""
	}
	msg := err.Error()
	var perr *pcresyntax.Error
	if errors.As(err, &perr) {
		msg = string(perr.Code)
		if m, ok := pcreMessages[msg]; ok {
			msg = m
		} else if len(perr.Args) > 0 {
			msg = strings.ReplaceAll(msg, "%v", "")
		}
	}
	out := "pcre2_compile() failed: " + msg + " in \"" + re + "\""
	if off := pcreOffset(re, msg); off >= 0 && off < len(re) {
		out += " at \"" + re[off:] + "\""
	}
	return out
}

// pcreOffset locates the error for the messages where nginx appends
// ` at "<rest>"`; -1 when the error sits at the end of the pattern.
func pcreOffset(re, msg string) int {
	switch msg {
	case "unmatched closing parenthesis":
		depth, inClass := 0, false
		for i := 0; i < len(re); i++ {
			switch c := re[i]; {
			case c == '\\':
				i++
			case inClass:
				if c == ']' {
					inClass = false
				}
			case c == '[':
				inClass = true
			case c == '(':
				depth++
			case c == ')':
				if depth == 0 {
					return i
				}
				depth--
			}
		}
	case "quantifier does not follow a repeatable item":
		prev := byte(0)
		for i := 0; i < len(re); i++ {
			c := re[i]
			if c == '\\' {
				i++
				prev = 'a'
				continue
			}
			if strings.IndexByte("*+?", c) >= 0 && (i == 0 || prev == '(' || prev == '|') {
				return i
			}
			prev = c
		}
	}
	return -1
}

// atcRegexError approximates the ATC router's check of a regex: the Rust
// regex syntax, close to RE2's. It returns a short reason, or "".
func atcRegexError(re string) string {
	if _, err := re2syntax.Parse(re, re2syntax.Perl); err != nil {
		var serr *re2syntax.Error
		if errors.As(err, &serr) {
			return "regex parse error: " + serr.Code.String() + ": `" + serr.Expr + "`"
		}
		return "regex parse error: " + err.Error()
	}
	return ""
}
