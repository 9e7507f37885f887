package servicehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// On Konnect an implementation is a Gateway Service plus its link in the
// catalog (an API implementation). The catalog keeps one implementation
// per API and one API per Gateway Service, atomically: those rules, not a
// read before the write, are what hold under concurrent runs. Reading
// first only gives the common refusal a better message, before anything
// is written.

// Link is a Gateway Service's link to a version in the catalog.
type Link struct {
	ID             string // the catalog's implementation id
	VersionID      string // the API
	ServiceID      string // the Gateway Service
	ControlPlaneID string
}

func fromImplementation(i konnectapi.Implementation) Link {
	l := Link{ID: i.ID, VersionID: i.APIID}
	if i.Service != nil {
		l.ServiceID, l.ControlPlaneID = i.Service.ID, i.Service.ControlPlaneID
	}
	return l
}

// VersionImplementedError: the version is implemented by another Gateway
// Service already.
type VersionImplementedError struct {
	Version ServiceVersion
	By      Link
	// ByName is the other Gateway Service's name when it is in this
	// control plane, "" otherwise.
	ByName string
	Err    error
}

func (e *VersionImplementedError) Error() string {
	by := fmt.Sprintf("Gateway Service %s of control plane %s", e.By.ServiceID, e.By.ControlPlaneID)
	if e.ByName != "" {
		by = fmt.Sprintf("Gateway Service %q (id %s)", e.ByName, e.By.ServiceID)
	}
	return fmt.Sprintf("version %q of service %q (id %s) is already implemented in the API catalog by %s",
		e.Version.Version, e.Version.Service, e.Version.ID, by)
}

func (e *VersionImplementedError) Unwrap() error { return e.Err }

// ServiceLinkedError: the Gateway Service is linked to another version.
type ServiceLinkedError struct {
	ServiceID string
	Other     Link
	// OtherVersion describes the other API when it could be read.
	OtherVersion *ServiceVersion
	Err          error
}

func (e *ServiceLinkedError) Error() string {
	other := "another API"
	switch {
	case e.OtherVersion != nil:
		other = fmt.Sprintf("version %q of service %q (id %s)", e.OtherVersion.Version, e.OtherVersion.Service, e.OtherVersion.ID)
	case e.Other.VersionID != "":
		other = "API " + e.Other.VersionID
	}
	return fmt.Sprintf("Gateway Service %s is already linked to %s in the API catalog, and a Gateway Service implements at most one API", e.ServiceID, other)
}

func (e *ServiceLinkedError) Unwrap() error { return e.Err }

// ServiceNotInCatalogError: the catalog does not know the Gateway Service
// in the control plane (400 missing_reference "Service not found").
type ServiceNotInCatalogError struct {
	ServiceID, ControlPlaneID string
	Err                       error
}

func (e *ServiceNotInCatalogError) Error() string {
	return fmt.Sprintf("the API catalog found no Gateway Service %s in control plane %s: %v", e.ServiceID, e.ControlPlaneID, e.Err)
}

func (e *ServiceNotInCatalogError) Unwrap() error { return e.Err }

// UnimplementableError: the catalog version cannot be recorded on a
// Gateway Service (no version, or a name Kong tags cannot hold).
type UnimplementableError struct {
	Version ServiceVersion
	Reason  string
}

func (e *UnimplementableError) Error() string {
	return fmt.Sprintf("service version %s (%q, version %q) cannot be implemented: %s", e.Version.ID, e.Version.Service, e.Version.Version, e.Reason)
}

// UndoneError is a create whose link was refused: the Gateway Service
// written before it was deleted again (Undone), or could not be (UndoErr).
type UndoneError struct {
	ServiceID string
	// Mark is the Gateway Service's (owner.go), for the state to record
	// when it could not be deleted.
	Mark    Mark
	Err     error // why the link was refused
	UndoErr error // nil when the Gateway Service was deleted
}

func (e *UndoneError) Error() string {
	if e.UndoErr != nil {
		return fmt.Sprintf("%v\n\nThe Gateway Service written before the link (id %s) could not be deleted again: %v", e.Err, e.ServiceID, e.UndoErr)
	}
	return e.Err.Error()
}

func (e *UndoneError) Unwrap() error { return e.Err }

// Implementable reads the version an implementation is to be linked to and
// checks that Service Hub can record it on a Gateway Service.
func (c *Catalog) Implementable(ctx context.Context, versionID string) (ServiceVersion, error) {
	v, err := c.GetVersion(ctx, versionID)
	if err != nil {
		return ServiceVersion{}, err
	}
	switch {
	case v.Version == "":
		return v, &UnimplementableError{Version: v, Reason: "the API has no version; give it one in Konnect"}
	case ValidateServiceName(v.Service) != nil:
		return v, &UnimplementableError{Version: v, Reason: "its name " + ValidateServiceName(v.Service).Error() + " to be recorded as a Kong tag"}
	case ValidateVersion(v.Version) != nil:
		return v, &UnimplementableError{Version: v, Reason: "its version " + ValidateVersion(v.Version).Error() + " to be recorded as a Kong tag"}
	}
	return v, nil
}

// LinkOf returns the Gateway Service's link in the catalog; nil when it
// has none.
func (c *Catalog) LinkOf(ctx context.Context, serviceID string) (*Link, error) {
	if err := c.Available(); err != nil {
		return nil, err
	}
	links, err := c.api.ListImplementations(ctx, konnectapi.ImplementationFilter{ServiceID: serviceID, ControlPlaneID: c.api.ControlPlaneID})
	if err != nil || len(links) == 0 {
		return nil, classifyCatalog(err)
	}
	l := fromImplementation(links[0])
	return &l, nil
}

// Implementer returns the version's implementation link; nil when it has
// none.
func (c *Catalog) Implementer(ctx context.Context, versionID string) (*Link, error) {
	if err := c.Available(); err != nil {
		return nil, err
	}
	links, err := c.api.ListImplementations(ctx, konnectapi.ImplementationFilter{APIID: versionID})
	if err != nil || len(links) == 0 {
		return nil, classifyCatalog(err)
	}
	l := fromImplementation(links[0])
	return &l, nil
}

// CheckImplementable is the check before writing: the version exists, can
// be recorded, and no Gateway Service other than serviceID ("" for one
// not created yet) implements it.
func (c *Catalog) CheckImplementable(ctx context.Context, versionID, serviceID string) (ServiceVersion, error) {
	v, err := c.Implementable(ctx, versionID)
	if err != nil {
		return v, err
	}
	by, err := c.Implementer(ctx, versionID)
	if err != nil {
		return v, err
	}
	if by != nil && !(strings.EqualFold(by.ServiceID, serviceID) && strings.EqualFold(by.ControlPlaneID, c.api.ControlPlaneID)) {
		return v, c.implemented(ctx, v, *by, nil)
	}
	return v, nil
}

func (c *Catalog) implemented(ctx context.Context, v ServiceVersion, by Link, err error) error {
	e := &VersionImplementedError{Version: v, By: by, Err: err}
	if strings.EqualFold(by.ControlPlaneID, c.api.ControlPlaneID) {
		if other, gerr := c.impls.Get(ctx, by.ServiceID); gerr == nil {
			e.ByName = other.Name()
		}
	}
	return e
}

// Link links the Gateway Service to the version. A link that is already
// there is success (a retried POST finds its own link); the catalog's
// refusals become *VersionImplementedError, *ServiceLinkedError,
// *ServiceNotInCatalogError or *VersionNotFoundError.
func (c *Catalog) Link(ctx context.Context, v ServiceVersion, serviceID string) (Link, error) {
	if err := c.Available(); err != nil {
		return Link{}, err
	}
	ref := konnectapi.ServiceRef{ControlPlaneID: c.api.ControlPlaneID, ID: serviceID}
	impl, err := c.api.CreateImplementation(ctx, v.ID, ref)
	if err == nil {
		return fromImplementation(impl), nil
	}
	var ke *konnectapi.Error
	if !errors.As(err, &ke) {
		return Link{}, classifyCatalog(err)
	}
	switch {
	case ke.Status == http.StatusNotFound:
		return Link{}, &VersionNotFoundError{ID: v.ID, Err: err}
	case ke.Status == http.StatusConflict && ke.Detail == konnectapi.DetailServiceLinked:
		return Link{}, c.linkedElsewhere(ctx, serviceID, err)
	case ke.Status == http.StatusConflict:
		// "An implementation already exists for this API", or a 409
		// whose detail is not the document's: find out which.
		if by, ierr := c.Implementer(ctx, v.ID); ierr == nil && by != nil && !strings.EqualFold(by.ServiceID, serviceID) {
			return Link{}, c.implemented(ctx, v, *by, err)
		}
		return Link{}, c.linkedElsewhere(ctx, serviceID, err)
	case ke.Status == http.StatusBadRequest:
		_, svc := ke.Parameter("service.id", "missing_reference")
		_, cp := ke.Parameter("service.control_plane_id", "missing_reference")
		if svc || cp {
			return Link{}, &ServiceNotInCatalogError{ServiceID: serviceID, ControlPlaneID: c.api.ControlPlaneID, Err: err}
		}
	}
	return Link{}, classifyCatalog(err)
}

func (c *Catalog) linkedElsewhere(ctx context.Context, serviceID string, err error) error {
	e := &ServiceLinkedError{ServiceID: serviceID, Err: err}
	if other, lerr := c.LinkOf(ctx, serviceID); lerr == nil && other != nil {
		e.Other = *other
		if ov, gerr := c.GetVersion(ctx, other.VersionID); gerr == nil {
			e.OtherVersion = &ov
		}
	}
	return e
}

// Unlink removes the Gateway Service's link, whichever version it is to;
// none is fine.
func (c *Catalog) Unlink(ctx context.Context, serviceID string) error {
	l, err := c.LinkOf(ctx, serviceID)
	if err != nil || l == nil {
		return err
	}
	return classifyCatalog(c.api.DeleteImplementation(ctx, l.VersionID, l.ID))
}

// CreateImplementation creates an implementation of a catalog version:
// checks that the version exists and has no implementation, writes the
// Gateway Service (Implementations.Create), then links it. A link the
// catalog refuses (another run linked the version meanwhile, say) undoes
// the write: the Gateway Service is deleted and the error is an
// *UndoneError. A link whose outcome is unknown is not undone: the service
// is returned with the error, for the caller to record.
func (c *Catalog) CreateImplementation(ctx context.Context, impl Implementation, versionID string) (Implementation, error) {
	v, err := c.CheckImplementable(ctx, versionID, "")
	if err != nil {
		return Implementation{}, err
	}
	impl.Service, impl.Version = v.Service, v.Version
	created, err := c.impls.Create(ctx, impl)
	if err != nil {
		return Implementation{}, err
	}
	if _, err := c.Link(ctx, v, created.ID()); err != nil {
		var unsettled *konnectapi.UnsettledError
		if errors.As(err, &unsettled) {
			return created, err
		}
		return Implementation{}, &UndoneError{ServiceID: created.ID(), Mark: MarkOf(created), Err: err, UndoErr: c.impls.Delete(ctx, created, MarkOf(created))}
	}
	return created, nil
}

// MoveLink makes the catalog link the Gateway Service to versionID ("" for
// no version): it checks the new version first, removes the service's
// current link if it is to another version, then links. It works from
// what the catalog holds, not from what state remembers.
func (c *Catalog) MoveLink(ctx context.Context, serviceID, versionID string) error {
	var target ServiceVersion
	if versionID != "" {
		var err error
		if target, err = c.CheckImplementable(ctx, versionID, serviceID); err != nil {
			return err
		}
	}
	current, err := c.LinkOf(ctx, serviceID)
	if err != nil {
		return err
	}
	if current != nil && current.VersionID == versionID {
		return nil
	}
	if current != nil {
		if err := classifyCatalog(c.api.DeleteImplementation(ctx, current.VersionID, current.ID)); err != nil {
			return err
		}
	}
	if versionID == "" {
		return nil
	}
	_, err = c.Link(ctx, target, serviceID)
	return err
}

// DeleteImplementation removes the Gateway Service's link, then the
// Gateway Service (prior, as last read; see Implementations.Delete). What
// another create made at prior's id is left alone, link included: a
// *NotOwnedError.
func (c *Catalog) DeleteImplementation(ctx context.Context, prior Implementation, mark Mark) error {
	if err := c.impls.checkOwned(ctx, prior, mark); err != nil {
		return err
	}
	if err := c.Unlink(ctx, prior.ID()); err != nil {
		return err
	}
	return c.impls.deleteOwned(ctx, prior, mark)
}
