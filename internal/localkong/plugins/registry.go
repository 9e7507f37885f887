package plugins

import (
	"sort"
	"sync"

	acl "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/acl"
	basicauth "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/basic-auth"
	botdetection "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/bot-detection"
	correlationid "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/correlation-id"
	cors "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/cors"
	datadog "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/datadog"
	httplog "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/http-log"
	iprestriction "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/ip-restriction"
	jwt "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/jwt"
	keyauth "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/key-auth"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	prometheus "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/prometheus"
	ratelimiting "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/rate-limiting"
	requestsizelimiting "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/request-size-limiting"
	requesttransformer "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/request-transformer"
	responsetransformer "github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/response-transformer"
)

// registry is every plugin localkong serves: one line each.
var registry = []*pdk.Plugin{
	acl.Plugin,
	basicauth.Plugin,
	botdetection.Plugin,
	correlationid.Plugin,
	cors.Plugin,
	datadog.Plugin,
	httplog.Plugin,
	iprestriction.Plugin,
	jwt.Plugin,
	keyauth.Plugin,
	prometheus.Plugin,
	ratelimiting.Plugin,
	requestsizelimiting.Plugin,
	requesttransformer.Plugin,
	responsetransformer.Plugin,
}

// Set is the plugins of one gateway: each plugin's schema, priority and
// entities as that Kong has them. localkong plays a Kong whose "plugins"
// setting lists exactly these: they are its loaded plugins (GET /,
// /plugins/enabled) and no other name may be configured.
type Set struct {
	gw     pdk.Gateway
	byName map[string]*Entry
	names  []string
	daos   []*pdk.DAO
}

// Entry is one plugin of a Set.
type Entry struct {
	*pdk.Plugin
	Priority int
	Schema   *pdk.Schema
	DAOs     []*pdk.DAO
}

var sets sync.Map // pdk.Gateway → *Set

// For returns the plugins of gateway g, built once per gateway.
func For(g pdk.Gateway) *Set {
	if s, ok := sets.Load(g); ok {
		return s.(*Set)
	}
	s := &Set{gw: g, byName: map[string]*Entry{}}
	for _, p := range registry {
		e := &Entry{Plugin: p, Priority: p.Priority(g), Schema: p.Schema(g)}
		if p.DAOs != nil {
			e.DAOs = p.DAOs(g)
			s.daos = append(s.daos, e.DAOs...)
		}
		s.byName[p.Name] = e
		s.names = append(s.names, p.Name)
	}
	sort.Strings(s.names)
	got, _ := sets.LoadOrStore(g, s)
	return got.(*Set)
}

// Gateway is the Kong the set is of.
func (s *Set) Gateway() pdk.Gateway { return s.gw }

// Names lists the plugins by name, sorted.
func (s *Set) Names() []string { return s.names }

// Get is the plugin named name, nil when there is none.
func (s *Set) Get(name string) *Entry { return s.byName[name] }

// Schema is the schema of the plugin named name, nil when there is none.
func (s *Set) Schema(name string) *pdk.Schema {
	if e := s.byName[name]; e != nil {
		return e.Schema
	}
	return nil
}

// DAOs are the entities the plugins add, in the plugins' name order.
func (s *Set) DAOs() []*pdk.DAO { return s.daos }
