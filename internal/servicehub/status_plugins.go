package servicehub

import (
	"context"
	"fmt"
)

// PluginStatus is a plugin on a version's implementation or on one of its
// routes: what Konnect's version overview lists under Plugins.
type PluginStatus struct {
	ID, Name string
	Enabled  bool
	// Scope is "implementation" or "route"; RouteID and RouteName say
	// which route for the latter.
	Scope              string
	RouteID, RouteName string
}

// Plugin scopes, as the version status names them.
const (
	ScopeImplementation = "implementation"
	ScopeRoute          = "route"
)

// pluginsOf lists the plugins on impl and on each of its routes: one
// request for the implementation and one per route. A Gateway Service or
// Route gone since it was listed has none.
func (s *Statuses) pluginsOf(ctx context.Context, impl Implementation, routes []RouteStatus) ([]PluginStatus, error) {
	out := []PluginStatus{}
	add := func(kind, id string, st PluginStatus) error {
		ps, err := s.plugins.On(ctx, kind, id)
		if IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("listing the plugins of %s %q: %w", st.Scope, id, err)
		}
		for _, p := range ps {
			if c := p.Kong.Consumer; c != nil && c.ID != nil {
				continue // on one consumer's requests only: not the version's
			}
			if k, _ := p.Scope(); kind == "services" && k == "routes" {
				continue // on a route, listed with it
			}
			st.ID, st.Name = p.ID(), p.Name()
			st.Enabled = p.Kong.Enabled == nil || *p.Kong.Enabled
			out = append(out, st)
		}
		return nil
	}
	if err := add("services", impl.ID(), PluginStatus{Scope: ScopeImplementation}); err != nil {
		return nil, err
	}
	for _, r := range routes {
		if err := add("routes", r.ID, PluginStatus{Scope: ScopeRoute, RouteID: r.ID, RouteName: r.Name}); err != nil {
			return nil, err
		}
	}
	return out, nil
}
