package servicehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// Catalog is Konnect's API Catalog as Service Hub sees it: a service
// version is an API (the API's name is the service, its version the
// version), and a version's implementation is the Gateway Service linked
// to it. Off Konnect there is no catalog, and every method says so with a
// *NoCatalogError.
type Catalog struct {
	api   *konnectapi.Cache // nil off Konnect; batches the run's reads
	impls *Implementations
	// adminURL is kept to say why there is no catalog.
	adminURL string
	// listed is the run's listing of links and versions (inventory.go).
	listed linkListing
}

// NoCatalogError: the runtime group is not a Konnect control plane, so
// there is no API catalog (nor analytics) to use.
type NoCatalogError struct{ AdminURL string }

func (e *NoCatalogError) Error() string {
	return fmt.Sprintf("the API catalog needs a Konnect control plane, and admin_url %q is not one. "+
		"Set admin_url to the control plane's https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities "+
		"(and konnect_token); Kong Gateway records services and versions as tags only", e.AdminURL)
}

// Available is nil on Konnect and a *NoCatalogError elsewhere.
func (c *Catalog) Available() error {
	if c.api == nil {
		return &NoCatalogError{AdminURL: c.adminURL}
	}
	return nil
}

// ControlPlaneID is the control plane implementations are linked from; ""
// off Konnect.
func (c *Catalog) ControlPlaneID() string {
	if c.api == nil {
		return ""
	}
	return c.api.ControlPlaneID
}

// ServiceVersion is a version of a service in the catalog: an API.
type ServiceVersion struct {
	ID      string
	Service string // the API's name
	// Version is the API's version; "" for an unversioned API (made in
	// the Konnect UI, say), which Service Hub cannot implement.
	Version     string
	Description *string
	Slug        string
	Labels      map[string]string
	// HasSpec is whether the API has a specification; its content is
	// write-only and never read back. SpecVersion and SpecVersionID are
	// its version document's (the catalog's API version, /versions): the
	// document's version and id.
	HasSpec                    bool
	SpecVersion, SpecVersionID string
	CreatedAt, UpdatedAt       string
}

// createLabel marks the API a create made: its value is a token only
// that create knows, so that settling a create whose outcome was unknown
// never takes another create's API for its own (konnectapi.CreateAPI). The
// label stays on the API; it is the provider's, so it is not among a
// version's Labels, and a configuration cannot set it.
const createLabel = "servicehub-create"

func fromAPI(a konnectapi.API) ServiceVersion {
	v := ServiceVersion{
		ID: a.ID, Service: a.Name, Version: str(a.Version), Description: a.Description, Slug: str(a.Slug),
		Labels: make(map[string]string, len(a.Labels)), HasSpec: a.CurrentVersionSummary != nil, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt,
	}
	for k, l := range a.Labels {
		if k != createLabel {
			v.Labels[k] = l
		}
	}
	if s := a.CurrentVersionSummary; s != nil {
		v.SpecVersion, v.SpecVersionID = s.Version, s.ID
	}
	return v
}

// VersionExistsError: the catalog already has an API with this name and
// version.
type VersionExistsError struct {
	Service, Version string
	ID               string // the existing API's id, "" if it could not be looked up
	Err              error
}

func (e *VersionExistsError) Error() string {
	msg := fmt.Sprintf("the API catalog already has version %q of service %q", e.Version, e.Service)
	if e.ID != "" {
		msg += fmt.Sprintf(" (id %s)", e.ID)
	}
	return msg
}

func (e *VersionExistsError) Unwrap() error { return e.Err }

// VersionNotFoundError: no API has this id, or this name and version.
type VersionNotFoundError struct {
	ID, Service, Version string
	Err                  error
}

func (e *VersionNotFoundError) Error() string {
	if e.ID != "" {
		return fmt.Sprintf("the API catalog has no service version with id %s", e.ID)
	}
	return fmt.Sprintf("the API catalog has no version %q of service %q", e.Version, e.Service)
}

func (e *VersionNotFoundError) Unwrap() error { return e.Err }

// CatalogRejectedError is the catalog refusing a request's values (400),
// each reason naming the API field it concerns ("name", "labels", …).
type CatalogRejectedError struct {
	Fields []konnectapi.InvalidParameter
	Detail string
	Err    error
}

func (e *CatalogRejectedError) Error() string { return e.Err.Error() }
func (e *CatalogRejectedError) Unwrap() error { return e.Err }

// classifyCatalog turns the catalog's answers into the domain's errors:
// 400 with reasons → *CatalogRejectedError, 401 and 403 → *AccessError.
func classifyCatalog(err error) error {
	var ke *konnectapi.Error
	if errors.As(err, &ke) && ke.Status == http.StatusBadRequest && len(ke.InvalidParameters) > 0 {
		return &CatalogRejectedError{Fields: ke.InvalidParameters, Detail: ke.Detail, Err: err}
	}
	return classify(err)
}

// CreateVersion adds a version to the catalog, with spec as its
// specification when not nil. A retried or lost create never makes a
// second API, nor takes another create's for its own (see
// konnectapi.Client.CreateAPI): a version the catalog already has, or that
// another run created meanwhile, is a *VersionExistsError naming it.
func (c *Catalog) CreateVersion(ctx context.Context, v ServiceVersion, spec *string) (ServiceVersion, error) {
	if err := c.Available(); err != nil {
		return ServiceVersion{}, err
	}
	in := konnectapi.NewAPI{Name: v.Service, Version: &v.Version, Description: v.Description, Labels: v.Labels, SpecContent: spec}
	if v.Slug != "" {
		in.Slug = &v.Slug
	}
	a, err := c.api.CreateAPI(ctx, in, konnectapi.Label{Key: createLabel, Value: kongapi.NewID()})
	var other *konnectapi.OtherCreateError
	if errors.As(err, &other) {
		return ServiceVersion{}, &VersionExistsError{Service: v.Service, Version: v.Version, ID: other.API.ID, Err: err}
	}
	if konnectapi.IsConflict(err) {
		exists := &VersionExistsError{Service: v.Service, Version: v.Version, Err: err}
		if other, ok, ferr := c.api.FindAPI(ctx, v.Service, v.Version); ferr == nil && ok {
			exists.ID = other.ID
		}
		return ServiceVersion{}, exists
	}
	if err != nil {
		return ServiceVersion{}, classifyCatalog(err)
	}
	c.api.Remember(a)
	return fromAPI(a), nil
}

// GetVersion reads a version by id; a missing one is a
// *VersionNotFoundError, for which IsNotFound is true.
func (c *Catalog) GetVersion(ctx context.Context, id string) (ServiceVersion, error) {
	if err := c.Available(); err != nil {
		return ServiceVersion{}, err
	}
	a, err := c.api.GetAPI(ctx, id)
	if konnectapi.IsNotFound(err) {
		return ServiceVersion{}, &VersionNotFoundError{ID: id, Err: err}
	}
	if err != nil {
		return ServiceVersion{}, classifyCatalog(err)
	}
	return fromAPI(a), nil
}

// FindVersion reads a version by service and version; a missing one is a
// *VersionNotFoundError.
func (c *Catalog) FindVersion(ctx context.Context, service, version string) (ServiceVersion, error) {
	if err := c.Available(); err != nil {
		return ServiceVersion{}, err
	}
	a, ok, err := c.api.FindAPI(ctx, service, version)
	switch {
	case err != nil:
		return ServiceVersion{}, classifyCatalog(err)
	case !ok:
		return ServiceVersion{}, &VersionNotFoundError{Service: service, Version: version}
	}
	return fromAPI(a), nil
}

// VersionChange is what UpdateVersion changes; nil fields stay.
type VersionChange struct {
	Service, Version, Slug *string
	// Description is set when SetDescription is true; nil clears it.
	Description    *string
	SetDescription bool
	// Labels, when not nil, are the version's labels from now on: keys
	// missing from it are removed.
	Labels map[string]string
	// Spec is set when SetSpec is true: the version's specification from
	// now on, replaced in place (the API keeps its id, labels and
	// implementation); nil removes it.
	Spec    *string
	SetSpec bool
}

// UpdateVersion changes a version in place (PATCH). prior is what the
// version held, to remove labels the change drops.
func (c *Catalog) UpdateVersion(ctx context.Context, prior ServiceVersion, ch VersionChange) (ServiceVersion, error) {
	if err := c.Available(); err != nil {
		return ServiceVersion{}, err
	}
	p := konnectapi.APIPatch{Name: ch.Service, Version: ch.Version, Slug: ch.Slug, Description: ch.Description, SetDescription: ch.SetDescription}
	if ch.Labels != nil {
		// Sent as a merge that also removes the dropped keys: right
		// whether the catalog merges labels or replaces them (Konnect's
		// generated clients replace; its document does not say). The
		// API's own labels are read first, for the provider's create label
		// (createLabel), which a replacement would otherwise drop.
		cur, err := c.api.GetAPI(ctx, prior.ID)
		if konnectapi.IsNotFound(err) {
			return ServiceVersion{}, &VersionNotFoundError{ID: prior.ID, Err: err}
		}
		if err != nil {
			return ServiceVersion{}, classifyCatalog(err)
		}
		p.Labels = map[string]*string{}
		for k := range prior.Labels {
			p.Labels[k] = nil
		}
		for k := range cur.Labels {
			p.Labels[k] = nil
		}
		for k, v := range ch.Labels {
			p.Labels[k] = &v
		}
		if m, ok := cur.Labels[createLabel]; ok {
			p.Labels[createLabel] = &m
		}
	}
	if ch.SetSpec {
		if err := c.putSpec(ctx, prior, ch); err != nil {
			return ServiceVersion{}, err
		}
	}
	if p.Empty() {
		return c.GetVersion(ctx, prior.ID)
	}
	a, err := c.api.UpdateAPI(ctx, prior.ID, p)
	switch {
	case konnectapi.IsNotFound(err):
		return ServiceVersion{}, &VersionNotFoundError{ID: prior.ID, Err: err}
	case konnectapi.IsConflict(err):
		service, version := prior.Service, prior.Version
		if ch.Service != nil {
			service = *ch.Service
		}
		if ch.Version != nil {
			version = *ch.Version
		}
		exists := &VersionExistsError{Service: service, Version: version, Err: err}
		if other, ok, ferr := c.api.FindAPI(ctx, service, version); ferr == nil && ok && other.ID != prior.ID {
			exists.ID = other.ID
		}
		return ServiceVersion{}, exists
	case err != nil:
		return ServiceVersion{}, classifyCatalog(err)
	}
	return fromAPI(a), nil
}

// DeleteVersion removes a version from the catalog; gone already is fine.
func (c *Catalog) DeleteVersion(ctx context.Context, id string) error {
	if err := c.Available(); err != nil {
		return err
	}
	return classifyCatalog(c.api.DeleteAPI(ctx, id))
}

// The catalog's rules on a version's fields, for plan-time checks.
var (
	ValidateCatalogName = konnectapi.ValidateName
	ValidateSlug        = konnectapi.ValidateSlug
	ValidateLabelValue  = konnectapi.ValidateLabelValue
)

// ValidateLabelKey is the catalog's rule on label keys, and keeps the
// provider's own label (createLabel) out of configurations.
func ValidateLabelKey(k string) error {
	if k == createLabel {
		return fmt.Errorf("the label %q is reserved for the provider, which marks the APIs it creates with it", createLabel)
	}
	return konnectapi.ValidateLabelKey(k)
}

// MaxLabels is how many labels a version may have: the catalog's limit,
// less the provider's own label.
const MaxLabels = konnectapi.MaxLabels - 1
