package servicehub

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// hubConfig is the Config the provider builds for srv.
func hubConfig(srv *localkong.Server) Config {
	return Config{
		Config: kongapi.Config{AdminURL: srv.AdminURL, MaxRetries: 0},
		Status: StatusConfig{MetricsURL: srv.AdminURL + "/metrics", ProxyURL: srv.ProxyURL},
	}
}

func newHub(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewChecksConfig(t *testing.T) {
	good := Config{
		Config: kongapi.Config{AdminURL: "http://kong:8001"},
		Status: StatusConfig{MetricsURL: "http://kong:8001/metrics", ProxyURL: "http://kong:8000"},
	}
	for name, c := range map[string]struct {
		edit func(*Config)
		want string // in the error
	}{
		"admin URL without scheme": {func(c *Config) { c.AdminURL = "kong:8001" }, "Admin API URL"},
		"proxy URL without scheme": {func(c *Config) { c.Status.ProxyURL = "kong:8000" }, "proxy URL"},
		"proxy URL with a query":   {func(c *Config) { c.Status.ProxyURL = "http://kong:8000/?a=1" }, "proxy URL"},
		"metrics URL without host": {func(c *Config) { c.Status.MetricsURL = "http:///metrics" }, "metrics URL"},
	} {
		cfg := good
		c.edit(&cfg)
		if client, err := New(cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: New = %v, %v; want an error about the %s", name, client, err, c.want)
		}
	}
	c, err := New(good)
	if err != nil || c.Implementations == nil || c.Routes == nil || c.Statuses == nil {
		t.Fatalf("New(%+v) = %+v, %v", good, c, err)
	}
	if c.Statuses.proxy.String() != "http://kong:8000" || c.Statuses.MetricsURL() != "http://kong:8001/metrics" {
		t.Errorf("statuses read %s and %s", c.Statuses.proxy, c.Statuses.MetricsURL())
	}
	good.Status.ProxyURL = ""
	if c, err := New(good); err != nil || c.Statuses.proxy.String() != DefaultProxyURL {
		t.Errorf("default proxy: %+v, %v", c, err)
	}
}

// A Client's implementations and routes read through one refresh cache:
// what one writes, the other's reads see without asking Kong again, and a
// new Client (a new Terraform walk) starts afresh.
func TestNewSharesOneCache(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{})
	c := newHub(t, hubConfig(srv))
	cache, ok := c.Implementations.kong.(*kongapi.Cache)
	if !ok || c.Routes.kong != cache || c.Implementations.api != cache.API() || c.Routes.api != cache.API() {
		t.Fatalf("implementations read through %T, routes through %T: want one *kongapi.Cache", c.Implementations.kong, c.Routes.kong)
	}
	ctx := context.Background()
	srv.ResetRequestCount()

	impl, err := c.Implementations.Create(ctx, implOf("cart", "v1", "cart-v1"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Routes.Create(ctx, pathRoute("cart", impl.ID()))
	if err != nil {
		t.Fatal(err)
	}
	requests(t, srv, "create", 1+2) // the version check (Kong's ?tags= filter: few reads so far), two PUTs

	// The run's reads: while its direct budget lasts (the version check
	// spent one of kongapi.DirectReads), one GET each; then one listing of
	// each kind answers the rest.
	for i := range kongapi.DirectReads + 1 {
		key, name := impl.ID(), *r.ID
		if i%2 == 1 {
			key, name = "cart-v1", "cart"
		}
		if got, err := c.Implementations.Get(ctx, key); err != nil || got.ID() != impl.ID() {
			t.Fatalf("Implementations.Get(%s) = %+v, %v", key, got, err)
		}
		if got, err := c.Routes.Get(ctx, name); err != nil || str(got.ID) != *r.ID || ServiceID(got) != impl.ID() {
			t.Fatalf("Routes.Get(%s) = %+v, %v", name, got, err)
		}
	}
	requests(t, srv, "reads", (kongapi.DirectReads-1)+2)
	if _, err := c.Implementations.Get(ctx, impl.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Routes.Get(ctx, *r.ID); err != nil {
		t.Fatal(err)
	}
	requests(t, srv, "reads after the listings", 0)

	fresh := newHub(t, hubConfig(srv))
	if _, err := fresh.Implementations.Get(ctx, impl.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Routes.Get(ctx, *r.ID); err != nil {
		t.Fatal(err)
	}
	requests(t, srv, "reads of a new Client", 2)
}

// A create whose response is lost is settled by looking its id up: the
// entity Kong holds is returned, or the error says nothing was created,
// or, when the lookup fails too, it is an *UnsettledError naming the id
// Kong holds it under.
func TestCreateSettlesLostResponses(t *testing.T) {
	kinds := []struct {
		noun, path, write string
		setup             func(t *testing.T, api *kongapi.Client) string // returns the implementation a route needs
		create            func(ctx context.Context, api *kongapi.Client, impl string) (id string, err error)
		get               func(ctx context.Context, api *kongapi.Client) (id string, err error)
	}{
		{
			noun: "Gateway Service", path: "/services", write: http.MethodPost,
			setup: func(*testing.T, *kongapi.Client) string { return "" },
			create: func(ctx context.Context, api *kongapi.Client, _ string) (string, error) {
				impl, err := NewImplementations(api).Create(ctx, implOf("lost", "v1", "lost"))
				return impl.ID(), err
			},
			get: func(ctx context.Context, api *kongapi.Client) (string, error) {
				impl, err := NewImplementations(api).Get(ctx, "lost")
				return impl.ID(), err
			},
		},
		{
			noun: "Route", path: "/routes/", write: http.MethodPut,
			setup: func(t *testing.T, api *kongapi.Client) string { return newImpl(t, api, "payments").ID() },
			create: func(ctx context.Context, api *kongapi.Client, impl string) (string, error) {
				r, err := NewRoutes(api).Create(ctx, pathRoute("lost", impl))
				if r == nil {
					return "", err
				}
				return str(r.ID), err
			},
			get: func(ctx context.Context, api *kongapi.Client) (string, error) {
				r, err := NewRoutes(api).Get(ctx, "lost")
				if r == nil {
					return "", err
				}
				return str(r.ID), err
			},
		},
	}
	faults := []struct {
		name    string
		fault   localkong.FaultKind
		methods []string // "" stands for the kind's write
		check   func(t *testing.T, id, held string, err error)
	}{
		{"applied", localkong.FaultDropAfter, []string{""}, func(t *testing.T, id, held string, err error) {
			if err != nil || id == "" || id != held {
				t.Errorf("create = %q, %v; Kong holds %q", id, err, held)
			}
		}},
		{"not applied", localkong.FaultDropBefore, []string{""}, func(t *testing.T, id, held string, err error) {
			var u *UnsettledError
			if err == nil || errors.As(err, &u) || !strings.Contains(err.Error(), "so nothing was created") || held != "" {
				t.Errorf("create = %q, %v; Kong holds %q", id, err, held)
			}
		}},
		{"lookup fails", localkong.FaultDropAfter, []string{"", http.MethodGet}, func(t *testing.T, id, held string, err error) {
			var u *UnsettledError
			if !errors.As(err, &u) || held == "" || u.ID != held || !strings.Contains(err.Error(), "could not be checked (") {
				t.Errorf("create = %q, %v; Kong holds %q", id, err, held)
			}
		}},
	}
	for _, k := range kinds {
		for _, f := range faults {
			t.Run(k.noun+"/"+f.name, func(t *testing.T) {
				srv := startLocalKong(t, localkong.Options{})
				api := newKongAPI(t, srv.AdminURL, "")
				ctx := context.Background()
				impl := k.setup(t, api)
				methods := append([]string(nil), f.methods...)
				for i, m := range methods {
					if m == "" {
						methods[i] = k.write
					}
				}
				// Only the entity's own requests fail: listings (the
				// version check) get through.
				entity := func(r *http.Request) bool {
					return strings.HasPrefix(r.URL.Path, k.path) && !(r.Method == http.MethodGet && r.URL.Path == "/services")
				}
				err := srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{f.fault}, Methods: methods, Match: entity})
				if err != nil {
					t.Fatal(err)
				}
				id, err := k.create(ctx, api, impl)
				if serr := srv.SetFaults(nil); serr != nil {
					t.Fatal(serr)
				}
				if err != nil && !strings.HasPrefix(err.Error(), k.write+" ") {
					t.Errorf("the create's own error does not come first: %v", err)
				}
				if u := (*UnsettledError)(nil); errors.As(err, &u) && u.Noun != k.noun {
					t.Errorf("noun %q, want %q", u.Noun, k.noun)
				}
				held, gerr := k.get(ctx, api)
				if gerr != nil && !IsNotFound(gerr) {
					t.Fatal(gerr)
				}
				f.check(t, id, held, err)
			})
		}
	}
}

// Errors from Kong reach callers classified.
func TestMethodsClassifyErrors(t *testing.T) {
	srv := startLocalKong(t, localkong.Options{AdminToken: "secret"})
	ctx := context.Background()

	cfg := hubConfig(srv)
	cfg.AdminToken = "wrong"
	denied := newHub(t, cfg)
	id := kongapi.NewID()
	for name, call := range map[string]func() error{
		"Implementations.Get":           func() error { _, err := denied.Implementations.Get(ctx, id); return err },
		"Implementations.FindByVersion": func() error { _, err := denied.Implementations.FindByVersion(ctx, "s", "v"); return err },
		"Implementations.Delete": func() error {
			prior := implOf("s", "v", "n")
			prior.Gateway.ID, prior.Gateway.CreatedAt = kong.String(id), kong.Int(1)
			return denied.Implementations.Delete(ctx, prior, MarkOf(prior))
		},
		"Implementations.Create": func() error { _, err := denied.Implementations.Create(ctx, implOf("s", "v", "n")); return err },
		"Implementations.Update": func() error {
			prior := implOf("s", "v", "n")
			prior.Gateway.ID = kong.String(id)
			_, err := denied.Implementations.Update(ctx, prior, prior, MarkOf(prior))
			return err
		},
		"Routes.Get":               func() error { _, err := denied.Routes.Get(ctx, id); return err },
		"Routes.ForImplementation": func() error { _, err := denied.Routes.ForImplementation(ctx, id); return err },
		"Routes.Delete":            func() error { return denied.Routes.Delete(ctx, id) },
		"Routes.Create":            func() error { _, err := denied.Routes.Create(ctx, pathRoute("r", id)); return err },
		"Routes.Update": func() error {
			_, err := denied.Routes.Update(ctx, kong.Route{ID: kong.String(id)}, pathRoute("r", id))
			return err
		},
	} {
		var access *AccessError
		if err := call(); !errors.As(err, &access) || !access.Unauthorized() || !access.TokenSent || access.Konnect {
			t.Errorf("%s with a wrong token: %#v", name, err)
		}
	}

	cfg.AdminToken = "secret"
	c := newHub(t, cfg)
	var missing *MissingReferenceError
	_, err := c.Routes.Create(ctx, pathRoute("orphan", kongapi.NewID()))
	if !errors.As(err, &missing) || missing.Field != "service" {
		t.Errorf("route of a missing implementation: %#v", err)
	}
	certless := implOf("certless", "v1", "certless")
	certless.Gateway.Protocol, certless.Gateway.Port = kong.String("https"), kong.Int(443)
	certless.Gateway.ClientCertificate = &kong.Certificate{ID: kong.String(kongapi.NewID())}
	if _, err := c.Implementations.Create(ctx, certless); !errors.As(err, &missing) || missing.Field != "client_certificate" {
		t.Errorf("implementation with a missing client certificate: %#v", err)
	}
	var rejected *RejectedError
	bad := pathRoute("bad", kongapi.NewID())
	bad.Protocols = kong.StringSlice("ftp")
	if _, err := c.Routes.Create(ctx, bad); !errors.As(err, &rejected) || len(rejected.Fields) == 0 {
		t.Errorf("route with an unknown protocol: %#v", err)
	}
}
