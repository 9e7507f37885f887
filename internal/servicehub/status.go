package servicehub

import (
	"context"
	"fmt"
	"net/url"
	"sort"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// StatusConfig says where a runtime group's traffic can be observed.
type StatusConfig struct {
	MetricsURL string // Prometheus text endpoint, e.g. http://localhost:8001/metrics
	ProxyURL   string // where clients call the proxy; DefaultProxyURL when empty
	Workspace  string // the workspace implementations live in; "" is the default one
}

// Statuses answers what Konnect's version overview shows, from one runtime
// group: a version's implementation, its routes and its traffic.
type Statuses struct {
	impls      *Implementations
	routes     *Routes
	plugins    *Plugins
	api        *kongapi.Client
	metricsURL *url.URL
	proxy      *url.URL
	workspace  string
}

// NewStatuses checks cfg's URLs and returns the reader.
func NewStatuses(api *kongapi.Client, cfg StatusConfig) (*Statuses, error) {
	if cfg.ProxyURL == "" {
		cfg.ProxyURL = DefaultProxyURL
	}
	proxy, err := ParseProxyURL(cfg.ProxyURL)
	if err != nil {
		return nil, err
	}
	metrics, err := kongapi.ParseMetricsURL(cfg.MetricsURL)
	if err != nil {
		return nil, err
	}
	return &Statuses{
		impls:      NewImplementations(api),
		routes:     NewRoutes(api),
		plugins:    NewPlugins(api),
		api:        api,
		metricsURL: metrics,
		proxy:      proxy,
		workspace:  cfg.Workspace,
	}, nil
}

// MetricsURL is where traffic is read from, with any password masked.
func (s *Statuses) MetricsURL() string { return s.metricsURL.Redacted() }

// VersionStatus is a version's state in the runtime group. A version with
// no implementation has a nil Implementation, no routes and no traffic.
type VersionStatus struct {
	Implementation *Implementation
	Routes         []RouteStatus // by name, then id
	// Plugins are those on the implementation, then those on its routes
	// (by route name), each by name.
	Plugins []PluginStatus
	Traffic Traffic // summed over the implementation's routes
	// MetricsErr says why Traffic could not be read (no metrics endpoint,
	// refused, denied); everything else is still valid. Nil when read.
	MetricsErr error
}

// RouteStatus is a route of the implementation and the URLs that reach it.
type RouteStatus struct {
	ID, Name              string
	Methods, Paths, Hosts []string
	URLs                  []string
}

// Version reads a version's status. A metrics endpoint that cannot be
// reached is reported in MetricsErr; one that answers with something other
// than Prometheus text is an error (*MetricsFormatError), since counts read
// from it could not be trusted.
func (s *Statuses) Version(ctx context.Context, service, version string) (VersionStatus, error) {
	impl, err := s.implementation(ctx, service, version)
	if err != nil || impl == nil {
		return emptyStatus(), err
	}
	st, err := s.withRoutes(ctx, *impl)
	if err != nil {
		return VersionStatus{}, err
	}

	body, err := s.api.Metrics(ctx, s.metricsURL.String())
	if err != nil {
		if ctx.Err() != nil {
			return VersionStatus{}, ctx.Err()
		}
		st.MetricsErr = classify(err)
		return st, nil
	}
	t, err := countStatusCodes(body, serviceLabel(*impl), s.workspace)
	if err != nil {
		return VersionStatus{}, &MetricsFormatError{URL: s.metricsURL.Redacted(), Err: err}
	}
	st.Traffic = t
	return st, nil
}

// serviceLabel is the service label Kong's exporter gives the
// implementation's traffic: its name, or its host when it has none.
func serviceLabel(impl Implementation) string {
	if impl.Name() != "" {
		return impl.Name()
	}
	return str(impl.Gateway.Host)
}

func emptyStatus() VersionStatus {
	return VersionStatus{Routes: []RouteStatus{}, Plugins: []PluginStatus{}, Traffic: Traffic{StatusCodes: map[string]int64{}}}
}

// implementation finds the version's implementation by its tags; nil when
// it has none.
func (s *Statuses) implementation(ctx context.Context, service, version string) (*Implementation, error) {
	found, err := s.impls.FindByVersion(ctx, service, version)
	if err != nil {
		return nil, fmt.Errorf("looking for the implementation of %s %s: %w", service, version, err)
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return &found[0], nil
	default:
		sortImplementations(found)
		return nil, &AmbiguousImplementationError{Query: ImplementationQuery{Service: service, Version: version}, Found: found}
	}
}

// withRoutes is the status of an implementation without its traffic.
func (s *Statuses) withRoutes(ctx context.Context, impl Implementation) (VersionStatus, error) {
	st := emptyStatus()
	st.Implementation = &impl
	routes, err := s.routes.ForImplementation(ctx, impl.ID())
	if err != nil {
		return VersionStatus{}, fmt.Errorf("listing the routes of implementation %q: %w", impl.Name(), err)
	}
	for _, r := range routes {
		st.Routes = append(st.Routes, RouteStatus{
			ID: str(r.ID), Name: str(r.Name),
			Methods: strs(r.Methods), Paths: strs(r.Paths), Hosts: strs(r.Hosts),
			URLs: RouteURLs(s.proxy, r),
		})
	}
	sort.Slice(st.Routes, func(i, j int) bool {
		if st.Routes[i].Name != st.Routes[j].Name {
			return st.Routes[i].Name < st.Routes[j].Name
		}
		return st.Routes[i].ID < st.Routes[j].ID
	})
	if st.Plugins, err = s.pluginsOf(ctx, impl, st.Routes); err != nil {
		return VersionStatus{}, err
	}
	return st, nil
}
