package konnect

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Konnect's Control Planes API (konnect-control-planes-v2, "Konnect Control
// Planes"): GET /v2/control-planes and GET /v2/control-planes/{id}, read
// only. To localkong every UUID names a control plane, as its
// core-entities API serves any id (a control plane comes into being on its
// first write); GET /v2/control-planes/{id} answers for any of them, and
// the list holds those localkong knows: the one its proxy serves and those
// written to. Every control plane has the cluster type SetClusterType
// gave (Options.ControlPlaneClusterType), CLUSTER_TYPE_CONTROL_PLANE by
// default.

// Cluster types (ControlPlane.config.cluster_type). Konnect keeps the core
// entities of a CLUSTER_TYPE_K8S_INGRESS_CONTROLLER control plane read only
// (the Kong Ingress Controller writes them), and a control plane group's
// come from its members.
const (
	ClusterTypeControlPlane      = "CLUSTER_TYPE_CONTROL_PLANE"
	ClusterTypeIngressController = "CLUSTER_TYPE_K8S_INGRESS_CONTROLLER"
	ClusterTypeGroup             = "CLUSTER_TYPE_CONTROL_PLANE_GROUP"
	ClusterTypeServerless        = "CLUSTER_TYPE_SERVERLESS"
	ClusterTypeEventProxy        = "CLUSTER_TYPE_KAFKA_NATIVE_EVENT_PROXY"
)

// ClusterTypes are the cluster types the document lists, in its order.
var ClusterTypes = []string{ClusterTypeControlPlane, ClusterTypeIngressController, ClusterTypeGroup, ClusterTypeServerless, ClusterTypeEventProxy}

// CheckClusterType checks a cluster type SetClusterType takes; "" is the
// default, CLUSTER_TYPE_CONTROL_PLANE.
func CheckClusterType(t string) error {
	if t == "" || contains(ClusterTypes, t) {
		return nil
	}
	return fmt.Errorf("control plane cluster type %q: want one of %s", t, strings.Join(ClusterTypes, ", "))
}

// servedLabel marks the control plane the proxy serves, so that the list's
// labels filter has something to find.
const servedLabel = "localkong"

// controlPlanes is what the Control Planes API answers from.
type controlPlanes struct {
	store *store.Store
	mu    sync.Mutex
	typ   string
	// served is the control plane the proxy serves ("" when it serves
	// every one), proxy the proxy's address.
	served, proxy string
	seen          map[string]time.Time // first time each id was met
}

func newControlPlanes(st *store.Store) *controlPlanes {
	return &controlPlanes{store: st, typ: ClusterTypeControlPlane, seen: map[string]time.Time{}}
}

// SetClusterType gives every control plane the cluster type t ("" for
// CLUSTER_TYPE_CONTROL_PLANE).
func (pl *Platform) SetClusterType(t string) error {
	if err := CheckClusterType(t); err != nil {
		return err
	}
	if t == "" {
		t = ClusterTypeControlPlane
	}
	pl.planes.mu.Lock()
	defer pl.planes.mu.Unlock()
	pl.planes.typ = t
	return nil
}

// SetServed names the control plane the proxy serves (a UUID; anything
// else, such as "*", names none) and the proxy's base URL, for the
// control plane's proxy_urls.
func (pl *Platform) SetServed(id, proxyURL string) {
	pl.planes.mu.Lock()
	defer pl.planes.mu.Unlock()
	if store.IsUUID(id) {
		pl.planes.served = strings.ToLower(id)
		pl.planes.seen[pl.planes.served] = time.Now()
	}
	pl.planes.proxy = proxyURL
}

// controlPlane is one row of the list.
type controlPlane struct {
	id, name, typ string
	labels        map[string]string
	created       time.Time
}

// get describes control plane id (lower case); the caller holds cps.mu.
func (cps *controlPlanes) get(id string) controlPlane {
	at, ok := cps.seen[id]
	if !ok {
		at = time.Now()
		cps.seen[id] = at
	}
	cp := controlPlane{id: id, name: "localkong-" + id[:8], typ: cps.typ, labels: map[string]string{}, created: at}
	if id == cps.served {
		cp.name, cp.labels[servedLabel] = "localkong", "proxied"
	}
	return cp
}

// known are the control planes the list holds.
func (cps *controlPlanes) known() []controlPlane {
	var ids []string
	cps.store.Locked(false, func() { ids = cps.store.ControlPlaneIDs() })
	cps.mu.Lock()
	defer cps.mu.Unlock()
	if cps.served != "" && !contains(ids, cps.served) {
		ids = append(ids, cps.served)
	}
	rows := make([]controlPlane, 0, len(ids))
	for _, id := range ids {
		rows = append(rows, cps.get(id))
	}
	return rows
}

// json is ControlPlane; endpoint is where this server is reached.
func (cps *controlPlanes) json(cp controlPlane, endpoint string) map[string]any {
	labels := map[string]any{}
	for k, v := range cp.labels {
		labels[k] = v
	}
	proxies := []any{}
	if cp.id == cps.served && cps.proxy != "" {
		if u, err := url.Parse(cps.proxy); err == nil {
			port, _ := strconv.Atoi(u.Port())
			proxies = append(proxies, map[string]any{"host": u.Hostname(), "port": port, "protocol": u.Scheme})
		}
	}
	description := "A control plane of localkong"
	if cp.id == cps.served {
		description = "The control plane localkong's proxy serves"
	}
	ts := catalogTime(cp.created)
	return map[string]any{
		"id":          cp.id,
		"name":        cp.name,
		"description": description,
		"labels":      labels,
		"config": map[string]any{
			// localkong has no data-plane protocol: both are the listener
			// this API is served on.
			"control_plane_endpoint": endpoint,
			"telemetry_endpoint":     endpoint,
			"cluster_type":           cp.typ,
			"auth_type":              "pinned_client_certs",
			"cloud_gateway":          false,
			"proxy_urls":             proxies,
		},
		"created_at": ts,
		"updated_at": ts,
	}
}

// endpoint is the base URL the request reached this server at.
func endpoint(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// controlPlaneList is ControlPlaneFilterParameters (each field with the
// operators the document gives it) and ControlPlaneSort (created_at).
var controlPlaneList = listSpec[controlPlane]{
	fields: map[string]listField[controlPlane]{
		"id":            {kind: fieldUUID, ops: []string{"eq", "oeq"}, get: func(cp controlPlane) []string { return one(cp.id) }},
		"name":          {kind: fieldString, ops: []string{"eq", "neq", "contains"}, get: func(cp controlPlane) []string { return one(cp.name) }},
		"cluster_type":  {kind: fieldString, ops: []string{"eq", "oeq", "neq"}, get: func(cp controlPlane) []string { return one(cp.typ) }},
		"cloud_gateway": {kind: fieldBool, get: func(controlPlane) []string { return one("false") }},
		"created_at":    {kind: fieldTime, get: func(cp controlPlane) []string { return one(catalogTime(cp.created)) }},
	},
	sorts: []string{"created_at"},
	less: func(a, b controlPlane) bool {
		return a.created.Before(b.created) || a.created.Equal(b.created) && a.id < b.id
	},
}

func (p *platformRequest) listControlPlanes() {
	q := p.r.URL.Query()
	keep, pr := labelsFilter(q.Get("labels"))
	if pr != nil {
		p.fail(pr)
		return
	}
	cps := p.pl.planes
	var rows []controlPlane
	for _, cp := range cps.known() {
		if keep(cp.labels) {
			rows = append(rows, cp)
		}
	}
	q.Del("labels")
	page, meta, pr := pageRows(rows, q, controlPlaneList)
	if pr != nil {
		p.fail(pr)
		return
	}
	cps.mu.Lock()
	data := make([]any, 0, len(page))
	for _, cp := range page {
		data = append(data, cps.json(cp, endpoint(p.r)))
	}
	cps.mu.Unlock()
	sendJSON(p.w, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

// labelsFilter reads FilterByLabels, "key:value,existCheck": every item
// must hold, a key:value by value, a bare key by its presence.
func labelsFilter(raw string) (func(map[string]string) bool, *problem) {
	type cond struct {
		key, value string
		exists     bool
	}
	var conds []cond
	for _, item := range strings.Split(raw, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		k, v, hasValue := strings.Cut(item, ":")
		if k == "" {
			return nil, badRequest(ruleParam("labels", "invalid", "labels must be key:value or key items, separated by commas"))
		}
		conds = append(conds, cond{k, v, !hasValue})
	}
	return func(labels map[string]string) bool {
		for _, c := range conds {
			v, ok := labels[c.key]
			if !ok || !c.exists && v != c.value {
				return false
			}
		}
		return true
	}, nil
}

func (p *platformRequest) readControlPlane(raw string) {
	if !store.IsUUID(raw) {
		// The document's 400InvalidIDFormatExample.
		p.fail(&problem{status: http.StatusBadRequest, title: "Bad Request", detail: "Request contains invalid ID format",
			params: []invalidParam{{field: "id", reason: "invalid ID format"}}})
		return
	}
	cps := p.pl.planes
	cps.mu.Lock()
	body := cps.json(cps.get(strings.ToLower(raw)), endpoint(p.r))
	cps.mu.Unlock()
	sendJSON(p.w, http.StatusOK, body)
}
