package admin

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

func (a *API) rootEndpoint() endpoint {
	return endpoint{http.MethodGet: func(rq *request) { rq.send(http.StatusOK, a.rootInfo(rq.ns)) }}
}

// RootInfo is GET / of the default workspace.
func (a *API) RootInfo() map[string]any {
	return a.rootInfo(store.WorkspaceNS(store.DefaultWorkspace))
}

// rootInfo is GET / (spec §9.1): what go-kong reads is version,
// configuration.database and configuration.router_flavor. localkong plays
// a Kong whose "plugins" setting lists the plugins it serves (the
// registry), so that is what it reports as available and loaded, as Kong
// reports its loaded_plugins; enabled_in_cluster are the names configured
// in the workspace.
func (a *API) rootInfo(ns string) map[string]any {
	s := &a.cfg
	available := map[string]any{}
	loaded := map[string]any{}
	names := s.Plugins.Names()
	for _, name := range names {
		// Bundled plugins' VERSION is Kong's own (kong.meta).
		available[name] = map[string]any{"version": s.Version.String(), "priority": s.Plugins.Get(name).Priority}
		loaded[name] = true
	}
	inCluster := anyList(a.store.PluginNames(ns))
	hostname, _ := os.Hostname()
	pid := os.Getpid()
	conf := map[string]any{
		"database":                      "postgres",
		"router_flavor":                 "traditional_compatible",
		"role":                          "traditional",
		"log_level":                     "notice",
		"prefix":                        "/usr/local/kong",
		"admin_listen":                  []any{s.AdminAddr},
		"proxy_listen":                  []any{s.ProxyAddr},
		"status_listen":                 []any{"off"},
		"stream_listen":                 []any{"off"},
		"admin_gui_listen":              []any{"off"},
		"plugins":                       anyList(names),
		"loaded_plugins":                loaded,
		"pg_host":                       "127.0.0.1",
		"pg_port":                       5432,
		"pg_database":                   "kong",
		"pg_user":                       "kong",
		"pg_password":                   "******",
		"pg_ssl":                        false,
		"nginx_worker_processes":        "1",
		"anonymous_reports":             false,
		"headers":                       []any{"server_tokens", "latency_tokens", "x-kong-request-id"},
		"proxy_server":                  nil,
		"upstream_keepalive_pool_size":  512,
		"worker_consistency":            "eventual",
		"worker_state_update_frequency": 5,
		"db_update_frequency":           5,
		"db_cache_ttl":                  0,
		"lua_ssl_trusted_certificate":   []any{"system"},
		"node_id":                       s.NodeID,
	}
	info := map[string]any{
		"tagline":     "Welcome to kong",
		"version":     s.Version.String(),
		"hostname":    hostname,
		"node_id":     s.NodeID,
		"lua_version": "LuaJIT 2.1.0-20231117",
		"timers":      map[string]any{"running": 0, "pending": 1},
		"plugins": map[string]any{
			"available_on_server": available,
			"enabled_in_cluster":  inCluster,
		},
		"configuration": conf,
		"pids":          map[string]any{"master": pid, "workers": []any{pid}},
	}
	// "edition" came with Kong 3.6.0 (Kong/kong commit c014727394).
	if s.Version.AtLeast(kongschema.Version{Major: 3, Minor: 6}) {
		info["edition"] = s.Version.Edition()
	}
	return info
}

// sharedDicts are the lua_shared_dict sizes GET /status reports.
var sharedDicts = []struct {
	name      string
	capacity  float64
	allocated float64
}{
	{"kong", 5 << 20, 40 << 10},
	{"kong_locks", 8 << 20, 60 << 10},
	{"kong_healthchecks", 5 << 20, 40 << 10},
	{"kong_cluster_events", 5 << 20, 40 << 10},
	{"kong_rate_limiting_counters", 12 << 20, 80 << 10},
	{"kong_core_db_cache", 128 << 20, 768 << 10},
	{"kong_core_db_cache_miss", 12 << 20, 84 << 10},
	{"kong_db_cache", 128 << 20, 760 << 10},
	{"kong_db_cache_miss", 12 << 20, 84 << 10},
}

// status is GET /status (spec §9.2), with ?unit= and ?scale=.
func (a *API) status(rq *request) {
	unit := strings.ToLower(rq.query.Get("unit"))
	if unit == "" {
		unit = "m"
	}
	div, suffix := 0.0, ""
	switch unit {
	case "b":
	case "k":
		div, suffix = 1<<10, " KiB"
	case "m":
		div, suffix = 1<<20, " MiB"
	case "g":
		div, suffix = 1<<30, " GiB"
	default:
		rq.fail(store.MessageError(400, fmt.Sprintf("invalid unit '%s' (expected 'k/K', 'm/M', or 'g/G')", rq.query.Get("unit"))))
		return
	}
	scale := 2
	if v, err := strconv.Atoi(rq.query.Get("scale")); err == nil && v >= 0 && v <= 10 {
		scale = v
	}
	size := func(n float64) any {
		if div == 0 {
			return n
		}
		return strconv.FormatFloat(n/div, 'f', scale, 64) + suffix
	}
	dicts := map[string]any{}
	for _, d := range sharedDicts {
		dicts[d.name] = map[string]any{"allocated_slabs": size(d.allocated), "capacity": size(d.capacity)}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	total := a.requests.Load()
	rq.send(http.StatusOK, map[string]any{
		"database": map[string]any{"reachable": true},
		"memory": map[string]any{
			"lua_shared_dicts": dicts,
			"workers_lua_vms":  []any{map[string]any{"http_allocated_gc": size(float64(ms.HeapAlloc)), "pid": os.Getpid()}},
		},
		"server": map[string]any{
			"connections_accepted": total,
			"connections_active":   1,
			"connections_handled":  total,
			"connections_reading":  0,
			"connections_waiting":  0,
			"connections_writing":  1,
			"total_requests":       total,
		},
	})
}
