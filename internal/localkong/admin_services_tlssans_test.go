package localkong

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"

	"github.com/kong/go-kong/kong"
)

// firstWithSANs is the first Kong with tls_sans: Kong Gateway Enterprise
// 3.10.0.6; Kong OSS has none (TestVersions).
const firstWithSANs = "3.10.0.6"

func TestServiceTLSSANs(t *testing.T) {
	c := newClient(t, Options{Version: firstWithSANs})
	id := "a1b2c3d4-0000-4000-8000-0000000000a1"
	sans := obj{"dnsnames": []any{"example.com", "test.example.com"}, "uris": []any{"https://example.com"}}
	put := c.must(200, "PUT", "/services/"+id, obj{"host": "example.com", "protocol": "https", "tls_sans": sans})
	got := c.must(200, "GET", "/services/"+id, nil)
	for _, body := range []map[string]any{put, got} {
		if !reflect.DeepEqual(body["tls_sans"], normalise(obj{"v": sans})["v"]) {
			t.Errorf("tls_sans = %s, want %s", mustJSON(body["tls_sans"]), mustJSON(sans))
		}
	}
	// A part left out reads back as null; PATCH replaces the record whole.
	body := c.must(200, "PATCH", "/services/"+id, obj{"tls_sans": obj{"uris": []any{"spiffe://a/b"}}})
	if mustJSON(body["tls_sans"]) != `{"dnsnames":null,"uris":["spiffe://a/b"]}` {
		t.Errorf("PATCH tls_sans = %s", mustJSON(body["tls_sans"]))
	}
	c.expect("PUT", "/services/"+id, obj{"host": "example.com", "tls_sans": obj{"dnsnames": []any{"ok.test", "10.0.0.1"}}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (tls_sans.dnsnames: {\n  [2] = \"must not be an IP\"\n})",
		"fields":  obj{"tls_sans": obj{"dnsnames": []any{nil, "must not be an IP"}}},
	})
	c.expect("POST", "/schemas/services/validate", obj{"host": "example.com", "tls_sans": obj{"uris": []any{"example.com"}}}, 400, obj{
		"code": 2, "name": "schema violation",
		"message": "schema violation (tls_sans.uris: {\n  \"missing host in url\"\n})",
		"fields":  obj{"tls_sans": obj{"uris": []any{"missing host in url"}}},
	})
	schema := c.must(200, "GET", "/schemas/services", nil)
	found := false
	for _, f := range schema["fields"].([]any) {
		if doc, ok := f.(map[string]any)["tls_sans"]; ok {
			found = doc.(map[string]any)["type"] == "record"
		}
	}
	if !found {
		t.Errorf("GET /schemas/services has no tls_sans record: %s", mustJSON(schema["fields"]))
	}
}

// TestServiceTLSSANsGoKong is go-kong's own TestServiceWithTLSSANs flow
// (which go-kong runs only against Kong Enterprise 3.10.0.6 and later).
func TestServiceTLSSANsGoKong(t *testing.T) {
	srv := startServer(t, Options{Version: firstWithSANs})
	client, err := kong.NewClient(kong.String(srv.AdminURL), http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created, err := client.Services.Create(ctx, &kong.Service{
		Name: kong.String("service-with-tls-sans"), Host: kong.String("example.com"), Protocol: kong.String("https"),
		TLSSANs: &kong.SANs{
			DNSNames: kong.StringSlice("example.com", "test.example.com"),
			Uris:     kong.StringSlice("https://example.com"),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.TLSSANs == nil ||
		!reflect.DeepEqual(created.TLSSANs.DNSNames, kong.StringSlice("example.com", "test.example.com")) ||
		!reflect.DeepEqual(created.TLSSANs.Uris, kong.StringSlice("https://example.com")) {
		t.Fatalf("created TLSSANs = %+v", created.TLSSANs)
	}
	created.TLSSANs = &kong.SANs{
		DNSNames: kong.StringSlice("new-example.com"),
		Uris:     kong.StringSlice("https://new-example.com", "https://api.new-example.com"),
	}
	updated, err := client.Services.Update(ctx, created)
	if err != nil {
		t.Fatal(err)
	}
	read, err := client.Services.Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*kong.Service{updated, read} {
		if *s.ID != *created.ID || !reflect.DeepEqual(s.TLSSANs, created.TLSSANs) {
			t.Errorf("TLSSANs = %+v, want %+v", s.TLSSANs, created.TLSSANs)
		}
	}
	// A service without tls_sans reads back without it.
	plain, err := client.Services.Create(ctx, &kong.Service{Host: kong.String("plain.test")})
	if err != nil {
		t.Fatal(err)
	}
	if plain.TLSSANs != nil {
		t.Errorf("plain service TLSSANs = %+v", plain.TLSSANs)
	}
	_, err = client.Services.Create(ctx, &kong.Service{Host: kong.String("bad.test"),
		TLSSANs: &kong.SANs{DNSNames: kong.StringSlice("bad.test:443")}})
	var apiErr *kong.APIError
	if !errors.As(err, &apiErr) || apiErr.Code() != http.StatusBadRequest {
		t.Errorf("bad dnsname: %v", err)
	}
}
