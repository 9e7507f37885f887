package localkong

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestVersions: Options.Version (the command's -kong-version) changes what
// GET / reports and which service and route values are accepted, as those
// Kong releases do (kongschema.Features).
func TestVersions(t *testing.T) {
	tests := []struct {
		version, server, edition      string // edition "" when GET / has none
		wildcardSNIs, atcWithoutPaths bool
		ws, tlsSANs                   bool
	}{
		{"3.4.2", "kong/3.4.2", "", false, false, false, false},
		{"3.6.1", "kong/3.6.1", "community", false, true, false, false},
		{"3.10.0", "kong/3.10.0", "community", true, true, false, false},
		{"3.4.3.12", "kong/3.4.3.12-enterprise-edition", "", false, false, true, false},
		{"3.10.0.5", "kong/3.10.0.5-enterprise-edition", "enterprise", true, true, true, false},
		{"3.10.0.6", "kong/3.10.0.6-enterprise-edition", "enterprise", true, true, true, true},
	}
	status := func(ok bool, yes int) int {
		if ok {
			return yes
		}
		return 400
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			srv := startServer(t, Options{Version: tt.version})
			c := &client{t: t, base: srv.AdminURL, header: http.Header{}}
			r := c.do("GET", "/", nil)
			if r.body["version"] != tt.version || r.header.Get("Server") != tt.server {
				t.Errorf("GET /: version %v, Server %q", r.body["version"], r.header.Get("Server"))
			}
			if ed, ok := r.body["edition"]; (tt.edition == "" && ok) || (tt.edition != "" && ed != tt.edition) {
				t.Errorf("GET /: edition %v (present %v), want %q", ed, ok, tt.edition)
			}

			svc := c.must(201, "POST", "/services", obj{"name": "s", "host": "a.test"})
			wild := c.do("POST", "/routes", obj{"protocols": []any{"https"}, "snis": []any{"*.a.test"}, "service": obj{"id": svc["id"]}})
			if wild.status != status(tt.wildcardSNIs, 201) {
				t.Errorf("route with a wildcard sni: %d %s", wild.status, wild.raw)
			}
			if !tt.wildcardSNIs && !strings.Contains(string(wild.raw), `"invalid value: *.a.test"`) {
				t.Errorf("wildcard sni refused with %s", wild.raw)
			}
			atc := c.do("POST", "/routes", obj{"headers": obj{"x": []any{"~*("}}})
			if atc.status != status(!tt.atcWithoutPaths, 201) {
				t.Errorf("route with a bad header regex and no paths: %d %s", atc.status, atc.raw)
			}
			// Before 3.6 the check sees only id and paths (Kong's
			// run_entity_check passes the field_sources alone).
			withPaths := c.do("POST", "/routes", obj{"paths": []any{"/a"}, "headers": obj{"x": []any{"~*("}}})
			if withPaths.status != status(!tt.atcWithoutPaths, 201) {
				t.Errorf("route with paths and a bad header regex: %d %s", withPaths.status, withPaths.raw)
			}
			if tt.atcWithoutPaths && !strings.Contains(string(withPaths.raw), "Router Expression failed validation: regex parse error") {
				t.Errorf("bad header regex refused with %s", withPaths.raw)
			}
			ws := c.do("POST", "/services", obj{"host": "a.test", "protocol": "wss"})
			if ws.status != status(tt.ws, 201) {
				t.Errorf("wss service: %d %s", ws.status, ws.raw)
			}
			sans := c.do("POST", "/services", obj{"host": "a.test", "tls_sans": obj{"dnsnames": []any{"b.test"}}})
			if sans.status != status(tt.tlsSANs, 201) {
				t.Errorf("service with tls_sans: %d %s", sans.status, sans.raw)
			}
			if !tt.tlsSANs && !strings.Contains(string(sans.raw), `"tls_sans":"unknown field"`) {
				t.Errorf("tls_sans refused with %s", sans.raw)
			}
			inSchema := strings.Contains(mustJSON(c.must(200, "GET", "/schemas/services", nil)["fields"]), `{"tls_sans":`)
			if inSchema != tt.tlsSANs {
				t.Errorf("GET /schemas/services lists tls_sans: %v", inSchema)
			}
			if got := c.must(200, "GET", "/services/s", nil); len(got) != 18+boolInt(tt.tlsSANs) {
				t.Errorf("service has %d fields: %s", len(got), mustJSON(got))
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Konnect accepts what Kong Gateway Enterprise's newest does, whatever
// version is asked for.
func TestVersionsKonnect(t *testing.T) {
	c := newClient(t, Options{Konnect: true, AdminToken: "kpat_x", Version: "3.4.2"})
	c.header.Set("Authorization", "Bearer kpat_x")
	c.must(201, "POST", cpA+"/services", obj{"host": "a.test", "protocol": "wss", "tls_sans": obj{"dnsnames": []any{"b.test"}}})
	c.must(201, "POST", cpA+"/routes", obj{"protocols": []any{"https"}, "snis": []any{"*.a.test"}})
}

func TestVersionsRefused(t *testing.T) {
	for _, v := range []string{"2.8.5", "3.3.1", "3.11.0", "4.0.0", "latest"} {
		if srv, err := NewTestServer(Options{Version: v}); err == nil {
			srv.Close()
			t.Errorf("version %q accepted", v)
		} else if !strings.Contains(err.Error(), "version") {
			t.Errorf("version %q: %v", v, err)
		}
	}
	// A pre-release plays its release.
	srv := startServer(t, Options{Version: "3.10.0-rc.1"})
	if got := fmt.Sprint(srv.admin.RootInfo()["version"]); got != "3.10.0" {
		t.Errorf("version %s", got)
	}
}
