package kongapi

import (
	"context"
	"strings"

	"github.com/kong/go-kong/kong"
)

// Plugins in the refresh cache, as Gateway Services and Routes: a run's
// reads share one listing of GET /plugins once the direct reads are spent,
// and writes replace what the listing holds.

// GetPlugin returns a Plugin by id or instance name: from the listing when
// the run has one and it holds the plugin, from Kong otherwise.
func (c *Cache) GetPlugin(ctx context.Context, idOrName string) (*kong.Plugin, error) {
	if p, ok := c.plugins.get(ctx, idOrName); ok {
		return p, nil
	}
	return c.api.GetPlugin(ctx, idOrName)
}

// PutPlugin is Client.PutPlugin, recording the response.
func (c *Cache) PutPlugin(ctx context.Context, p *kong.Plugin) (*kong.Plugin, error) {
	out, err := c.api.PutPlugin(ctx, p)
	return written(c.plugins, idOf(p, pluginKey), out, err)
}

// PluginsOn returns the plugins on a Gateway Service (kind "services":
// every plugin whose service it is, which Kong deletes with it) or on a
// Route ("routes"), for a delete to see what it would take down. From the
// listing when the run has one; else a filtered read of
// /{kind}/{id}/plugins for each of the run's first DirectReads such looks,
// and one listing for the rest, so that a destroy of one implementation
// pays a request per entity and a destroy of many one listing. These
// looks have their own budget: spending the one reads share would make a
// destroy in a large runtime group list its Gateway Services.
func (c *Cache) PluginsOn(ctx context.Context, kind, id string) ([]*kong.Plugin, error) {
	on := func(p *kong.Plugin) bool { return pluginOn(p, kind, id) }
	if ps, ok := c.plugins.matching(ctx, on, false); ok {
		return ps, nil
	}
	if c.scopeReads.Take() {
		return c.api.ListPluginsOn(ctx, kind, id)
	}
	if ps, ok := c.plugins.matching(ctx, on, true); ok {
		return ps, nil
	}
	return c.api.ListPluginsOn(ctx, kind, id)
}

// pluginOn reports whether p is on the Gateway Service or Route id, as
// Kong's /{kind}/{id}/plugins filters them.
func pluginOn(p *kong.Plugin, kind, id string) bool {
	ref := p.Service
	if kind == "routes" {
		if p.Route == nil {
			return false
		}
		return strings.EqualFold(deref(p.Route.ID), id)
	}
	return ref != nil && strings.EqualFold(deref(ref.ID), id)
}

// DeletePlugin is Client.DeletePlugin, dropping the plugin from the listing.
func (c *Cache) DeletePlugin(ctx context.Context, id string) error {
	err := c.api.DeletePlugin(ctx, id)
	c.plugins.forget(id)
	return err
}

// pluginKey indexes a plugin by id and by instance_name, Kong's endpoint
// key for plugins (GET /plugins/{instance_name}).
func pluginKey(p *kong.Plugin) entityKey {
	return entityKey{id: deref(p.ID), name: deref(p.InstanceName), tags: p.Tags}
}
