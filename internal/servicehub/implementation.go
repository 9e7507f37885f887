package servicehub

import (
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Implementation is a Service version's Gateway Service in one runtime
// group. The Gateway Service is go-kong's, field for field, so an attribute
// Kong adds reaches the provider without a domain copy of every field; only
// the version it implements is the domain's, kept apart from its tags.
type Implementation struct {
	Service string // Service Hub service, e.g. "payments"; "" when untagged
	Version string // its version, e.g. "v1"; "" when untagged
	// Linked says the version is an API Catalog entry this implementation
	// is linked to (Konnect). The catalog's one-implementation-per-API rule
	// then arbitrates a move between versions, so no slot claim is taken.
	Linked bool
	// Gateway is the Gateway Service. Its Tags are the user's own: the
	// provider's tags are added on write and removed on read.
	Gateway kong.Service
	// Token is the token of the create that made the Gateway Service, kept
	// on it as the tag servicehub:create=<token> (owner.go); "" for one
	// made without it.
	Token string
}

// ID is the Gateway Service id.
func (i Implementation) ID() string { return str(i.Gateway.ID) }

// Name is the Gateway Service name.
func (i Implementation) Name() string { return str(i.Gateway.Name) }

// Enabled is Kong's enabled, true when unset.
func (i Implementation) Enabled() bool { return i.Gateway.Enabled == nil || *i.Gateway.Enabled }

// UpstreamURL renders where the implementation sends traffic as a url.
func (i Implementation) UpstreamURL() string { return endpointOf(&i.Gateway).String() }

// toKong renders the full Gateway Service a PUT sends: the implementation's
// own with the provider's tags in front of the user's.
func toKong(impl Implementation) *kong.Service {
	s := impl.Gateway.DeepCopy()
	tags := ownTags(impl.Service, impl.Version, strs(impl.Gateway.Tags))
	if impl.Token != "" {
		tags = append(tags[:len(tags):len(tags)], createTagPrefix+impl.Token)
	}
	s.Tags = kong.StringSlice(tags...)
	return s
}

// fromKong reads an implementation back from a Gateway Service.
func fromKong(s *kong.Service) Implementation {
	impl := Implementation{Gateway: *s.DeepCopy(), Token: tagValue(s, createTagPrefix)}
	var user []string
	impl.Service, impl.Version, user = splitTags(strs(s.Tags))
	impl.Gateway.Tags = kong.StringSlice(user...)
	return impl
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func strs(ps []*string) []string {
	var out []string
	for _, p := range ps {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// endpointOf is a Gateway Service's upstream, as the parts of a url.
func endpointOf(s *kong.Service) kongschema.URLParts {
	p := kongschema.URLParts{Protocol: str(s.Protocol), Host: str(s.Host), Path: s.Path}
	if s.Port != nil {
		p.Port = *s.Port
	}
	return p
}
