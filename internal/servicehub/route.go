package servicehub

import (
	"github.com/kong/go-kong/kong"
)

// Route is one Kong Route of an implementation: how requests reach its
// Gateway Service. Collections keep Kong's order; nil and empty both mean
// none, since go-kong cannot send an empty one.
type Route struct {
	ID               string
	Name             string
	ImplementationID string // the Gateway Service id; "" when detached

	Protocols []string
	Methods   []string
	Hosts     []string
	Paths     []string
	Headers   map[string][]string
	SNIs      []string

	Sources      []Peer
	Destinations []Peer

	StripPath               bool
	PreserveHost            bool
	RegexPriority           int
	PathHandling            string
	HTTPSRedirectStatusCode int
	RequestBuffering        bool
	ResponseBuffering       bool
	Tags                    []string

	CreatedAt int64
	UpdatedAt int64
}

// Peer is a sources or destinations entry; either part may be unset.
type Peer struct {
	IP   *string // address or CIDR range
	Port *int
}

// toKongRoute renders the full Route a PUT sends. Booleans and numbers are
// always sent, so a PUT never falls back to a default the caller did not
// choose.
func toKongRoute(r Route) *kong.Route {
	kr := &kong.Route{
		Name:                    kong.String(r.Name),
		Protocols:               kong.StringSlice(r.Protocols...),
		Methods:                 kong.StringSlice(r.Methods...),
		Hosts:                   kong.StringSlice(r.Hosts...),
		Paths:                   kong.StringSlice(r.Paths...),
		SNIs:                    kong.StringSlice(r.SNIs...),
		Sources:                 toKongPeers(r.Sources),
		Destinations:            toKongPeers(r.Destinations),
		StripPath:               kong.Bool(r.StripPath),
		PreserveHost:            kong.Bool(r.PreserveHost),
		RegexPriority:           kong.Int(r.RegexPriority),
		HTTPSRedirectStatusCode: kong.Int(r.HTTPSRedirectStatusCode),
		RequestBuffering:        kong.Bool(r.RequestBuffering),
		ResponseBuffering:       kong.Bool(r.ResponseBuffering),
		Tags:                    kong.StringSlice(r.Tags...),
	}
	if r.PathHandling != "" {
		kr.PathHandling = kong.String(r.PathHandling)
	}
	if len(r.Headers) > 0 {
		kr.Headers = r.Headers
	}
	if r.ID != "" {
		kr.ID = kong.String(r.ID)
	}
	if r.ImplementationID != "" {
		kr.Service = &kong.Service{ID: kong.String(r.ImplementationID)}
	}
	if r.CreatedAt != 0 {
		kr.CreatedAt = kong.Int(int(r.CreatedAt))
	}
	return kr
}

func toKongPeers(ps []Peer) []*kong.CIDRPort {
	if len(ps) == 0 {
		return nil
	}
	out := make([]*kong.CIDRPort, len(ps))
	for i, p := range ps {
		out[i] = &kong.CIDRPort{IP: p.IP, Port: p.Port}
	}
	return out
}

// fromKongRoute reads a Route back.
func fromKongRoute(kr *kong.Route) Route {
	r := Route{
		ID:                      str(kr.ID),
		Name:                    str(kr.Name),
		Protocols:               strs(kr.Protocols),
		Methods:                 strs(kr.Methods),
		Hosts:                   strs(kr.Hosts),
		Paths:                   strs(kr.Paths),
		SNIs:                    strs(kr.SNIs),
		Headers:                 kr.Headers,
		Sources:                 fromKongPeers(kr.Sources),
		Destinations:            fromKongPeers(kr.Destinations),
		StripPath:               kr.StripPath != nil && *kr.StripPath,
		PreserveHost:            kr.PreserveHost != nil && *kr.PreserveHost,
		RegexPriority:           num(kr.RegexPriority),
		PathHandling:            str(kr.PathHandling),
		HTTPSRedirectStatusCode: num(kr.HTTPSRedirectStatusCode),
		RequestBuffering:        kr.RequestBuffering == nil || *kr.RequestBuffering,
		ResponseBuffering:       kr.ResponseBuffering == nil || *kr.ResponseBuffering,
		Tags:                    strs(kr.Tags),
		CreatedAt:               int64(num(kr.CreatedAt)),
		UpdatedAt:               int64(num(kr.UpdatedAt)),
	}
	if kr.Service != nil {
		r.ImplementationID = str(kr.Service.ID)
	}
	return r
}

func fromKongPeers(ps []*kong.CIDRPort) []Peer {
	var out []Peer
	for _, p := range ps {
		if p != nil {
			out = append(out, Peer{IP: p.IP, Port: p.Port})
		}
	}
	return out
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
