package kongapi

import (
	"context"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/listonce"
)

// Cache is the refresh cache: it sends a run's first few reads of Gateway
// Services, Routes and Plugins to Kong one by one and, once the run has
// read more than that, answers the rest from one listing of each kind.
//
// Terraform starts a provider process per command and configures the
// provider anew for each graph walk, then reads every resource of the state
// during the plan's refresh, in parallel. Give each walk its own Cache (as
// the provider's Configure does). A configuration of a few resources then
// costs a GET each, however many entities others keep in the runtime
// group; a large one costs DirectReads GETs plus one listing of
// ⌈entities/1000⌉ pages per kind, whatever its size. The listing is taken
// during the run, so out-of-band edits are in it; an entity missing from it
// (deleted, or created since) is fetched with a direct GET, so an
// out-of-band delete still shows as Kong's 404. Writes through the Cache
// replace the entity with the write's response, so nothing is read back
// after a write, and later reads in the same process see the write.
//
// Listing everything, rather than only entities carrying the provider's
// tags, keeps imported and untagged entities cached too and makes the
// "one implementation per version" check see every tagged service. The
// price is paid by a configuration of more than DirectReads resources in a
// large runtime group: its plan lists the whole group, ⌈entities/1000⌉
// pages of each kind.
type Cache struct {
	api      *Client
	services *snapshot[kong.Service]
	routes   *snapshot[kong.Route]
	plugins  *snapshot[kong.Plugin] // see cache_plugins.go
	// scopeReads are the filtered reads of plugins by scope a run sends
	// before it lists them (PluginsOn).
	scopeReads *listonce.Budget
}

// DirectReads is how many reads a Cache sends to Kong one by one (by id or
// name, or by tags; services, routes and plugins together) before it lists the kind
// read next. The budget is shared and spent atomically: however
// Terraform's parallel reads interleave, a run sends at most DirectReads
// of them, so a configuration of one implementation and one route never
// lists, and a run of many resources costs DirectReads requests more than
// its listings. Two, because a destroy pays it twice (its refresh, and its
// apply's reads before each DELETE and looks for claims) and must stay
// within 2N + 10 requests for N implementations with a route each, which
// at N = 2000 (two pages per listing) leaves four requests for it.
const DirectReads = 2

// NewCache returns an empty Cache over api; nothing is listed until a run
// has read more than DirectReads entities.
func NewCache(api *Client) *Cache { return newCache(api, DirectReads) }

func newCache(api *Client, direct int) *Cache {
	c := &Cache{
		api:      api,
		services: newSnapshot(logListing(api, "services", api.ListServices), serviceKey, (*kong.Service).DeepCopy),
		routes:   newSnapshot(logListing(api, "routes", api.ListRoutes), routeKey, (*kong.Route).DeepCopy),
		plugins:  newSnapshot(logListing(api, "plugins", api.ListPlugins), pluginKey, (*kong.Plugin).DeepCopy),
	}
	b := listonce.NewBudget(direct)
	c.services.direct, c.routes.direct, c.plugins.direct = b, b, b
	c.scopeReads = listonce.NewBudget(direct)
	return c
}

// API is the client the Cache reads through.
func (c *Cache) API() *Client { return c.api }

// GetService returns a Gateway Service by id or name: from the listing
// when the run has one and it holds the service, from Kong otherwise.
func (c *Cache) GetService(ctx context.Context, idOrName string) (*kong.Service, error) {
	if s, ok := c.services.get(ctx, idOrName); ok {
		return s, nil
	}
	return c.api.GetService(ctx, idOrName)
}

// ListServicesByTags returns every Gateway Service carrying all of tags:
// from the listing when the run has one, from Kong's ?tags= filter while
// it reads directly (or when listing failed).
func (c *Cache) ListServicesByTags(ctx context.Context, tags ...string) ([]*kong.Service, error) {
	if ss, ok := c.services.tagged(ctx, tags); ok {
		return ss, nil
	}
	return c.api.ListServicesByTags(ctx, tags...)
}

// PutService is Client.PutService, recording the response.
func (c *Cache) PutService(ctx context.Context, s *kong.Service) (*kong.Service, error) {
	out, err := c.api.PutService(ctx, s)
	return written(c.services, idOf(s, serviceKey), out, err)
}

// DeleteService is Client.DeleteService by id, dropping the service from
// the listing whatever the outcome (a refused delete leaves it to Kong to
// say), and, once deleted, its plugins, which Kong deletes with it.
func (c *Cache) DeleteService(ctx context.Context, id string) error {
	err := c.api.DeleteService(ctx, id)
	c.services.forget(id)
	if err == nil {
		c.plugins.forgetWhere(func(p *kong.Plugin) bool { return pluginOn(p, "services", id) })
	}
	return err
}

// GetRoute returns a Route by id or name: from the listing when the run
// has one and it holds the route, from Kong otherwise.
func (c *Cache) GetRoute(ctx context.Context, idOrName string) (*kong.Route, error) {
	if r, ok := c.routes.get(ctx, idOrName); ok {
		return r, nil
	}
	return c.api.GetRoute(ctx, idOrName)
}

// ListRoutes returns every Route: the run's listing, taken now if the run
// has none yet (one listing shared with the reads that follow), or from
// Kong when listing failed.
func (c *Cache) ListRoutes(ctx context.Context) ([]*kong.Route, error) {
	if rs, ok := c.routes.tagged(ctx, nil); ok {
		return rs, nil
	}
	return c.api.ListRoutes(ctx)
}

// PutRoute is Client.PutRoute, recording the response.
func (c *Cache) PutRoute(ctx context.Context, r *kong.Route) (*kong.Route, error) {
	out, err := c.api.PutRoute(ctx, r)
	return written(c.routes, idOf(r, routeKey), out, err)
}

// DeleteRoute is Client.DeleteRoute by id, dropping the route from the
// listing and, once deleted, its plugins, which Kong deletes with it.
func (c *Cache) DeleteRoute(ctx context.Context, id string) error {
	err := c.api.DeleteRoute(ctx, id)
	c.routes.forget(id)
	if err == nil {
		c.plugins.forgetWhere(func(p *kong.Plugin) bool { return pluginOn(p, "routes", id) })
	}
	return err
}

// written records a write's outcome: the response replaces the entity;
// after a failed write, which Kong may or may not have applied, the entity
// is forgotten so that the next read asks Kong. Every write method of the
// Cache ends here.
func written[T any](s *snapshot[T], id string, out *T, err error) (*T, error) {
	if err != nil {
		if id != "" {
			s.forget(id)
		}
		return nil, err
	}
	s.put(out)
	return out, nil
}

// idOf is the id a write was sent with; "" when it had none.
func idOf[T any](it *T, key func(*T) entityKey) string {
	if it == nil {
		return ""
	}
	return key(it).id
}

func serviceKey(s *kong.Service) entityKey {
	return entityKey{id: deref(s.ID), name: deref(s.Name), tags: s.Tags}
}

func routeKey(r *kong.Route) entityKey {
	return entityKey{id: deref(r.ID), name: deref(r.Name), tags: r.Tags}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// logListing notes each listing in the request log, so a debug log shows
// which reads the cache answered.
func logListing[T any](api *Client, kind string, list func(context.Context) ([]*T, error)) func(context.Context) ([]*T, error) {
	return func(ctx context.Context) ([]*T, error) {
		start := time.Now()
		items, err := list(ctx)
		fields := map[string]any{"kind": kind, "duration_ms": time.Since(start).Milliseconds()}
		if err != nil {
			fields["error"] = err.Error()
			api.logf(ctx, "refresh cache: listing failed, reading entities one by one", fields)
			return nil, err
		}
		fields["count"] = len(items)
		api.logf(ctx, "refresh cache: listed", fields)
		return items, nil
	}
}
