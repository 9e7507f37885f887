package localkong

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// store holds every entity in memory. Stored entity maps are never mutated
// once saved (writes replace them), so readers may encode them after
// releasing the lock and the proxy may keep them.
type store struct {
	rules  *kongschema.Rules // of the Kong version localkong plays
	mu     sync.RWMutex
	spaces map[string]*space // by namespace key, see nsWorkspace / nsControlPlane
	gen    uint64            // bumped on every service or route write
	// catalog is Konnect's API Catalog (konnect_catalog.go).
	catalog *catalog
	// proxied, when set, is the one namespace the proxy routes (a Konnect
	// data plane belongs to one control plane); empty routes them all.
	proxied string

	cacheMu  sync.Mutex
	cacheGen uint64
	cache    []routeEntry
	cached   bool
}

// space is one isolated namespace: a Kong workspace or a Konnect control plane.
type space struct {
	label string // workspace name (or control-plane id) for metrics
	group string // scope of SNI uniqueness: all workspaces share one
	ws    map[string]any
	tabs  map[string]*table
}

// table is one entity collection of a space.
type table struct {
	rows  map[string]map[string]any    // by id
	index map[string]map[string]string // unique field → value → id
}

const defaultWorkspace = "default"

func nsWorkspace(name string) string  { return "ws:" + name }
func nsControlPlane(id string) string { return "cp:" + id }

func newStore(rules *kongschema.Rules) *store {
	s := &store{rules: rules, spaces: map[string]*space{}, catalog: newCatalog()}
	s.addSpace(nsWorkspace(defaultWorkspace), defaultWorkspace, "kong", workspaceEntity(uuid.NewString(), defaultWorkspace))
	return s
}

func (s *store) addSpace(key, label, group string, ws map[string]any) *space {
	sp := &space{label: label, group: group, ws: ws, tabs: map[string]*table{}}
	s.spaces[key] = sp
	return sp
}

// controlPlane returns the namespace of a Konnect control plane, creating it
// on first use: each id is its own world. Caller holds the write lock.
func (s *store) controlPlane(id string) *space {
	key := nsControlPlane(id)
	if sp, ok := s.spaces[key]; ok {
		return sp
	}
	return s.addSpace(key, id, key, nil)
}

func (sp *space) table(kind string) *table {
	t, ok := sp.tabs[kind]
	if !ok {
		t = &table{rows: map[string]map[string]any{}, index: map[string]map[string]string{}}
		sp.tabs[kind] = t
	}
	return t
}

func (sp *space) get(kind, id string) map[string]any {
	if t, ok := sp.tabs[kind]; ok {
		return t.rows[id]
	}
	return nil
}

func (sp *space) byField(kind, field, value string) map[string]any {
	t, ok := sp.tabs[kind]
	if !ok {
		return nil
	}
	if id, ok := t.index[field][value]; ok {
		return t.rows[id]
	}
	return nil
}

// put stores e (which must carry an id), keeping the unique indexes right.
// old is the row e replaces, possibly under another id.
func (sp *space) put(k *kind, e, old map[string]any) {
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

func (sp *space) remove(k *kind, e map[string]any) {
	t := sp.table(k.name)
	id, _ := e["id"].(string)
	delete(t.rows, id)
	for _, f := range k.unique {
		if v, ok := e[f].(string); ok && t.index[f][v] == id {
			delete(t.index[f], v)
		}
	}
}

// sorted returns the rows of a kind ordered by id, as Postgres pages them.
func (sp *space) sorted(kind string) []map[string]any {
	t, ok := sp.tabs[kind]
	if !ok {
		return nil
	}
	out := make([]map[string]any, 0, len(t.rows))
	for _, e := range t.rows {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["id"].(string) < out[j]["id"].(string) })
	return out
}

func (sp *space) count() int {
	n := 0
	for _, t := range sp.tabs {
		n += len(t.rows)
	}
	return n
}

// touched records a write of the given kind; the proxy recompiles its
// router when the generation moves. Caller holds the write lock.
func (s *store) touched(k *kind) {
	if k.routing {
		s.gen++
	}
}

// routeSource hands the proxy every route of every namespace joined with its
// service. The snapshot is rebuilt only when the generation has moved.
func (s *store) routeSource() (uint64, []routeEntry) {
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

	var entries []routeEntry
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
			if id := refID(r["service"]); id != "" {
				svc = sp.get(entServices, id)
			}
			entries = append(entries, routeEntry{Workspace: sp.label, Route: r, Service: svc})
		}
	}
	s.mu.RUnlock()

	s.cacheMu.Lock()
	s.cache, s.cacheGen, s.cached = entries, gen, true
	s.cacheMu.Unlock()
	return gen, entries
}

// refID returns the id of a foreign reference ({"id":…}) or "".
func refID(v any) string {
	if m, ok := v.(map[string]any); ok {
		if id, ok := m["id"].(string); ok {
			return id
		}
	}
	return ""
}

func now() float64 { return float64(time.Now().Unix()) }

// isUUID reports whether s is a UUID in Kong's sense (case-insensitive
// 8-4-4-4-12 hex).
func isUUID(s string) bool {
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

func workspaceEntity(id, name string) map[string]any {
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
