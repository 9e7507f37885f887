package servicehub

import (
	"net/url"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Config says how to reach one runtime group and where its traffic can be
// observed. The embedded wire settings are kongapi's; zero values take the
// defaults below.
type Config struct {
	kongapi.Config
	Status  StatusConfig
	Konnect KonnectConfig // see konnect.go
	// DefaultTags are added to every entity the provider writes: the
	// provider layer adds them to what its resources write, and the
	// placeholders of version moves (slots.go) carry them too.
	DefaultTags []string
}

// Defaults of the wire settings, for documentation and configuration.
const (
	DefaultAdminURL       = kongapi.DefaultAdminURL
	DefaultMaxRetries     = kongapi.DefaultMaxRetries
	DefaultRequestTimeout = kongapi.DefaultRequestTimeout
)

// Client is the Service Hub of one runtime group: everything the provider
// does to Kong goes through it.
type Client struct {
	Implementations *Implementations
	Routes          *Routes
	Plugins         *Plugins
	Statuses        *Statuses
	// Catalog is Konnect's API catalog; off Konnect its methods say
	// there is none. Analytics is set on Konnect unless Prometheus was
	// asked for (see konnect.go).
	Catalog   *Catalog
	Analytics *Analytics
	plane     *planeCheck // on Konnect: is the control plane writable (controlplane.go)
	// DefaultTags are Config's.
	DefaultTags []string
}

// New connects to the runtime group cfg describes; it sends nothing yet.
// Reads of implementations, routes and plugins go through one refresh cache per
// Client, so give each Terraform run (each provider configuration) its own.
func New(cfg Config) (*Client, error) {
	api, err := kongapi.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	statuses, err := NewStatuses(api, cfg.Status)
	if err != nil {
		return nil, err
	}
	cache := kongapi.NewCache(api)
	impls, routes := NewCachedImplementations(cache), NewCachedRoutes(cache)
	// One version read per Client: per Terraform run.
	impls.gate = NewKongVersion(api, cfg.KonnectToken != "")
	impls.defaults = cfg.DefaultTags
	routes.gate = impls.gate
	c := &Client{
		Implementations: impls,
		Routes:          routes,
		Plugins:         NewCachedPlugins(cache),
		Statuses:        statuses,
		DefaultTags:     cfg.DefaultTags,
	}
	if err := c.connectKonnect(api, cfg); err != nil {
		return nil, err
	}
	return c, nil
}

// ParseAdminURL checks an Admin API URL: absolute http(s) with a host, no
// query or fragment.
func ParseAdminURL(s string) (*url.URL, error) { return kongapi.ParseAdminURL(s) }

// ParseMetricsURL checks a metrics URL as ParseAdminURL does.
func ParseMetricsURL(s string) (*url.URL, error) { return kongapi.ParseMetricsURL(s) }

// MetricsURL is the metrics endpoint of an Admin API: <admin_url>/metrics.
func MetricsURL(adminURL string) (string, error) { return kongapi.MetricsURL(adminURL) }
