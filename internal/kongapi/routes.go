package kongapi

import (
	"context"
	"errors"

	"github.com/kong/go-kong/kong"
)

// PutRoute creates or fully replaces a Route by id, as PutService does for
// services: fields left nil are reset to Kong's defaults or null.
func (c *Client) PutRoute(ctx context.Context, r *kong.Route) (*kong.Route, error) {
	if r == nil || r.ID == nil || *r.ID == "" {
		return nil, errNoID
	}
	return c.Kong.Routes.Create(ctx, r)
}

// GetRoute fetches a Route by id or name.
func (c *Client) GetRoute(ctx context.Context, idOrName string) (*kong.Route, error) {
	return c.Kong.Routes.Get(ctx, kong.String(idOrName))
}

// DeleteRoute deletes a Route; one that is already gone is not an error.
func (c *Client) DeleteRoute(ctx context.Context, idOrName string) error {
	err := c.Kong.Routes.Delete(ctx, kong.String(idOrName))
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListRoutesForService returns every Route attached to a Gateway Service.
func (c *Client) ListRoutesForService(ctx context.Context, serviceIDOrName string) ([]*kong.Route, error) {
	return pages(ctx, &kong.ListOpt{Size: pageSize}, func(ctx context.Context, opt *kong.ListOpt) ([]*kong.Route, *kong.ListOpt, error) {
		return c.Kong.Routes.ListForService(ctx, kong.String(serviceIDOrName), opt)
	})
}

// IsReferencedBy reports whether a delete failed because entities of the
// given kind (e.g. "routes") still refer to the one being deleted: Kong's
// foreign key violation carrying "@referenced_by".
func IsReferencedBy(err error, entity string) bool {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeForeignKey {
		return false
	}
	by, _ := e.Fields["@referenced_by"].(string)
	return by == entity
}
