// Package plugins will hold the plugins localkong runs, one sub-package per
// plugin as Kong's kong/plugins/<name>/{schema,handler}.lua: plugins/<name>
// with the plugin's schema (through kongschema) and its handler (the proxy
// phases it runs in), and one registration line per plugin in a registry
// here that the Admin API (/plugins, /schemas/plugins/{name},
// /plugins/enabled) and the proxy's plugin run loop read. Adding a plugin
// touches its own folder and that line. No plugin is served yet: GET
// /schemas/plugins/{name} answers a bare schema for Kong's bundled names
// (../admin/schemas.go).
package plugins
