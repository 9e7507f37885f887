package kongschema

import (
	"fmt"
	"regexp"
	"strings"
)

// Schema documents carry Kong's match, not_match, match_all, match_none
// and match_any validators as Lua patterns. luaPattern translates one into
// an equivalent Go regular expression. The few constructs RE2 cannot say
// (%b, %f, back references, position captures, a negated class inside a
// set) are refused: the caller then leaves that validator to Kong.

// luaClasses are Lua's %x classes as RE2 set contents (ASCII, C locale).
var luaClasses = map[byte]string{
	'a': `A-Za-z`,
	'c': `\x00-\x1f\x7f`,
	'd': `0-9`,
	'g': `!-~`,
	'l': `a-z`,
	'p': `!-/:-@\[-` + "`" + `{-~`,
	's': `\t\n\v\f\r `,
	'u': `A-Z`,
	'w': `A-Za-z0-9`,
	'x': `A-Fa-f0-9`,
}

// luaPattern compiles a Lua pattern as the regexp that matches the same
// strings (string.match: anywhere unless anchored).
func luaPattern(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("(?s)")
	single := false // the last item is one character class, so a quantifier applies
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '^' && i == 0:
			b.WriteString(`^`)
			single = false
		case c == '$' && i == len(p)-1:
			b.WriteString(`$`)
			single = false
		case (c == '*' || c == '+' || c == '?' || c == '-') && single:
			if c == '-' {
				b.WriteString(`*?`)
			} else {
				b.WriteByte(c)
			}
			single = false
		case c == '%':
			if i+1 >= len(p) {
				return nil, fmt.Errorf("malformed pattern (ends with '%%'): %q", p)
			}
			i++
			n := p[i]
			switch {
			case n == 'b' || n == 'f' || (n >= '0' && n <= '9'):
				return nil, fmt.Errorf("%%%c has no regexp equivalent: %q", n, p)
			case luaClasses[lower(n)] != "":
				if n == lower(n) {
					b.WriteString("[" + luaClasses[n] + "]")
				} else {
					b.WriteString("[^" + luaClasses[lower(n)] + "]")
				}
			default:
				b.WriteString(regexp.QuoteMeta(string(n)))
			}
			single = true
		case c == '[':
			set, end, err := luaSet(p, i)
			if err != nil {
				return nil, err
			}
			b.WriteString(set)
			i = end
			single = true
		case c == '.':
			b.WriteString(`.`)
			single = true
		case c == '(':
			if i+1 < len(p) && p[i+1] == ')' {
				return nil, fmt.Errorf("position captures have no regexp equivalent: %q", p)
			}
			b.WriteString(`(`)
			single = false
		case c == ')':
			b.WriteString(`)`)
			single = false
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
			single = true
		}
	}
	return regexp.Compile(b.String())
}

// luaSet translates the set starting at p[start] ('['); end is the index
// of its closing ']'.
func luaSet(p string, start int) (set string, end int, err error) {
	var b strings.Builder
	b.WriteByte('[')
	i := start + 1
	if i < len(p) && p[i] == '^' {
		b.WriteByte('^')
		i++
	}
	first := true
	for ; i < len(p); i++ {
		c := p[i]
		switch {
		case c == ']' && !first:
			b.WriteByte(']')
			return b.String(), i, nil
		case c == '%':
			if i+1 >= len(p) {
				return "", 0, fmt.Errorf("malformed pattern (missing ']'): %q", p)
			}
			i++
			n := p[i]
			switch cls := luaClasses[lower(n)]; {
			case cls != "" && n == lower(n):
				b.WriteString(cls)
			case cls != "":
				return "", 0, fmt.Errorf("a negated class in a set has no regexp equivalent: %q", p)
			default:
				b.WriteString(regexp.QuoteMeta(string(n)))
			}
		case i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']':
			b.WriteString(quoteSetChar(c) + "-" + quoteSetChar(p[i+2]))
			i += 2
		default:
			b.WriteString(quoteSetChar(c))
		}
		first = false
	}
	return "", 0, fmt.Errorf("malformed pattern (missing ']'): %q", p)
}

func quoteSetChar(c byte) string {
	if strings.IndexByte(`\]^-[`, c) >= 0 {
		return `\` + string(c)
	}
	return string(c)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
