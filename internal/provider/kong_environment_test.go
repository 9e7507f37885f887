package provider

import (
	"os"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// Without KONG_ADMIN_URL nothing of the caller's reaches the provider
// under test (the acceptance tests then set what they need themselves);
// with it, the five Kong settings pass and everything else is cleared. Not
// parallel: it sets the process environment (and, for a moment, extKong).
func TestKongEnvironment(t *testing.T) {
	if extKong != nil {
		skipBecause(t, "checks the in-process mode's environment")
	}
	hostile := map[string]string{
		"KONG_PROXY_URL": "http://127.0.0.1:2", "KONG_METRICS_URL": "http://127.0.0.1:2/metrics",
		"KONG_ADMIN_TOKEN": "t", "KONG_WORKSPACE": "w", "KONG_TLS_SKIP_VERIFY": "maybe",
		"KONNECT_TOKEN": "kpat_x", "KONG_TEST_UPSTREAM_URL": "http://127.0.0.1:2",
	}
	for k, v := range hostile {
		t.Setenv(k, v)
	}
	if err := setUpKongEnvironment(); err != nil || extKong != nil {
		t.Fatalf("in-process mode: %v, external %v", err, extKong)
	}
	for k := range hostile {
		if v, set := os.LookupEnv(k); set {
			t.Errorf("%s=%s left for the provider under test", k, v)
		}
	}

	srv := startKong(t, localkong.Options{Version: "3.6.1"})
	for k, v := range hostile {
		t.Setenv(k, v)
	}
	t.Setenv("KONG_ADMIN_URL", srv.AdminURL)
	t.Setenv("KONG_WORKSPACE", "")
	t.Setenv("KONG_ADMIN_TOKEN", "")
	defer func() { extKong = nil }()
	if err := setUpKongEnvironment(); err != nil || extKong == nil {
		t.Fatalf("external mode: %v", err)
	}
	if extKong.adminURL != srv.AdminURL || extKong.proxyURL != "http://127.0.0.1:2" || extKong.version.String() != "3.6.1" ||
		extKong.flavor != "traditional_compatible" || extKong.upstreamURL != "http://127.0.0.1:2" {
		t.Errorf("external Kong = %+v", extKong)
	}
	for _, k := range []string{"KONNECT_TOKEN", "KONG_TEST_UPSTREAM_URL"} {
		if _, set := os.LookupEnv(k); set {
			t.Errorf("%s left set in external mode", k)
		}
	}
	for _, k := range []string{"KONG_ADMIN_URL", "KONG_PROXY_URL", "KONG_METRICS_URL"} {
		if os.Getenv(k) == "" {
			t.Errorf("%s not passed on in external mode", k)
		}
	}
}
