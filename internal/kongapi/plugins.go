package kongapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/kong/go-kong/kong"
)

// PutPlugin creates or fully replaces a Plugin by id (PUT /plugins/{id},
// which Konnect control planes serve too): what p leaves unset gets Kong's
// default, config included, so a key removed from a configuration returns
// to its default. A retried PUT meets its own first attempt and replaces it
// with the same content.
func (c *Client) PutPlugin(ctx context.Context, p *kong.Plugin) (*kong.Plugin, error) {
	if p == nil || p.ID == nil || *p.ID == "" {
		return nil, errNoID
	}
	return c.Kong.Plugins.Create(ctx, p)
}

// GetPlugin fetches a Plugin by id or instance name.
func (c *Client) GetPlugin(ctx context.Context, idOrName string) (*kong.Plugin, error) {
	return c.Kong.Plugins.Get(ctx, kong.String(idOrName))
}

// DeletePlugin deletes a Plugin; one that is already gone is not an error.
func (c *Client) DeletePlugin(ctx context.Context, id string) error {
	err := c.Kong.Plugins.Delete(ctx, kong.String(id))
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ListPlugins returns every Plugin in the runtime group, a page of 1000 per
// request.
func (c *Client) ListPlugins(ctx context.Context) ([]*kong.Plugin, error) {
	return pages(ctx, &kong.ListOpt{Size: pageSize}, c.Kong.Plugins.List)
}

// ListPluginsOn returns the Plugins scoped to a Gateway Service
// (kind "services") or a Route ("routes"): GET /{kind}/{id}/plugins.
func (c *Client) ListPluginsOn(ctx context.Context, kind, id string) ([]*kong.Plugin, error) {
	if kind == "routes" {
		return c.Kong.Plugins.ListAllForRoute(ctx, kong.String(id))
	}
	return c.Kong.Plugins.ListAllForService(ctx, kong.String(id))
}

// PluginSchema returns the schema document of a plugin as the runtime
// group serves it (GET /schemas/plugins/{name}): a 404 when the runtime
// group has no plugin of that name.
func (c *Client) PluginSchema(ctx context.Context, name string) ([]byte, error) {
	req, err := c.Kong.NewRequest(http.MethodGet, "/schemas/plugins/"+url.PathEscape(name), nil, nil)
	if err != nil {
		return nil, err
	}
	var doc json.RawMessage
	if _, err := c.Kong.Do(ctx, req, &doc); err != nil {
		return nil, err
	}
	if len(doc) == 0 || doc[0] != '{' {
		return nil, fmt.Errorf("GET /schemas/plugins/%s: the answer is not a schema document", name)
	}
	return doc, nil
}

// EnabledPlugins lists the plugins the runtime group can run (GET
// /plugins/enabled). Konnect control planes do not serve it.
func (c *Client) EnabledPlugins(ctx context.Context) ([]string, error) {
	req, err := c.Kong.NewRequest(http.MethodGet, "/plugins/enabled", nil, nil)
	if err != nil {
		return nil, err
	}
	var out struct {
		Enabled []string `json:"enabled_plugins"`
	}
	if _, err := c.Kong.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return out.Enabled, nil
}
