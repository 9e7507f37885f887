package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestAccRoute_planTimeValidation(t *testing.T) {
	t.Parallel()
	// Nothing may reach Kong: a server that is not there proves it.
	config := func(body string) string {
		return providerConfig("http://127.0.0.1:1") + `
resource "servicehub_route" "test" {
  implementation_id = "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"
  name              = "r"
` + body + `
}
`
	}
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: config(body), PlanOnly: true, ExpectError: errorRE(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			step(`methods = ["get"]`, `Invalid methods.*"get" is invalid: invalid value: get`),
			step(`paths = ["foo"]`, `Invalid paths.*should start with: / \(fixed path\) or ~/ \(regex path\)`),
			step(`paths = ["~/a("]`, `Invalid paths.*invalid regex: '/a\('`),
			step(`headers = { host = ["example.com"] }`, `cannot contain 'host' header, which must be specified in the 'hosts' attribute`),
			step(`headers = { "x foo" = ["1"] }`, `bad header name 'x foo'`),
			step("paths = [\"/a\"]\nsources = [{ ip = \"10.0.0.1\" }]", `Kong would reject sources: cannot set 'sources' when 'protocols' is 'http' or 'https'`),
			step("protocols = [\"tcp\"]\npaths = [\"/a\"]\ndestinations = [{ port = 80 }]", `Kong would reject paths: cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'`),
			step("protocols = [\"tcp\"]\nsources = [{}]", `at least one of these fields must be non-empty: 'ip', 'port'`),
			step(`tags = ["x"]`, `must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'`),
			step("protocols = [\"http\"]\nhosts = []", `must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'`),
			step("protocols = [\"tls_passthrough\"]", `must set snis when 'protocols' is 'tls_passthrough'`),
			step("protocols = [\"http\"]\npaths = [\"/a\"]\nsnis = [\"a.example.com\"]", `'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'`),
			step("protocols = [\"http\", \"tcp\"]\npaths = [\"/a\"]", `these sets are mutually exclusive: \('http', 'https'\), \('tcp', 'tls', 'udp'\)`),
			step("protocols = [\"grpc\"]\npaths = [\"/a\"]\nstrip_path = true", `cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'`),
			step("protocols = [\"ftp\"]\npaths = [\"/a\"]", `Invalid Attribute Value Match`),
			step(`hosts = ["a.*.example.com"]`, `Invalid hosts.*invalid wildcard: must be placed at leftmost or rightmost label`),
			step(`headers = { x-id = ["~*a("] }`, `Router Expression failed validation`),
			step("paths = [\"/a\"]\nmethods = [\"GET\", \"GET\"]", `Duplicate List Value`),
			step("paths = [\"/a\"]\nhttps_redirect_status_code = 300", `https_redirect_status_code value must be one of`),
			step("paths = [\"/a\"]\npath_handling = \"v2\"", `path_handling value must be one of`),
			step("paths = [\"/a\"]\nsnis = [\"10.0.0.1\"]", `Invalid snis.*must not be an IP`),
			step("protocols = [\"tcp\"]\nsources = [{ ip = \"300.0.0.1\" }]", `Invalid sources.*invalid ip or cidr range: '300.0.0.1'`),
			step("paths = [\"/a\"]\ntags = [\"servicehub:x\"]", `reserved for the provider`),
		},
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      strings.Replace(config(`paths = ["/a"]`), `name              = "r"`, `name = "r 1"`, 1),
			PlanOnly:    true,
			ExpectError: errorRE(`Invalid name.*the only accepted ascii characters`),
		}},
	})
}
