// Package store holds localkong's entities in memory, per namespace (a Kong
// workspace or a Konnect control plane), with the database's rules around
// them that kongschema, being pure, cannot check: primary keys, unique
// fields, foreign keys, what blocks a delete, list pages and tags. It is
// Kong's kong/db (DAO, Postgres strategy, kong/db/errors.lua) in Go; the
// HTTP handlers live in ../admin and ../konnect.
package store

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Store holds every entity in memory. Stored entity maps are never mutated
// once saved (writes replace them), so readers may encode them after
// releasing the lock and the proxy may keep them.
type Store struct {
	rules   *kongschema.Rules // of the Kong version localkong plays
	plugins Plugins
	// kinds are every collection kept, the plugins' entities (daos)
	// included.
	kinds  []*Kind
	daos   []DAOKind
	mu     sync.RWMutex
	spaces map[string]*Space // by namespace key, see WorkspaceNS / ControlPlaneNS
	gen    uint64            // bumped on every service or route write
	// proxied, when set, is the one namespace the proxy routes (a Konnect
	// data plane belongs to one control plane); empty routes them all.
	proxied string
	// removed are told of every delete, under the write lock (OnRemove).
	removed []func(sp *Space, k *Kind, e map[string]any)

	cacheMu  sync.Mutex
	cacheGen uint64
	cache    []RouteEntry
	cached   bool
}

// Space is one isolated namespace: a Kong workspace or a Konnect control plane.
type Space struct {
	label string // workspace name (or control-plane id) for metrics
	group string // scope of SNI uniqueness: all workspaces share one
	ws    map[string]any
	tabs  map[string]*table
}

// table is one entity collection of a space.
type table struct {
	rows    map[string]map[string]any    // by id
	index   map[string]map[string]string // unique field → value → id
	expires map[string]float64           // by id: when it expires (ttl kinds)
}

// DefaultWorkspace is the workspace every Kong node has.
const DefaultWorkspace = "default"

// WorkspaceNS is the namespace key of a Kong workspace.
func WorkspaceNS(name string) string { return "ws:" + name }

// ControlPlaneNS is the namespace key of a Konnect control plane. Its id
// is a UUID, which Konnect takes in either case: one control plane,
// whatever the case of the URL naming it.
func ControlPlaneNS(id string) string { return "cp:" + lowerID(id) }

// coreKinds are the collections every store keeps, in the order GET /tags
// walks them.
var coreKinds = []*Kind{Services, Routes, Certificates, CACertificates, Consumers, PluginsKind}

// New returns a store holding the default workspace, checking entities
// with the rules of the Kong version localkong plays and its plugins (nil
// for none).
func New(rules *kongschema.Rules, plugins Plugins) *Store {
	if plugins == nil {
		plugins = noPlugins{}
	}
	s := &Store{rules: rules, plugins: plugins, spaces: map[string]*Space{}}
	s.kinds = append(s.kinds, coreKinds...)
	for _, d := range plugins.DAOs() {
		k := daoKind(d)
		s.kinds = append(s.kinds, k)
		s.daos = append(s.daos, DAOKind{Kind: k, Path: d.Path(), Nested: d.Nested(), NestedKey: d.NestedKey})
	}
	s.addSpace(WorkspaceNS(DefaultWorkspace), DefaultWorkspace, "kong", WorkspaceEntity(uuid.NewString(), DefaultWorkspace))
	return s
}

// SetProxied makes the proxy route only the namespace ns (a Konnect data
// plane belongs to one control plane); "" routes them all. Call it before
// serving.
func (s *Store) SetProxied(ns string) { s.proxied = ns }

// OnRemove registers fn to be told of every entity deleted, under the
// write lock, so that what hangs off an entity outside the store (the
// Konnect catalog's links) goes in the same step. Call it before serving.
func (s *Store) OnRemove(fn func(sp *Space, k *Kind, e map[string]any)) {
	s.removed = append(s.removed, fn)
}

func (s *Store) addSpace(key, label, group string, ws map[string]any) *Space {
	sp := &Space{label: label, group: group, ws: ws, tabs: map[string]*table{}}
	s.spaces[key] = sp
	return sp
}

// Locked runs fn under the store's write lock, or its read lock.
func (s *Store) Locked(write bool, fn func()) {
	if write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	fn()
}

// Lookup finds a namespace. Control planes spring into existence on first
// write and read as empty before that; workspaces must have been created.
// Caller holds the lock (the write lock when write).
func (s *Store) Lookup(ns string, write bool) *Space {
	if sp, ok := s.spaces[ns]; ok {
		return sp
	}
	if id, ok := strings.CutPrefix(ns, "cp:"); ok {
		if write {
			return s.controlPlane(id)
		}
		return &Space{label: id, group: ns}
	}
	return nil
}

// Namespace returns the namespace ns if it exists, else nil. Caller holds
// the lock.
func (s *Store) Namespace(ns string) *Space { return s.spaces[ns] }

// ControlPlane returns the id of the Konnect control plane sp is, if it is one.
func (sp *Space) ControlPlane() (string, bool) { return strings.CutPrefix(sp.group, "cp:") }

// controlPlane returns the namespace of a Konnect control plane, creating it
// on first use: each id is its own world. Caller holds the write lock.
func (s *Store) controlPlane(id string) *Space {
	key := ControlPlaneNS(id)
	if sp, ok := s.spaces[key]; ok {
		return sp
	}
	return s.addSpace(key, id, key, nil)
}

func (sp *Space) table(kind string) *table {
	t, ok := sp.tabs[kind]
	if !ok {
		t = &table{rows: map[string]map[string]any{}, index: map[string]map[string]string{}}
		sp.tabs[kind] = t
	}
	return t
}

// Get returns the entity of kind k with this id, or nil.
func (sp *Space) Get(k *Kind, id string) map[string]any { return sp.get(k.name, id) }

// Rows returns the entities of kind k ordered by id, as Postgres pages them.
func (sp *Space) Rows(k *Kind) []map[string]any { return sp.sorted(k.name) }

func (sp *Space) get(kind, id string) map[string]any {
	if t, ok := sp.tabs[kind]; ok && !t.expired(id) {
		return t.rows[id]
	}
	return nil
}

func (sp *Space) byField(kind, field, value string) map[string]any {
	t, ok := sp.tabs[kind]
	if !ok {
		return nil
	}
	if id, ok := t.index[field][value]; ok && !t.expired(id) {
		return t.rows[id]
	}
	return nil
}

// put stores e (which must carry an id), keeping the unique indexes right.
// old is the row e replaces, possibly under another id.
func (sp *Space) put(k *Kind, e, old map[string]any) {
	t := sp.table(k.name)
	if old != nil {
		sp.remove(k, old)
	}
	id := e["id"].(string)
	t.rows[id] = e
	for _, f := range k.unique {
		if v, ok := e[f].(string); ok {
			if t.index[f] == nil {
				t.index[f] = map[string]string{}
			}
			t.index[f][v] = id
		}
	}
}

func (sp *Space) remove(k *Kind, e map[string]any) {
	t := sp.table(k.name)
	id, _ := e["id"].(string)
	delete(t.rows, id)
	delete(t.expires, id)
	for _, f := range k.unique {
		if v, ok := e[f].(string); ok && t.index[f][v] == id {
			delete(t.index[f], v)
		}
	}
}

// sorted returns the rows of a kind ordered by id, as Postgres pages them.
func (sp *Space) sorted(kind string) []map[string]any {
	t, ok := sp.tabs[kind]
	if !ok {
		return nil
	}
	out := make([]map[string]any, 0, len(t.rows))
	for id, e := range t.rows {
		if !t.expired(id) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["id"].(string) < out[j]["id"].(string) })
	return out
}

func (sp *Space) count() int {
	n := 0
	for _, t := range sp.tabs {
		n += len(t.rows)
	}
	return n
}

// touched records a write of the given kind; the proxy recompiles its
// router when the generation moves. Caller holds the write lock.
func (s *Store) touched(k *Kind) {
	if k.routing {
		s.gen++
	}
}

// RouteEntry is one route as the proxy sees it: canonical entities exactly as
// the Admin API returns them (JSON form: float64 numbers, []any, nil for null).
type RouteEntry struct {
	Workspace string
	// NS is the route's namespace key, for EnabledPlugins and Lookups.
	NS      string
	Route   map[string]any
	Service map[string]any // nil when the route has no service
}

// RouteSource hands the proxy every route of every namespace joined with its
// service, and a generation that changes whenever any service or route
// changes. The snapshot is rebuilt only when the generation has moved.
func (s *Store) RouteSource() (uint64, []RouteEntry) {
	s.mu.RLock()
	gen := s.gen
	s.cacheMu.Lock()
	if s.cached && s.cacheGen == gen {
		entries := s.cache
		s.cacheMu.Unlock()
		s.mu.RUnlock()
		return gen, entries
	}
	s.cacheMu.Unlock()

	var entries []RouteEntry
	keys := make([]string, 0, len(s.spaces))
	for k := range s.spaces {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		sp := s.spaces[key]
		if s.proxied != "" && key != s.proxied {
			continue
		}
		for _, r := range sp.sorted(entRoutes) {
			var svc map[string]any
			if id := RefID(r["service"]); id != "" {
				svc = sp.get(entServices, id)
			}
			entries = append(entries, RouteEntry{Workspace: sp.label, NS: key, Route: r, Service: svc})
		}
	}
	s.mu.RUnlock()

	s.cacheMu.Lock()
	s.cache, s.cacheGen, s.cached = entries, gen, true
	s.cacheMu.Unlock()
	return gen, entries
}

// Present is e, a stored entity of kind k, as the Admin API returns it.
// Caller holds the lock.
func (s *Store) Present(sp *Space, k *Kind, e map[string]any) map[string]any {
	if k.present == nil || e == nil {
		return e
	}
	return k.present(s, sp, k, e)
}

// RefID returns the id of a foreign reference ({"id":…}) or "".
func RefID(v any) string {
	if m, ok := v.(map[string]any); ok {
		if id, ok := m["id"].(string); ok {
			return id
		}
	}
	return ""
}

func now() float64 { return float64(time.Now().Unix()) }

// IsUUID reports whether s is a UUID in Kong's sense (case-insensitive
// 8-4-4-4-12 hex).
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func lowerID(s string) string { return strings.ToLower(s) }

// WorkspaceEntity is a new workspace as Kong returns it.
func WorkspaceEntity(id, name string) map[string]any {
	ts := now()
	return map[string]any{
		"id":         id,
		"name":       name,
		"comment":    nil,
		"created_at": ts,
		"updated_at": ts,
		"meta":       map[string]any{},
		"config":     map[string]any{},
	}
}
