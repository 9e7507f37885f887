package kongschema

import (
	"reflect"
	"testing"
)

func TestProtocolGroups(t *testing.T) {
	for _, tt := range []struct {
		name      string
		got, want []string
	}{
		{"Protocols", Protocols, []string{"grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp"}},
		{"ServiceProtocols(false)", ServiceProtocols(false), Protocols},
		{"ServiceProtocols(true)", ServiceProtocols(true),
			[]string{"grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"}},
		{"HTTPProtocols", HTTPProtocols, []string{"grpc", "grpcs", "http", "https"}},
		{"StreamProtocols", StreamProtocols, []string{"tcp", "tls", "tls_passthrough", "udp"}},
		{"RouteDefaultProtocols", RouteDefaultProtocols, []string{"http", "https"}},
	} {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	// Callers may keep and change what they get.
	ServiceProtocols(true)[0] = "changed"
	if ServiceProtocols(true)[0] != "grpc" {
		t.Error("ServiceProtocols shares its result")
	}
}

func TestProtocolSubsystem(t *testing.T) {
	for p, want := range map[string]string{
		"http": "http", "https": "http", "grpc": "http", "grpcs": "http", "ws": "http", "wss": "http",
		"tcp": "stream", "tls": "stream", "udp": "stream", "tls_passthrough": "stream",
		"": "", "HTTP": "", "ftp": "",
	} {
		if got := ProtocolSubsystem(p); got != want {
			t.Errorf("ProtocolSubsystem(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestOrList(t *testing.T) {
	for _, tt := range []struct {
		words []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "'a'"},
		{[]string{"a", "b"}, "'a' or 'b'"},
		{[]string{"a", "b", "c"}, "'a', 'b' or 'c'"},
	} {
		if got := orList("'", tt.words); got != tt.want {
			t.Errorf("orList(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}
