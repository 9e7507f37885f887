package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// badInput is one invalid configuration. attr is the attribute the error
// must be attached to (Terraform then quotes that line of the
// configuration); empty when the rule concerns the block as a whole or an
// attribute missing from it, in which case want names the attributes.
type badInput struct {
	name, body, attr, want string
}

// Provider configurations; body goes inside the provider block, whose
// admin_url is the test's localkong unless body sets it.
var badProviderInputs = []badInput{
	{"admin_url without scheme", `admin_url = "127.0.0.1:8001"`, "admin_url", `a URL starts with http:// or https://, e.g. "http://127.0.0.1:8001"`},
	{"admin_url with a query", `admin_url = "http://127.0.0.1:1/?debug=1"`, "admin_url", `must not have a query or fragment`},
	{"request_timeout not a duration", `request_timeout = "soon"`, "request_timeout", `must be a positive duration`},
	{"request_timeout negative", `request_timeout = "-5s"`, "request_timeout", `must be a positive duration`},
	{"max_retries too large", `max_retries = 101`, "max_retries", `between 0 and 100`},
	{"workspace on Konnect", "workspace = \"team-a\"\n  konnect_token = \"kpat_x\"", "workspace", `a Konnect control plane has none`},
	{"metrics_url not http", `metrics_url = "ftp://metrics.internal/metrics"`, "metrics_url", `scheme must be http or https`},
	{"proxy_url without host", `proxy_url = "http://"`, "proxy_url", `invalid proxy URL "http://": missing host`},
	{"client certificate without key", `client_certificate_pem = "-----BEGIN CERTIFICATE-----"`, "", `client_certificate_pem is set but client_key_pem is not`},
	{"ca_certificate_pem not PEM", `ca_certificate_pem = "nonsense"`, "", `ca_certificate_pem: no PEM-encoded certificate found`},
}

// Implementation attributes (Kong's Service rules, §3 of the Admin API
// notes); body goes inside a servicehub_implementation block that already
// sets service, version and name.
var badImplementationInputs = []badInput{
	{"name with a space", `host = "example.com"` + "\n  name = \"payments v1\"", "name", `invalid value 'payments v1': the only accepted ascii characters are alphanumerics or \., -, _, and ~`},
	{"service with a slash", `host = "example.com"` + "\n  service = \"pay/ments\"", "service", `must not contain ',' or '/'`},
	{"host with a port", `host = "example.com:80"`, "host", `must not have a port`},
	{"host label ending in -", `host = "example-.org"`, "host", `invalid value: example-.org`},
	{"host with an empty label", `host = "hello..example.com"`, "host", `invalid value: hello..example.com`},
	{"IPv4 host out of range", `host = "10.0.0.300"`, "host", `invalid value: 10.0.0.300`},
	{"port out of range", "host = \"example.com\"\n  port = 70000", "port", `value should be between 0 and 65535`},
	{"retries out of range", "host = \"example.com\"\n  retries = 32768", "retries", `value should be between 0 and 32767`},
	{"connect_timeout zero", "host = \"example.com\"\n  connect_timeout = 0", "connect_timeout", `value should be between 1 and 2147483646`},
	{"read_timeout too large", "host = \"example.com\"\n  read_timeout = 2147483647", "read_timeout", `value should be between 1 and 2147483646`},
	{"path without leading slash", "host = \"example.com\"\n  path = \"api\"", "path", `should start with: /`},
	{"path with an empty segment", "host = \"example.com\"\n  path = \"/a//b\"", "path", `must not have empty segments`},
	{"path with a bad escape", "host = \"example.com\"\n  path = \"/a%zz\"", "path", `invalid url-encoded value: '%zz'`},
	{"path outside RFC 3986", "host = \"example.com\"\n  path = \"/a b\"", "path", `characters outside of the reserved list of RFC 3986`},
	{"unknown protocol", "host = \"example.com\"\n  protocol = \"ftp\"", "protocol", `expected one of: grpc, grpcs, http, https`},
	{"url with an unknown scheme", `url = "ftp://files.internal/"`, "url", `protocol: expected one of`},
	{"path with grpc", "host = \"example.com\"\n  protocol = \"grpc\"\n  path = \"/x\"", "path", `Kong would reject path: value must be null. path cannot be set when protocol is "grpc"`},
	{"tls_verify over http", "host = \"example.com\"\n  tls_verify = true", "tls_verify", `Kong would reject tls_verify: value must be null. tls_verify can only be set when protocol is`},
	{"tls_verify_depth too deep", "host = \"example.com\"\n  protocol = \"https\"\n  tls_verify_depth = 65", "tls_verify_depth", `value should be between 0 and 64`},
	{"ca_certificates not UUIDs", "host = \"example.com\"\n  protocol = \"https\"\n  ca_certificates = [\"my-ca\"]", "ca_certificates", `expected a valid UUID`},
	{"client_certificate_id not a UUID", "host = \"example.com\"\n  protocol = \"https\"\n  client_certificate_id = \"nope\"", "client_certificate_id", `expected a valid UUID`},
	{"url and host disagree", "url = \"http://example.com\"\n  host = \"other.example.com\"", "host", `host is "other.example.com", but url "http://example.com" has host "example.com"`},
	{"reserved tag", "host = \"example.com\"\n  tags = [\"servicehub:service=x\"]", "tags", `reserved for the provider`},
}

// Route attributes (Kong's Route rules, §4); body goes inside a
// servicehub_route block that already sets implementation_id and name.
var badRouteInputs = []badInput{
	{"lower-case method", `methods = ["get"]`, "methods", `invalid value: get. HTTP methods are upper case: "GET".`},
	{"path without slash", `paths = ["foo"]`, "paths", `should start with: / \(fixed path\) or ~/ \(regex path\)`},
	{"path with an empty segment", `paths = ["/a//b"]`, "paths", `must not have empty segments`},
	{"path not normalized", `paths = ["/a/../b"]`, "paths", `non-normalized path, consider use '/b' instead`},
	{"invalid regex path", `paths = ["~/a("]`, "paths", `invalid regex: '/a\('`},
	{"host with two wildcards", `hosts = ["*.example.*"]`, "hosts", `invalid wildcard: must have at most one wildcard`},
	{"host with a bad port", `hosts = ["example.com:99999"]`, "hosts", `invalid port number`},
	{"sni that is an IP", "paths = [\"/a\"]\n  snis = [\"10.0.0.1\"]", "snis", `must not be an IP`},
	{"host header", `headers = { host = ["example.com"] }`, "headers", `cannot contain 'host' header, which must be specified in the 'hosts' attribute`},
	{"bad header name", `headers = { "x foo" = ["1"] }`, "headers", `bad header name 'x foo'`},
	{"sources on http", "paths = [\"/a\"]\n  sources = [{ ip = \"10.0.0.1\" }]", "sources", `cannot set 'sources' when 'protocols' is 'http' or 'https'`},
	{"destination port out of range", "protocols = [\"tcp\"]\n  destinations = [{ port = 70000 }]", "destinations", `between 0 and 65535`},
	{"source not an IP", "protocols = [\"tcp\"]\n  sources = [{ ip = \"300.0.0.1\" }]", "sources", `invalid ip or cidr range: '300.0.0.1'`},
	{"paths on tcp", "protocols = [\"tcp\"]\n  paths = [\"/a\"]\n  destinations = [{ port = 80 }]", "paths", `cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'`},
	{"redirect status", "paths = [\"/a\"]\n  https_redirect_status_code = 300", "https_redirect_status_code", `expected one of: 426, 301, 302, 307, 308`},
	{"path_handling", "paths = [\"/a\"]\n  path_handling = \"v2\"", "path_handling", `expected one of: v0, v1`},
	{"mixed protocol families", "protocols = [\"http\", \"tcp\"]\n  paths = [\"/a\"]", "protocols", `these sets are mutually exclusive: \('http', 'https'\), \('tcp', 'tls', 'udp'\)`},
	{"strip_path on grpc", "protocols = [\"grpc\"]\n  paths = [\"/a\"]\n  strip_path = true", "strip_path", `cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'`},
	{"snis on plain http", "protocols = [\"http\"]\n  paths = [\"/a\"]\n  snis = [\"a.example.com\"]", "snis", `'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'`},
	{"nothing to match", `tags = ["x"]`, "", `must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'. ` +
		`A route must say which requests it matches. protocols is not set, so the route's protocols are the default, \["http", "https"\]`},
	{"name with a space", "paths = [\"/a\"]\n  name = \"r 1\"", "name", `the only accepted ascii characters`},
	{"implementation_id not a UUID", "paths = [\"/a\"]\n  implementation_id = \"payments-v1\"", "implementation_id", `UUID`},
}

// attrLine matches Terraform's quote of the configuration line that set
// attr, inside the given block.
func attrLine(block, attr string) string {
	return fmt.Sprintf(`in %s:\s+\d+:\s+%s\s+=`, regexp.QuoteMeta(block), regexp.QuoteMeta(attr))
}

// TestAccBadInput plans each invalid configuration against a localkong of
// its own: every one must fail at plan time with an error naming the
// attribute, and none may send a single request to the Admin API.
func TestAccBadInput(t *testing.T) {
	t.Parallel()
	if n := len(badProviderInputs) + len(badImplementationInputs) + len(badRouteInputs); n < 30 {
		t.Fatalf("only %d invalid configurations", n)
	}
	groups := []struct {
		name, block string
		inputs      []badInput
		config      func(adminURL, body string) string
	}{
		{"provider", `provider "servicehub"`, badProviderInputs, func(adminURL, body string) string {
			if strings.Contains(body, "admin_url") {
				return fmt.Sprintf("provider \"servicehub\" {\n  %s\n}\n", body) + simpleImpl
			}
			return providerConfig(adminURL, body) + simpleImpl
		}},
		{"implementation", `resource "servicehub_implementation" "test"`, badImplementationInputs, func(adminURL, body string) string {
			// A later service or name wins over the defaults (HCL does
			// not allow both, so drop the default).
			defaults := map[string]string{"service": `"payments"`, "version": `"v1"`, "name": `"payments-v1"`}
			var lines []string
			for _, k := range []string{"service", "version", "name"} {
				if !strings.Contains(body, k+" =") {
					lines = append(lines, fmt.Sprintf("  %s = %s", k, defaults[k]))
				}
			}
			return providerConfig(adminURL) + fmt.Sprintf("resource \"servicehub_implementation\" \"test\" {\n%s\n  %s\n}\n", strings.Join(lines, "\n"), body)
		}},
		{"route", `resource "servicehub_route" "test"`, badRouteInputs, func(adminURL, body string) string {
			var lines []string
			if !strings.Contains(body, "implementation_id =") {
				lines = append(lines, `  implementation_id = "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"`)
			}
			if !strings.Contains(body, "name =") {
				lines = append(lines, `  name = "r"`)
			}
			return providerConfig(adminURL) + fmt.Sprintf("resource \"servicehub_route\" \"test\" {\n%s\n  %s\n}\n", strings.Join(lines, "\n"), body)
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			srv := startKong(t, localkong.Options{})
			var steps []resource.TestStep
			untouched := func(after string) {
				if srv.Server == nil {
					return // only localkong counts requests
				}
				if n := srv.RequestCount(); n != 0 {
					t.Errorf("%s: %d Admin API requests, want none", after, n)
				}
			}
			for i, in := range g.inputs {
				want := in.want
				if in.attr != "" {
					want = attrLine(g.block, in.attr) + `(?s).*` + in.want
				}
				prev := "start"
				if i > 0 {
					prev = g.inputs[i-1].name
				}
				steps = append(steps, resource.TestStep{
					PreConfig:   func() { untouched(prev) },
					Config:      g.config(srv.AdminURL, in.body),
					PlanOnly:    true,
					ExpectError: errorRE(want),
				})
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testFactories(), Steps: steps})
			untouched(g.inputs[len(g.inputs)-1].name)
		})
	}
}

// TestAccBadInput_knownAtApply: values unknown until apply are checked
// then, and what only Kong can know (which entities exist) comes back from
// Kong, on the attribute, with Kong's message.
func TestAccBadInput_knownAtApply(t *testing.T) {
	t.Parallel()
	srv := startKong(t, localkong.Options{}).uses("late", "late-v1")
	config := func(late, body string) string {
		return providerConfig(srv.AdminURL) + srv.hcl(fmt.Sprintf(`
resource "terraform_data" "late" {
  input = %q
}

resource "servicehub_implementation" "test" {
  service = "late"
  version = "v1"
  name    = "late-v1"
  host    = "late.internal"
  %s
}
`, late, body))
	}
	const missing = "0c4c5bd4-52f5-4f39-9a6b-2d6a2f1c0a11"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      config("/a//b", "path = terraform_data.late.output"),
				ExpectError: errorRE(attrLine(`resource "servicehub_implementation" "test"`, "path") + `.*must not have empty segments`),
			},
			{
				Config: config(missing, "protocol = \"https\"\n  client_certificate_id = terraform_data.late.output"),
				ExpectError: errorRE(attrLine(`resource "servicehub_implementation" "test"`, "client_certificate_id") +
					`.*There is no certificate with this id in the runtime group: the foreign key '{id="` + missing + `"}' does not reference an existing 'certificates' entity`),
			},
			{
				Config: config(missing, "") + `
resource "servicehub_route" "test" {
  implementation_id = terraform_data.late.output
  name              = "late"
  paths             = ["/late"]
}
`,
				ExpectError: errorRE(attrLine(`resource "servicehub_route" "test"`, "implementation_id") + `.*There is no Gateway Service with this id`),
			},
		},
	})
}

// TestAccBadInput_notKong: an admin_url that answers 200 with something
// other than Kong's JSON gives an error saying so, whatever the body.
func TestAccBadInput_notKong(t *testing.T) {
	t.Parallel()
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, body.Load().(string))
	}))
	t.Cleanup(srv.Close)
	step := func(b, want string) resource.TestStep {
		return resource.TestStep{
			PreConfig:   func() { body.Store(b) },
			Config:      providerConfig(srv.URL, "max_retries = 0") + simpleImpl,
			ExpectError: errorRE(`HTTP 200, but the response is not one Kong's Admin API sends: ` + want + `.*Check that admin_url points at the Admin API`),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			step("<html><body>Welcome to nginx!</body></html>", `the body is not JSON \(body starts "<html><body>Welcome to nginx!`),
			step(`{"data":[{"id":"6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a","name":"pay`, `the JSON ends early \(truncated\)`),
			step(`{"data":{"services":[]},"next":null}`, `unexpected shape`),
			step(`[]`, `expected a JSON object`),
		},
	})
}
