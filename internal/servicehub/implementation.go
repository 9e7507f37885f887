package servicehub

import (
	"github.com/kong/go-kong/kong"
)

// Implementation is a Service version's Gateway Service in one runtime group.
type Implementation struct {
	ID      string
	Service string // Service Hub service, e.g. "payments"; "" when untagged
	Version string // its version, e.g. "v1"; "" when untagged
	Name    string // Gateway Service name

	Endpoint

	Retries        int
	ConnectTimeout int
	WriteTimeout   int
	ReadTimeout    int

	ClientCertificateID *string
	CACertificates      []string // nil and empty both mean none
	TLSVerify           *bool
	TLSVerifyDepth      *int
	Enabled             bool
	Tags                []string // the user's tags; never the provider's

	CreatedAt int64
	UpdatedAt int64
}

// toKong renders the full Gateway Service a PUT sends. Everything the
// implementation does not set is left nil, so Kong resets it.
func toKong(impl Implementation) *kong.Service {
	s := &kong.Service{
		Name:           kong.String(impl.Name),
		Protocol:       kong.String(impl.Protocol),
		Host:           kong.String(impl.Host),
		Port:           kong.Int(impl.Port),
		Path:           impl.Path,
		Retries:        kong.Int(impl.Retries),
		ConnectTimeout: kong.Int(impl.ConnectTimeout),
		WriteTimeout:   kong.Int(impl.WriteTimeout),
		ReadTimeout:    kong.Int(impl.ReadTimeout),
		TLSVerify:      impl.TLSVerify,
		TLSVerifyDepth: impl.TLSVerifyDepth,
		Enabled:        kong.Bool(impl.Enabled),
		Tags:           kong.StringSlice(ownTags(impl.Service, impl.Version, impl.Tags)...),
	}
	if impl.ID != "" {
		s.ID = kong.String(impl.ID)
	}
	if impl.CreatedAt != 0 {
		s.CreatedAt = kong.Int(int(impl.CreatedAt))
	}
	if impl.ClientCertificateID != nil {
		s.ClientCertificate = &kong.Certificate{ID: impl.ClientCertificateID}
	}
	if len(impl.CACertificates) > 0 {
		s.CACertificates = kong.StringSlice(impl.CACertificates...)
	}
	return s
}

// fromKong reads an implementation back from a Gateway Service.
func fromKong(s *kong.Service) Implementation {
	impl := Implementation{
		ID:   str(s.ID),
		Name: str(s.Name),
		Endpoint: Endpoint{
			Protocol: str(s.Protocol),
			Host:     str(s.Host),
			Port:     num(s.Port),
			Path:     s.Path,
		},
		Retries:        num(s.Retries),
		ConnectTimeout: num(s.ConnectTimeout),
		WriteTimeout:   num(s.WriteTimeout),
		ReadTimeout:    num(s.ReadTimeout),
		TLSVerify:      s.TLSVerify,
		TLSVerifyDepth: s.TLSVerifyDepth,
		Enabled:        s.Enabled == nil || *s.Enabled,
		CreatedAt:      int64(num(s.CreatedAt)),
		UpdatedAt:      int64(num(s.UpdatedAt)),
	}
	if s.ClientCertificate != nil && s.ClientCertificate.ID != nil {
		impl.ClientCertificateID = kong.String(*s.ClientCertificate.ID)
	}
	for _, id := range s.CACertificates {
		if id != nil {
			impl.CACertificates = append(impl.CACertificates, *id)
		}
	}
	var tags []string
	for _, t := range s.Tags {
		if t != nil {
			tags = append(tags, *t)
		}
	}
	impl.Service, impl.Version, impl.Tags = splitTags(tags)
	return impl
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
