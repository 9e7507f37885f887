package servicehub

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// The inventory: what a runtime group already holds, found so that it can
// be adopted (the provider's list resources, `terraform query`). Each kind
// is read with one paged listing, whatever the number of entities: the
// Gateway Services and the Routes through the run's refresh cache (1000 a
// page, shared with every other read of the run), and on Konnect the
// catalog's implementations and APIs (100 a page). Nothing is read per
// entity.

// Found is an implementation a listing found: a Gateway Service tagged with
// a Service Hub service, or, on Konnect, one linked to a version in the
// API catalog (as the Konnect UI links them, without tags).
type Found struct {
	Implementation
	// Link is the Gateway Service's link in the catalog; nil when it has
	// none (or off Konnect).
	Link *Link
	// Linked is the catalog version Link points at; nil when not linked,
	// or when the version is not in the catalog's listing.
	Linked *ServiceVersion
}

// ServiceName is the Service Hub service it implements: its tag, else the
// name of the version it is linked to.
func (f Found) ServiceName() string {
	if f.Service == "" && f.Linked != nil {
		return f.Linked.Service
	}
	return f.Service
}

// VersionName is the version it implements, as ServiceName.
func (f Found) VersionName() string {
	if f.Service == "" && f.Linked != nil {
		return f.Linked.Version
	}
	return f.Version
}

// FoundQuery narrows a listing of implementations; empty fields do not.
type FoundQuery struct {
	Service, Version string
}

func (q FoundQuery) matches(f Found) bool {
	return (q.Service == "" || f.ServiceName() == q.Service) && (q.Version == "" || f.VersionName() == q.Version)
}

// FindImplementations lists the implementations in the runtime group that
// match q, by service, version, name and id: one listing of the Gateway
// Services and, on Konnect, one of the catalog's implementations of this
// control plane and one of its APIs (taken only when something is linked).
// Gateway Services that are neither tagged nor linked are not
// implementations, and neither are the slot claims (see slots.go).
func (c *Client) FindImplementations(ctx context.Context, q FoundQuery) ([]Found, error) {
	svcs, err := c.Implementations.kong.ListServicesByTags(ctx)
	if err != nil {
		return nil, classify(err)
	}
	links, versions, err := c.Catalog.links(ctx)
	if err != nil {
		return nil, err
	}
	var out []Found
	for _, svc := range svcs {
		f := Found{Implementation: fromKong(svc)}
		if l, ok := links[f.ID()]; ok {
			f.Link = &l
			if v, ok := versions[l.VersionID]; ok {
				f.Linked = &v
			}
		}
		if (f.Service == "" && f.Link == nil) || !q.matches(f) {
			continue
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Found) int {
		for _, c := range [][2]string{{a.ServiceName(), b.ServiceName()}, {a.VersionName(), b.VersionName()}, {a.Name(), b.Name()}, {a.ID(), b.ID()}} {
			if n := strings.Compare(c[0], c[1]); n != 0 {
				return n
			}
		}
		return 0
	})
	return out, nil
}

// linkListing is the catalog's links of this control plane's Gateway
// Services, by service id, and the versions they point at, by id: listed
// once per Client, so that a query's list blocks share it as they share
// the refresh cache's listings.
type linkListing struct {
	once     sync.Once
	links    map[string]Link
	versions map[string]ServiceVersion
	err      error
}

// links lists the links and their versions, once; both are empty off
// Konnect. The versions are listed only when something is linked.
func (c *Catalog) links(ctx context.Context) (map[string]Link, map[string]ServiceVersion, error) {
	if c == nil || c.api == nil { // off Konnect
		return nil, nil, nil
	}
	l := &c.listed
	l.once.Do(func() {
		impls, err := c.api.ListImplementations(ctx, konnectapi.ImplementationFilter{ControlPlaneID: c.api.ControlPlaneID})
		if err != nil || len(impls) == 0 {
			l.err = classifyCatalog(err)
			return
		}
		l.links = make(map[string]Link, len(impls))
		for _, i := range impls {
			link := fromImplementation(i)
			l.links[link.ServiceID] = link
		}
		apis, err := c.api.ListAPIs(ctx, "")
		if err != nil {
			l.links, l.err = nil, classifyCatalog(err)
			return
		}
		l.versions = make(map[string]ServiceVersion, len(apis))
		for _, a := range apis {
			l.versions[a.ID] = fromAPI(a)
		}
	})
	return l.links, l.versions, l.err
}

// FoundRoute is a route of a found implementation.
type FoundRoute struct {
	// Route is the route as a read gives it (Routes.Get): the provider's
	// servicehub: tags apart.
	Route *kong.Route
	// Implementation is the Gateway Service it sends requests to.
	Implementation Implementation
}

// NotImplementationError: the Gateway Service asked for is not an
// implementation: it has no servicehub tags and no catalog link.
type NotImplementationError struct{ ID, Name string }

func (e *NotImplementationError) Error() string {
	return fmt.Sprintf("the Gateway Service %q (id %s) is not an implementation: it has no %s tag and no link to a version in the API catalog",
		e.Name, e.ID, ServiceTag("<service>"))
}

// FindRoutes lists the routes of the implementations in the runtime group,
// or of one when implementationID is not "", by implementation name, route
// name and id. All of them: one listing of the Gateway Services (with the
// catalog's, as FindImplementations) and one of the Routes. One: a read of
// its Gateway Service (and its catalog link, if untagged) and one listing
// of its routes. An implementationID that names no Gateway Service gives
// an error for which IsNotFound is true; one that is not an implementation
// a *NotImplementationError.
func (c *Client) FindRoutes(ctx context.Context, implementationID string) ([]FoundRoute, error) {
	var out []FoundRoute
	if implementationID != "" {
		impl, err := c.Implementations.Get(ctx, implementationID)
		if err != nil {
			return nil, err
		}
		if impl.Service == "" {
			link, err := c.Catalog.linkOf(ctx, impl.ID())
			if err != nil {
				return nil, err
			}
			if link == nil {
				return nil, &NotImplementationError{ID: impl.ID(), Name: impl.Name()}
			}
		}
		routes, err := c.Routes.ForImplementation(ctx, impl.ID())
		if err != nil {
			return nil, err
		}
		for _, r := range routes {
			out = append(out, FoundRoute{Route: userRoute(r), Implementation: impl})
		}
	} else {
		found, err := c.FindImplementations(ctx, FoundQuery{})
		if err != nil {
			return nil, err
		}
		byID := make(map[string]Implementation, len(found))
		for _, f := range found {
			byID[f.ID()] = f.Implementation
		}
		routes, err := c.Routes.kong.ListRoutes(ctx)
		if err != nil {
			return nil, classify(err)
		}
		for _, r := range routes {
			if impl, ok := byID[ServiceID(r)]; ok {
				out = append(out, FoundRoute{Route: userRoute(r), Implementation: impl})
			}
		}
	}
	slices.SortFunc(out, func(a, b FoundRoute) int {
		for _, c := range [][2]string{{a.Implementation.Name(), b.Implementation.Name()}, {str(a.Route.Name), str(b.Route.Name)}, {str(a.Route.ID), str(b.Route.ID)}} {
			if n := strings.Compare(c[0], c[1]); n != 0 {
				return n
			}
		}
		return 0
	})
	return out, nil
}

// linkOf is LinkOf, nil off Konnect.
func (c *Catalog) linkOf(ctx context.Context, serviceID string) (*Link, error) {
	if c == nil || c.api == nil { // off Konnect
		return nil, nil
	}
	return c.LinkOf(ctx, serviceID)
}

// ListVersions lists the catalog's service versions, or one service's when
// service is not "", by service, version and id: one listing of the APIs.
// APIs without a version (made in the Konnect UI, say) are left out: they
// are not service versions until they have one.
func (c *Catalog) ListVersions(ctx context.Context, service string) ([]ServiceVersion, error) {
	if err := c.Available(); err != nil {
		return nil, err
	}
	apis, err := c.api.ListAPIs(ctx, service)
	if err != nil {
		return nil, classifyCatalog(err)
	}
	out := make([]ServiceVersion, 0, len(apis))
	for _, a := range apis {
		if v := fromAPI(a); v.Version != "" {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b ServiceVersion) int {
		for _, c := range [][2]string{{a.Service, b.Service}, {a.Version, b.Version}, {a.ID, b.ID}} {
			if n := strings.Compare(c[0], c[1]); n != 0 {
				return n
			}
		}
		return 0
	})
	return out, nil
}

// userRoute is a route as Kong holds it without the provider's tags.
func userRoute(k *kong.Route) *kong.Route {
	r := routeFromKong(k)
	return &r.Kong
}
