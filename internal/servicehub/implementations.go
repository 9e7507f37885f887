package servicehub

import (
	"context"
	"errors"
	"fmt"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Implementations manages implementations in one runtime group.
type Implementations struct {
	api  *kongapi.Client
	kong entities
	gate *KongVersion // nil: no version check
	// group names the runtime group in slot ids (kongapi.Client.Group).
	group string
	// defaults are the provider's default tags, for the claims this
	// writes (the implementations' own come with their tags).
	defaults []string
}

// entities is what implementations and routes are read from and written
// to: Kong itself (*kongapi.Client) or the refresh cache (*kongapi.Cache).
type entities interface {
	GetService(ctx context.Context, idOrName string) (*kong.Service, error)
	CreateService(ctx context.Context, s *kong.Service) (*kong.Service, error)
	PutService(ctx context.Context, s *kong.Service) (*kong.Service, error)
	DeleteService(ctx context.Context, id string) error
	ListServicesByTags(ctx context.Context, tags ...string) ([]*kong.Service, error)
	GetRoute(ctx context.Context, idOrName string) (*kong.Route, error)
	ListRoutes(ctx context.Context) ([]*kong.Route, error)
	PutRoute(ctx context.Context, r *kong.Route) (*kong.Route, error)
	DeleteRoute(ctx context.Context, id string) error
	// PluginsOn lists the plugins on a Gateway Service or Route, for a
	// delete to see what it would take down (guard.go).
	PluginsOn(ctx context.Context, kind, id string) ([]*kong.Plugin, error)
}

// NewImplementations returns the implementations of the runtime group api
// talks to; every call goes to Kong.
func NewImplementations(api *kongapi.Client) *Implementations {
	return &Implementations{api: api, kong: api, group: api.Group()}
}

// NewCachedImplementations is NewImplementations reading through a refresh
// cache: a run's reads and its version checks cost one listing, not one
// request each.
func NewCachedImplementations(cache *kongapi.Cache) *Implementations {
	return &Implementations{api: cache.API(), kong: cache, group: cache.API().Group()}
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

// Create records a new implementation: a Gateway Service inserted with
// POST at its version's first usable slot (see slots.go), so that of
// concurrent creates of one version exactly one succeeds and the others get
// a *VersionTakenError naming it, writing nothing. It is one request unless
// the slot is taken. The insert carries a fresh token (the returned
// implementation's Token; see owner.go), so a retried POST that meets its
// own first attempt knows it, and so do this state's later reads; a create
// whose outcome cannot be learnt is an *UnsettledError naming the slot id
// and the token.
//
// Gateway Services of the version made outside this protocol (by hand,
// or by an older provider) are found by the tag lookup first.
func (s *Implementations) Create(ctx context.Context, impl Implementation) (Implementation, error) {
	impl.Gateway.ID, impl.Gateway.CreatedAt, impl.Gateway.UpdatedAt = nil, nil, nil
	if impl.Service == "" || impl.Version == "" {
		return Implementation{}, fmt.Errorf("implementation %q: a service and a version are required", impl.Name())
	}
	impl.Token = kongapi.NewID()
	body := toKong(impl)
	if err := s.gate.CheckService(ctx, body); err != nil {
		return Implementation{}, err
	}
	if err := s.checkOthers(ctx, impl); err != nil {
		return Implementation{}, err
	}
	token := createTagPrefix + impl.Token
	out, err := s.acquire(ctx, impl.Service, impl.Version,
		func(id string) (*kong.Service, error) {
			b := body.DeepCopy()
			b.ID = kong.String(id)
			return s.kong.CreateService(ctx, b)
		},
		func(cur *kong.Service) bool { return hasTag(cur, token) })
	if err != nil {
		var ue *UnsettledError
		if errors.As(err, &ue) {
			ue.Token = impl.Token
		}
		return Implementation{}, classify(s.nameTaken(ctx, impl.Name(), err))
	}
	return fromKong(out), nil
}

// Update replaces the implementation's Gateway Service with impl in full,
// so whatever impl leaves unset is cleared in Kong. created_at is sent back
// as it was, since Kong resets it on every PUT that omits it, and so is the
// create's token (owner.go); one without a token gets one.
//
// It first reads the Gateway Service: one that mark does not own (another
// create's, at the same id) is a *NotOwnedError; one changed in Kong since
// prior was read (another run, a person) is a *ChangedError. Either way
// nothing is written rather than overwrite what this run has not seen.
// That narrows the window for a silent overwrite to one round trip; it
// cannot close it, as Kong has no conditional write. A mark that is not
// Known (a state from before marks, not refreshed since) owns whatever is
// at the id, as before.
//
// Changing the service or version moves the implementation: it claims the
// new version (see slots.go) before the write, and releases its claims on
// others after it. A duplicate made behind our back does not block updates
// that leave the version alone.
func (s *Implementations) Update(ctx context.Context, prior, impl Implementation, mark Mark) (Implementation, error) {
	impl.Gateway.ID, impl.Gateway.CreatedAt, impl.Gateway.UpdatedAt = prior.Gateway.ID, prior.Gateway.CreatedAt, nil
	if impl.ID() == "" {
		return Implementation{}, fmt.Errorf("update of implementation %q without an id", impl.Name())
	}
	cur, err := s.unchanged(ctx, prior, mark)
	if err != nil {
		return Implementation{}, err
	}
	// The token stays: the one recorded, or the one Kong holds when the
	// state has none yet, or (an imported implementation without one) a
	// fresh one, recorded from the result.
	impl.Token = firstToken(mark.Token, cur.Token)
	moves := (prior.Service != impl.Service || prior.Version != impl.Version) && impl.Service != "" && impl.Version != "" && !impl.Linked
	var held *kong.Service
	if moves {
		if err := s.checkOthers(ctx, impl); err != nil {
			return Implementation{}, err
		}
		var err error
		if held, err = s.claim(ctx, impl); err != nil {
			return Implementation{}, classify(err)
		}
	}
	updated, err := s.put(ctx, impl)
	if err != nil {
		if held != nil {
			// The move did not happen: give the version back. Should that
			// fail too, the claim is the owner's to release on its next move
			// or delete, and others are told so meanwhile.
			owner := impl.ID()
			_ = s.deleteExactly(ctx, str(held.ID), func(cur *kong.Service) bool { return isClaimOf(cur, owner) })
		}
		return Implementation{}, classify(err)
	}
	if prior.Service != impl.Service || prior.Version != impl.Version {
		keep := ""
		if held != nil {
			keep = str(held.ID)
		}
		if err := s.releaseClaims(ctx, impl.ID(), keep); err != nil {
			return updated, fmt.Errorf("the implementation %q moved to %q version %q, but %w", impl.Name(), impl.Service, impl.Version, err)
		}
	}
	return updated, nil
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

// Delete removes the implementation's Gateway Service (prior, as last
// read) if mark owns what its id holds; gone already is fine. Routes still
// attached give a *RoutesRemainError naming them. Its claims on versions go
// after it. What another create made at the id (owner.go) is left alone:
// a *NotOwnedError, which is a warning, not a failure, to the caller.
//
// It reads the id (from the run's listing when there is one), then sends
// one DELETE: routes are only listed, to name them, once Kong has refused,
// and claims are looked up in the run's listing. The DELETE is never
// retried blindly (see deleteExactly).
//
// Plugins on the Gateway Service that this configuration does not manage
// (guard.go) make it an *InUseError, and nothing is deleted.
func (s *Implementations) Delete(ctx context.Context, prior Implementation, mark Mark) error {
	return s.delete(ctx, prior, mark, false)
}

// ForceDelete is Delete taking down what others made on the Gateway
// Service (force_destroy): its routes, with their plugins, and its
// plugins; never the Ingress Controller's.
func (s *Implementations) ForceDelete(ctx context.Context, prior Implementation, mark Mark) error {
	return s.delete(ctx, prior, mark, true)
}

func (s *Implementations) delete(ctx context.Context, prior Implementation, mark Mark, force bool) error {
	if err := s.checkOwned(ctx, prior, mark); err != nil {
		return err
	}
	if err := s.clear(ctx, prior.ID(), prior.Name(), force); err != nil {
		return err
	}
	return s.deleteOwned(ctx, prior, mark)
}

// checkOwned reads the Gateway Service at prior's id: nil when mark owns
// it or it is gone, a *NotOwnedError when another create made it.
//
// A mark that is not Known comes from a state written before marks and not
// refreshed since (destroy -refresh=false), or is that of a tainted object,
// whose delete Terraform hands no private state. With created_at (the
// refresh read it, or the state is from before marks) what the id holds
// is taken as before, by name and created_at (deleteOwned). Without, the
// create was never confirmed and nothing tells whose the entity is: an
// *UnknownOwnerError, and nothing is deleted.
func (s *Implementations) checkOwned(ctx context.Context, prior Implementation, mark Mark) error {
	if !mark.Known() && prior.Gateway.CreatedAt != nil {
		return nil // deleteOwned compares name and created_at on its own
	}
	cur, err := s.kong.GetService(ctx, prior.ID())
	switch {
	case IsNotFound(err):
		return nil
	case err != nil:
		return classify(err)
	case !mark.Known():
		return &UnknownOwnerError{Noun: "Gateway Service", ID: prior.ID(), Name: prior.Name(), Other: str(cur.Name)}
	case mark.owns(cur):
		return nil
	}
	return &NotOwnedError{Noun: "Gateway Service", ID: prior.ID(), Name: prior.Name(), Other: str(cur.Name)}
}

// deleteOwned is Delete once checkOwned has passed.
func (s *Implementations) deleteOwned(ctx context.Context, prior Implementation, mark Mark) error {
	id := prior.ID()
	err := s.deleteExactly(ctx, id, func(cur *kong.Service) bool {
		if mark.Known() {
			return mark.owns(cur)
		}
		// Ours while name and creation are prior's; else another run's new
		// holder of the slot, which is not ours to delete.
		created := prior.Gateway.CreatedAt == nil || cur.CreatedAt == nil || *cur.CreatedAt == *prior.Gateway.CreatedAt
		return str(cur.Name) == prior.Name() && created
	})
	if kongapi.IsReferencedBy(err, "routes") {
		return routesRemain(ctx, s.api, id, err)
	}
	if err != nil {
		return classify(err)
	}
	if err := s.releaseClaims(ctx, id, ""); err != nil {
		return fmt.Errorf("the implementation %q was deleted, but %w", prior.Name(), err)
	}
	return nil
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

// checkOthers refuses impl's version when a Gateway Service other than impl
// is tagged with it: one made outside the slot protocol, found in the run's
// listing. (Between runs of this provider the slots decide; this lookup is
// what keeps hand-made and imported implementations counted.)
func (s *Implementations) checkOthers(ctx context.Context, impl Implementation) error {
	found, err := s.FindByVersion(ctx, impl.Service, impl.Version)
	if err != nil {
		return fmt.Errorf("looking for an existing implementation of %s %s: %w", impl.Service, impl.Version, err)
	}
	for _, other := range found {
		if other.ID() != impl.ID() {
			return &VersionTakenError{Service: impl.Service, Version: impl.Version, Existing: other}
		}
	}
	return nil
}

func (s *Implementations) put(ctx context.Context, impl Implementation) (Implementation, error) {
	body := toKong(impl)
	if err := s.gate.CheckService(ctx, body); err != nil {
		return Implementation{}, err
	}
	out, err := s.kong.PutService(ctx, body)
	if err != nil {
		return Implementation{}, s.nameTaken(ctx, impl.Name(), err)
	}
	return fromKong(out), nil
}

// nameTaken turns Kong's unique violation on a write named name into a
// *NameTakenError naming the other Gateway Service.
func (s *Implementations) nameTaken(ctx context.Context, name string, err error) error {
	if !kongapi.IsUniqueViolation(err) {
		return err
	}
	taken := &NameTakenError{Name: name, Err: err}
	if other, gerr := s.kong.GetService(ctx, name); gerr == nil && other.ID != nil {
		taken.ID = *other.ID
	}
	return taken
}
