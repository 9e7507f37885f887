package servicehub

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// KongVersion stops a write that uses a field (or a kind of value) the
// runtime group's Kong does not have, before Kong answers it with a bare
// "unknown field". It asks GET / for the version at most once per Client
// (per Terraform run), and only when an entity uses such a feature, so
// configurations that use none cost no request. Konnect control planes
// are not asked: they take the newest fields, and say themselves which
// data plane versions lack them.
type KongVersion struct {
	api     *kongapi.Client
	konnect bool

	mu     sync.Mutex
	known  bool
	v      kongschema.Version
	flavor string
}

// NewKongVersion returns the version gate of the runtime group api talks
// to; konnect says it is a Konnect control plane.
func NewKongVersion(api *kongapi.Client, konnect bool) *KongVersion {
	return &KongVersion{api: api, konnect: konnect}
}

// UnsupportedError is an entity using features the connected Kong lacks.
type UnsupportedError struct {
	Entity   string // "services" or "routes"
	Kong     kongschema.Version
	Flavor   string // router_flavor, as GET / reports it
	Features []kongschema.Feature
}

func (e *UnsupportedError) Error() string {
	var parts []string
	for _, f := range e.Features {
		parts = append(parts, fmt.Sprintf("%s needs %s", f.What, f.Since))
	}
	return fmt.Sprintf("the connected Kong is %s%s: %s", e.Kong.Describe(), e.flavorNote(), strings.Join(parts, "; "))
}

func (e *UnsupportedError) flavorNote() string {
	if e.Flavor == "" || e.Flavor == "traditional_compatible" {
		return ""
	}
	return fmt.Sprintf(" with router_flavor = %q", e.Flavor)
}

// Describe is how the connected Kong is named in messages.
func (e *UnsupportedError) Describe() string { return e.Kong.Describe() + e.flavorNote() }

// check returns an *UnsupportedError when entity (a go-kong Service or
// Route) uses a feature the connected Kong lacks. When the version cannot
// be read (GET / refused to this token, say) the write goes ahead and Kong
// has the last word.
func (k *KongVersion) check(ctx context.Context, kind string, entity any) error {
	if k == nil || k.konnect {
		return nil
	}
	// A go-kong entity always marshals; were it not to, the write's own
	// marshalling reports it, so the check stands aside.
	b, err := json.Marshal(entity)
	var body map[string]any
	if err != nil || json.Unmarshal(b, &body) != nil {
		return nil //nolint:nilerr // see above: Kong, or the write, has the last word
	}
	used := false
	for _, f := range kongschema.Features {
		used = used || (f.Entity == kind && f.Used(body))
	}
	if !used {
		return nil
	}
	v, flavor, ok := k.read(ctx)
	if !ok {
		return nil
	}
	if missing := kongschema.Unsupported(kind, body, v, flavor); len(missing) > 0 {
		return &UnsupportedError{Entity: kind, Kong: v, Flavor: flavor, Features: missing}
	}
	return nil
}

// read returns the version and router flavour from GET / (through the
// workspace, as go-kong's Root does), asking once; a failed read is tried
// again by the next write that needs it.
func (k *KongVersion) read(ctx context.Context) (kongschema.Version, string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.known {
		return k.v, k.flavor, true
	}
	root, err := k.api.Kong.Root(ctx)
	if err != nil {
		return kongschema.Version{}, "", false
	}
	v, err := kongschema.ParseVersion(kong.VersionFromInfo(root))
	if err != nil {
		return kongschema.Version{}, "", false
	}
	flavor := ""
	if conf, ok := root["configuration"].(map[string]any); ok {
		flavor, _ = conf["router_flavor"].(string)
	}
	k.known, k.v, k.flavor = true, v, flavor
	return v, flavor, true
}

// CheckService is check for a Gateway Service.
func (k *KongVersion) CheckService(ctx context.Context, s *kong.Service) error {
	return k.check(ctx, "services", s)
}

// CheckRoute is check for a Route.
func (k *KongVersion) CheckRoute(ctx context.Context, r *kong.Route) error {
	return k.check(ctx, "routes", r)
}
