package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// konnectToken is the bearer token of the Konnect-mode localkongs here.
const konnectToken = "kpat_catalogtest0123456789abcdefABCDEF0123456789"

// startKonnect runs a localkong serving a Konnect control plane (the one
// its proxy serves), the API catalog and analytics.
func startKonnect(t *testing.T, opts localkong.Options) *localkong.Server {
	t.Helper()
	opts.Konnect, opts.AdminToken = true, konnectToken
	return startKong(t, opts).Server // Konnect mode is localkong only: startKong skips against an external Kong
}

// konnectProvider is a provider block for srv's control plane.
func konnectProvider(srv *localkong.Server, extra ...string) string {
	return providerConfig(srv.ControlPlaneURL(""), append([]string{fmt.Sprintf("konnect_token = %q", konnectToken)}, extra...)...)
}

// catalogCall calls srv's catalog or analytics behind the provider's back
// and decodes the JSON answer (nil for 204).
func catalogCall(t *testing.T, srv *localkong.Server, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, srv.AdminURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+konnectToken)
	req.Header.Set("X-Test", "1")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: HTTP %d, %v: %s", method, path, resp.StatusCode, err, raw)
		}
	}
	return resp.StatusCode, out
}

// catalogAPIs lists the catalog's APIs named name (every version).
func catalogAPIs(t *testing.T, srv *localkong.Server, name string) []map[string]any {
	t.Helper()
	status, out := catalogCall(t, srv, http.MethodGet, "/v3/apis?page[size]=100&filter[name][eq]="+url.QueryEscape(name), nil)
	if status != http.StatusOK {
		t.Fatalf("listing APIs: HTTP %d %v", status, out)
	}
	var apis []map[string]any
	for _, a := range out["data"].([]any) {
		apis = append(apis, a.(map[string]any))
	}
	return apis
}

// catalogLinks lists the catalog's implementations, filtered by query
// (e.g. "filter[api_id][eq]=…").
func catalogLinks(t *testing.T, srv *localkong.Server, query string) []map[string]any {
	t.Helper()
	status, out := catalogCall(t, srv, http.MethodGet, "/v3/api-implementations?page[size]=100&"+query, nil)
	if status != http.StatusOK {
		t.Fatalf("listing implementations: HTTP %d %v", status, out)
	}
	var links []map[string]any
	for _, l := range out["data"].([]any) {
		links = append(links, l.(map[string]any))
	}
	return links
}

// linkedService is the Gateway Service id the API is implemented by, ""
// when none.
func linkedService(t *testing.T, srv *localkong.Server, apiID string) string {
	t.Helper()
	links := catalogLinks(t, srv, "filter[api_id][eq]="+apiID)
	switch len(links) {
	case 0:
		return ""
	case 1:
		return links[0]["service"].(map[string]any)["id"].(string)
	}
	t.Fatalf("API %s has %d implementations", apiID, len(links))
	return ""
}

// attr reads a resource attribute from state.
func stateAttr(s *terraform.State, addr, name string) string {
	if r := s.RootModule().Resources[addr]; r != nil {
		return r.Primary.Attributes[name]
	}
	return ""
}

// checkCatalog asserts on the API the resource at addr names, as the
// catalog holds it.
func checkCatalog(t *testing.T, srv *localkong.Server, addr string, check func(api map[string]any) error) func(*terraform.State) error {
	return func(s *terraform.State) error {
		id := stateAttr(s, addr, "id")
		status, api := catalogCall(t, srv, http.MethodGet, "/v3/apis/"+id, nil)
		if status != http.StatusOK {
			return fmt.Errorf("API %s: HTTP %d %v", id, status, api)
		}
		return check(api)
	}
}
