package proxy

import (
	"sort"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Plugins is where the proxy finds the plugins it runs: the plugins of the
// Kong played (handlers and priorities) and, per namespace, the plugins
// configured and the consumers and credentials they look up.
type Plugins struct {
	Set *plugins.Set
	// Configured lists a namespace's enabled plugins (store.EnabledPlugins).
	Configured func(ns string) []map[string]any
	// Lookups reads a namespace's consumers and credentials (store.Lookups).
	Lookups func(ns string) pdk.Lookup
	// Global is the namespace whose global plugins see the requests no
	// route matched (Kong's default workspace); "" for none.
	Global string
}

// StorePlugins is Plugins over a store.
func StorePlugins(set *plugins.Set, s *store.Store, global string) *Plugins {
	return &Plugins{Set: set, Configured: s.EnabledPlugins, Lookups: s.Lookups, Global: global}
}

// runner is one plugin with phase handlers, as Kong's loaded plugins list
// it: by decreasing priority, then by decreasing name
// (kong/db/dao/plugins.lua sort_by_handler_priority).
type runner struct {
	name    string
	handler *pdk.Handler
	// downstream: it runs in header_filter, body_filter or log, so it is
	// collected in access for those phases.
	downstream bool
}

// newRunners makes the set's handlers, once per proxy: what a handler
// keeps (rate-limiting's counters) lives as long as the server.
func newRunners(set *plugins.Set) []runner {
	if set == nil {
		return nil
	}
	type ranked struct {
		runner
		priority int
	}
	var rs []ranked
	for _, name := range set.Names() {
		e := set.Get(name)
		if e.Handler == nil {
			continue
		}
		h := e.Handler(set.Gateway())
		rs = append(rs, ranked{runner{name: name, handler: h,
			downstream: h.HeaderFilter != nil || h.BodyFilter != nil || h.Log != nil}, e.Priority})
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].priority != rs[j].priority {
			return rs[i].priority > rs[j].priority
		}
		return rs[i].name > rs[j].name
	})
	out := make([]runner, len(rs))
	for i, r := range rs {
		out[i] = r.runner
	}
	return out
}

// step is a plugin instance collected for the downstream phases.
type step struct {
	*runner
	in *pdk.Instance
}

// run is the plugins of one request: Kong's plugins iterator
// (kong/runloop/plugins_iterator.lua) over the namespace's configured
// plugins.
type run struct {
	c *pdk.Context
	// combos holds each plugin's instances by compound key
	// "route:service:consumer" (ids, "" for none).
	combos map[string]map[string]*pdk.Instance
	// collected are the instances the downstream phases run, in order.
	collected []step
	// buffered: a collected instance filters the body, so the upstream's
	// is read whole first.
	buffered bool
	// unexpected: a handler failed in access (ctx.KONG_UNEXPECTED), the
	// response's source is "error".
	unexpected bool
}

// newRun reads the plugins configured in namespace ns. A plugin is
// skipped unless enabled (Configured lists only those) and one of its
// protocols is served by the http subsystem (should_process_plugin).
func (p *proxy) newRun(c *pdk.Context, ns string) *run {
	rn := &run{c: c, combos: map[string]map[string]*pdk.Instance{}}
	if p.plugins == nil || len(p.runners) == 0 || ns == "" {
		return rn
	}
	c.Store = p.plugins.Lookups(ns)
	for _, e := range p.plugins.Configured(ns) {
		if !httpProtocols(e["protocols"]) {
			continue
		}
		in := &pdk.Instance{
			ID:       entString(e["id"]),
			Name:     entString(e["name"]),
			Route:    store.RefID(e["route"]),
			Service:  store.RefID(e["service"]),
			Consumer: store.RefID(e["consumer"]),
		}
		in.Config, _ = e["config"].(map[string]any)
		byKey := rn.combos[in.Name]
		if byKey == nil {
			byKey = map[string]*pdk.Instance{}
			rn.combos[in.Name] = byKey
		}
		byKey[compoundKey(in.Route, in.Service, in.Consumer)] = in
	}
	return rn
}

func httpProtocols(v any) bool {
	for _, p := range entStrings(v) {
		if kongschema.ProtocolSubsystem(p) == "http" {
			return true
		}
	}
	return false
}

func compoundKey(route, service, consumer string) string {
	return route + ":" + service + ":" + consumer
}

// lookup is lookup_cfg: the instance of the most specific scope that
// matches, route+service+consumer first and global last; a scope naming
// an id the request does not have is not tried.
func lookup(combos map[string]*pdk.Instance, route, service, consumer string) *pdk.Instance {
	try := func(ok bool, r, s, c string) *pdk.Instance {
		if !ok {
			return nil
		}
		return combos[compoundKey(r, s, c)]
	}
	r, s, c := route != "", service != "", consumer != ""
	for _, in := range []func() *pdk.Instance{
		func() *pdk.Instance { return try(r && s && c, route, service, consumer) },
		func() *pdk.Instance { return try(r && c, route, "", consumer) },
		func() *pdk.Instance { return try(s && c, "", service, consumer) },
		func() *pdk.Instance { return try(r && s, route, service, "") },
		func() *pdk.Instance { return try(c, "", "", consumer) },
		func() *pdk.Instance { return try(r, route, "", "") },
		func() *pdk.Instance { return try(s, "", service, "") },
	} {
		if got := in(); got != nil {
			return got
		}
	}
	return combos[compoundKey("", "", "")]
}

// access runs the access phase: each plugin with a configuration for this
// request, by priority, looked up when its turn comes (so that a consumer
// an authentication plugin found selects the consumer's configurations
// of the plugins after it). Once a handler exits, the others are still
// collected for the downstream phases but their access handlers do not
// run (execute_collecting_plugins_iterator).
func (rn *run) access(runners []runner, route, service string) {
	for i := range runners {
		r := &runners[i]
		combos := rn.combos[r.name]
		if combos == nil {
			continue
		}
		var consumer string
		if cs := rn.c.Consumer(); cs != nil {
			consumer = entString(cs["id"])
		}
		in := lookup(combos, route, service, consumer)
		if in == nil {
			continue
		}
		if r.downstream {
			rn.collected = append(rn.collected, step{r, in})
			rn.buffered = rn.buffered || r.handler.BodyFilter != nil
		}
		if r.handler.Access != nil && rn.c.Exited() == nil {
			rn.call(r.handler.Access, in, true)
		}
	}
}

// globals collects the global plugins, for a request answered before
// access (no route, a protocol refused): Kong then runs the global
// plugins' downstream phases only.
func (rn *run) globals(runners []runner) {
	for i := range runners {
		r := &runners[i]
		if !r.downstream {
			continue
		}
		if in := rn.combos[r.name][compoundKey("", "", "")]; in != nil {
			rn.collected = append(rn.collected, step{r, in})
			rn.buffered = rn.buffered || r.handler.BodyFilter != nil
		}
	}
}

// phase runs one downstream phase over the collected instances.
func (rn *run) phase(pick func(*pdk.Handler) func(*pdk.Context, *pdk.Instance)) {
	for _, s := range rn.collected {
		if fn := pick(s.handler); fn != nil {
			rn.call(fn, s.in, false)
		}
	}
}

func headerFilter(h *pdk.Handler) func(*pdk.Context, *pdk.Instance) { return h.HeaderFilter }
func bodyFilter(h *pdk.Handler) func(*pdk.Context, *pdk.Instance)   { return h.BodyFilter }
func logPhase(h *pdk.Handler) func(*pdk.Context, *pdk.Instance)     { return h.Log }

// call runs one handler. A handler that fails in access answers 500 as
// Kong does for a plugin's runtime error; later phases only log it.
func (rn *run) call(fn func(*pdk.Context, *pdk.Instance), in *pdk.Instance, access bool) {
	defer func() {
		if v := recover(); v != nil {
			if access {
				rn.c.Error(500, "An unexpected error occurred", nil)
				rn.unexpected = true
			}
		}
	}()
	fn(rn.c, in)
}
