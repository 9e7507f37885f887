// Package pdk is what a plugin of localkong is made of and what it is
// given at the proxy: Kong's plugin interface (kong/plugins/<name>/
// {schema,handler,daos}.lua) and its Plugin Development Kit (kong.request,
// kong.response, kong.client, kong.ctx) in Go. Each plugin's folder
// (../<name>) declares one Plugin; the registry (..) lists them; the store
// validates with their schemas and stores their entities; the proxy runs
// their handlers in Kong's phases, by priority.
package pdk

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Plugin is one plugin localkong serves.
type Plugin struct {
	// Name is Kong's name for it ("key-auth").
	Name string
	// Priority is its handler's PRIORITY in g: higher runs first in each
	// phase.
	Priority func(g Gateway) int
	// Schema is its schema.lua in g (fields, defaults and checks differ
	// between releases); called once per gateway.
	Schema func(g Gateway) *Schema
	// DAOs are the entities its daos.lua adds in g (key-auth's
	// credentials); nil when it adds none.
	DAOs func(g Gateway) []*DAO
	// Handler makes its phase handlers for one server playing g (a
	// handler's messages and headers follow the release, as its schema
	// does): what a handler keeps (rate-limiting's counters) is that
	// server's. nil when the plugin runs no phase in localkong.
	Handler func(g Gateway) *Handler
}

// Gateway is the Kong a plugin is served as.
type Gateway struct {
	Version kongschema.Version
	// ControlPlane is a hybrid control plane (Konnect's): Kong's "role =
	// control_plane", where some schemas differ (rate-limiting offers no
	// "cluster" policy).
	ControlPlane bool
}

// Since reports whether g is Kong major.minor or later.
func (g Gateway) Since(major, minor int) bool {
	return g.Version.AtLeast(kongschema.Version{Major: major, Minor: minor})
}

// Always is a Priority that no release changed.
func Always(priority int) func(Gateway) int {
	return func(Gateway) int { return priority }
}

// Schema is a plugin's schema: its fields (consumer, protocols, config, …)
// and entity checks run by kongschema, plus what a schema document cannot
// carry.
type Schema struct {
	*kongschema.PluginSchema
	// ConfigCheck is the config record's custom_validator: it runs once
	// the record's own fields are valid and returns Kong's message, which
	// Kong reports on "config"; "" when valid.
	ConfigCheck func(config map[string]any) string
	// Backwards are shorthand fields Kong writes back into what it
	// returns (translate_backwards, rate-limiting 3.6 to 3.8): each name
	// in config gets the value at its path in config.
	Backwards []Backward
	// StrictShorthands refuses a write where a shorthand and the field
	// that replaces it disagree (Kong 3.8 on,
	// validate_deprecation_exclusiveness).
	StrictShorthands bool
}

// Backward is one translate_backwards shorthand.
type Backward struct {
	Name string
	Path []string
}

// NewSchema is the schema of plugin name from its fields and entity
// checks, as its schema.lua declares them (typedefs from kongschema).
func NewSchema(name string, fields []kongschema.NamedField, checks ...kongschema.Check) *Schema {
	return &Schema{PluginSchema: kongschema.NewPluginSchema(name, fields, checks)}
}

// Process runs Kong's write path for a plugin of this schema: shorthands,
// defaults, validation, then the config's custom_validator.
func (s *Schema) Process(op kongschema.Op, body, existing map[string]any) (map[string]any, *kongschema.Violation) {
	if s.StrictShorthands {
		if v := s.shorthandConflicts(body); v != nil {
			return nil, v
		}
	}
	e, v := s.PluginSchema.Process(op, body, existing)
	if !v.Empty() || s.ConfigCheck == nil {
		return e, v
	}
	if cfg, ok := e["config"].(map[string]any); ok {
		if msg := s.ConfigCheck(cfg); msg != "" {
			return nil, &kongschema.Violation{Fields: map[string]any{"config": msg}}
		}
	}
	return e, nil
}

// Validate is POST /schemas/plugins/validate for this plugin: the same
// checks as Process, without a database.
func (s *Schema) Validate(body map[string]any) *kongschema.Violation {
	if s.StrictShorthands {
		if v := s.shorthandConflicts(body); v != nil {
			return v
		}
	}
	if v := s.PluginSchema.Validate(body); !v.Empty() || s.ConfigCheck == nil {
		return v
	}
	e, v := s.PluginSchema.Process(kongschema.Insert, body, nil)
	if !v.Empty() {
		return v
	}
	if cfg, ok := e["config"].(map[string]any); ok {
		if msg := s.ConfigCheck(cfg); msg != "" {
			return &kongschema.Violation{Fields: map[string]any{"config": msg}}
		}
	}
	return nil
}

// shorthandConflicts reports config shorthands whose value differs from
// the one sent for the field replacing them. Kong finds this while
// processing the config record and reports it as the entity's own error,
// by the shorthand's name.
func (s *Schema) shorthandConflicts(body map[string]any) *kongschema.Violation {
	cfg, _ := body["config"].(map[string]any)
	if cfg == nil {
		return nil
	}
	for _, sh := range s.Config().Shorthands {
		v, ok := cfg[sh.Name]
		if !ok || v == nil {
			continue
		}
		for _, path := range sh.ReplacedWith {
			nv := valueAt(cfg, path)
			if nv == nil || reflect.DeepEqual(nv, v) {
				continue
			}
			return &kongschema.Violation{Fields: map[string]any{sh.Name: fmt.Sprintf(
				"both deprecated and new field are used but their values mismatch: %s = %s vs %s = %s",
				sh.Name, luaTostring(v), strings.Join(path, "."), luaTostring(nv))}}
		}
	}
	return nil
}

// luaTostring is Lua's tostring of a JSON value.
func luaTostring(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return strconv.FormatInt(int64(t), 10)
		}
		return strconv.FormatFloat(t, 'g', 14, 64)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "nil"
	}
	return "table"
}

// Present is a stored plugin as Kong returns it: with its translated-back
// shorthands. e is not modified.
func (s *Schema) Present(e map[string]any) map[string]any {
	cfg, ok := e["config"].(map[string]any)
	if len(s.Backwards) == 0 || !ok {
		return e
	}
	out := make(map[string]any, len(e))
	for k, v := range e {
		out[k] = v
	}
	c := make(map[string]any, len(cfg)+len(s.Backwards))
	for k, v := range cfg {
		c[k] = v
	}
	for _, b := range s.Backwards {
		c[b.Name] = valueAt(cfg, b.Path)
	}
	out["config"] = c
	return out
}

func valueAt(m map[string]any, path []string) any {
	var v any = m
	for _, p := range path {
		rec, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = rec[p]
	}
	return v
}

// DAO is an entity a plugin adds (its daos.lua): the store keeps it per
// workspace or control plane, the Admin API serves it top-level and under
// its consumer.
type DAO struct {
	Schema *kongschema.EntitySchema
	// AdminAPIName is its collection's path ("key-auths"); the DAO's name
	// when empty.
	AdminAPIName string
	// NestedName is its path under a consumer ("key-auth");
	// AdminAPIName when empty.
	NestedName string
	// CacheKey lists fields unique together (acls: consumer and group);
	// single unique fields are marked in the schema.
	CacheKey []string
	// NestedKey, when set, is the field a path under a consumer may name
	// one of its entities by instead of the id (acls: the group, as
	// kong/plugins/acl/api.lua does); a PUT by it creates the entity.
	NestedKey string
	// TTL marks entities that may expire (key-auth's, ttl = true): a
	// write may carry "ttl" seconds and reads report the seconds left.
	TTL bool
	// OnWrite is the DAO's on_write transformation: it gets the entity
	// about to be saved and the fields the write sent, and may change the
	// entity (basic-auth hashes the password).
	OnWrite func(e, sent map[string]any)
}

// Name is the DAO's name ("keyauth_credentials").
func (d *DAO) Name() string { return d.Schema.Name() }

// Path is its collection's Admin API path segment.
func (d *DAO) Path() string {
	if d.AdminAPIName != "" {
		return d.AdminAPIName
	}
	return d.Name()
}

// Nested is its path segment under /consumers/{consumer}.
func (d *DAO) Nested() string {
	if d.NestedName != "" {
		return d.NestedName
	}
	return d.Path()
}

// Handler is a plugin's handler.lua: the phases it runs in, each nil when
// it does not run in that phase. The proxy calls them for every plugin
// instance that applies to a request, by decreasing priority.
type Handler struct {
	// Access runs before the request is proxied: authenticate, limit,
	// rewrite the request, or answer with Context.Exit.
	Access func(c *Context, in *Instance)
	// HeaderFilter runs once the response's status and headers are known
	// (the upstream's, or an exit's): it may change them.
	HeaderFilter func(c *Context, in *Instance)
	// BodyFilter runs on the response body (all of it: localkong buffers
	// what Kong streams in chunks): it may replace Response.Body.
	BodyFilter func(c *Context, in *Instance)
	// Log runs after the response is sent.
	Log func(c *Context, in *Instance)
}

// Instance is one configured plugin (a row of /plugins) as the proxy runs
// it.
type Instance struct {
	ID   string
	Name string
	// Config is its stored config, every default filled in (JSON form).
	Config map[string]any
	// Route, Service and Consumer are the ids it is scoped to, "" for
	// none.
	Route, Service, Consumer string
}
