package kongschema

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestURLPartsString(t *testing.T) {
	path := func(s string) *string { return &s }
	tests := []struct {
		parts URLParts
		want  string
	}{
		{URLParts{Protocol: "http", Host: "example.com", Port: 80}, "http://example.com"},
		{URLParts{Protocol: "https", Host: "example.com", Port: 443, Path: path("/v1")}, "https://example.com/v1"},
		{URLParts{Protocol: "https", Host: "example.com", Port: 80}, "https://example.com:80"},
		{URLParts{Protocol: "http", Host: "example.com", Port: 443}, "http://example.com:443"},
		// Kong's expansion gives 80 to every protocol but https.
		{URLParts{Protocol: "grpcs", Host: "example.com", Port: 80}, "grpcs://example.com"},
		{URLParts{Protocol: "grpcs", Host: "example.com", Port: 443}, "grpcs://example.com:443"},
		{URLParts{Protocol: "tcp", Host: "10.0.0.1", Port: 9000}, "tcp://10.0.0.1:9000"},
		{URLParts{Protocol: "http", Host: "::1", Port: 8080, Path: path("/")}, "http://[::1]:8080/"},
		{URLParts{Protocol: "http", Host: "Example.COM", Port: 80, Path: path("/a/b")}, "http://Example.COM/a/b"},
	}
	for _, tt := range tests {
		if got := tt.parts.String(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.parts, got, tt.want)
		}
		back, err := ExpandURL(tt.want)
		if err != nil || !back.Equal(tt.parts) {
			t.Errorf("ExpandURL(%q) = %+v, %v; want %+v", tt.want, back, err, tt.parts)
		}
	}
}

func TestURLPartsEqual(t *testing.T) {
	a, b := "/x", "/x"
	base := URLParts{Protocol: "http", Host: "h", Port: 80, Path: &a}
	if !base.Equal(URLParts{Protocol: "http", Host: "h", Port: 80, Path: &b}) {
		t.Error("equal paths at different addresses differ")
	}
	other := "/y"
	for _, o := range []URLParts{
		{Protocol: "https", Host: "h", Port: 80, Path: &a},
		{Protocol: "http", Host: "H", Port: 80, Path: &a},
		{Protocol: "http", Host: "h", Port: 81, Path: &a},
		{Protocol: "http", Host: "h", Port: 80, Path: &other},
		{Protocol: "http", Host: "h", Port: 80},
	} {
		if base.Equal(o) || o.Equal(base) {
			t.Errorf("%+v equals %+v", o, base)
		}
	}
	if !(URLParts{Protocol: "http"}).Equal(URLParts{Protocol: "http"}) {
		t.Error("nil paths differ")
	}
}

// TestURLPartsRoundTrip: ExpandURL(p.String()) is p for every p a url can
// express.
func TestURLPartsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	protocols := append(ServiceProtocols(true), "HTTP", "x-custom.1+v")
	hosts := []string{"", "example.com", "a-b_c.example.test.", "Example.COM", "localhost",
		"10.0.0.1", "255.255.255.255", "::1", "2001:db8::8a2e:370:7334", "fe80::1%eth0", "[::1]", "xn--bcher-kva.example"}
	const pathChars = "abcXYZ019-._~!$&'()*+,=:@%/"
	for i := 0; i < 20000; i++ {
		p := URLParts{
			Protocol: protocols[rng.IntN(len(protocols))],
			Host:     hosts[rng.IntN(len(hosts))],
		}
		if p.Protocol == "tls_passthrough" {
			continue // not a url scheme: see String
		}
		switch rng.IntN(4) {
		case 0:
			p.Port = 80
		case 1:
			p.Port = 443
		default:
			p.Port = rng.IntN(65536)
		}
		if rng.IntN(3) > 0 {
			var b strings.Builder
			b.WriteByte('/')
			for n := rng.IntN(12); n > 0; n-- {
				b.WriteByte(pathChars[rng.IntN(len(pathChars))])
			}
			s := b.String()
			p.Path = &s
		}
		u := p.String()
		back, err := ExpandURL(u)
		if err != nil || !back.Equal(p) {
			t.Fatalf("%+v (path %v) -> %q -> %+v (path %v), %v", p, deref(p.Path), u, back, deref(back.Path), err)
		}
	}
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// TestExpandURLWSS: Kong Gateway Enterprise expands wss like https, to 443,
// and the url rendered back leaves that port out.
func TestExpandURLWSS(t *testing.T) {
	p, err := ExpandURL("wss://ws.internal/feed")
	if err != nil || p.Protocol != "wss" || p.Port != 443 || p.Path == nil || *p.Path != "/feed" {
		t.Fatalf("ExpandURL(wss) = %+v, %v", p, err)
	}
	if got := p.String(); got != "wss://ws.internal/feed" {
		t.Errorf("String() = %q", got)
	}
	if p, _ := ExpandURL("ws://ws.internal"); p.Port != 80 {
		t.Errorf("ws port = %d, want 80", p.Port)
	}
}
