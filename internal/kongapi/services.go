package kongapi

import (
	"context"

	"github.com/google/uuid"
	"github.com/kong/go-kong/kong"
)

// NewID returns a client-generated entity id. Creating with PUT /{id} makes
// a create safe to retry: a second attempt replaces what the first made.
func NewID() string { return uuid.NewString() }

// PutService creates or fully replaces a Gateway Service by id. Fields left
// nil are reset to Kong's defaults or null, which is how an attribute
// removed from configuration gets cleared (a PATCH cannot send null, and
// Konnect has no PATCH at all).
func (c *Client) PutService(ctx context.Context, s *kong.Service) (*kong.Service, error) {
	if s == nil || s.ID == nil || *s.ID == "" {
		return nil, errNoID
	}
	return c.Kong.Services.Create(ctx, s)
}

// GetService fetches a Gateway Service by id or name.
func (c *Client) GetService(ctx context.Context, idOrName string) (*kong.Service, error) {
	return c.Kong.Services.Get(ctx, kong.String(idOrName))
}

// DeleteService deletes a Gateway Service; one that is already gone is not
// an error.
func (c *Client) DeleteService(ctx context.Context, idOrName string) error {
	err := c.Kong.Services.Delete(ctx, kong.String(idOrName))
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListServicesByTags returns every Gateway Service carrying all of tags.
func (c *Client) ListServicesByTags(ctx context.Context, tags ...string) ([]*kong.Service, error) {
	opt := &kong.ListOpt{Size: pageSize, Tags: kong.StringSlice(tags...), MatchAllTags: true}
	return pages(ctx, opt, c.Kong.Services.List)
}
