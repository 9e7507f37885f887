// Package plugintest runs one plugin's phase handlers outside the proxy,
// for the plugins' unit tests: a configuration with its schema's defaults,
// a request, a store of consumers and credentials, and the phases run in
// Kong's order on the plugin's answer or an upstream's.
package plugintest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// Kong310 and Kong34 are gateways the tests play.
var (
	Kong310 = pdk.Gateway{Version: kongschema.MustParseVersion("3.10.0")}
	Kong34  = pdk.Gateway{Version: kongschema.MustParseVersion("3.4.0")}
)

// Instance is plugin p configured with config in g, its defaults filled
// in as the Admin API stores it; the test fails on a config Kong refuses.
func Instance(t testing.TB, p *pdk.Plugin, g pdk.Gateway, config map[string]any) *pdk.Instance {
	t.Helper()
	var sent map[string]any
	b, _ := json.Marshal(config) // the JSON form the store keeps
	_ = json.Unmarshal(b, &sent)
	e, v := p.Schema(g).Process(kongschema.Insert, map[string]any{"name": p.Name, "config": sent}, nil)
	if !v.Empty() {
		t.Fatalf("%s config %v: %v", p.Name, config, v.Fields)
	}
	cfg, _ := e["config"].(map[string]any)
	return &pdk.Instance{ID: uuid.NewString(), Name: p.Name, Config: cfg}
}

// Request is the context of a request from 127.0.0.1 to target ("/p?q=1").
func Request(method, target string, header http.Header, body string) *pdk.Context {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, vs := range header {
		if strings.EqualFold(k, "host") {
			r.Host = vs[0]
			continue
		}
		r.Header[http.CanonicalHeaderKey(k)] = vs
	}
	c := pdk.NewContext(r, r.URL.Path, "127.0.0.1")
	c.Store = &Store{}
	return c
}

// Result is what the client gets, and what the upstream got.
type Result struct {
	Status int
	Header http.Header
	Body   string
	// Exit is the plugin's answer; nil when the request was proxied.
	Exit *pdk.Exit
	// Upstream is the request as it was (or would have been) proxied.
	Upstream *http.Request
}

// Upstream is an upstream's answer: 200, a JSON body.
func Upstream() *pdk.Response {
	return &pdk.Response{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"ok":true}`)}
}

// Run runs h for instance in on request c, as the proxy does: access; the
// plugin's exit, or else up, is the response; then header_filter,
// body_filter and log. An Error exit's body is {"message": …}.
func Run(c *pdk.Context, h *pdk.Handler, in *pdk.Instance, up *pdk.Response) Result {
	if h.Access != nil {
		h.Access(c, in)
	}
	resp := c.Response
	if e := c.Exited(); e != nil {
		for k, vs := range e.Header {
			resp.Header[http.CanonicalHeaderKey(k)] = vs
		}
		resp.Status, resp.Source = e.Status, "exit"
		switch b := e.Body.(type) {
		case nil:
		case string:
			resp.Body = []byte(b)
			if e.Error {
				resp.Body, _ = json.Marshal(map[string]any{"message": b})
			}
		default:
			resp.Body, _ = json.Marshal(b)
		}
	} else {
		if up == nil {
			up = Upstream()
		}
		h2 := up.Header.Clone()
		for k, vs := range resp.Header {
			h2[k] = vs
		}
		resp.Status, resp.Header, resp.Body, resp.Source = up.Status, h2, up.Body, "service"
	}
	if h.HeaderFilter != nil {
		h.HeaderFilter(c, in)
	}
	if h.BodyFilter != nil {
		h.BodyFilter(c, in)
	}
	if h.Log != nil {
		h.Log(c, in)
	}
	return Result{Status: resp.Status, Header: resp.Header, Body: string(resp.Body), Exit: c.Exited(), Upstream: c.Request}
}

// Store is a pdk.Lookup over entities a test gives.
type Store struct {
	Consumers []map[string]any
	// Entities are each DAO's entities by endpoint key
	// ("keyauth_credentials" → key → credential).
	Entities map[string]map[string]map[string]any
}

var _ pdk.Lookup = (*Store)(nil)

// Consumer finds a consumer by id, else username.
func (s *Store) Consumer(idOrUsername string) map[string]any {
	for _, c := range s.Consumers {
		if c["id"] == idOrUsername {
			return c
		}
	}
	for _, c := range s.Consumers {
		if c["username"] == idOrUsername {
			return c
		}
	}
	return nil
}

// Entity finds a DAO's entity by its endpoint key.
func (s *Store) Entity(dao, key string) map[string]any { return s.Entities[dao][key] }

// ConsumerEntities lists a consumer's entities of a DAO, by id.
func (s *Store) ConsumerEntities(dao, consumerID string) []map[string]any {
	var out []map[string]any
	for _, e := range s.Entities[dao] {
		if ref, _ := e["consumer"].(map[string]any); ref["id"] == consumerID {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i]["id"].(string) < out[j]["id"].(string) })
	return out
}

// Add files entity e of DAO dao under key.
func (s *Store) Add(dao, key string, e map[string]any) {
	if s.Entities == nil {
		s.Entities = map[string]map[string]map[string]any{}
	}
	if s.Entities[dao] == nil {
		s.Entities[dao] = map[string]map[string]any{}
	}
	s.Entities[dao][key] = e
}
