package servicehub

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Routes manages the routes of implementations in one runtime group.
type Routes struct {
	api  *kongapi.Client
	kong entities
	gate *KongVersion // nil: no version check
}

// NewRoutes returns the routes of the runtime group api talks to; every
// call goes to Kong.
func NewRoutes(api *kongapi.Client) *Routes {
	return &Routes{api: api, kong: api}
}

// NewCachedRoutes is NewRoutes reading through a refresh cache.
func NewCachedRoutes(cache *kongapi.Cache) *Routes {
	return &Routes{api: cache.API(), kong: cache}
}

// RouteNameTakenError: another Route already has the name. Names are
// unique per runtime group and case-sensitive.
type RouteNameTakenError struct {
	Name             string
	ID               string // the other route's id; "" if it could not be looked up
	ImplementationID string // the other route's Gateway Service, when known
	Err              error  // Kong's error
}

func (e *RouteNameTakenError) Error() string {
	msg := fmt.Sprintf("a Route named %q already exists in this runtime group", e.Name)
	if e.ID != "" {
		msg += fmt.Sprintf(" (id %s", e.ID)
		if e.ImplementationID != "" {
			msg += fmt.Sprintf(", on Gateway Service %s", e.ImplementationID)
		}
		msg += ")"
	}
	return msg
}

func (e *RouteNameTakenError) Unwrap() error { return e.Err }

// Route is a route as Kong holds it: go-kong's kong.Route, field for field,
// and the create's token. Its Kong.Tags are the user's own (with the
// provider's default tags, which the provider layer adds): the provider's
// servicehub: tags are added on write and removed on read, as for
// implementations and plugins. Its Kong.Service holds only the id of the
// implementation's Gateway Service.
type Route struct {
	Kong kong.Route
	// Token is the token of the create that made the route, kept on it as
	// the tag servicehub:create=<token> (owner.go); "" for one made
	// without it (by hand, by another tool, or by a release before routes
	// carried it).
	Token string
}

// ID is the route's id.
func (r Route) ID() string { return str(r.Kong.ID) }

// Name is the route's name.
func (r Route) Name() string { return str(r.Kong.Name) }

// routeToKong is the body of a write: the route with the create token
// among its tags, after the user's.
func routeToKong(r Route) *kong.Route {
	k := r.Kong.DeepCopy()
	k.Tags = kong.StringSlice(withToken(strs(r.Kong.Tags), r.Token)...)
	return k
}

// routeFromKong reads a route back: the provider's tags apart.
func routeFromKong(k *kong.Route) Route {
	r := Route{Kong: *k.DeepCopy()}
	var user []string
	r.Token, user = splitToken(strs(k.Tags))
	r.Kong.Tags = kong.StringSlice(user...)
	return r
}

// Create records a new route under a fresh client-side id, with PUT, so a
// retried request cannot make two, tagged with a fresh create token. A
// create whose response was lost is settled by looking the id up, as for
// plugins: only a route carrying this create's token is taken.
func (s *Routes) Create(ctx context.Context, r Route) (Route, error) {
	r.Kong.ID = kong.String(kongapi.NewID())
	r.Kong.CreatedAt, r.Kong.UpdatedAt = nil, nil
	r.Token = kongapi.NewID()
	created, err := s.put(ctx, r)
	if err == nil {
		return created, nil
	}
	found, serr := settle(ctx, err, "Route", s.Get)
	var unsettled *UnsettledError
	if errors.As(serr, &unsettled) {
		unsettled.Token = r.Token
	}
	if serr == nil && found.Token != r.Token {
		return Route{}, fmt.Errorf("%w\n\nThe route at id %s does not carry this create's token: it was replaced outside Terraform after the create", err, r.ID())
	}
	return found, serr
}

// Update replaces the route with r in full: whatever r leaves unset is
// cleared in Kong. Changing its Service moves the route. id and created_at
// are prior's: Kong resets created_at on every PUT that omits it. A route
// changed in Kong since prior was read is not overwritten: *ChangedError
// (see Implementations.Update); nor is one mark does not own (another
// create's at the id): *NotOwnedError. The create's token goes back on
// the route: the one recorded, else the one Kong holds, else (a route
// imported, or made by a release before routes carried one) a fresh one,
// which the caller records from the result.
func (s *Routes) Update(ctx context.Context, prior, r Route, mark Mark) (Route, error) {
	r.Kong.ID, r.Kong.CreatedAt, r.Kong.UpdatedAt = prior.Kong.ID, prior.Kong.CreatedAt, nil
	if r.ID() == "" {
		return Route{}, fmt.Errorf("update of route %q without an id", r.Name())
	}
	cur, err := s.unchanged(ctx, prior, mark)
	if err != nil {
		return Route{}, err
	}
	r.Token = firstToken(mark.Token, cur.Token)
	out, err := s.put(ctx, r)
	return out, classify(err)
}

// Get fetches a route by id or name. A missing one gives an error for which
// IsNotFound is true.
func (s *Routes) Get(ctx context.Context, idOrName string) (Route, error) {
	k, err := s.kong.GetRoute(ctx, idOrName)
	if err != nil {
		return Route{}, classify(err)
	}
	return routeFromKong(k), nil
}

// ForImplementation lists the routes of an implementation, as Kong holds
// them (the provider's tags included).
func (s *Routes) ForImplementation(ctx context.Context, implementationID string) ([]*kong.Route, error) {
	rs, err := s.api.ListRoutesForService(ctx, implementationID)
	return rs, classify(err)
}

func (s *Routes) put(ctx context.Context, r Route) (Route, error) {
	body := routeToKong(r)
	if err := s.gate.CheckRoute(ctx, body); err != nil {
		return Route{}, err
	}
	out, err := s.kong.PutRoute(ctx, body)
	if kongapi.IsUniqueViolation(err) {
		taken := &RouteNameTakenError{Name: r.Name(), Err: err}
		if other, gerr := s.kong.GetRoute(ctx, r.Name()); gerr == nil && other.ID != nil {
			taken.ID, taken.ImplementationID = str(other.ID), ServiceID(other)
		}
		return Route{}, taken
	}
	if err != nil {
		return Route{}, err
	}
	return routeFromKong(out), nil
}

// ServiceID is the id of the Gateway Service a route sends requests to; ""
// when it has none.
func ServiceID(r *kong.Route) string {
	if r.Service == nil {
		return ""
	}
	return str(r.Service.ID)
}

// RoutesRemainError: an implementation cannot be deleted while routes
// still point at its Gateway Service. It names them, since Kong's own error
// ("an existing 'routes' entity references this 'services' entity") does
// not say which.
type RoutesRemainError struct {
	ImplementationID string
	Routes           []*kong.Route
}

func (e *RoutesRemainError) Error() string {
	names := make([]string, 0, len(e.Routes))
	for _, r := range e.Routes {
		if r.Name != nil {
			names = append(names, fmt.Sprintf("%q%s", *r.Name, details(r.ID, r.Tags)))
		} else {
			names = append(names, "unnamed route"+details(r.ID, r.Tags))
		}
	}
	sort.Strings(names)
	noun := "routes"
	if len(names) == 1 {
		noun = "route"
	}
	return fmt.Sprintf("the Gateway Service %s still has %d %s: %s. Kong does not delete a Gateway Service that routes refer to. "+
		"Routes that are not in this configuration must be deleted, moved to another implementation, or imported as servicehub_route resources "+
		"(terraform import servicehub_route.<name> <route name or id>) so that Terraform deletes them first. "+
		"If they are servicehub_route resources moving to another implementation in this same apply, Terraform tried to delete the implementation before moving them: "+
		"apply again, or give the implementation lifecycle { create_before_destroy = true }. "+
		"Or set force_destroy = true on the servicehub_implementation and apply before destroying, to delete them (and their plugins) with it",
		e.ImplementationID, len(names), noun, strings.Join(names, ", "))
}

// routesRemain turns Kong's refusal to delete a referenced Gateway Service
// into a RoutesRemainError naming the routes. If they cannot be listed,
// Kong's error stands.
func routesRemain(ctx context.Context, api *kongapi.Client, id string, err error) error {
	routes, lerr := NewRoutes(api).ForImplementation(ctx, id)
	if lerr != nil || len(routes) == 0 {
		return classify(err)
	}
	return &RoutesRemainError{ImplementationID: id, Routes: routes}
}
