package servicehub

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/agext/levenshtein"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Plugins manages the plugins on implementations and their routes in one
// runtime group, and reads plugin schemas from it.
type Plugins struct {
	api  *kongapi.Client
	kong pluginStore

	mu      sync.Mutex
	schemas map[string]*schemaRead // by plugin name, for the run
	enabled *enabledRead
}

// pluginStore is where plugins are read and written: Kong itself or the
// refresh cache.
type pluginStore interface {
	GetPlugin(ctx context.Context, idOrName string) (*kong.Plugin, error)
	PutPlugin(ctx context.Context, p *kong.Plugin) (*kong.Plugin, error)
	DeletePlugin(ctx context.Context, id string) error
}

// NewPlugins returns the plugins of the runtime group api talks to; every
// call goes to Kong.
func NewPlugins(api *kongapi.Client) *Plugins {
	return &Plugins{api: api, kong: api, schemas: map[string]*schemaRead{}}
}

// NewCachedPlugins is NewPlugins reading through a refresh cache.
func NewCachedPlugins(cache *kongapi.Cache) *Plugins {
	return &Plugins{api: cache.API(), kong: cache, schemas: map[string]*schemaRead{}}
}

// Plugin is a plugin as Kong holds it. Its Tags are the user's own: the
// provider's (the create token) are added on write and removed on read.
type Plugin struct {
	Kong kong.Plugin
	// Token is the token of the create that made the plugin, kept on it as
	// the tag servicehub:create=<token>; "" for one made without it.
	Token string
}

// ID is the plugin's id.
func (p Plugin) ID() string { return str(p.Kong.ID) }

// Name is Kong's plugin name, e.g. "rate-limiting".
func (p Plugin) Name() string { return str(p.Kong.Name) }

// Scope says what the plugin is on: ("services", id) for an
// implementation's Gateway Service, ("routes", id) for a route, ("", "")
// for neither (global, or on a consumer only).
func (p Plugin) Scope() (kind, id string) { return pluginScope(&p.Kong) }

func pluginScope(p *kong.Plugin) (kind, id string) {
	switch {
	case p.Route != nil && p.Route.ID != nil:
		return "routes", *p.Route.ID
	case p.Service != nil && p.Service.ID != nil:
		return "services", *p.Service.ID
	}
	return "", ""
}

// pluginToKong is the body of a write: the plugin with the create token
// among its tags.
func pluginToKong(p Plugin) *kong.Plugin {
	k := p.Kong.DeepCopy()
	tags := make([]string, 0, len(k.Tags)+1)
	for _, t := range strs(k.Tags) {
		if !IsOwnTag(t) {
			tags = append(tags, t)
		}
	}
	if p.Token != "" {
		tags = append(tags, createTagPrefix+p.Token)
	}
	k.Tags = kong.StringSlice(tags...)
	return k
}

// pluginFromKong reads a plugin back: the provider's tags apart.
func pluginFromKong(k *kong.Plugin) Plugin {
	p := Plugin{Kong: *k.DeepCopy()}
	var user []string
	for _, t := range strs(k.Tags) {
		switch {
		case strings.HasPrefix(t, createTagPrefix):
			p.Token = strings.TrimPrefix(t, createTagPrefix)
		case !IsOwnTag(t):
			user = append(user, t)
		}
	}
	p.Kong.Tags = kong.StringSlice(user...)
	return p
}

// MarkOfPlugin is the mark (owner.go) a plugin carries in Kong.
func MarkOfPlugin(p Plugin) Mark {
	m := Mark{Token: p.Token}
	if p.Kong.CreatedAt != nil {
		m.CreatedAt = int64(*p.Kong.CreatedAt)
	}
	return m
}

// OwnsPlugin is Owns for a plugin: one carrying a create token is ours
// exactly when it is our token; one without, when its created_at is the
// one recorded.
func (m Mark) OwnsPlugin(cur Plugin) bool {
	if cur.Token != "" {
		return cur.Token == m.Token
	}
	return m.CreatedAt != 0 && cur.Kong.CreatedAt != nil && int64(*cur.Kong.CreatedAt) == m.CreatedAt
}

// AdoptPlugin is Adopt for a plugin.
func (m Mark) AdoptPlugin(cur Plugin) Mark {
	n := MarkOfPlugin(cur)
	if n.Token == "" {
		n.Token = m.Token
	}
	return n
}

// PluginTakenError: the implementation or route already has a plugin of
// that name. Kong allows one per name and scope (its cache_key: name,
// route, service, consumer), so nothing was written.
type PluginTakenError struct {
	Name      string
	ScopeKind string // "services" or "routes"
	ScopeID   string
	// Existing is the plugin already there; nil when it could not be
	// looked up.
	Existing *kong.Plugin
	Err      error
}

func (e *PluginTakenError) Error() string {
	on := "implementation (Gateway Service)"
	if e.ScopeKind == "routes" {
		on = "route"
	}
	msg := fmt.Sprintf("the %s %s already has a %q plugin", on, e.ScopeID, e.Name)
	if e.Existing != nil {
		msg += fmt.Sprintf(" (id %s", str(e.Existing.ID))
		if e.Existing.InstanceName != nil {
			msg += fmt.Sprintf(", instance_name %q", *e.Existing.InstanceName)
		}
		msg += ")"
	}
	return msg
}

func (e *PluginTakenError) Unwrap() error { return e.Err }

// Create records a new plugin with one PUT under a fresh id, tagged with a
// create token, so a retried request replaces its own first attempt and
// never makes two. A second plugin of the same name on the same
// implementation or route is a *PluginTakenError naming the first. A
// create whose outcome could not be learnt is settled by looking the id
// up; when that fails too, an *UnsettledError.
func (s *Plugins) Create(ctx context.Context, p Plugin) (Plugin, error) {
	p.Kong.ID = kong.String(kongapi.NewID())
	p.Kong.CreatedAt = nil
	p.Token = kongapi.NewID()
	out, err := s.put(ctx, p)
	if err == nil {
		return out, nil
	}
	var ue *kongapi.UnconfirmedError
	if !errors.As(err, &ue) {
		return Plugin{}, err
	}
	found, serr := settle(ctx, err, "Plugin", s.Get)
	var unsettled *UnsettledError
	if errors.As(serr, &unsettled) {
		unsettled.Token = p.Token
	}
	if serr == nil && found.Token != p.Token {
		// Nothing but this create knows the id: a plugin there without
		// its token was written over by someone else since.
		return Plugin{}, fmt.Errorf("%w\n\nThe plugin at id %s does not carry this create's token: it was replaced outside Terraform after the create", err, p.ID())
	}
	return found, serr
}

// Update replaces the plugin in full (PUT /plugins/{id}): what p leaves
// unset returns to Kong's default, its config included. The create token
// and created_at recorded in mark are sent back, so the plugin stays
// recognisably the one its create made.
func (s *Plugins) Update(ctx context.Context, p Plugin, mark Mark) (Plugin, error) {
	if p.ID() == "" {
		return Plugin{}, fmt.Errorf("update of plugin %q without an id", p.Name())
	}
	p.Token = mark.Token
	p.Kong.CreatedAt = nil
	if mark.CreatedAt != 0 {
		p.Kong.CreatedAt = kong.Int(int(mark.CreatedAt))
	}
	return s.put(ctx, p)
}

// Get fetches a plugin by id or instance name. A missing one gives an
// error for which IsNotFound is true.
func (s *Plugins) Get(ctx context.Context, idOrName string) (Plugin, error) {
	k, err := s.kong.GetPlugin(ctx, idOrName)
	if err != nil {
		return Plugin{}, classify(err)
	}
	return pluginFromKong(k), nil
}

// Delete removes a plugin; gone already is fine.
func (s *Plugins) Delete(ctx context.Context, id string) error {
	return classify(s.kong.DeletePlugin(ctx, id))
}

// On lists the plugins on a Gateway Service ("services") or a Route
// ("routes"), sorted by name, read from Kong.
func (s *Plugins) On(ctx context.Context, kind, id string) ([]Plugin, error) {
	ks, err := s.api.ListPluginsOn(ctx, kind, id)
	if err != nil {
		return nil, classify(err)
	}
	out := make([]Plugin, 0, len(ks))
	for _, k := range ks {
		out = append(out, pluginFromKong(k))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name() != out[j].Name() {
			return out[i].Name() < out[j].Name()
		}
		return out[i].ID() < out[j].ID()
	})
	return out, nil
}

func (s *Plugins) put(ctx context.Context, p Plugin) (Plugin, error) {
	out, err := s.kong.PutPlugin(ctx, pluginToKong(p))
	if kongapi.IsUniqueViolation(err) {
		return Plugin{}, s.taken(ctx, p, err)
	}
	if err != nil {
		return Plugin{}, classify(err)
	}
	return pluginFromKong(out), nil
}

// taken names the plugin that holds p's name on p's scope.
func (s *Plugins) taken(ctx context.Context, p Plugin, err error) error {
	kind, id := p.Scope()
	e := &PluginTakenError{Name: p.Name(), ScopeKind: kind, ScopeID: id, Err: err}
	if kind == "" {
		return e
	}
	others, lerr := s.api.ListPluginsOn(ctx, kind, id)
	if lerr != nil {
		return e
	}
	for _, o := range others {
		if str(o.Name) == p.Name() && str(o.ID) != p.ID() && (o.Consumer == nil || o.Consumer.ID == nil) {
			if k, _ := pluginScope(o); k == kind {
				e.Existing = o
				break
			}
		}
	}
	return e
}

// UnknownPluginError: the runtime group has no plugin of that name. Closest
// are the enabled plugins whose names are nearest, best first; empty when
// the runtime group does not list them (Konnect).
type UnknownPluginError struct {
	Name    string
	Closest []string
	Err     error
}

func (e *UnknownPluginError) Error() string {
	msg := fmt.Sprintf("the runtime group has no plugin named %q", e.Name)
	if len(e.Closest) > 0 {
		msg += fmt.Sprintf("; the closest enabled plugins are %s", quoteJoin(e.Closest))
	}
	return msg
}

func (e *UnknownPluginError) Unwrap() error { return e.Err }

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// PluginSchema is a plugin's schema as the runtime group serves it: parsed
// for validation (Schema) and as sent, for go-kong's default filling.
type PluginSchema struct {
	*kongschema.PluginSchema
	doc kong.Schema
}

type schemaRead struct {
	done chan struct{}
	ps   *PluginSchema
	err  error
}

type enabledRead struct {
	done  chan struct{}
	names []string
	err   error
}

// Schema returns a plugin's schema from GET /schemas/plugins/{name}, read
// once per name per run (concurrent callers share the read; a failure that
// says nothing about the plugin, such as an interrupted run, is not kept).
// A name the runtime group does not have is an *UnknownPluginError.
func (s *Plugins) Schema(ctx context.Context, name string) (*PluginSchema, error) {
	s.mu.Lock()
	r, ok := s.schemas[name]
	if ok {
		s.mu.Unlock()
		select {
		case <-r.done:
			return r.ps, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	r = &schemaRead{done: make(chan struct{})}
	s.schemas[name] = r
	s.mu.Unlock()
	r.ps, r.err = s.readSchema(ctx, name)
	if r.err != nil && ctx.Err() != nil {
		s.mu.Lock()
		delete(s.schemas, name)
		s.mu.Unlock()
	}
	close(r.done)
	return r.ps, r.err
}

func (s *Plugins) readSchema(ctx context.Context, name string) (*PluginSchema, error) {
	doc, err := s.api.PluginSchema(ctx, name)
	if kongapi.IsNotFound(err) {
		closest, _ := s.closest(ctx, name)
		return nil, &UnknownPluginError{Name: name, Closest: closest, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("reading the schema of plugin %q: %w", name, classify(err))
	}
	ps, err := kongschema.ParsePluginSchema(name, doc)
	if err != nil {
		return nil, err
	}
	raw, err := decodeSchema(doc)
	if err != nil {
		return nil, err
	}
	return &PluginSchema{PluginSchema: ps, doc: raw}, nil
}

// closest names up to three enabled plugins nearest to name.
func (s *Plugins) closest(ctx context.Context, name string) ([]string, error) {
	s.mu.Lock()
	r := s.enabled
	if r == nil {
		r = &enabledRead{done: make(chan struct{})}
		s.enabled = r
		s.mu.Unlock()
		r.names, r.err = s.api.EnabledPlugins(ctx)
		close(r.done)
	} else {
		s.mu.Unlock()
		<-r.done
	}
	if r.err != nil {
		return nil, r.err
	}
	return Closest(name, r.names, 3), nil
}

// Closest returns up to n of names nearest to name by edit distance
// (ties by name), those sharing a word with it first.
func Closest(name string, names []string, n int) []string {
	type scored struct {
		name string
		d    int
	}
	var all []scored
	for _, c := range names {
		d := levenshtein.Distance(name, c, nil)
		if d > (len(name)+1)/2 && !sharesWord(name, c) {
			continue // too far to be what was meant
		}
		all = append(all, scored{c, d})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].name < all[j].name
	})
	out := make([]string, 0, n)
	for _, s := range all {
		if len(out) == n {
			break
		}
		out = append(out, s.name)
	}
	return out
}

// sharesWord: "ratelimit" and "rate-limiting" are related though many
// edits apart.
func sharesWord(a, b string) bool {
	a, b = strings.ReplaceAll(a, "_", "-"), strings.ReplaceAll(b, "_", "-")
	for _, w := range strings.Split(a, "-") {
		if len(w) >= 4 && strings.Contains(b, w) {
			return true
		}
	}
	for _, w := range strings.Split(b, "-") {
		if len(w) >= 4 && strings.Contains(a, w) {
			return true
		}
	}
	return false
}
