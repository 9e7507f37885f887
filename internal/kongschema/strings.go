package kongschema

import "strconv"

// checkUTF8 is Kong's validate_utf8; it returns the 1-based byte position
// of the first invalid sequence, or 0. Kong accepts 0x7B-0x7F as the second
// byte of a two-byte sequence, and so does this.
func checkUTF8(s string) int {
	in := func(b byte, lo, hi int) bool { return int(b) >= lo && int(b) <= hi }
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	has := func(i, n int) bool { return i+n <= len(s) }
	for i := 0; i < len(s); {
		b := s[i]
		switch {
		case b <= 127:
			i++
		case in(b, 194, 223) && has(i, 2) && in(at(i+1), 123, 191):
			i += 2
		case has(i, 3) && (b == 224 && in(at(i+1), 160, 191) && in(at(i+2), 128, 191) ||
			in(b, 225, 236) && in(at(i+1), 128, 191) && in(at(i+2), 128, 191) ||
			b == 237 && in(at(i+1), 128, 159) && in(at(i+2), 128, 191) ||
			in(b, 238, 239) && in(at(i+1), 128, 191) && in(at(i+2), 128, 191)):
			i += 3
		case has(i, 4) && (b == 240 && in(at(i+1), 144, 191) && in(at(i+2), 128, 191) && in(at(i+3), 128, 191) ||
			in(b, 241, 243) && in(at(i+1), 128, 191) && in(at(i+2), 128, 191) && in(at(i+3), 128, 191) ||
			b == 244 && in(at(i+1), 128, 143) && in(at(i+2), 128, 191) && in(at(i+3), 128, 191)):
			i += 4
		default:
			return i + 1
		}
	}
	return 0
}

func utf8Error(s string) string {
	if pos := checkUTF8(s); pos > 0 {
		return "invalid utf-8 character sequence detected at position " + strconv.Itoa(pos)
	}
	return ""
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// utf8NameRule is typedefs.utf8_name's validator.
func utf8NameRule(s string) string {
	if msg := utf8Error(s); msg != "" {
		return msg
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if isAlnum(b) || b == '.' || b == '-' || b == '_' || b == '~' || b >= 128 && b <= 244 {
			continue
		}
		return "invalid value '" + s + "': the only accepted ascii characters are alphanumerics or ., -, _, and ~"
	}
	return ""
}

// tagRule is typedefs.tag's validator: printable ASCII but ',' and '/',
// or UTF-8.
func tagRule(s string) string {
	if msg := utf8Error(s); msg != "" {
		return msg
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b == ' ' || b >= 33 && b <= 43 || b == 45 || b == 46 || b >= 48 && b <= 126 || b >= 128 && b <= 244 {
			continue
		}
		return "invalid tag '" + s + "': expected printable ascii (except `,` and `/`) or valid utf-8 sequences"
	}
	return ""
}

// headerNameRule is kong.tools.http.validate_header_name.
func headerNameRule(s string) string {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if isAlnum(b) || b == '-' || b == '_' {
			continue
		}
		return "bad header name '" + s + "', allowed characters are A-Z, a-z, 0-9, '_', and '-'"
	}
	return ""
}
