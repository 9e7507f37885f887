package konnect

import (
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Konnect's API Catalog v3 (konnect-api-catalog-v3.openapi.yaml), the part
// a Service Hub flow needs: APIs, their single gateway-service
// implementation, and the implementation list. One catalog per server
// (Konnect has one per organisation); implementations point at Gateway
// Services of the control planes this server serves. The catalog lives
// beside the store and shares its lock, so "the service exists" and "link
// it" are one atomic step, and deleting a Gateway Service drops its link in
// the same step (store.Store.OnRemove).

// catalog holds the APIs and implementations. Guarded by the store's
// lock (store.Store.Locked), whose control planes it links to.
type catalog struct {
	store *store.Store
	seq   int64
	apis  map[string]*catAPI  // by id
	impls map[string]*catImpl // by id
}

type catAPI struct {
	seq         int64
	id, name    string
	version     *string
	description *string
	slug        *string
	labels      map[string]string
	attributes  map[string][]string
	spec        *catSpec
	created     time.Time
	updated     time.Time
}

// catSpec is the API's one version document (an API has at most one),
// from spec_content or /v3/apis/{apiId}/versions (or the older
// /specifications, another view of the same document): the API returns
// only its summary (spec_content is writeOnly), the versions API all of it.
type catSpec struct {
	id, version, typ, content string
	created, updated          time.Time
}

type catImpl struct {
	seq                     int64
	id, apiID               string
	controlPlane, serviceID string
	created                 time.Time
}

// newCatalog returns an empty catalog whose links go when their Gateway
// Service is deleted.
func newCatalog(st *store.Store) *catalog {
	c := &catalog{store: st, apis: map[string]*catAPI{}, impls: map[string]*catImpl{}}
	st.OnRemove(func(sp *store.Space, k *store.Kind, e map[string]any) {
		if cp, ok := sp.ControlPlane(); ok && k == store.Services {
			c.serviceRemoved(cp, e["id"].(string))
		}
	})
	return c
}

func (c *catalog) next() int64 { c.seq++; return c.seq }

// implOf returns the API's implementation, if any.
func (c *catalog) implOf(apiID string) *catImpl {
	for _, im := range c.impls {
		if im.apiID == apiID {
			return im
		}
	}
	return nil
}

// linkOf returns the implementation linking a Gateway Service, if any.
func (c *catalog) linkOf(cp, serviceID string) *catImpl {
	for _, im := range c.impls {
		if im.controlPlane == cp && im.serviceID == serviceID {
			return im
		}
	}
	return nil
}

// serviceRemoved drops the link of a deleted Gateway Service. The
// OpenAPI documents say nothing of what Konnect does then; the link goes,
// so the API reads as unimplemented and the id can be linked afresh.
func (c *catalog) serviceRemoved(cp, serviceID string) {
	if im := c.linkOf(cp, serviceID); im != nil {
		delete(c.impls, im.id)
	}
}

// catalogTime is the v3 timestamp form, e.g. 2022-11-04T20:10:06.927Z.
func catalogTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
