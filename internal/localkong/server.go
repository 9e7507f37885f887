package localkong

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/admin"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/faults"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/konnect"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/proxy"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Options configure a localkong server.
type Options struct {
	// AdminToken, when set, is required on every Admin API request as
	// Kong-Admin-Token (or, with Konnect, as the bearer token).
	AdminToken string
	// Konnect serves Konnect's control-plane API instead of Kong's.
	Konnect bool
	// Version is the Kong Gateway localkong plays, "3.4.0" to "3.10.x"
	// (four numbers for Kong Gateway Enterprise, e.g. "3.10.0.6"); default
	// 3.10.0. It is what GET / and the Server header report, and it selects
	// the services and routes rules (kongschema.For): 3.4 and 3.5 take no
	// wildcard snis and check route regexes only with paths, 3.6 takes no
	// wildcard snis, Enterprise takes ws and wss and, from 3.10.0.6,
	// tls_sans. With Konnect the rules are Konnect's whatever Version says.
	Version string
	// AdminLatency delays every Admin API request, to make round trips count.
	AdminLatency time.Duration
	// Faults, when set, makes a share of Admin API requests fail (see
	// Faults); SetFaults changes them while serving.
	Faults *Faults
	// AdminTLS, when set, serves the Admin API over HTTPS.
	AdminTLS *AdminTLS

	// ControlPlaneID is, with Konnect, the control plane whose routes the
	// proxy serves (a data plane belongs to one): DefaultControlPlaneID
	// when empty, AllControlPlanes for every one (localkong before the
	// catalog). The Admin API serves every control plane regardless.
	ControlPlaneID string
	// AnalyticsUnavailable makes Konnect's POST /v2/metrics fail as
	// Konnect can: AnalyticsNoEntitlement (403), AnalyticsTimeout (408) or
	// AnalyticsRateLimited (429); 0 serves it. See SetAnalyticsUnavailable.
	AnalyticsUnavailable int
	// AnalyticsRateLimit, when > 0, allows that many POST /v2/metrics a
	// minute per token, then 429 with Retry-After (Konnect allows 10).
	AnalyticsRateLimit int
	// ControlPlaneClusterType is, with Konnect, the cluster type every
	// control plane reports (GET /v2/control-planes/{id}'s
	// config.cluster_type): ClusterTypeControlPlane when empty;
	// ClusterTypeIngressController plays a control plane the Kong
	// Ingress Controller manages.
	ControlPlaneClusterType string
}

// DefaultVersion is the Kong version localkong presents itself as.
const DefaultVersion = "3.10.0"

// Server is a running localkong: an Admin API and a proxy listener.
type Server struct {
	// AdminURL and ProxyURL are the listeners' base URLs, e.g. http://127.0.0.1:8001.
	AdminURL string
	ProxyURL string
	// AdminCertPEM is the Admin API's TLS certificate when it serves HTTPS
	// (self-signed unless one was given): what clients should trust.
	AdminCertPEM []byte

	opts    Options
	store   *store.Store
	metrics *proxy.Metrics
	admin   *admin.API
	faults  *faults.Injector
	pauses  *faults.Pauser

	// ControlPlaneID is the control plane the proxy serves in Konnect
	// mode ("" otherwise, and AllControlPlanes for all).
	ControlPlaneID string
	traffic        *konnect.Traffic
	platform       *konnect.Platform // Konnect mode only

	servers   []*http.Server
	fresh     sync.Map // net.Conn → struct{}: accepted, no request read yet
	closeOnce sync.Once
	closeErr  error
}

// Start listens on adminAddr and proxyAddr ("host:port"; port 0 picks a
// free one) and serves until Close.
func Start(opts Options, adminAddr, proxyAddr string) (*Server, error) {
	if opts.Version == "" {
		opts.Version = DefaultVersion
	}
	if opts.Faults != nil {
		if err := opts.Faults.Validate(); err != nil {
			return nil, err
		}
	}
	if err := konnect.CheckUnavailable(opts.AnalyticsUnavailable); err != nil {
		return nil, err
	}
	if err := konnect.CheckClusterType(opts.ControlPlaneClusterType); err != nil {
		return nil, err
	}
	version, err := playedVersion(opts.Version)
	if err != nil {
		return nil, err
	}
	opts.Version = version.String()
	rules := kongschema.For(version)
	gateway := pdk.Gateway{Version: version}
	if opts.Konnect {
		rules = kongschema.For(kongschema.KonnectVersion)
		gateway = pdk.Gateway{Version: kongschema.KonnectVersion, ControlPlane: true}
	}
	pluginSet := plugins.For(gateway)
	// One node: / and /metrics report the same node_id.
	nodeID := uuid.NewString()
	s := &Server{
		opts: opts, store: store.New(rules, pluginSet),
		metrics: proxy.NewMetrics(nodeID, version), traffic: konnect.NewTraffic(),
	}
	if opts.Konnect {
		if err := s.konnectProxy(opts.ControlPlaneID); err != nil {
			return nil, err
		}
		s.platform = konnect.New(s.store, s.traffic, opts.AdminToken, opts.AnalyticsRateLimit)
		_ = s.platform.SetUnavailable(opts.AnalyticsUnavailable)    // checked above
		_ = s.platform.SetClusterType(opts.ControlPlaneClusterType) // checked above
	}
	var adminTLS *tls.Config
	if opts.AdminTLS != nil {
		var err error
		if adminTLS, s.AdminCertPEM, err = opts.AdminTLS.serverTLS(); err != nil {
			return nil, err
		}
	}

	adminLn, err := net.Listen("tcp", adminAddr)
	if err != nil {
		return nil, fmt.Errorf("admin listener: %w", err)
	}
	proxyLn, err := net.Listen("tcp", proxyAddr)
	if err != nil {
		adminLn.Close()
		return nil, fmt.Errorf("proxy listener: %w", err)
	}
	adminAt, proxyAt := adminLn.Addr().String(), proxyLn.Addr().String()
	s.AdminURL, s.ProxyURL = "http://"+adminAt, "http://"+proxyAt
	if adminTLS != nil {
		s.AdminURL = "https://" + adminAt
	}

	cfg := admin.Config{
		Store: s.store, Rules: rules, Plugins: pluginSet, Version: version, NodeID: nodeID,
		AdminAddr: adminAt, ProxyAddr: proxyAt,
		Token: opts.AdminToken, Konnect: opts.Konnect, Latency: opts.AdminLatency,
		Metrics: s.metrics,
	}
	if s.platform != nil { // a nil *konnect.Platform would be a non-nil Platform
		cfg.Platform = s.platform
		s.platform.SetServed(s.ControlPlaneID, s.ProxyURL)
	}
	s.admin = admin.New(cfg)
	// Pauses see a request first, then faults, then the Admin API (which
	// counts what reaches it).
	s.faults = faults.NewInjector(s.admin, opts.Faults)
	s.pauses = faults.NewPauser(s.faults)
	s.serve(adminLn, s.pauses, adminTLS)
	s.serve(proxyLn, proxy.New(s.store.RouteSource, s.metrics, proxy.StorePlugins(pluginSet, s.store, s.globalNS())), nil)
	return s, nil
}

// globalNS is the namespace whose global plugins see the requests no
// route matched: the default workspace, or the control plane proxied.
func (s *Server) globalNS() string {
	switch {
	case !s.opts.Konnect:
		return store.WorkspaceNS(store.DefaultWorkspace)
	case s.ControlPlaneID != AllControlPlanes:
		return store.ControlPlaneNS(s.ControlPlaneID)
	}
	return ""
}

// playedVersion checks a version localkong can play: Kong 3.4.0 to 3.10.x,
// whose services and routes kongschema knows.
func playedVersion(s string) (kongschema.Version, error) {
	v, err := kongschema.ParseVersion(s)
	if err != nil {
		return v, fmt.Errorf("version: %w", err)
	}
	if v.Major != 3 || !v.AtLeast(kongschema.Version{Major: 3, Minor: 4}) || v.AtLeast(kongschema.Version{Major: 3, Minor: 11}) {
		return v, fmt.Errorf("version %s: localkong plays Kong 3.4.0 to 3.10.x", s)
	}
	return v, nil
}

// NewTestServer starts a server on free loopback ports, for tests.
func NewTestServer(opts Options) (*Server, error) {
	return Start(opts, "127.0.0.1:0", "127.0.0.1:0")
}

func (s *Server) serve(ln net.Listener, h http.Handler, tlsCfg *tls.Config) {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second, TLSConfig: tlsCfg, ConnState: s.track}
	if tlsCfg != nil {
		// A client rejecting our certificate is what the TLS tests are
		// about, not a server problem worth a log line.
		hs.ErrorLog = log.New(io.Discard, "", 0)
	}
	s.servers = append(s.servers, hs)
	// Serve returns ErrServerClosed on Close; a listener failing earlier
	// has no one to report to and shows as refused connections.
	go func() {
		if tlsCfg != nil {
			_ = hs.ServeTLS(ln, "", "") // HTTP/2 too, as Kong's "http2 ssl"
			return
		}
		_ = hs.Serve(ln)
	}()
}

// track follows connections that were accepted but have not sent a
// request: clients dial ahead (and redial after a dropped connection), and
// Shutdown would wait 5s for such a connection before counting it idle.
func (s *Server) track(c net.Conn, state http.ConnState) {
	if state == http.StateNew {
		s.fresh.Store(c, struct{}{})
	} else {
		s.fresh.Delete(c)
	}
}

// Close stops both listeners, waiting briefly for requests in flight.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.pauses.ReleaseAll()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// Shutdown stops accepting at once and then waits for requests in
		// flight; meanwhile, connections that never sent one are closed.
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			for {
				s.fresh.Range(func(c, _ any) bool {
					_ = c.(net.Conn).Close()
					return true
				})
				select {
				case <-stop:
					return
				case <-tick.C:
				}
			}
		}()
		for _, hs := range s.servers {
			if err := hs.Shutdown(ctx); err != nil {
				hs.Close()
				s.closeErr = errors.Join(s.closeErr, err)
			}
		}
	})
	return s.closeErr
}

// RequestCount is the number of Admin API requests served so far.
func (s *Server) RequestCount() int64 { return s.admin.RequestCount() }

// ResetRequestCount sets the Admin API request count back to zero, and
// KonnectRequestCounts' too.
func (s *Server) ResetRequestCount() {
	s.admin.ResetRequestCount()
	if s.platform != nil {
		s.platform.ResetRequestCounts()
	}
}
