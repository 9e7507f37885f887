package konnectapi

import (
	"context"
	"maps"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/listonce"
)

// Cache batches a run's catalog reads as kongapi.Cache batches core
// entities: the run's first DirectReads reads of APIs and implementations
// go to Konnect one by one; past them, the next read of a kind lists that
// kind (GET /v3/apis, GET /v3/api-implementations, 100 a page, unfiltered)
// and answers it and every later read from the listing. Give each run
// (each provider configuration) its own.
//
// A plan reads each servicehub_service_version (its API by id), each
// linked servicehub_implementation (its link, by Gateway Service; and its
// version again, at plan time): three catalog requests per version without
// the Cache, at most DirectReads + ⌈APIs/100⌉ + ⌈implementations/100⌉ with
// it. Reading through it is as correct as reading directly:
//
//   - the listings are taken during the run that uses them, so what
//     changed before the run is in them;
//   - an API missing from the listing (deleted, or created since) is read
//     with its own GET, so a deleted one is still Konnect's 404;
//   - the implementations listing is the whole organisation's (a version
//     may be implemented from another control plane), and it answers "no
//     link" too: a link is made or removed by a run through this Cache,
//     which records it; a failed write of a link (its outcome unknown, or
//     a 409 saying another run linked meanwhile) stops the listing from
//     answering for the rest of the run;
//   - an API read directly is kept for the run, so a configuration of a
//     few resources reading one API twice (its Read, then a plan check)
//     sends one GET;
//   - concurrent reads wait for one listing; a listing that fails (a token
//     that may not list, say) sends every later read to Konnect.
//
// FindAPI, the analytics and whatever settles a create (Client's own
// methods, which the Cache embeds) always ask Konnect.
type Cache struct {
	*Client
	direct *listonce.Budget
	apis   *listing[API]
	impls  *listing[Implementation]
}

// DirectReads is how many catalog reads (APIs and implementations
// together) a Cache sends one by one before it lists the kind read next.
// Two: a no-op plan of many versions, each with a linked implementation,
// then costs two reads and two listings (four requests up to 100 APIs).
const DirectReads = 2

// NewCache returns a Cache over c; nothing is listed until a run has read
// more than DirectReads times.
func NewCache(c *Client) *Cache {
	return &Cache{
		Client: c,
		direct: listonce.NewBudget(DirectReads),
		apis: newListing(func(ctx context.Context) ([]API, error) { return list[API](ctx, c, "/v3/apis", nil) },
			func(a API) string { return a.ID }, cloneAPI),
		impls: newListing(func(ctx context.Context) ([]Implementation, error) {
			return list[Implementation](ctx, c, "/v3/api-implementations", nil)
		}, func(i Implementation) string { return i.ID }, cloneImplementation),
	}
}

func cloneAPI(a API) API {
	a.Labels = maps.Clone(a.Labels)
	return a
}

func cloneImplementation(i Implementation) Implementation {
	if i.Service != nil {
		s := *i.Service
		i.Service = &s
	}
	return i
}

// GetAPI is Client.GetAPI, answered from what the run has read when it can.
func (c *Cache) GetAPI(ctx context.Context, id string) (API, error) {
	if a, ok := c.apis.get(id); ok {
		return a, nil
	}
	if c.apis.listed(ctx, c.direct) {
		if a, ok := c.apis.get(id); ok {
			return a, nil
		}
	}
	a, err := c.Client.GetAPI(ctx, id)
	if err == nil {
		c.apis.put(a)
	}
	return a, err
}

// ListImplementations is Client.ListImplementations, from the listing
// once the run has one.
func (c *Cache) ListImplementations(ctx context.Context, f ImplementationFilter) ([]Implementation, error) {
	if c.impls.listed(ctx, c.direct) {
		if out, ok := c.impls.filter(f.match); ok {
			return out, nil
		}
	}
	return c.Client.ListImplementations(ctx, f)
}

// match is f as the list endpoint applies it; ids in either case.
func (f ImplementationFilter) match(i Implementation) bool {
	switch {
	case f.APIID != "" && !strings.EqualFold(i.APIID, f.APIID),
		f.ServiceID != "" && (i.Service == nil || !strings.EqualFold(i.Service.ID, f.ServiceID)),
		f.ControlPlaneID != "" && (i.Service == nil || !strings.EqualFold(i.Service.ControlPlaneID, f.ControlPlaneID)):
		return false
	}
	return true
}

// Remember records an API a write returned (a create), so that the run's
// later reads of it need no GET.
func (c *Cache) Remember(a API) { c.apis.put(a) }

// UpdateAPI is Client.UpdateAPI, recording the answer; after a failure,
// which may have applied, the API is read again.
func (c *Cache) UpdateAPI(ctx context.Context, id string, p APIPatch) (API, error) {
	a, err := c.Client.UpdateAPI(ctx, id, p)
	if err != nil {
		c.apis.forget(id)
		return a, err
	}
	c.apis.put(a)
	return a, nil
}

// DeleteAPI is Client.DeleteAPI; the API's implementation goes with it.
func (c *Cache) DeleteAPI(ctx context.Context, id string) error {
	err := c.Client.DeleteAPI(ctx, id)
	c.apis.forget(id)
	if err != nil {
		c.impls.stop()
		return err
	}
	c.impls.forgetWhere(func(i Implementation) bool { return strings.EqualFold(i.APIID, id) })
	return nil
}

// CreateImplementation is Client.CreateImplementation, recording the
// link. A failure stops the listing answering: its outcome may be unknown,
// or a 409 says the listing is behind (another run linked meanwhile), and
// the error's details are best read fresh.
func (c *Cache) CreateImplementation(ctx context.Context, apiID string, svc ServiceRef) (Implementation, error) {
	impl, err := c.Client.CreateImplementation(ctx, apiID, svc)
	if err != nil {
		c.impls.stop()
		return impl, err
	}
	c.impls.put(impl)
	return impl, nil
}

// DeleteImplementation is Client.DeleteImplementation, forgetting the link.
func (c *Cache) DeleteImplementation(ctx context.Context, apiID, implID string) error {
	err := c.Client.DeleteImplementation(ctx, apiID, implID)
	if err != nil {
		c.impls.stop()
		return err
	}
	c.impls.forget(implID)
	return nil
}
