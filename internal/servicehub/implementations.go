package servicehub

import (
	"context"
	"fmt"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Implementations manages implementations in one runtime group.
type Implementations struct {
	api *kongapi.Client
}

// NewImplementations returns the implementations of the runtime group api talks to.
func NewImplementations(api *kongapi.Client) *Implementations {
	return &Implementations{api: api}
}

// VersionTakenError: the version already has an implementation here.
type VersionTakenError struct {
	Service, Version string
	Existing         Implementation
}

func (e *VersionTakenError) Error() string {
	return fmt.Sprintf("version %q of service %q already has an implementation in this runtime group: Gateway Service %q (id %s)",
		e.Version, e.Service, e.Existing.Name, e.Existing.ID)
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
// under a fresh client-side id, so a retried request cannot make two.
func (s *Implementations) Create(ctx context.Context, impl Implementation) (Implementation, error) {
	if err := s.checkVersionFree(ctx, impl.Service, impl.Version, ""); err != nil {
		return Implementation{}, err
	}
	impl.ID = kongapi.NewID()
	impl.CreatedAt = 0
	return s.put(ctx, impl)
}

// Update replaces the implementation's Gateway Service with impl in full,
// so whatever impl leaves unset is cleared in Kong. created_at is sent back
// as it was, since Kong resets it on every PUT that omits it. The version
// is checked for another implementation only when it changes from prior:
// a duplicate made behind our back must not block the original's updates.
func (s *Implementations) Update(ctx context.Context, prior, impl Implementation) (Implementation, error) {
	if impl.ID == "" {
		return Implementation{}, fmt.Errorf("update of implementation %q without an id", impl.Name)
	}
	if prior.Service != impl.Service || prior.Version != impl.Version {
		if err := s.checkVersionFree(ctx, impl.Service, impl.Version, impl.ID); err != nil {
			return Implementation{}, err
		}
	}
	return s.put(ctx, impl)
}

// Get fetches an implementation by Gateway Service id or name. A missing
// one gives an error for which IsNotFound is true.
func (s *Implementations) Get(ctx context.Context, idOrName string) (Implementation, error) {
	svc, err := s.api.GetService(ctx, idOrName)
	if err != nil {
		return Implementation{}, err
	}
	return fromKong(svc), nil
}

// Delete removes the implementation's Gateway Service; gone already is fine.
// Routes still attached give a *RoutesRemainError naming them.
func (s *Implementations) Delete(ctx context.Context, id string) error {
	err := s.api.DeleteService(ctx, id)
	if kongapi.IsReferencedBy(err, "routes") {
		return routesRemain(ctx, s.api, id, err)
	}
	return err
}

// FindByVersion returns the implementations of a service version; normally
// zero or one.
func (s *Implementations) FindByVersion(ctx context.Context, service, version string) ([]Implementation, error) {
	svcs, err := s.api.ListServicesByTags(ctx, ServiceTag(service), VersionTag(version))
	if err != nil {
		return nil, err
	}
	out := make([]Implementation, 0, len(svcs))
	for _, svc := range svcs {
		out = append(out, fromKong(svc))
	}
	return out, nil
}

// IsNotFound reports whether err means the implementation does not exist.
func IsNotFound(err error) bool { return kongapi.IsNotFound(err) }

func (s *Implementations) checkVersionFree(ctx context.Context, service, version, self string) error {
	if service == "" || version == "" {
		return nil
	}
	found, err := s.FindByVersion(ctx, service, version)
	if err != nil {
		return fmt.Errorf("looking for an existing implementation of %s %s: %w", service, version, err)
	}
	for _, other := range found {
		if other.ID != self {
			return &VersionTakenError{Service: service, Version: version, Existing: other}
		}
	}
	return nil
}

func (s *Implementations) put(ctx context.Context, impl Implementation) (Implementation, error) {
	out, err := s.api.PutService(ctx, toKong(impl))
	if kongapi.IsUniqueViolation(err) {
		taken := &NameTakenError{Name: impl.Name, Err: err}
		if other, gerr := s.api.GetService(ctx, impl.Name); gerr == nil && other.ID != nil {
			taken.ID = *other.ID
		}
		return Implementation{}, taken
	}
	if err != nil {
		return Implementation{}, err
	}
	return fromKong(out), nil
}
