package servicehub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// The read rule of a plugin's configuration, which makes perpetual diffs
// impossible by construction (design/plugins.md). A plugin's state keeps
// its configuration as written, config and config_sensitive. Kong holds
// that configuration with every field it was not given set to its default
// (from the runtime group's schema, so the rule follows any Kong version or
// edition). A read compares what Kong holds with
//
//	desired = defaults(schema, config ⊕ config_sensitive)
//
// field by field, as Kong's types say: sets in any order, null, absent and
// empty collections alike. Equal, the state stays as written. Otherwise
// each field that differs, and only those, takes Kong's value in the state
// (in config_sensitive when it was written there, or is a secret nobody
// wrote), so the next plan shows exactly those keys, and applying writes
// the configuration again, whole: a key nobody wrote returns to its
// default.

// PluginConfig is a plugin configuration in its JSON form, as encoding/json
// decodes it (float64 numbers, []any, map[string]any, nil).
type PluginConfig = map[string]any

// Merge is config with sensitive deep-merged over it: records merge key by
// key, any other value of sensitive replaces config's. Neither is modified.
func Merge(config, sensitive PluginConfig) PluginConfig {
	out := deepCopy(config)
	if out == nil {
		out = PluginConfig{}
	}
	for k, v := range sensitive {
		cur, isRec := out[k].(map[string]any)
		sub, subRec := v.(map[string]any)
		if isRec && subRec {
			out[k] = Merge(cur, sub)
			continue
		}
		out[k] = deepCopy(v)
	}
	return out
}

// Desired is what Kong holds once cfg is written: shorthands moved to the
// fields that replace them, then every field cfg leaves out set to its
// default, by go-kong's FillPluginsDefaults (as decK fills them).
func (ps *PluginSchema) Desired(cfg PluginConfig) (PluginConfig, error) {
	p := &kong.Plugin{Config: kong.Configuration(kongschema.ExpandShorthands(ps.Config(), deepCopy(cfg)))}
	if p.Config == nil {
		p.Config = kong.Configuration{}
	}
	if err := kong.FillPluginsDefaults(p, ps.doc); err != nil {
		return nil, fmt.Errorf("filling the defaults of plugin %q: %w", ps.Name(), err)
	}
	// go-kong leaves its own map type inside arrays of records: back to
	// plain JSON values.
	b, err := json.Marshal(p.Config)
	if err != nil {
		return nil, err
	}
	var out PluginConfig
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ConfigDiff lists the paths of config where actual departs from desired:
// the fields of records one by one, arrays, sets and maps whole. Fields
// the schema does not have (deprecated names Kong echoes back) are not
// compared.
func (ps *PluginSchema) ConfigDiff(desired, actual PluginConfig) [][]string {
	var out [][]string
	diffRecord(ps.Config(), desired, actual, nil, &out)
	return out
}

func diffRecord(f *kongschema.Field, d, a map[string]any, at []string, out *[][]string) {
	for _, nf := range f.Fields {
		p := append(append([]string{}, at...), nf.Name)
		dv, av := d[nf.Name], a[nf.Name]
		dm, dRec := dv.(map[string]any)
		am, aRec := av.(map[string]any)
		if nf.Field.Type == "record" && dRec && aRec {
			diffRecord(nf.Field, dm, am, p, out)
			continue
		}
		if !equalValue(nf.Field, dv, av) {
			*out = append(*out, p)
		}
	}
}

// equalValue compares two values of field f (nil: a field the schema does
// not describe).
func equalValue(f *kongschema.Field, d, a any) bool {
	if isEmptyValue(d) && isEmptyValue(a) {
		return true
	}
	if d == nil || a == nil {
		return false
	}
	typ := ""
	if f != nil {
		typ = f.Type
	}
	switch typ {
	case "record":
		dm, ok1 := d.(map[string]any)
		am, ok2 := a.(map[string]any)
		if !ok1 || !ok2 {
			return false
		}
		for _, nf := range f.Fields {
			if !equalValue(nf.Field, dm[nf.Name], am[nf.Name]) {
				return false
			}
		}
		return true
	case "set":
		return equalSet(f.Elements, d, a)
	case "array":
		ds, ok1 := d.([]any)
		as, ok2 := a.([]any)
		if !ok1 || !ok2 || len(ds) != len(as) {
			return false
		}
		for i := range ds {
			if !equalValue(f.Elements, ds[i], as[i]) {
				return false
			}
		}
		return true
	case "map":
		dm, ok1 := d.(map[string]any)
		am, ok2 := a.(map[string]any)
		if !ok1 || !ok2 || len(dm) != len(am) {
			return false
		}
		for k, v := range dm {
			w, ok := am[k]
			if !ok || !equalValue(f.Values, v, w) {
				return false
			}
		}
		return true
	}
	return equalJSON(d, a)
}

// equalSet compares sets: the same elements, in any order.
func equalSet(el *kongschema.Field, d, a any) bool {
	ds, ok1 := d.([]any)
	as, ok2 := a.([]any)
	if !ok1 || !ok2 {
		return false
	}
	used := make([]bool, len(as))
next:
	for _, x := range ds {
		for j, y := range as {
			if !used[j] && equalValue(el, x, y) {
				used[j] = true
				continue next
			}
		}
		return false
	}
	for _, u := range used {
		if !u {
			// Kong keeps a set's elements unique; a duplicate written
			// reads back once.
			return dedupeEqual(el, ds, as)
		}
	}
	return true
}

// dedupeEqual: every element of each is in the other.
func dedupeEqual(el *kongschema.Field, ds, as []any) bool {
	in := func(x any, ys []any) bool {
		for _, y := range ys {
			if equalValue(el, x, y) {
				return true
			}
		}
		return false
	}
	for _, x := range ds {
		if !in(x, as) {
			return false
		}
	}
	for _, y := range as {
		if !in(y, ds) {
			return false
		}
	}
	return true
}

// equalJSON compares values the schema does not type further: numbers by
// value, collections element by element, null and empty alike.
func equalJSON(d, a any) bool {
	if isEmptyValue(d) && isEmptyValue(a) {
		return true
	}
	switch x := d.(type) {
	case float64:
		y, ok := a.(float64)
		return ok && (x == y || math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y)))
	case []any:
		y, ok := a.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := a.(map[string]any)
		if !ok {
			return false
		}
		for k := range union(x, y) {
			if !equalJSON(x[k], y[k]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(d, a)
}

func union(a, b map[string]any) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// isEmptyValue: null, or an empty array or object.
func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case []any:
		return len(t) == 0
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// ConfigChange is a key of the configuration the read rule gives Kong's
// value: Path in config, or in config_sensitive when Sensitive.
type ConfigChange struct {
	Path      []string
	Value     any
	Sensitive bool
}

// ReadChanges applies the read rule: the keys of the configuration as
// written (config, sensitive; nil when nothing was written, as after an
// import) that take Kong's value after a read that found actual in Kong.
// None when Kong holds what was written: the state stays as it was. A key
// goes to config_sensitive when it was written there, or when nobody wrote
// it and the schema marks it a secret.
func (ps *PluginSchema) ReadChanges(config, sensitive, actual PluginConfig) ([]ConfigChange, error) {
	desired, err := ps.Desired(Merge(config, sensitive))
	if err != nil {
		return nil, err
	}
	var out []ConfigChange
	for _, p := range ps.ConfigDiff(desired, actual) {
		v, _ := lookup(actual, p)
		_, inSensitive := lookup(sensitive, p)
		_, inConfig := lookup(config, p)
		out = append(out, ConfigChange{Path: p, Value: deepCopy(v), Sensitive: inSensitive || (!inConfig && ps.Secret(p))})
	}
	return out, nil
}

// ReadConfig is ReadChanges applied to the configuration as written.
func (ps *PluginSchema) ReadConfig(config, sensitive, actual PluginConfig) (newConfig, newSensitive PluginConfig, changed bool, err error) {
	changes, err := ps.ReadChanges(config, sensitive, actual)
	if err != nil || len(changes) == 0 {
		return config, sensitive, false, err
	}
	newConfig, newSensitive = deepCopy(config), deepCopy(sensitive)
	for _, c := range changes {
		if c.Sensitive {
			newSensitive = setAt(newSensitive, c.Path, c.Value)
		} else {
			newConfig = setAt(newConfig, c.Path, c.Value)
		}
	}
	return newConfig, newSensitive, true, nil
}

// ReadProtocols applies the read rule to protocols: written is nil when the
// configuration leaves them to the plugin's default. Compared as sets.
func (ps *PluginSchema) ReadProtocols(written, actual []string) (state []string, changed bool) {
	want := written
	if want == nil {
		want = ps.DefaultProtocols()
	}
	if sameStrings(want, actual) {
		return written, false
	}
	return actual, true
}

func sameStrings(a, b []string) bool {
	x, y := append([]string{}, a...), append([]string{}, b...)
	sort.Strings(x)
	sort.Strings(y)
	x, y = compactStrings(x), compactStrings(y)
	return reflect.DeepEqual(x, y) || len(x) == 0 && len(y) == 0
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// lookup is the value at path; ok is false when a record on the way, or
// the field, is absent.
func lookup(m PluginConfig, path []string) (any, bool) {
	var cur any = m
	for _, name := range path {
		rec, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = rec[name]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// setAt stores v at path in m (made when nil), making the records on the
// way; a value on the way that is not a record is replaced by one.
func setAt(m PluginConfig, path []string, v any) PluginConfig {
	if m == nil {
		m = PluginConfig{}
	}
	cur := m
	for _, name := range path[:len(path)-1] {
		next, ok := cur[name].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[name] = next
		}
		cur = next
	}
	cur[path[len(path)-1]] = v
	return m
}

// deepCopy copies a JSON value; nil stays nil.
func deepCopy[T any](v T) T {
	var out any
	switch t := any(v).(type) {
	case map[string]any:
		if t == nil {
			return v
		}
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		out = m
	case []any:
		if t == nil {
			return v
		}
		s := make([]any, len(t))
		for i, e := range t {
			s[i] = deepCopy(e)
		}
		out = s
	default:
		return v
	}
	return out.(T)
}

// Seen fingerprints a reading: a state (configuration as written and
// protocols) and what Kong held when it was found right (after a write, or
// by the read rule). A later read finding the same state and the same
// values in Kong has nothing to compare, and needs no schema.
func Seen(config, sensitive PluginConfig, protocols []string, actual PluginConfig, actualProtocols []string) string {
	b, _ := json.Marshal([]any{config, sensitive, sortedStrings(protocols), actual, sortedStrings(actualProtocols)})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func sortedStrings(s []string) []string {
	if s == nil {
		return nil
	}
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// decodeSchema decodes a schema document for go-kong.
func decodeSchema(doc []byte) (kong.Schema, error) {
	var m kong.Schema
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// PathString renders a config path: "redis.password".
func PathString(p []string) string { return strings.Join(p, ".") }
