package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccSecrets_traceLog runs the real terraform and provider at
// TF_LOG=TRACE with every secret the provider takes set in the
// configuration, as users write them: admin_token over mutual TLS (so
// client_key_pem is used), and konnect_token, with which the API catalog
// (a service version, an implementation linked to it) and analytics (the
// version's status) are used too. Through apply, plan, a
// rejected token, an update and destroy, no secret may appear in the log
// (Terraform's and the provider's), in any command's output, or in state.
func TestAccSecrets_traceLog(t *testing.T) {
	t.Parallel()
	const (
		adminToken   = "adm-5b0e1c7a-secret-admin-token"
		konnectToken = "kpat_2f9d8e7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a"
		wrongToken   = "adm-wrong-3c1d9e7f-also-secret"
	)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	c := newCLI(t, "TF_LOG=TRACE", "TF_LOG_PATH="+logFile)

	clientCert, clientKey := testCertificate(t, "terraform-client", true)
	kong := startKong(t, localkong.Options{AdminToken: adminToken, AdminTLS: &localkong.AdminTLS{ClientCAPEM: []byte(clientCert)}})
	konnect := startKong(t, localkong.Options{Konnect: true, AdminToken: konnectToken})
	c.write("ca.pem", string(kong.AdminCertPEM))
	c.write("client.pem", clientCert)
	c.write("client-key.pem", clientKey)

	controlPlane := uuid.NewString()
	config := func(token, upstream string) string {
		return cliRequiredProviders + fmt.Sprintf(`
provider "servicehub" {
  admin_url              = %q
  admin_token            = %q
  ca_certificate_pem     = file("${path.module}/ca.pem")
  client_certificate_pem = file("${path.module}/client.pem")
  client_key_pem         = file("${path.module}/client-key.pem")
}

provider "servicehub" {
  alias         = "konnect"
  admin_url     = "%s/v2/control-planes/%s/core-entities"
  konnect_token = %q
}

resource "servicehub_implementation" "kong" {
  service = "payments"
  version = "v1"
  name    = "payments-v1"
  url     = "http://%s/api"
}

resource "servicehub_route" "kong" {
  implementation_id = servicehub_implementation.kong.id
  name              = "payments-v1"
  paths             = ["/payments"]
}

resource "servicehub_service_version" "konnect" {
  provider = servicehub.konnect
  service  = "payments"
  version  = "v1"
}

resource "servicehub_implementation" "konnect" {
  provider           = servicehub.konnect
  service_version_id = servicehub_service_version.konnect.id
  service            = "payments"
  version            = "v1"
  name               = "payments-v1"
  url                = "http://%s/api"
}

data "servicehub_version_status" "konnect" {
  provider           = servicehub.konnect
  service_version_id = servicehub_service_version.konnect.id
  depends_on         = [servicehub_implementation.konnect]
}

data "servicehub_version_status" "payments" {
  service    = "payments"
  version    = "v1"
  depends_on = [servicehub_route.kong]
}
`, kong.AdminURL, token, konnect.AdminURL, controlPlane, konnectToken, upstream, upstream)
	}

	var outputs []string
	c.write("main.tf", config(adminToken, "payments.internal"))
	outputs = append(outputs, c.mustRun(2*time.Minute, "apply", "-auto-approve", "-input=false"))
	outputs = append(outputs, c.mustRun(time.Minute, "plan", "-input=false", "-detailed-exitcode"))
	c.write("main.tf", config(wrongToken, "payments.internal"))
	out, err := c.run(time.Minute, "plan", "-input=false")
	if err == nil || !errorRE(`Kong rejected the Kong-Admin-Token. Check admin_token \(or the KONG_ADMIN_TOKEN environment variable\)`).MatchString(out) {
		t.Fatalf("a wrong admin_token did not give the authentication error (%v):\n%s", err, out)
	}
	outputs = append(outputs, out)
	c.write("main.tf", config(adminToken, "payments2.internal"))
	outputs = append(outputs, c.mustRun(2*time.Minute, "apply", "-auto-approve", "-input=false"))
	outputs = append(outputs, c.mustRun(time.Minute, "show", "-json"))
	state, err := os.ReadFile(filepath.Join(c.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, c.mustRun(2*time.Minute, "destroy", "-auto-approve", "-input=false"))

	logBytes, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(logBytes)
	// The log must hold both sides, or its silence proves nothing.
	for _, want := range []string{"[TRACE]", "Kong Admin API request", "servicehub_route", "ConfigureProvider",
		// Konnect's catalog and analytics requests go through the same log.
		"/v3/apis", "/implementations", "/v3/api-implementations", "/v2/metrics"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the trace log lacks %q; logging was not captured", want)
		}
	}
	if !strings.Contains(string(state), "payments2.internal") {
		t.Fatalf("state does not hold the applied configuration")
	}

	secrets := map[string]string{
		"admin_token":    adminToken,
		"wrong token":    wrongToken,
		"konnect_token":  konnectToken,
		"client_key_pem": keyBody(t, clientKey),
	}
	// The search must be able to succeed: each secret is in the files the
	// test wrote for Terraform to read.
	written := config(adminToken, "") + config(wrongToken, "") + clientKey
	for what, secret := range secrets {
		if !strings.Contains(written, secret) {
			t.Fatalf("%s is not in the configuration as written", what)
		}
	}
	places := map[string]string{"trace log": log, "state": string(state), "command output": strings.Join(outputs, "\n")}
	for what, secret := range secrets {
		for where, text := range places {
			if i := strings.Index(text, secret); i >= 0 {
				t.Errorf("%s found in the %s: …%s…", what, where, text[max(0, i-200):min(len(text), i+len(secret)+50)])
			}
		}
	}
}

// keyBody is the base64 of a PEM key without its armour lines, which are
// the same for every key.
func keyBody(t *testing.T, keyPEM string) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(keyPEM), "\n") {
		if !strings.HasPrefix(l, "-----") {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 || len(lines[0]) < 40 {
		t.Fatalf("unexpected key PEM: %q", keyPEM)
	}
	// The first line alone: a log wrapping the key differently would
	// still contain it.
	return lines[0]
}

// TestAccAuth_rejectedCredentials: a 401 says which credential to fix, by
// attribute and environment variable, without repeating it.
func TestAccAuth_rejectedCredentials(t *testing.T) {
	t.Parallel()
	kong := startKong(t, localkong.Options{AdminToken: "right-admin-token"})
	konnect := startKong(t, localkong.Options{Konnect: true, AdminToken: "kpat_right"})
	cp := konnect.AdminURL + "/v2/control-planes/" + uuid.NewString() + "/core-entities"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      providerConfig(kong.AdminURL) + simpleImpl,
				ExpectError: errorRE(`HTTP 401: Invalid credentials. Token or User credentials required.*No credentials were sent. Set admin_token \(or KONG_ADMIN_TOKEN\)`),
			},
			{
				Config:      providerConfig(kong.AdminURL, `admin_token = "wrong-admin-token"`) + simpleImpl,
				ExpectError: errorRE(`Kong rejected the credentials.*Kong rejected the Kong-Admin-Token. Check admin_token \(or the KONG_ADMIN_TOKEN environment variable\)`),
			},
			{
				Config:      providerConfig(cp, `konnect_token = "kpat_wrong"`) + simpleImpl,
				ExpectError: errorRE(`HTTP 401: Unauthorized.*Konnect rejected the access token. Check konnect_token \(or the KONNECT_TOKEN environment variable\)`),
			},
		},
	})
}
