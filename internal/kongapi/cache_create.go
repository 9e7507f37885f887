package kongapi

import (
	"context"

	"github.com/kong/go-kong/kong"
)

// CreateService is Client.CreateService, recording the response as
// PutService does; a failed insert drops the id, so the next read asks Kong
// who holds it.
func (c *Cache) CreateService(ctx context.Context, s *kong.Service) (*kong.Service, error) {
	out, err := c.api.CreateService(ctx, s)
	return written(c.services, idOf(s, serviceKey), out, err)
}
