package kongapi

import (
	"context"

	"github.com/kong/go-kong/kong"
)

// pageSize is Kong's largest page (§6 of the Admin API notes): the fewest
// round trips for a full listing.
const pageSize = 1000

// pages follows a collection's offsets to the end. go-kong carries size and
// tags over to the next page's options.
func pages[T any](ctx context.Context, opt *kong.ListOpt, list func(context.Context, *kong.ListOpt) ([]*T, *kong.ListOpt, error)) ([]*T, error) {
	var all []*T
	for {
		page, next, err := list(ctx, opt)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == nil {
			return all, nil
		}
		if opt != nil && next.Offset == opt.Offset {
			return nil, errRepeatedOffset
		}
		opt = next
	}
}

// ListServices returns every Gateway Service in the runtime group, a page
// of 1000 per request.
func (c *Client) ListServices(ctx context.Context) ([]*kong.Service, error) {
	return pages(ctx, &kong.ListOpt{Size: pageSize}, c.Kong.Services.List)
}

// ListRoutes returns every Route in the runtime group, a page of 1000 per
// request.
func (c *Client) ListRoutes(ctx context.Context) ([]*kong.Route, error) {
	return pages(ctx, &kong.ListOpt{Size: pageSize}, c.Kong.Routes.List)
}
