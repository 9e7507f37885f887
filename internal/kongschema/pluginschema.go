package kongschema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// PluginSchema is one plugin's schema: Kong's plugins entity specialised
// by the plugin's subschema (its protocols, config record and entity
// checks), as GET /schemas/plugins/{name} serves it. Parsed from that
// document (ParsePluginSchema) it validates a plugin with the runtime
// group's own rules and defaults; built in Go (NewPluginSchema) it renders
// the document a Kong-compatible server serves.
type PluginSchema struct {
	name   string
	fields []NamedField // the subschema's fields, in the document's order
	checks []Check
	entity *schema // plugins, with this plugin's subschema
}

// ParsePluginSchema reads the document Kong serves at
// GET /schemas/plugins/{name}.
func ParsePluginSchema(name string, doc []byte) (*PluginSchema, error) {
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, fmt.Errorf("schema of plugin %q: %w", name, err)
	}
	return ParsePluginSchemaDocument(name, m)
}

// ParsePluginSchemaDocument is ParsePluginSchema of a decoded document.
func ParsePluginSchemaDocument(name string, doc map[string]any) (*PluginSchema, error) {
	fields, err := parseFields(doc["fields"], "")
	if err != nil {
		return nil, fmt.Errorf("schema of plugin %q: %w", name, err)
	}
	var checks []Check
	if cl, ok := doc["entity_checks"]; ok {
		if checks, err = parseChecks(cl, ""); err != nil {
			return nil, fmt.Errorf("schema of plugin %q: %w", name, err)
		}
	}
	return NewPluginSchema(name, fields, checks), nil
}

// NewPluginSchema is a plugin's schema from its subschema's fields (config
// among them) and entity checks, as kong/plugins/<name>/schema.lua declares
// them.
func NewPluginSchema(name string, fields []NamedField, checks []Check) *PluginSchema {
	base := pluginsSchema()
	ss := &subschema{name: name, fields: map[string]*Field{}, checks: checks}
	for _, nf := range fields {
		ss.fields[nf.Name] = nf.Field
		if base.byName[nf.Name] == nil {
			// A field the entity gained in a later Kong (or edition):
			// the runtime group's document is the authority.
			base.fields = append(base.fields, NamedField{Name: nf.Name, Field: &Field{Type: nf.Field.Type}})
		}
	}
	base.subschemaKey = "name"
	base.subschemas = map[string]*subschema{name: ss}
	return &PluginSchema{name: name, fields: fields, checks: checks, entity: newSchema(base)}
}

// Name is the plugin's name.
func (p *PluginSchema) Name() string { return p.name }

// Document renders the schema as Kong serves it at
// GET /schemas/plugins/{name}; each call returns a fresh document.
func (p *PluginSchema) Document() map[string]any {
	return normalize(map[string]any{
		"fields":        fieldsJSON(p.fields),
		"entity_checks": checksJSON(p.checks),
	}).(map[string]any)
}

// Config is the definition of the plugin's config record.
func (p *PluginSchema) Config() *Field {
	if f := p.entity.subschemas[p.name].fields["config"]; f != nil {
		return f
	}
	return &Field{Type: "record", Required: true}
}

// DefaultProtocols are the protocols a plugin gets when none are given.
func (p *PluginSchema) DefaultProtocols() []string {
	f := p.entity.field("protocols", p.entity.subschemas[p.name])
	if f == nil || !f.HasDefault {
		return nil
	}
	list, _ := f.Default.([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// Check validates a plugin (its JSON form: name, config, protocols,
// service or route, …) as Kong validates an insert, and returns Kong's
// errors in Kong's order; nil when valid. unknown names, by dotted path
// ("config.redis.host"), the values not known yet, left out of body: they
// are not "required field missing", and no entity check reading them runs.
// Config shorthands (deprecated names) are moved to their replacements
// first, as Kong does.
func (p *PluginSchema) Check(body map[string]any, unknown []string) []FieldError {
	c := &vctx{unknown: map[string]bool{}}
	for _, u := range unknown {
		c.unknown[u] = true
	}
	body = copyMap(body)
	if body == nil {
		body = map[string]any{}
	}
	body["name"] = p.name
	if cfg, ok := body["config"].(map[string]any); ok {
		body["config"] = ExpandShorthands(p.Config(), cfg)
	}
	_, v := c.process(p.entity, Insert, body, nil, false)
	if v.Empty() {
		return nil
	}
	return v.FieldErrors()
}

// Process runs Kong's write path for a plugin of this schema (see the
// package's Process): defaults, validation, the stored form.
func (p *PluginSchema) Process(op Op, body, existing map[string]any) (map[string]any, *Violation) {
	body = copyMap(body)
	if body == nil {
		body = map[string]any{}
	}
	if cfg, ok := body["config"].(map[string]any); ok {
		body["config"] = ExpandShorthands(p.Config(), cfg)
	}
	return process(p.entity, op, body, existing, true)
}

// FieldAt is the definition of the config field at path (names of record
// fields; an array's or set's elements are reached through the array's
// name, as its elements share one definition); nil when the schema has
// none there.
func (p *PluginSchema) FieldAt(path []string) *Field {
	f := p.Config()
	for _, name := range path {
		for f.Type == "array" || f.Type == "set" {
			if f.Elements == nil {
				return nil
			}
			f = f.Elements
		}
		if f = recordField(f, name); f == nil {
			return nil
		}
	}
	return f
}

// Secret reports whether the config field at path holds a secret: Kong
// stores it encrypted, or lets it refer to a vault.
func (p *PluginSchema) Secret(path []string) bool {
	f := p.FieldAt(path)
	return f != nil && (f.Encrypted || f.Referenceable)
}

// SecretPaths lists the paths of the config fields that hold secrets, as
// "redis.password", sorted.
func (p *PluginSchema) SecretPaths() []string {
	var out []string
	var walk func(f *Field, at []string)
	walk = func(f *Field, at []string) {
		if f == nil {
			return
		}
		if f.Encrypted || f.Referenceable {
			out = append(out, strings.Join(at, "."))
		}
		if f.Type == "array" || f.Type == "set" {
			walk(f.Elements, at)
			return
		}
		for _, nf := range f.Fields {
			walk(nf.Field, append(append([]string{}, at...), nf.Name))
		}
	}
	walk(p.Config(), nil)
	sort.Strings(out)
	return out
}

// ExpandShorthands moves the values of a record's shorthand fields
// (deprecated names, e.g. rate-limiting's redis_host) to the fields that
// replace them (redis.host), recursively, as Kong does before validating.
// A replacement the value sets itself wins. cfg is not modified. A
// shorthand whose replacement the document does not name is dropped.
func ExpandShorthands(record *Field, cfg map[string]any) map[string]any {
	if record == nil || cfg == nil {
		return cfg
	}
	out := copyMap(cfg)
	for _, nf := range record.Fields {
		if sub, ok := out[nf.Name].(map[string]any); ok && nf.Field.Type == "record" {
			out[nf.Name] = ExpandShorthands(nf.Field, sub)
		}
	}
	for _, sh := range record.Shorthands {
		v, ok := out[sh.Name]
		if !ok {
			continue
		}
		// Without replaced_with only Kong's function knows where the
		// value goes: it is Kong's to check.
		delete(out, sh.Name)
		if v == nil {
			continue
		}
		for _, p := range sh.ReplacedWith {
			if _, set := getPath(out, strings.Join(p, ".")); !set {
				setNew(out, p, normalize(v))
			}
		}
	}
	return out
}

// setNew stores v at path, making the records on the way.
func setNew(m map[string]any, path []string, v any) {
	for _, name := range path[:len(path)-1] {
		next, ok := m[name].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[name] = next
		}
		m = next
	}
	m[path[len(path)-1]] = v
}
