package servicehub

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kong/go-kong/kong"
)

// Lookups of implementations made anywhere: by this provider, by hand in
// the Konnect UI, or by decK, as long as they carry the servicehub: tags.
// Through the refresh cache every lookup of a run is answered from one
// listing of the Gateway Services: ⌈services / 1000⌉ requests.

// ImplementationQuery names one implementation: by ID, by Name, or by
// Service and Version (its tags). Exactly one of the three is set.
type ImplementationQuery struct {
	ID, Name         string
	Service, Version string
}

func (q ImplementationQuery) String() string {
	switch {
	case q.ID != "":
		return fmt.Sprintf("id %q", q.ID)
	case q.Name != "":
		return fmt.Sprintf("name %q", q.Name)
	default:
		return fmt.Sprintf("version %q of service %q", q.Version, q.Service)
	}
}

// NoImplementationError: nothing matches the query. Versions lists the
// versions of the queried service that do have an implementation, when
// the query was by service and version.
type NoImplementationError struct {
	Query    ImplementationQuery
	Versions []string
}

func (e *NoImplementationError) Error() string {
	if e.Query.Service == "" {
		return fmt.Sprintf("no Gateway Service with %s in this runtime group", e.Query)
	}
	msg := fmt.Sprintf("no implementation of %s in this runtime group (no Gateway Service tagged %s and %s)",
		e.Query, ServiceTag(e.Query.Service), VersionTag(e.Query.Version))
	if len(e.Versions) > 0 {
		msg += fmt.Sprintf("; service %q has implementations of %s", e.Query.Service, strings.Join(quoted(e.Versions), ", "))
	}
	return msg
}

// AmbiguousImplementationError: several Gateway Services carry the tags of
// one version, which should have one implementation per runtime group.
type AmbiguousImplementationError struct {
	Query ImplementationQuery
	Found []Implementation // by name, then id
}

func (e *AmbiguousImplementationError) Error() string {
	names := make([]string, len(e.Found))
	for i, impl := range e.Found {
		names[i] = fmt.Sprintf("%q (id %s)", impl.Name(), impl.ID())
	}
	return fmt.Sprintf("%s has %d implementations in this runtime group, where there should be one: the Gateway Services %s; "+
		"remove the servicehub tags from all but one", e.Query, len(e.Found), strings.Join(names, ", "))
}

// Find returns the one implementation q names. By id or name it is any
// Gateway Service (Service and Version are "" when it has no servicehub:
// tags); by service and version it is the one carrying both tags. Nothing
// found is a *NoImplementationError, several a *AmbiguousImplementationError.
func (s *Implementations) Find(ctx context.Context, q ImplementationQuery) (Implementation, error) {
	key := q.ID
	if key == "" {
		key = q.Name
	}
	if key != "" {
		impl, err := s.Get(ctx, key)
		switch {
		case IsNotFound(err):
			return Implementation{}, &NoImplementationError{Query: q}
		case err != nil:
			return Implementation{}, err
		}
		// Kong takes a UUID as an id and anything else as a name: an id
		// must not find a service by name, nor a name one by id.
		if (q.ID != "" && !strings.EqualFold(impl.ID(), q.ID)) || (q.Name != "" && impl.Name() != q.Name) {
			return Implementation{}, &NoImplementationError{Query: q}
		}
		return impl, nil
	}
	found, err := s.FindByVersion(ctx, q.Service, q.Version)
	if err != nil {
		return Implementation{}, err
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		nf := &NoImplementationError{Query: q}
		if others, err := s.List(ctx, q.Service); err == nil {
			for _, impl := range others {
				if impl.Version != "" && !slices.Contains(nf.Versions, impl.Version) {
					nf.Versions = append(nf.Versions, impl.Version)
				}
			}
		}
		slices.Sort(nf.Versions)
		return Implementation{}, nf
	default:
		sortImplementations(found)
		return Implementation{}, &AmbiguousImplementationError{Query: q, Found: found}
	}
}

// List returns every implementation in the runtime group, a Gateway
// Service tagged with a Service Hub service, or only service's when it is
// not "". They are sorted by service, version, name and id.
func (s *Implementations) List(ctx context.Context, service string) ([]Implementation, error) {
	var tags []string
	if service != "" {
		tags = append(tags, ServiceTag(service))
	}
	svcs, err := s.kong.ListServicesByTags(ctx, tags...)
	if err != nil {
		return nil, classify(err)
	}
	out := make([]Implementation, 0, len(svcs))
	for _, svc := range svcs {
		if impl := fromKong(svc); impl.Service != "" {
			out = append(out, impl)
		}
	}
	sortImplementations(out)
	return out, nil
}

func sortImplementations(impls []Implementation) {
	slices.SortFunc(impls, func(a, b Implementation) int {
		for _, c := range [][2]string{{a.Service, b.Service}, {a.Version, b.Version}, {a.Name(), b.Name()}, {a.ID(), b.ID()}} {
			if n := strings.Compare(c[0], c[1]); n != 0 {
				return n
			}
		}
		return 0
	})
}

// RouteIDs lists the ids of an implementation's routes, by route name and
// then id.
func (s *Routes) RouteIDs(ctx context.Context, implementationID string) ([]string, error) {
	routes, err := s.ForImplementation(ctx, implementationID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(routes, func(a, b *kong.Route) int {
		if n := strings.Compare(str(a.Name), str(b.Name)); n != 0 {
			return n
		}
		return strings.Compare(str(a.ID), str(b.ID))
	})
	ids := make([]string, len(routes))
	for i, r := range routes {
		ids[i] = str(r.ID)
	}
	return ids, nil
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
