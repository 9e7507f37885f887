package servicehub

import (
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// statusKong is a localkong with an upstream and a client for it.
type statusKong struct {
	srv      *localkong.Server
	upstream *httptest.Server
	api      *kongapi.Client
}

func newStatusKong(t *testing.T, opts localkong.Options, workspace string) *statusKong {
	t.Helper()
	srv := startLocalKong(t, opts)
	up := httptest.NewServer(localkong.NewUpstream())
	t.Cleanup(up.Close)
	return &statusKong{srv: srv, upstream: up, api: newKongAPI(t, srv.AdminURL, workspace)}
}

func (k *statusKong) statuses(t *testing.T, metricsURL, workspace string) *Statuses {
	t.Helper()
	if metricsURL == "" {
		metricsURL = k.srv.AdminURL + "/metrics"
	}
	s, err := NewStatuses(k.api, StatusConfig{MetricsURL: metricsURL, ProxyURL: k.srv.ProxyURL, Workspace: workspace})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// implement creates an implementation of service/version with routes on the
// given paths, one route per path, named after the path.
func (k *statusKong) implement(t *testing.T, service, version string, paths ...string) Implementation {
	t.Helper()
	ctx := context.Background()
	ep, err := kongschema.ExpandURL(k.upstream.URL)
	if err != nil {
		t.Fatal(err)
	}
	impl, err := NewImplementations(k.api).Create(ctx, Implementation{
		Service: service, Version: version,
		Gateway: kong.Service{
			Name:     kong.String(service + "-" + version),
			Protocol: kong.String(ep.Protocol), Host: kong.String(ep.Host), Port: kong.Int(ep.Port), Path: ep.Path,
			Retries: kong.Int(0), ConnectTimeout: kong.Int(60000), WriteTimeout: kong.Int(60000), ReadTimeout: kong.Int(60000),
			Enabled: kong.Bool(true),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		r := httpRoute(strings.Trim(strings.ReplaceAll(p, "/", "-"), "-"), impl.ID())
		r.Kong.Methods, r.Kong.Paths, r.Kong.StripPath = kong.StringSlice("GET"), kong.StringSlice(p), kong.Bool(false)
		_, err := NewRoutes(k.api).Create(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
	}
	return impl
}

func (k *statusKong) call(t *testing.T, path string, want int) {
	t.Helper()
	resp, err := http.Get(k.srv.ProxyURL + path)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("GET %s through the proxy: %d, want %d", path, resp.StatusCode, want)
	}
}

func TestVersionNotImplemented(t *testing.T) {
	k := newStatusKong(t, localkong.Options{}, "")
	k.implement(t, "payments", "v2", "/v2")
	st, err := k.statuses(t, "", "").Version(context.Background(), "payments", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Implementation != nil || st.Routes == nil || len(st.Routes) != 0 ||
		st.Traffic.StatusCodes == nil || len(st.Traffic.StatusCodes) != 0 || st.MetricsErr != nil {
		t.Fatalf("%+v", st)
	}
}

func TestVersionRoutesAndTraffic(t *testing.T) {
	k := newStatusKong(t, localkong.Options{}, "")
	impl := k.implement(t, "payments", "v1", "/pay", "/charge")
	k.implement(t, "billing", "v1", "/bill")

	for range 3 {
		k.call(t, "/pay", 200)
	}
	k.call(t, "/charge/status/500", 500)
	k.call(t, "/bill", 200)    // another service's traffic
	k.call(t, "/nowhere", 404) // matches no route: Kong records nothing

	st, err := k.statuses(t, "", "").Version(context.Background(), "payments", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Implementation == nil || st.Implementation.ID() != impl.ID() || st.Implementation.Name() != "payments-v1" {
		t.Fatalf("implementation = %+v", st.Implementation)
	}
	var names, urls []string
	for _, r := range st.Routes {
		names = append(names, r.Name)
		urls = append(urls, r.URLs...)
	}
	if !slices.Equal(names, []string{"charge", "pay"}) {
		t.Errorf("routes = %v", names)
	}
	// A RouteStatus carries the route's own id, methods, paths and hosts.
	routes, err := NewRoutes(k.api).ForImplementation(context.Background(), impl.ID())
	if err != nil || len(routes) != 2 || len(st.Routes) != 2 {
		t.Fatalf("routes of %s: %d, %v", impl.ID(), len(routes), err)
	}
	for _, r := range st.Routes {
		i := slices.IndexFunc(routes, func(kr *kong.Route) bool { return str(kr.ID) == r.ID })
		if i < 0 || r.Name != str(routes[i].Name) || !slices.Equal(r.Methods, []string{"GET"}) ||
			!slices.Equal(r.Paths, []string{"/" + r.Name}) || len(r.Hosts) != 0 {
			t.Errorf("route status %+v does not match Kong's routes", r)
		}
	}
	if want := []string{k.srv.ProxyURL + "/charge", k.srv.ProxyURL + "/pay"}; !slices.Equal(urls, want) {
		t.Errorf("urls = %v, want %v", urls, want)
	}
	if want := map[string]int64{"200": 3, "500": 1}; !maps.Equal(st.Traffic.StatusCodes, want) || st.Traffic.Total != 4 {
		t.Errorf("traffic = %+v, want %v", st.Traffic, want)
	}
	if st.MetricsErr != nil {
		t.Errorf("MetricsErr = %v", st.MetricsErr)
	}
}

func TestVersionTrafficOfItsWorkspaceOnly(t *testing.T) {
	k := newStatusKong(t, localkong.Options{}, "")
	if _, err := k.api.Kong.Workspaces.Create(context.Background(), &kong.Workspace{Name: kong.String("team-a")}); err != nil {
		t.Fatal(err)
	}
	k.implement(t, "payments", "v1", "/pay")
	teamA := newStatusKongOn(t, k, "team-a")
	teamA.implement(t, "payments", "v1", "/team-a/pay") // same Gateway Service name

	k.call(t, "/pay", 200)
	k.call(t, "/team-a/pay", 200)
	k.call(t, "/team-a/pay/status/503", 503)

	for ws, want := range map[string]map[string]int64{
		"":        {"200": 1},
		"default": {"200": 1},
		"team-a":  {"200": 1, "503": 1},
	} {
		c := k
		if ws == "team-a" {
			c = teamA
		}
		st, err := c.statuses(t, k.srv.AdminURL+"/metrics", ws).Version(context.Background(), "payments", "v1")
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(st.Traffic.StatusCodes, want) {
			t.Errorf("workspace %q: %v, want %v", ws, st.Traffic.StatusCodes, want)
		}
	}
}

// newStatusKongOn is k seen through another workspace.
func newStatusKongOn(t *testing.T, k *statusKong, workspace string) *statusKong {
	return &statusKong{srv: k.srv, upstream: k.upstream, api: newKongAPI(t, k.srv.AdminURL, workspace)}
}

func TestVersionWithoutMetrics(t *testing.T) {
	refused := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return "http://" + l.Addr().String() + "/metrics"
	}()
	cases := map[string]struct {
		opts    localkong.Options
		metrics string
		check   func(error) bool
	}{
		"konnect answers 404":  {localkong.Options{Konnect: true}, "", kongapi.IsNotFound},
		"connection refused":   {localkong.Options{}, refused, kongapi.IsUnreachable},
		"no /metrics endpoint": {localkong.Options{}, "/nothing-here", kongapi.IsNotFound},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			k := newStatusKong(t, c.opts, "")
			metrics := c.metrics
			if strings.HasPrefix(metrics, "/") {
				metrics = k.srv.AdminURL + metrics
			}
			if c.opts.Konnect {
				// A control plane's core-entities URL and, as the provider
				// defaults it, the metrics URL under it.
				cp := k.srv.AdminURL + "/v2/control-planes/" + kongapi.NewID() + "/core-entities"
				api, err := kongapi.New(kongapi.Config{AdminURL: cp, KonnectToken: "kpat_test", MaxRetries: 0})
				if err != nil {
					t.Fatal(err)
				}
				k.api = api
				if metrics, err = kongapi.MetricsURL(cp); err != nil {
					t.Fatal(err)
				}
			}
			impl := k.implement(t, "payments", "v1", "/pay")
			start := time.Now()
			st, err := k.statuses(t, metrics, "").Version(context.Background(), "payments", "v1")
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(st.MetricsErr) {
				t.Errorf("MetricsErr = %v", st.MetricsErr)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
			if st.Implementation == nil || st.Implementation.ID() != impl.ID() || len(st.Routes) != 1 || len(st.Routes[0].URLs) != 1 {
				t.Errorf("the rest is missing: %+v", st)
			}
			if st.Traffic.StatusCodes == nil || len(st.Traffic.StatusCodes) != 0 || st.Traffic.Total != 0 {
				t.Errorf("traffic = %+v", st.Traffic)
			}
		})
	}
}

func TestVersionMalformedMetrics(t *testing.T) {
	k := newStatusKong(t, localkong.Options{}, "")
	k.implement(t, "payments", "v1", "/pay")
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!doctype html><title>Kong Manager</title>\n")
	}))
	defer page.Close()

	_, err := k.statuses(t, page.URL+"/metrics", "").Version(context.Background(), "payments", "v1")
	var ferr *MetricsFormatError
	if !errors.As(err, &ferr) || ferr.URL != page.URL+"/metrics" || !strings.Contains(err.Error(), "not valid Prometheus text exposition") {
		t.Fatalf("err = %v", err)
	}
}

func TestVersionWithTwoImplementations(t *testing.T) {
	k := newStatusKong(t, localkong.Options{}, "")
	k.implement(t, "payments", "v1")
	// A duplicate made behind the provider's back, tagged by hand.
	_, err := k.api.PutService(context.Background(), &kong.Service{
		ID: kong.String(kongapi.NewID()), Name: kong.String("payments-v1-copy"), Host: kong.String("example.com"),
		Tags: kong.StringSlice(ServiceTag("payments"), VersionTag("v1")),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = k.statuses(t, "", "").Version(context.Background(), "payments", "v1")
	if err == nil || !strings.Contains(err.Error(), `"payments-v1"`) || !strings.Contains(err.Error(), `"payments-v1-copy"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestNewStatusesChecksURLs(t *testing.T) {
	api, err := kongapi.New(kongapi.Config{AdminURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewStatuses(api, StatusConfig{MetricsURL: "http://kong:8001/metrics", ProxyURL: "kong:8000"}); err == nil {
		t.Error("accepted a proxy URL without scheme")
	}
	if _, err := NewStatuses(api, StatusConfig{MetricsURL: "kong/metrics"}); err == nil {
		t.Error("accepted a metrics URL without scheme")
	}
	s, err := NewStatuses(api, StatusConfig{MetricsURL: "http://kong:8001/metrics"})
	if err != nil || s.proxy.String() != DefaultProxyURL {
		t.Errorf("default proxy: %v, %v", s, err)
	}
}
