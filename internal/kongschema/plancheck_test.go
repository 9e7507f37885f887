package kongschema

import (
	"reflect"
	"strings"
	"testing"
)

// planErrors renders PlanCheck's answer as "path: message [hint]" lines.
func planErrors(errs []FieldError) []string {
	var out []string
	for _, e := range errs {
		s := e.String()
		if e.Hint != "" {
			s += " [" + e.Hint + "]"
		}
		out = append(out, s)
	}
	return out
}

const conditionalProtocol = "failed conditional validation given value of field 'protocol'"

func TestPlanCheckServices(t *testing.T) {
	tests := []struct {
		name, body string
		unknown    []string
		want       []string
	}{
		{"minimal", `{"host":"x"}`, nil, nil},
		{"url", `{"url":"https://x.test:8443/p","tls_verify":true}`, nil, nil},
		{"host required", `{}`, nil, []string{"host: required field missing"}},
		{"host unknown", `{}`, []string{"host"}, nil},
		{"url unknown: no host required", `{}`, []string{"url"}, nil},
		{"url unknown: its parts are unknown too", `{"tls_verify":true,"path":"/x"}`, []string{"url"}, nil},
		{"url known: its parts are known", `{"url":"http://x.test","tls_verify":true}`, []string{"protocol", "host"},
			[]string{conditionalProtocol, `tls_verify: value must be null [tls_verify can only be set when protocol is "https", "wss" or "tls" (it is "http")]`}},
		{"protocol unknown: no conditional errors", `{"host":"x","tls_verify":true,"path":"/p"}`, []string{"protocol"}, nil},
		{"protocol unknown: field rules still run", `{"host":"bad host","tls_verify_depth":65}`, []string{"protocol"},
			[]string{"host: invalid value: bad host", "tls_verify_depth: value should be between 0 and 64"}},
		{"then-field unknown: no conditional error", `{"host":"x","protocol":"http"}`, []string{"tls_verify"}, nil},
		{"default protocol is http", `{"host":"x","tls_verify":false}`, nil,
			[]string{conditionalProtocol, `tls_verify: value must be null [tls_verify can only be set when protocol is "https", "wss" or "tls" (it is "http")]`}},
		{"path with grpc", `{"host":"x","protocol":"grpc","path":"/p"}`, nil,
			[]string{conditionalProtocol, `path: value must be null [path cannot be set when protocol is "grpc"]`}},
		{"path from url", `{"url":"tcp://x.test:9000/p"}`, nil,
			[]string{conditionalProtocol, `path: value must be null [path cannot be set when protocol is "tcp"]`}},
		{"ws and wss", `{"host":"x","protocol":"ws"}`, nil, nil},
		{"wss is TLS for tls_verify and client_certificate",
			`{"host":"x","protocol":"wss","tls_verify":true,"client_certificate":{"id":"4b0e9f5e-1234-4abc-8def-0123456789ab"}}`, nil, nil},
		{"wss is not TLS for ca_certificates", `{"host":"x","protocol":"wss","ca_certificates":["4b0e9f5e-1234-4abc-8def-0123456789ab"]}`, nil,
			[]string{conditionalProtocol, `ca_certificates: value must be null [ca_certificates can only be set when protocol is "https" or "tls" (it is "wss")]`}},
		{"several conditionals", `{"host":"x","protocol":"udp","path":"/","tls_verify":false,"tls_verify_depth":1}`, nil,
			[]string{conditionalProtocol, conditionalProtocol, conditionalProtocol,
				`path: value must be null [path cannot be set when protocol is "udp"]`,
				`tls_verify: value must be null [tls_verify can only be set when protocol is "https", "wss" or "tls" (it is "udp")]`,
				`tls_verify_depth: value must be null [tls_verify_depth can only be set when protocol is "https" or "tls" (it is "udp")]`}},
		{"unknown protocol", `{"host":"x","protocol":"ftp"}`, nil,
			[]string{"protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss"}},
		{"bad url stops there", `{"url":"","port":"x"}`, nil, []string{"url: length must be at least 1"}},
		{"url with bad port", `{"url":"http://x.test:abc"}`, nil, []string{"port: expected an integer"}},
		{"tls_sans", `{"host":"x","protocol":"https","tls_sans":{"dnsnames":["a.test","10.0.0.1"],"uris":["nope"]}}`, nil,
			[]string{"tls_sans.dnsnames.1: must not be an IP", "tls_sans.uris.0: missing host in url"}},
		{"not a field", `{"host":"x","nope":1}`, nil, []string{"nope: unknown field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := obj(t, tt.body)
			before := jsonString(body)
			got := planErrors(PlanCheck("services", body, tt.unknown))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if jsonString(body) != before {
				t.Errorf("body modified: %s", jsonString(body))
			}
		})
	}
}

func TestPlanCheckRoutes(t *testing.T) {
	const mustSetHTTPS = "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"
	tests := []struct {
		name, body string
		unknown    []string
		want       []string
	}{
		{"paths", `{"paths":["/foo"]}`, nil, nil},
		{"nothing to match on", `{}`, nil, []string{mustSetHTTPS}},
		{"paths unknown: no must-set-one-of", `{}`, []string{"paths"}, nil},
		{"protocols unknown: field rules still run", `{"paths":["foo"],"methods":["get"]}`, []string{"protocols"},
			[]string{"methods.0: invalid value: get", "paths.0: should start with: / (fixed path) or ~/ (regex path)"}},
		{"protocols unknown: no subschema rules or checks", `{"sources":[{"ip":"10.0.0.1"}],"snis":["a.test"]}`, []string{"protocols"}, nil},
		{"subschema field rule", `{"protocols":["http"],"paths":["/"],"sources":[{"ip":"10.0.0.1"}]}`, nil,
			[]string{"sources: cannot set 'sources' when 'protocols' is 'http' or 'https'"}},
		{"snis need a TLS protocol", `{"protocols":["http"],"paths":["/"],"snis":["a.test"]}`, nil,
			[]string{"'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'",
				`snis: length must be 0 ['snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough']`}},
		{"snis unknown", `{"protocols":["http"]}`, []string{"snis"}, nil},
		{"stream", `{"protocols":["tcp"],"destinations":[{"port":9000}]}`, nil, nil},
		{"stream without sources", `{"protocols":["tcp","tls"]}`, nil,
			[]string{"must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"}},
		{"grpc strip_path defaults to false", `{"protocols":["grpc"],"paths":["/"]}`, nil, nil},
		{"mixed protocols", `{"protocols":["http","tcp"],"paths":["/"]}`, nil,
			[]string{"protocols: these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')"}},
		{"no ws in routes", `{"protocols":["ws"],"paths":["/"]}`, nil, []string{"protocols: unknown type: ws"}},
		{"service unknown", `{"paths":["/"]}`, []string{"service"}, nil},
		{"service id", `{"paths":["/"],"service":{"id":"nope"}}`, nil, []string{"service.id: expected a valid UUID"}},
		{"service by name", `{"paths":["/"],"service":{"name":"svc"}}`, nil, nil},
		{"regex path", `{"paths":["~/(a"]}`, nil,
			[]string{`paths.0: invalid regex: '/(a' (PCRE returned: pcre2_compile() failed: missing closing parenthesis in "/(a")`}},
		{"regex path, protocols unknown", `{"paths":["~/(a"]}`, []string{"protocols"},
			[]string{`paths.0: invalid regex: '/(a' (PCRE returned: pcre2_compile() failed: missing closing parenthesis in "/(a")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := planErrors(PlanCheck("routes", obj(t, tt.body), tt.unknown))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
			if tt.unknown != nil {
				return
			}
			// With everything known PlanCheck is ProcessRoute, hints aside.
			_, v := ProcessRoute(Insert, obj(t, tt.body), nil)
			var kong []string
			for _, e := range v.FieldErrors() {
				kong = append(kong, e.String())
			}
			for i := range got {
				got[i], _, _ = strings.Cut(got[i], " [")
			}
			if !reflect.DeepEqual(got, kong) {
				t.Errorf("ProcessRoute says %q", kong)
			}
		})
	}
}

func TestPlanCheckHintsFromDefinitions(t *testing.T) {
	// Any conditional check gets a hint, upstreams' included.
	got := planErrors(PlanCheck("upstreams", obj(t, `{"name":"u","hash_on":"header"}`), nil))
	want := []string{"failed conditional validation given value of field 'hash_on'",
		`hash_on_header: required field missing [hash_on_header is required when hash_on is "header"]`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// A conditional inside a foreign key's entity is not the route's.
	got = planErrors(PlanCheck("routes", obj(t, `{"paths":["/"],"service":{"id":"nope","protocol":"http","tls_verify":true}}`), nil))
	for _, e := range got {
		if strings.Contains(e, "[") {
			t.Errorf("nested hint: %q", e)
		}
	}
}

func TestPlanCheckUnknownEntity(t *testing.T) {
	got := planErrors(PlanCheck("apis", map[string]any{}, nil))
	if want := []string{`kongschema: no entity named "apis"`}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
}
