package servicehub

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/kong/go-kong/kong"
)

// A delete never takes down what others made. Kong deletes a Gateway
// Service's plugins with it, and a Route's with the route; it refuses to
// delete a Gateway Service that routes use. So before deleting an
// implementation or a route, the provider looks for the plugins on it (one
// filtered read, or the run's listing when it destroys many: kongapi's
// PluginsOn), and refuses, deleting nothing, when there are any.
//
// Which plugins and routes "this configuration manages" is decided by
// Terraform's graph, not by tags: a servicehub_plugin or servicehub_route
// of this configuration on the implementation depends on it, so Terraform
// deletes it first, and it is gone when the implementation's delete
// looks. Whatever is still there is someone else's: another tool's
// (decK, the Konnect UI, the Ingress Controller), another workspace's
// (this provider's ownership tag says only that some run of the provider
// made it), made by hand, or a resource of this configuration that stays
// (moving to a replacement, say), which the cascade would take down too.
// force_destroy takes them down: routes first (Kong deletes their plugins
// with them), then the Gateway Service with its plugins; never an entity
// of the Ingress Controller.

// InUseError: a delete found plugins (and, on a Gateway Service, routes)
// that this configuration does not manage, and deleted nothing.
type InUseError struct {
	// Noun is "implementation" or "route"; ID and Name are the entity's.
	Noun, ID, Name string
	Plugins        []*kong.Plugin
	Routes         []*kong.Route
	// Forced is set when force_destroy was given but the entities include
	// the Ingress Controller's, which it never takes down.
	Forced bool
}

func (e *InUseError) Error() string {
	var items []string
	for _, r := range e.Routes {
		items = append(items, fmt.Sprintf("route %s%s", quotedName(r.Name), details(r.ID, r.Tags)))
	}
	for _, p := range e.Plugins {
		on := ""
		if kind, id := pluginScope(p); kind == "routes" && e.Noun == "implementation" {
			on = " on route " + id
		}
		items = append(items, fmt.Sprintf("plugin %q%s%s", str(p.Name), on, details(p.ID, p.Tags)))
	}
	sort.Strings(items)
	entity := "Gateway Service"
	kong := "Kong deletes a Gateway Service's plugins with it and does not delete one that routes use"
	force := "set force_destroy = true on the servicehub_implementation and apply before destroying, to delete them with it"
	if e.Noun == "route" {
		entity, kong = "Route", "Kong deletes a route's plugins with it"
		force = "set force_destroy = true on the servicehub_route and apply before destroying, to delete them with it"
	}
	what := "the " + entity
	if e.Forced {
		return fmt.Sprintf("the %s %q (%s %s) was not deleted: force_destroy is set, but %s carries what Kong's Ingress Controller manages, "+
			"which the provider never deletes:\n  - %s\nRemove it through the Ingress Controller (its Kubernetes resources) first",
			e.Noun, e.Name, entity, e.ID, what, strings.Join(items, "\n  - "))
	}
	return fmt.Sprintf("the %s %q (%s %s) was not deleted, nor anything on it: %s carries what this configuration does not manage, "+
		"and %s:\n  - %s\n"+
		"This configuration's own servicehub_plugin and servicehub_route resources on it are deleted before it, so these were made by another "+
		"tool (decK, the Konnect UI, the Ingress Controller), by another Terraform workspace, or by hand; or they are resources of this "+
		"configuration that stay, such as ones moving to a replacement of it in this apply (then give it lifecycle { create_before_destroy = true }). "+
		"To go on: remove them where they were made (with decK, take them out of its file and sync); or import them into this configuration "+
		"(terraform import servicehub_plugin.<name> <id>, terraform import servicehub_route.<name> <id>); or %s",
		e.Noun, e.Name, entity, e.ID, what, kong, strings.Join(items, "\n  - "), force)
}

func quotedName(name *string) string {
	if name == nil {
		return "(unnamed)"
	}
	return fmt.Sprintf("%q", *name)
}

// details says an entity's id and tags, and whose its tags say it is.
func details(id *string, tags []*string) string {
	t := strs(tags)
	out := fmt.Sprintf(" (id %s, tags [%s]", str(id), strings.Join(t, ", "))
	switch {
	case ByIngressController(tags):
		out += "; Kong's Ingress Controller's"
	case tagWithPrefix(t, createTagPrefix):
		out += "; made by this provider, in another workspace or state"
	}
	return out + ")"
}

func tagWithPrefix(tags []string, prefix string) bool {
	for _, t := range tags {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

// clear makes way for deleting the implementation's Gateway Service id:
// nil when nothing but it would go; without force, an *InUseError naming
// the plugins on it (and its routes) when there are any; with force, it
// deletes its routes (and their plugins) first, the Gateway Service's own
// plugins going with it. Kong's refusal to delete a Gateway Service that
// routes use covers routes added after this look.
func (s *Implementations) clear(ctx context.Context, id, name string, force bool) error {
	plugins, err := s.kong.PluginsOn(ctx, "services", id)
	switch {
	case IsNotFound(err):
		return nil // gone already
	case err != nil:
		return fmt.Errorf("looking for plugins on the Gateway Service %s before deleting it: %w", id, classify(err))
	}
	if len(plugins) == 0 && !force {
		return nil
	}
	var routes []*kong.Route
	if len(plugins) > 0 || force {
		if routes, err = s.api.ListRoutesForService(ctx, id); err != nil && !IsNotFound(err) {
			return fmt.Errorf("looking for routes on the Gateway Service %s before deleting it: %w", id, classify(err))
		}
	}
	if len(plugins)+len(routes) == 0 {
		return nil
	}
	e := &InUseError{Noun: "implementation", ID: id, Name: name, Plugins: plugins, Routes: routes}
	if !force {
		return e
	}
	if kic := ingressOnly(e); kic != nil {
		return kic
	}
	for _, r := range routes {
		if err := s.kong.DeleteRoute(ctx, str(r.ID)); err != nil && !IsNotFound(err) {
			return fmt.Errorf("deleting the route %s of the Gateway Service %s (force_destroy): %w", str(r.ID), id, classify(err))
		}
	}
	return nil
}

// ingressOnly is e narrowed to the Ingress Controller's entities, which
// force_destroy never takes down; nil when there are none.
func ingressOnly(e *InUseError) *InUseError {
	kic := &InUseError{Noun: e.Noun, ID: e.ID, Name: e.Name, Forced: true}
	for _, p := range e.Plugins {
		if ByIngressController(p.Tags) {
			kic.Plugins = append(kic.Plugins, p)
		}
	}
	for _, r := range e.Routes {
		if ByIngressController(r.Tags) {
			kic.Routes = append(kic.Routes, r)
		}
	}
	if len(kic.Plugins)+len(kic.Routes) == 0 {
		return nil
	}
	return kic
}

// Delete removes a route; gone already is fine. Plugins on it (Kong
// deletes them with it), all someone else's as this configuration's own
// were deleted first, make it an *InUseError and nothing is deleted,
// unless force: then they go with it (never the Ingress Controller's).
func (s *Routes) Delete(ctx context.Context, id, name string, force bool) error {
	plugins, err := s.kong.PluginsOn(ctx, "routes", id)
	switch {
	case IsNotFound(err):
		return nil
	case err != nil:
		return fmt.Errorf("looking for plugins on the route %s before deleting it: %w", id, classify(err))
	}
	if len(plugins) > 0 {
		e := &InUseError{Noun: "route", ID: id, Name: name, Plugins: plugins}
		if !force {
			return e
		}
		if kic := ingressOnly(e); kic != nil {
			return kic
		}
	}
	return classify(s.kong.DeleteRoute(ctx, id))
}
