package store

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
)

const (
	defaultPageSize = 100
	maxPageSize     = 1000
	maxTagsQueried  = 5
)

// ListQuery is a parsed ?size=&offset=&tags= (spec §6, §7.2).
type ListQuery struct {
	size    int
	rawSize string // as sent, for the next link
	offset  []any  // decoded token: the last row's key
	rawOff  string
	tags    []string
	rawTags string
	or      bool
}

// ParseListQuery validates the list parameters in Kong's order: an empty
// ?tags= is refused while extracting options, then the DAO checks the size,
// the tag filter and finally the strategy decodes the offset.
func ParseListQuery(q url.Values) (*ListQuery, *Error) {
	lq := &ListQuery{size: defaultPageSize}
	if vs, ok := q["tags"]; ok {
		lq.rawTags = vs[0]
		if lq.rawTags == "" {
			return nil, errInvalidOption("tags", "cannot be null")
		}
	}
	if vs, ok := q["size"]; ok {
		lq.rawSize = vs[0]
		f, err := strconv.ParseFloat(strings.TrimSpace(lq.rawSize), 64)
		if err != nil || math.IsNaN(f) {
			return nil, errInvalidSize("size must be a number")
		}
		if f != math.Trunc(f) || f < 1 || f > maxPageSize {
			return nil, errInvalidSize("size must be an integer between 1 and 1000")
		}
		lq.size = int(f)
	}
	if lq.rawTags != "" {
		switch {
		case tagFilterOK(lq.rawTags, ','):
			lq.tags = splitTags(lq.rawTags, ",")
		case tagFilterOK(lq.rawTags, '/'):
			lq.tags, lq.or = splitTags(lq.rawTags, "/"), true
		default:
			return nil, errInvalidOption("tags", "invalid filter syntax")
		}
		if len(lq.tags) > maxTagsQueried {
			return nil, errInvalidOption("tags", "cannot query more than 5 tags")
		}
	}
	if vs, ok := q["offset"]; ok {
		lq.rawOff = vs[0]
		tok, err := decodeOffset(lq.rawOff)
		if err != nil {
			return nil, err
		}
		lq.offset = tok
	}
	return lq, nil
}

// tagFilterOK implements ^([\x20-\x2B\x2D\x2E\x30-\x7E\x80-\xF4]+(?:sep|$))+$
// on bytes, as Kong's PCRE runs it.
func tagFilterOK(s string, sep byte) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == sep:
			if run == 0 {
				return false
			}
			run = 0
		case c >= 0x20 && c <= 0x2B, c == 0x2D, c == 0x2E, c >= 0x30 && c <= 0x7E, c >= 0x80 && c <= 0xF4:
			run++
		default:
			return false
		}
	}
	return len(s) > 0 && (run > 0 || s[len(s)-1] == sep)
}

func splitTags(s, sep string) []string {
	var out []string
	for _, t := range strings.Split(s, sep) {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func decodeOffset(tok string) ([]any, *Error) {
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(tok, "="))
	if err != nil {
		return nil, errInvalidOffset(tok, "bad base64 encoding")
	}
	var key []any
	if err := json.Unmarshal(raw, &key); err != nil || len(key) == 0 {
		return nil, errInvalidOffset(tok, "bad json encoding")
	}
	return key, nil
}

func encodeOffset(key ...any) string {
	raw, _ := json.Marshal(key)
	return base64.RawStdEncoding.EncodeToString(raw)
}

// matchTags applies the tag filter: all tags (AND) or any (OR).
func (lq *ListQuery) matchTags(e map[string]any) bool {
	if len(lq.tags) == 0 {
		return true
	}
	have := map[string]bool{}
	for _, t := range stringList(e["tags"]) {
		have[t] = true
	}
	for _, t := range lq.tags {
		if have[t] == lq.or {
			return lq.or
		}
	}
	return !lq.or
}

// Page cuts one page out of rows sorted by id: the rows after the offset
// token, and the token of the next page when more rows remain.
func (lq *ListQuery) Page(rows []map[string]any, useTags bool, keep func(map[string]any) bool) ([]map[string]any, string) {
	after := firstString(lq.offset)
	out := make([]map[string]any, 0, min(lq.size, len(rows)))
	for _, e := range rows {
		if lq.offset != nil && e["id"].(string) <= after {
			continue
		}
		if useTags && !lq.matchTags(e) || keep != nil && !keep(e) {
			continue
		}
		if len(out) == lq.size {
			return out, encodeOffset(out[len(out)-1]["id"])
		}
		out = append(out, e)
	}
	return out, ""
}

func firstString(key []any) string {
	if len(key) == 0 {
		return ""
	}
	s, _ := key[0].(string)
	return s
}

// EscapeURI is ngx.escape_uri: everything but unreserved characters is
// percent-encoded with upper-case hex.
func EscapeURI(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// NextLink is the top-level collection's next: offset, then tags, then the
// size as sent (spec §6).
func (lq *ListQuery) NextLink(path, offset string) string {
	next := path + "?offset=" + EscapeURI(offset)
	if lq.rawTags != "" {
		next += "&tags=" + EscapeURI(lq.rawTags)
	}
	if lq.rawSize != "" {
		next += "&size=" + lq.rawSize
	}
	return next
}
