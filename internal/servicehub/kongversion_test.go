package servicehub

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// pathCounter fronts an Admin API and counts requests by method and path.
type pathCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func countPaths(t *testing.T, adminURL string) (*pathCounter, string) {
	t.Helper()
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatal(err)
	}
	pc, proxy := &pathCounter{n: map[string]int{}}, httputil.NewSingleHostReverseProxy(u)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pc.mu.Lock()
		pc.n[r.Method+" "+r.URL.Path]++
		pc.n[r.Method]++
		pc.mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return pc, front.URL
}

func (pc *pathCounter) count(key string) int {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.n[key]
}

// writes counts the requests of every method that writes: creates are
// POSTs, updates PUTs (or PATCHes), deletes DELETEs.
func (pc *pathCounter) writes() int {
	n := 0
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		n += pc.count(m)
	}
	return n
}

func sansImpl(name string) Implementation {
	impl := implOf("vault", name, name)
	impl.Gateway.Protocol = kong.String("https")
	impl.Gateway.TLSSANs = &kong.SANs{DNSNames: kong.StringSlice("vault.internal")}
	return impl
}

// A write using a field the connected Kong lacks fails before it is sent,
// naming the version; GET / is read once per Client, and only when a
// write uses such a field.
func TestKongVersionGate(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		version, want string // want: in the error, "" when accepted
	}{
		{"3.4.2", "the connected Kong is Kong Gateway 3.4.2 (OSS): tls_sans needs Kong Gateway Enterprise 3.10.0.6"},
		{"3.10.0", "the connected Kong is Kong Gateway 3.10.0 (OSS): tls_sans needs"},
		{"3.10.0.5", "the connected Kong is Kong Gateway Enterprise 3.10.0.5: tls_sans needs"},
		{"3.10.0.6", ""},
	} {
		t.Run(tt.version, func(t *testing.T) {
			srv := startLocalKong(t, localkong.Options{Version: tt.version})
			pc, front := countPaths(t, srv.AdminURL)
			cfg := hubConfig(srv)
			cfg.AdminURL = front
			hub := newHub(t, cfg)

			// Nothing version-dependent: no GET /.
			if _, err := hub.Implementations.Create(ctx, implOf("plain", "v1", "plain-v1")); err != nil {
				t.Fatal(err)
			}
			if n := pc.count("GET /"); n != 0 {
				t.Errorf("GET / read %d times for a plain service", n)
			}
			writes := pc.writes()
			if writes == 0 {
				t.Fatal("the plain create wrote nothing the counter saw")
			}

			_, err := hub.Implementations.Create(ctx, sansImpl("v1"))
			var ue *UnsupportedError
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("create: %v", err)
			case tt.want != "" && (!errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("create: %v, want an *UnsupportedError saying %q", err, tt.want)
			case tt.want != "":
				if n := pc.writes(); n != writes {
					t.Errorf("sent anyway: %d writes", n-writes)
				}
				if len(ue.Features) != 1 || ue.Features[0].Field != "tls_sans" {
					t.Errorf("features = %+v", ue.Features)
				}
			}
			// A second write that needs the version does not read it again.
			_, _ = hub.Implementations.Create(ctx, sansImpl("v2"))
			if n := pc.count("GET /"); n != 1 {
				t.Errorf("GET / read %d times by one Client, want once", n)
			}
		})
	}
}

func TestKongVersionGateRoutes(t *testing.T) {
	ctx := context.Background()
	for version, accepted := range map[string]bool{"3.6.1": false, "3.7.0": true} {
		srv := startLocalKong(t, localkong.Options{Version: version})
		pc, front := countPaths(t, srv.AdminURL)
		cfg := hubConfig(srv)
		cfg.AdminURL = front
		hub := newHub(t, cfg)
		impl, err := hub.Implementations.Create(ctx, implOf("tls", "v1", "tls-v1"))
		if err != nil {
			t.Fatal(err)
		}
		writes := pc.writes()
		r := kong.Route{Name: kong.String("wild"), Protocols: kong.StringSlice("https"), SNIs: kong.StringSlice("*.a.test"),
			Service: &kong.Service{ID: kong.String(impl.ID())}}
		_, err = hub.Routes.Create(ctx, r)
		var ue *UnsupportedError
		if accepted != (err == nil) || (!accepted && (!errors.As(err, &ue) || !strings.Contains(err.Error(), "Kong Gateway 3.7.0"))) {
			t.Errorf("%s: wildcard sni: %v", version, err)
		}
		if sent := pc.writes() - writes; accepted != (sent == 1) || !accepted && sent != 0 {
			t.Errorf("%s: %d writes for the route, want %d", version, sent, map[bool]int{true: 1}[accepted])
		}
	}
}

// Konnect is never asked; a Kong whose GET / cannot be read has the last
// word itself.
func TestKongVersionGateUnknown(t *testing.T) {
	ctx := context.Background()
	konnect := startLocalKong(t, localkong.Options{Konnect: true, AdminToken: "kpat_x"})
	cp := konnect.AdminURL + "/v2/control-planes/4f1a7e0c-6d1b-4c6e-9a43-0f2b8e1d5c77/core-entities"
	api, err := kongapi.New(kongapi.Config{AdminURL: cp, KonnectToken: "kpat_x", MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	if err := NewKongVersion(api, true).CheckService(ctx, toKong(sansImpl("v1"))); err != nil {
		t.Errorf("konnect: %v", err)
	}
	if n := konnect.RequestCount(); n != 0 {
		t.Errorf("konnect: %d requests", n)
	}

	refused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"message":"Forbidden"}`))
	}))
	t.Cleanup(refused.Close)
	api, err = kongapi.New(kongapi.Config{AdminURL: refused.URL, MaxRetries: 0})
	if err != nil {
		t.Fatal(err)
	}
	if err := NewKongVersion(api, false).CheckService(ctx, toKong(sansImpl("v1"))); err != nil {
		t.Errorf("GET / refused: %v", err)
	}
}
