package kongapi

import (
	"context"

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
