package servicehub

import (
	"context"
	"fmt"
	"sync"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Implementations manages implementations in one runtime group.
type Implementations struct {
	api  *kongapi.Client
	kong entities
	gate *KongVersion // nil: no version check

	// claims holds the versions being created or moved to in this process,
	// so that two implementations of one version applied in parallel cannot
	// both pass the check before either is written.
	mu     sync.Mutex
	claims map[[2]string]Implementation
}

// entities is what implementations and routes are read from and written
// to: Kong itself (*kongapi.Client) or the refresh cache (*kongapi.Cache).
type entities interface {
	GetService(ctx context.Context, idOrName string) (*kong.Service, error)
	PutService(ctx context.Context, s *kong.Service) (*kong.Service, error)
	DeleteService(ctx context.Context, id string) error
	ListServicesByTags(ctx context.Context, tags ...string) ([]*kong.Service, error)
	GetRoute(ctx context.Context, idOrName string) (*kong.Route, error)
	PutRoute(ctx context.Context, r *kong.Route) (*kong.Route, error)
	DeleteRoute(ctx context.Context, id string) error
}

// NewImplementations returns the implementations of the runtime group api
// talks to; every call goes to Kong.
func NewImplementations(api *kongapi.Client) *Implementations {
	return &Implementations{api: api, kong: api, claims: map[[2]string]Implementation{}}
}

// NewCachedImplementations is NewImplementations reading through a refresh
// cache: a run's reads and its version checks cost one listing, not one
// request each.
func NewCachedImplementations(cache *kongapi.Cache) *Implementations {
	return &Implementations{api: cache.API(), kong: cache, claims: map[[2]string]Implementation{}}
}

// VersionTakenError: the version already has an implementation here.
type VersionTakenError struct {
	Service, Version string
	Existing         Implementation
}

func (e *VersionTakenError) Error() string {
	return fmt.Sprintf("version %q of service %q already has an implementation in this runtime group: Gateway Service %q (id %s)",
		e.Version, e.Service, e.Existing.Name(), e.Existing.ID())
}

// NameTakenError: another Gateway Service already has the name.
type NameTakenError struct {
	Name string
	ID   string // the other service's id; "" if it could not be looked up
	Err  error  // Kong's error
}

func (e *NameTakenError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("a Gateway Service named %q already exists in this runtime group", e.Name)
	}
	return fmt.Sprintf("a Gateway Service named %q already exists in this runtime group (id %s)", e.Name, e.ID)
}

func (e *NameTakenError) Unwrap() error { return e.Err }

// Create records a new implementation: a Gateway Service created with PUT
// under a fresh client-side id, so a retried request cannot make two. A
// create whose response was lost is settled by looking the id up; when
// even that fails the error is an *UnsettledError.
func (s *Implementations) Create(ctx context.Context, impl Implementation) (Implementation, error) {
	impl.Gateway.ID = kong.String(kongapi.NewID())
	impl.Gateway.CreatedAt = nil
	release, err := s.claimVersion(ctx, impl)
	if err != nil {
		return Implementation{}, err
	}
	defer release()
	created, err := s.put(ctx, impl)
	if err != nil {
		return settle(ctx, err, "Gateway Service", s.Get)
	}
	return created, nil
}

// Update replaces the implementation's Gateway Service with impl in full,
// so whatever impl leaves unset is cleared in Kong. created_at is sent back
// as it was, since Kong resets it on every PUT that omits it. The version
// is checked for another implementation only when it changes from prior:
// a duplicate made behind our back must not block the original's updates.
func (s *Implementations) Update(ctx context.Context, prior, impl Implementation) (Implementation, error) {
	impl.Gateway.ID, impl.Gateway.CreatedAt = prior.Gateway.ID, prior.Gateway.CreatedAt
	if impl.ID() == "" {
		return Implementation{}, fmt.Errorf("update of implementation %q without an id", impl.Name())
	}
	if prior.Service != impl.Service || prior.Version != impl.Version {
		release, err := s.claimVersion(ctx, impl)
		if err != nil {
			return Implementation{}, err
		}
		defer release()
	}
	updated, err := s.put(ctx, impl)
	return updated, classify(err)
}

// Get fetches an implementation by Gateway Service id or name. A missing
// one gives an error for which IsNotFound is true.
func (s *Implementations) Get(ctx context.Context, idOrName string) (Implementation, error) {
	svc, err := s.kong.GetService(ctx, idOrName)
	if err != nil {
		return Implementation{}, classify(err)
	}
	return fromKong(svc), nil
}

// Delete removes the implementation's Gateway Service; gone already is fine.
// Routes still attached give a *RoutesRemainError naming them.
//
// It is one DELETE: routes are only listed, to name them, once Kong has
// refused.
func (s *Implementations) Delete(ctx context.Context, id string) error {
	err := s.kong.DeleteService(ctx, id)
	if kongapi.IsReferencedBy(err, "routes") {
		return routesRemain(ctx, s.api, id, err)
	}
	return classify(err)
}

// FindByVersion returns the implementations of a service version; normally
// zero or one.
func (s *Implementations) FindByVersion(ctx context.Context, service, version string) ([]Implementation, error) {
	svcs, err := s.kong.ListServicesByTags(ctx, ServiceTag(service), VersionTag(version))
	if err != nil {
		return nil, classify(err)
	}
	out := make([]Implementation, 0, len(svcs))
	for _, svc := range svcs {
		out = append(out, fromKong(svc))
	}
	return out, nil
}

// claimVersion checks that no other Gateway Service implements impl's
// version and holds the version for impl until release is called, after
// the write. The check and the claim are one step under the lock; with the
// refresh cache the check is a lookup in the run's listing, which the
// write updates before release, so a later claim sees it.
func (s *Implementations) claimVersion(ctx context.Context, impl Implementation) (release func(), err error) {
	if impl.Service == "" || impl.Version == "" {
		return func() {}, nil
	}
	key := [2]string{impl.Service, impl.Version}
	s.mu.Lock()
	defer s.mu.Unlock()
	if other, ok := s.claims[key]; ok && other.ID() != impl.ID() {
		return nil, &VersionTakenError{Service: impl.Service, Version: impl.Version, Existing: other}
	}
	found, err := s.FindByVersion(ctx, impl.Service, impl.Version)
	if err != nil {
		return nil, fmt.Errorf("looking for an existing implementation of %s %s: %w", impl.Service, impl.Version, err)
	}
	for _, other := range found {
		if other.ID() != impl.ID() {
			return nil, &VersionTakenError{Service: impl.Service, Version: impl.Version, Existing: other}
		}
	}
	s.claims[key] = impl
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.claims[key].ID() == impl.ID() {
			delete(s.claims, key)
		}
	}, nil
}

func (s *Implementations) put(ctx context.Context, impl Implementation) (Implementation, error) {
	if err := s.gate.CheckService(ctx, toKong(impl)); err != nil {
		return Implementation{}, err
	}
	out, err := s.kong.PutService(ctx, toKong(impl))
	if kongapi.IsUniqueViolation(err) {
		taken := &NameTakenError{Name: impl.Name(), Err: err}
		if other, gerr := s.kong.GetService(ctx, impl.Name()); gerr == nil && other.ID != nil {
			taken.ID = *other.ID
		}
		return Implementation{}, taken
	}
	if err != nil {
		return Implementation{}, err
	}
	return fromKong(out), nil
}
