package pdk

import "strconv"

// Reading a stored config (JSON form: float64 numbers, []any, nil for
// null) as handlers need it.

// ConfString is a string field, "" when null.
func ConfString(cfg map[string]any, name string) string { s, _ := cfg[name].(string); return s }

// ConfBool is a boolean field, false when null.
func ConfBool(cfg map[string]any, name string) bool { b, _ := cfg[name].(bool); return b }

// ConfNumber is a number field and whether it is set.
func ConfNumber(cfg map[string]any, name string) (float64, bool) {
	n, ok := cfg[name].(float64)
	return n, ok
}

// ConfStrings is an array of strings, nil when null.
func ConfStrings(cfg map[string]any, name string) []string { return Values(cfg[name]) }

// ConfRecord is a record field, nil when null.
func ConfRecord(cfg map[string]any, name string) map[string]any {
	r, _ := cfg[name].(map[string]any)
	return r
}

// FormatNumber is a number as Lua's tostring writes it (3, not 3.0).
func FormatNumber(n float64) string {
	if n == float64(int64(n)) {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'g', 14, 64)
}
