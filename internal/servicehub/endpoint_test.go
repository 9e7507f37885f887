package servicehub

import "testing"

func ptr(s string) *string { return &s }

func TestEndpointURL(t *testing.T) {
	tests := []struct {
		e    Endpoint
		want string
	}{
		{Endpoint{"http", "service.test", 80, ptr("/")}, "http://service.test/"},
		{Endpoint{"https", "service.test", 443, nil}, "https://service.test"},
		{Endpoint{"http", "example.test", 443, nil}, "http://example.test:443"},
		{Endpoint{"https", "example2.test", 80, ptr("/")}, "https://example2.test:80/"},
		{Endpoint{"http", "edited2.test", 1234, ptr("/foo")}, "http://edited2.test:1234/foo"},
		{Endpoint{"grpcs", "grpc.test", 80, nil}, "grpcs://grpc.test"},
		{Endpoint{"tcp", "10.0.0.1", 5432, nil}, "tcp://10.0.0.1:5432"},
	}
	for _, tt := range tests {
		if got := tt.e.URL(); got != tt.want {
			t.Errorf("%+v.URL() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

// The url rendered from components must expand back to them under Kong's
// rules, or a components-only configuration would never converge.
func TestEndpointURLRoundTrip(t *testing.T) {
	for _, e := range []Endpoint{
		{"http", "service.test", 80, ptr("/")},
		{"https", "service.test", 443, nil},
		{"http", "example.test", 443, nil},
		{"https", "example2.test", 80, ptr("/a/b")},
		{"http", "edited2.test", 1234, ptr("/foo")},
		{"grpc", "grpc.test", 50051, nil},
		{"tls", "db.internal", 80, nil},
		{"http", "127.0.0.1", 8080, ptr("/x")},
	} {
		got, err := ParseURL(e.URL())
		if err != nil {
			t.Errorf("ParseURL(%q): %v", e.URL(), err)
			continue
		}
		if !got.Equal(e) {
			t.Errorf("ParseURL(%q) = %+v, want %+v", e.URL(), got, e)
		}
	}
}

func TestParseURLKongExpansion(t *testing.T) {
	tests := []struct {
		url  string
		want Endpoint
	}{
		{"http://service.test/", Endpoint{"http", "service.test", 80, ptr("/")}},
		{"https://service.test/", Endpoint{"https", "service.test", 443, ptr("/")}},
		{"http://example.test:443", Endpoint{"http", "example.test", 443, nil}},
		{"https://example2.test:80/", Endpoint{"https", "example2.test", 80, ptr("/")}},
		{"http://edited2.test:1234/foo", Endpoint{"http", "edited2.test", 1234, ptr("/foo")}},
		{"grpcs://h", Endpoint{"grpcs", "h", 80, nil}},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.url)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tt.url, got, err, tt.want)
		}
	}
}

func TestSyncURL(t *testing.T) {
	e := Endpoint{"http", "service.test", 80, ptr("/api")}
	if got := SyncURL("http://service.test:80/api", e); got != "http://service.test:80/api" {
		t.Errorf("equivalent spelling replaced: %q", got)
	}
	if got := SyncURL("http://other.test/api", e); got != "http://service.test/api" {
		t.Errorf("drifted url kept: %q", got)
	}
	if got := SyncURL("", e); got != "http://service.test/api" {
		t.Errorf("no prior: %q", got)
	}
}
