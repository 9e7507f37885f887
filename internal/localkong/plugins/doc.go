// Package plugins lists the plugins localkong serves, one sub-package per
// plugin as Kong's kong/plugins/<name>/{schema,handler,daos}.lua:
// plugins/<name> declares the plugin (pdk.Plugin: its name, priority,
// schema through kongschema, entities and phase handlers) and registry.go
// has one line for it. The store validates plugins with their schemas and
// keeps their entities; the Admin API serves /plugins, /plugins/enabled,
// /schemas/plugins/{name} and the entities; the proxy runs the handlers.
// Adding a plugin touches its own folder and that line.
package plugins
