package kongschema

import (
	"reflect"
	"strings"
	"testing"
)

const svcID = "4b0e9f5e-1234-4abc-8def-0123456789ab"

func TestRouteCanonical(t *testing.T) {
	// spec §4.4
	out, v := ProcessRoute(Insert, obj(t, `{"hosts":["example.com"],"service":{"id":"`+svcID+`"}}`), nil)
	want := `{"id":null,"created_at":null,"updated_at":null,"name":null,
	 "protocols":["http","https"],"methods":null,"hosts":["example.com"],"headers":null,
	 "paths":null,"snis":null,"sources":null,"destinations":null,"regex_priority":0,
	 "preserve_host":false,"strip_path":true,"path_handling":"v0","tags":null,
	 "service":{"id":"` + svcID + `"},"https_redirect_status_code":426,
	 "request_buffering":true,"response_buffering":true}`
	wantNoViolation(t, v)
	if got := roundTrip(t, out); !reflect.DeepEqual(got, decode(t, want)) {
		t.Errorf("got %s\nwant %s", jsonString(got), want)
	}
}

// spec §4.2: the subschema is picked by the first protocol that has one,
// and each has its own "must set one of" text.
func TestRouteMustSetOneOf(t *testing.T) {
	tests := []struct{ protocols, msg string }{
		{`["http","https"]`, "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"},
		{`["https"]`, "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"},
		{`["http"]`, "must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'"},
		{`["tcp"]`, "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"},
		{`["tls"]`, "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"},
		{`["udp"]`, "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"},
		{`["tls_passthrough"]`, "must set snis when 'protocols' is 'tls_passthrough'"},
		{`["grpc"]`, "must set one of 'hosts', 'headers', 'paths' when 'protocols' is 'grpc'"},
		{`["grpcs"]`, "must set one of 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'grpcs'"},
		{`["grpc","grpcs"]`, "must set one of 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'grpcs'"},
	}
	for _, tt := range tests {
		t.Run(tt.protocols, func(t *testing.T) {
			_, v := ProcessRoute(Insert, obj(t, `{"protocols":`+tt.protocols+`}`), nil)
			wantBody(t, v, `{"code":2,"name":"schema violation","message":"schema violation (`+tt.msg+`)","fields":{"@entity":["`+tt.msg+`"]}}`)
		})
	}
	// Empty values do not count as set.
	for _, body := range []string{`{"hosts":[]}`, `{"headers":{}}`, `{"methods":[],"paths":[]}`} {
		_, v := ProcessRoute(Insert, obj(t, body), nil)
		wantMessage(t, v, "schema violation (must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https')")
	}
	// Any one matcher is enough.
	for _, body := range []string{`{"methods":["GET"]}`, `{"hosts":["a.test"]}`, `{"headers":{"x":["y"]}}`,
		`{"paths":["/"]}`, `{"snis":["a.test"]}`, `{"protocols":["tcp"],"destinations":[{"port":80}]}`,
		`{"protocols":["tls_passthrough"],"snis":["a.test"]}`, `{"protocols":["grpcs"],"snis":["a.test"]}`} {
		_, v := ProcessRoute(Insert, obj(t, body), nil)
		wantNoViolation(t, v)
	}
}

func TestRouteForbiddenFields(t *testing.T) {
	httpMsg := func(f string) string { return "cannot set '" + f + "' when 'protocols' is 'http' or 'https'" }
	streamMsg := func(f string) string {
		return "cannot set '" + f + "' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp'"
	}
	grpcMsg := func(f string) string { return "cannot set '" + f + "' when 'protocols' is 'grpc' or 'grpcs'" }
	tests := []struct{ body, field, msg string }{
		{`{"protocols":["http"],"paths":["/"],"sources":[{"ip":"1.2.3.4"}]}`, "sources", httpMsg("sources")},
		{`{"protocols":["https"],"paths":["/"],"destinations":[{"port":1}]}`, "destinations", httpMsg("destinations")},
		{`{"protocols":["tcp"],"sources":[{"port":1}],"methods":["GET"]}`, "methods", streamMsg("methods")},
		{`{"protocols":["tls"],"sources":[{"port":1}],"hosts":["a"]}`, "hosts", streamMsg("hosts")},
		{`{"protocols":["udp"],"sources":[{"port":1}],"paths":["/"]}`, "paths", streamMsg("paths")},
		{`{"protocols":["tls_passthrough"],"snis":["a"],"headers":{"a":["b"]}}`, "headers", streamMsg("headers")},
		{`{"protocols":["tcp"],"sources":[{"port":1}],"paths":[]}`, "paths", streamMsg("paths")},
		{`{"protocols":["grpc"],"paths":["/"],"methods":"GET"}`, "methods", grpcMsg("methods")},
		{`{"protocols":["grpcs"],"paths":["/"],"sources":[{"port":1}]}`, "sources", grpcMsg("sources")},
		{`{"protocols":["grpc"],"paths":["/"],"destinations":[{"port":1}]}`, "destinations", grpcMsg("destinations")},
		{`{"protocols":["grpc"],"hosts":["a"],"strip_path":true}`, "strip_path", grpcMsg("strip_path")},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			_, v := ProcessRoute(Insert, obj(t, tt.body), nil)
			wantBody(t, v, `{"code":2,"name":"schema violation","message":"schema violation (`+tt.field+`: `+tt.msg+`)","fields":{"`+tt.field+`":"`+tt.msg+`"}}`)
		})
	}
}

func TestRouteStripPathDefault(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"protocols":["grpc"],"hosts":["a"]}`, `false`},
		{`{"protocols":["grpcs","grpc"],"paths":["/"]}`, `false`},
		{`{"protocols":["http"],"paths":["/"]}`, `true`},
		{`{"protocols":["tcp"],"sources":[{"port":1}]}`, `true`},
		{`{"protocols":["grpc"],"hosts":["a"],"strip_path":false}`, `false`},
	}
	for _, tt := range tests {
		out, v := ProcessRoute(Insert, obj(t, tt.body), nil)
		wantEntity(t, out, v, `{"strip_path":`+tt.want+`}`)
	}
}

func TestRouteProtocols(t *testing.T) {
	tests := []struct{ body, msg string }{
		{`{"protocols":["http","tcp"]}`, "schema violation (protocols: these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp'))"},
		{`{"protocols":["https","tls"]}`, "schema violation (protocols: these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp'))"},
		{`{"protocols":["tls","tls_passthrough"],"snis":["a"]}`, "schema violation (protocols: these sets are mutually exclusive: ('tcp', 'tls', 'udp'), ('tls_passthrough'))"},
		{`{"protocols":["grpc","http"],"paths":["/"]}`, "schema violation (protocols: these sets are mutually exclusive: ('grpc', 'grpcs'), ('http', 'https'))"},
		{`{"protocols":["ftp"]}`, "schema violation (protocols: unknown type: ftp)"},
		{`{"protocols":["ftp"],"foo":1,"name":"a b"}`, "schema violation (protocols: unknown type: ftp)"},
		{`{"protocols":[]}`, "schema violation (protocols: unknown type: nil)"},
		{`{"protocols":null}`, "schema violation (protocols: required field missing)"},
		{`{"protocols":"http","paths":["/"]}`, "schema violation (protocols: expected a set)"},
		{`{"protocols":["foo","http"]}`, "schema violation (protocols.1: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
		{`{"protocols":["http",null],"paths":["/"]}`, "schema violation (protocols.2: required field missing)"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			_, v := ProcessRoute(Insert, obj(t, tt.body), nil)
			wantMessage(t, v, tt.msg)
		})
	}
	out, v := ProcessRoute(Insert, obj(t, `{"protocols":["https","http","https"],"paths":["/"]}`), nil)
	wantEntity(t, out, v, `{"protocols":["https","http"]}`)
}

func TestRouteSnis(t *testing.T) {
	const msg = "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'"
	_, v := ProcessRoute(Insert, obj(t, `{"protocols":["http"],"paths":["/"],"snis":["a.test"]}`), nil)
	wantFields(t, v, `{"@entity":["`+msg+`"],"snis":"length must be 0"}`)
	for _, body := range []string{
		`{"protocols":["http"],"paths":["/"],"snis":null}`,
		`{"protocols":["http"],"paths":["/"],"snis":[]}`,
		`{"protocols":["tls"],"snis":["a.test"]}`,
	} {
		_, v := ProcessRoute(Insert, obj(t, body), nil)
		wantNoViolation(t, v)
	}
	tests := []struct{ sni, msg string }{
		{"127.0.0.1", "must not be an IP"},
		{"example.org:80", "must not have a port"},
		{"foo.*.test", "wildcard must be leftmost or rightmost character"},
		{"foo*.test", "wildcard must be leftmost or rightmost character"},
		{"*.*", "only one wildcard must be specified"},
		{"*.exa mple", "invalid value: wildcard.exa mple"},
	}
	for _, tt := range tests {
		_, v := ProcessRoute(Insert, map[string]any{"protocols": []any{"https"}, "snis": []any{tt.sni}}, nil)
		wantFields(t, v, `{"snis":["`+tt.msg+`"]}`)
	}
	for _, sni := range []string{"*.example.org", "example.*", "foo.bar.*", "www.example.org"} {
		_, v := ProcessRoute(Insert, map[string]any{"protocols": []any{"https"}, "snis": []any{sni}}, nil)
		wantNoViolation(t, v)
	}
}

func TestRoutePaths(t *testing.T) {
	tests := []struct{ path, msg string }{
		{"foo", "should start with: / (fixed path) or ~/ (regex path)"},
		{"", "length must be at least 1"},
		{"/foo//bar", "must not have empty segments"},
		{"//foo", "must not have empty segments"},
		{"foo//", "must not have empty segments"},
		{"/some%2words", "invalid url-encoded value: '%2w'"},
		{"/some%0Xwords", "invalid url-encoded value: '%0X'"},
		{"/some%20words%ax", "invalid url-encoded value: '%ax'"},
		{"/%c3%A4", "non-normalized path, consider use '/ä' instead"},
		{"/%20", "non-normalized path, consider use '/ ' instead"},
		{"/%2f", "non-normalized path, consider use '/%2F' instead"},
		{"/%41", "non-normalized path, consider use '/A' instead"},
		{"/a/../b", "non-normalized path, consider use '/b' instead"},
		{"/a/./b", "non-normalized path, consider use '/a/b' instead"},
		{"/a/..", "non-normalized path, consider use '/' instead"},
		{"~/users/(foo/profile", `invalid regex: '/users/(foo/profile' (PCRE returned: pcre2_compile() failed: missing closing parenthesis in "/users/(foo/profile")`},
		{"~/payment/(docs|health))", `invalid regex: '/payment/(docs|health))' (PCRE returned: pcre2_compile() failed: unmatched closing parenthesis in "/payment/(docs|health))" at ")")`},
		{"~/[abc/*/user$", `invalid regex: '/[abc/*/user$' (PCRE returned: pcre2_compile() failed: missing terminating ] for character class in "/[abc/*/user$")`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, v := ProcessRoute(Insert, map[string]any{"paths": []any{tt.path}}, nil)
			wantFields(t, v, jsonString(map[string]any{"paths": []any{tt.msg}}))
			if err := ValidateRoutePath(tt.path); err == nil || err.Error() != tt.msg {
				t.Errorf("ValidateRoutePath(%q) = %v, want %q", tt.path, err, tt.msg)
			}
		})
	}
	for _, p := range []string{"/", "/abcd~user~2", "/ovo/", "/%25", "/%2F", "/foo bar", "~/payment/(docs|health)$",
		"~/\\/*/user$", "~/(?<name>[a-z]+)$", "/ä"} {
		if _, v := ProcessRoute(Insert, map[string]any{"paths": []any{p}}, nil); v != nil {
			t.Errorf("%q rejected: %s", p, v.Message())
		}
	}
	_, v := ProcessRoute(Insert, map[string]any{"paths": []any{false}}, nil)
	wantFields(t, v, `{"paths":["expected a string"]}`)
}

// go-kong TestRoutesValidationTraditionalCompatible sends these through
// Routes.Validate.
func TestRouteValidateGoKong(t *testing.T) {
	const valid, regex, invalid = "/prefix/", "~/payment/(docs|health)$", "~/payment/(docs|health))"
	tests := []struct {
		paths  []any
		prefix string
	}{
		{anys(valid), ""},
		{anys(regex), ""},
		{anys(valid, regex), ""},
		{anys(invalid), "schema violation (paths.1: invalid regex:"},
		{anys(valid, invalid, "/foo"), "schema violation (paths.2: invalid regex:"},
	}
	for _, tt := range tests {
		v, ok := Validate("routes", map[string]any{"paths": tt.paths})
		if !ok {
			t.Fatal("routes unknown to Validate")
		}
		switch {
		case tt.prefix == "" && v != nil:
			t.Errorf("%v rejected: %s", tt.paths, v.Message())
		case tt.prefix != "" && (v == nil || !strings.HasPrefix(v.Message(), tt.prefix)):
			t.Errorf("%v: got %v, want prefix %q", tt.paths, v, tt.prefix)
		}
	}
}

func TestRouteATCRegex(t *testing.T) {
	// PCRE accepts these but the Rust regex engine of the ATC router does not.
	for _, body := range []string{`{"paths":["~/(?=x)"]}`, `{"paths":["~/(a)\\1"]}`, `{"headers":{"x-v":["~*(?<=a)b"]}}`} {
		_, v := ProcessRoute(Insert, obj(t, body), nil)
		if v == nil || len(v.Entity) != 1 || !strings.HasPrefix(v.Entity[0], "Router Expression failed validation: ") {
			t.Errorf("%s: got %v", body, v)
		}
	}
	// Only checked once the fields themselves are valid.
	_, v := ProcessRoute(Insert, obj(t, `{"paths":["~/(?=x)"],"hosts":["a b"]}`), nil)
	wantFields(t, v, `{"hosts":["invalid hostname: a b"]}`)
	_, v = ProcessRoute(Insert, obj(t, `{"headers":{"x-v":["~*^v[0-9]+$"]}}`), nil)
	wantNoViolation(t, v)
}

func TestRouteHosts(t *testing.T) {
	tests := []struct{ host, msg string }{
		{"/example", "invalid hostname: /example"},
		{".example", "invalid hostname: .example"},
		{"example:", "invalid hostname: example:"},
		{"mock;bin", "invalid hostname: mock;bin"},
		{"example.com/org", "invalid hostname: example.com/org"},
		{"example-.org", "invalid hostname: example-.org"},
		{"example.org-", "invalid hostname: example.org-"},
		{"hello..example.com", "invalid hostname: hello..example.com"},
		{"example.com:1000000", "invalid port number"},
		{"*example.com", "invalid wildcard: must be placed at leftmost or rightmost label"},
		{"www.example*", "invalid wildcard: must be placed at leftmost or rightmost label"},
		{"mock*bin.com", "invalid wildcard: must be placed at leftmost or rightmost label"},
		{"*.example.*", "invalid wildcard: must have at most one wildcard"},
		{"**.example.com", "invalid wildcard: must have at most one wildcard"},
		{"*.exa mple", "invalid hostname: abc.exa mple"},
		{"", "length must be at least 1"},
	}
	for _, tt := range tests {
		_, v := ProcessRoute(Insert, map[string]any{"hosts": []any{tt.host}}, nil)
		wantFields(t, v, jsonString(map[string]any{"hosts": []any{tt.msg}}))
		if err := ValidateRouteHost(tt.host); err == nil || err.Error() != tt.msg {
			t.Errorf("ValidateRouteHost(%q) = %v", tt.host, err)
		}
	}
	valid := []string{"hello.com", "1991.io", "hello.COM", "example.123", "example_api.com", "localhost",
		"example.com:80", "example.com:8080", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n",
		"Hello-Another-Way--fc4qua05auwb3674vfr0b", "example.*", "*.example.org", "*.example.org:321", "1.2.3.4:80", "[::1]:80"}
	for _, h := range valid {
		if _, v := ProcessRoute(Insert, map[string]any{"hosts": []any{h, h}}, nil); v != nil {
			t.Errorf("%q rejected: %s", h, v.Message())
		}
	}
	// hosts is an array: duplicates and case are kept.
	out, v := ProcessRoute(Insert, obj(t, `{"hosts":["A.test","A.test"]}`), nil)
	wantEntity(t, out, v, `{"hosts":["A.test","A.test"]}`)
}

func TestRouteHeaders(t *testing.T) {
	tests := []struct{ headers, fields string }{
		{`{"Host":["a"]}`, `{"headers":"cannot contain 'host' header, which must be specified in the 'hosts' attribute"}`},
		{`{"hOsT":["a"]}`, `{"headers":"cannot contain 'host' header, which must be specified in the 'hosts' attribute"}`},
		{`{"x foo":["a"]}`, `{"headers":"bad header name 'x foo', allowed characters are A-Z, a-z, 0-9, '_', and '-'"}`},
		{`{"":["a"]}`, `{"headers":"length must be at least 1"}`},
		{`{"location":true}`, `{"headers":"expected an array"}`},
		{`{"location":[true]}`, `{"headers":["expected a string"]}`},
		{`{"location":[""]}`, `{"headers":["length must be at least 1"]}`},
		{`[false]`, `{"headers":"expected a string"}`},
		{`"x"`, `{"headers":"expected a map"}`},
	}
	for _, tt := range tests {
		_, v := ProcessRoute(Insert, obj(t, `{"headers":`+tt.headers+`}`), nil)
		wantFields(t, v, tt.fields)
	}
	out, v := ProcessRoute(Insert, obj(t, `{"headers":{"foo":["bar"],"x-Y_z":["1","2"]}}`), nil)
	wantEntity(t, out, v, `{"headers":{"foo":["bar"],"x-Y_z":["1","2"]}}`)
	// Header regexes are not compiled by the field rules, only by the
	// router check.
	_, v = ProcessRoute(Insert, obj(t, `{"headers":{"x":["~*("]}}`), nil)
	wantFields(t, v, `{"@entity":["Router Expression failed validation: regex parse error: missing closing ): `+"`(`"+`"]}`)
}

func TestRouteMethods(t *testing.T) {
	for m, msg := range map[string]string{"get": "invalid value: get", "HELLO WORLD": "invalid value: HELLO WORLD",
		" GET": "invalid value:  GET", "": "length must be at least 1"} {
		_, v := ProcessRoute(Insert, map[string]any{"methods": []any{m}}, nil)
		wantFields(t, v, jsonString(map[string]any{"methods": []any{msg}}))
	}
	out, v := ProcessRoute(Insert, obj(t, `{"methods":["GET","CUSTOM","GET"]}`), nil)
	wantEntity(t, out, v, `{"methods":["GET","CUSTOM"]}`)
}

func TestRouteSourcesDestinations(t *testing.T) {
	for _, field := range []string{"sources", "destinations"} {
		t.Run(field, func(t *testing.T) {
			body := func(elems string) map[string]any {
				return obj(t, `{"protocols":["tcp"],"`+field+`":`+elems+`}`)
			}
			out, v := ProcessRoute(Insert, body(`[{"ip":"127.0.0.1"},{"port":8000},{"ip":"10.0.0.0/8","port":1}]`), nil)
			wantEntity(t, out, v, `{"`+field+`":[{"ip":"127.0.0.1","port":null},{"ip":null,"port":8000},{"ip":"10.0.0.0/8","port":1}]}`)

			_, v = ProcessRoute(Insert, body(`[{"ip":"127.0.0.1"},{"ip":"127.75.78.72","port":65536}]`), nil)
			wantFields(t, v, `{"`+field+`":[null,{"port":"value should be between 0 and 65535"}]}`)

			for _, ip := range []string{"127.", ":::1", "-1", "localhost", "foo", "f", "example.org", "1/0",
				"2130706433/2", "0.0.0.0/a", "::/a", "0.0.0.0/-1", "0.0.0.0/33", "::/129", "01.2.3.4", "0.0.0.0/08"} {
				_, v = ProcessRoute(Insert, body(`[{"ip":"`+ip+`"}]`), nil)
				wantFields(t, v, `{"`+field+`":[{"ip":"invalid ip or cidr range: '`+ip+`'"}]}`)
			}
			for _, ip := range []string{"0.0.0.0/0", "::/0", "0.0.0.0/32", "::/128", "::1", "[::1]", "::ffff:1.2.3.4"} {
				_, v = ProcessRoute(Insert, body(`[{"ip":"`+ip+`"}]`), nil)
				wantNoViolation(t, v)
			}
			_, v = ProcessRoute(Insert, body(`[{}]`), nil)
			wantMessage(t, v, "schema violation ("+field+".1: {\n  [\"@entity\"] = {\n    \"at least one of these fields must be non-empty: 'ip', 'port'\"\n  }\n})")
			_, v = ProcessRoute(Insert, body(`[{"ip":"1.2.3.4","foo":1}]`), nil)
			wantFields(t, v, `{"`+field+`":[{"foo":"unknown field"}]}`)
			_, v = ProcessRoute(Insert, body(`["1.2.3.4"]`), nil)
			wantFields(t, v, `{"`+field+`":["expected a record"]}`)
		})
	}
}

// go-kong creates a tls+tcp route with snis and destinations and expects
// the snis back in order.
func TestRouteStreamGoKong(t *testing.T) {
	out, v := ProcessRoute(Insert, obj(t, `{"protocols":["tls","tcp"],"snis":["host1.com","host2.com"],"destinations":[{"ip":"10.0.0.0/8","port":80}]}`), nil)
	wantEntity(t, out, v, `{"snis":["host1.com","host2.com"],"protocols":["tls","tcp"],"strip_path":true}`)
}

func TestRouteService(t *testing.T) {
	tests := []struct{ service, want, msg string }{
		{`{"id":"` + svcID + `","name":"x","host":"h","port":80}`, `{"id":"` + svcID + `"}`, ""},
		{`{"name":"my-svc"}`, `{"name":"my-svc"}`, ""},
		{`{"id":"foo","name":"my-svc"}`, `{"name":"my-svc"}`, ""},
		{`null`, `null`, ""},
		{`{"id":"foo"}`, "", "schema violation (service.id: expected a valid UUID)"},
		{`{}`, "", "schema violation (service.id: missing primary key)"},
		{`{"name":null}`, "", "schema violation (service.id: missing primary key)"},
		{`{"id":null}`, "", "schema violation (service.id: required field missing)"},
		{`{"protocol":"foo"}`, "", "schema violation (service.protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
		{`{"name":"foo bar"}`, "", "schema violation (service.name: invalid value 'foo bar': the only accepted ascii characters are alphanumerics or ., -, _, and ~)"},
		{`{"url":"http://x"}`, "", "schema violation (service.url: unknown field)"},
		{`"` + svcID + `"`, "", "schema violation (service.id: missing primary key)"},
	}
	for _, tt := range tests {
		t.Run(tt.service, func(t *testing.T) {
			out, v := ProcessRoute(Insert, obj(t, `{"paths":["/"],"service":`+tt.service+`}`), nil)
			if tt.msg != "" {
				wantMessage(t, v, tt.msg)
				return
			}
			wantEntity(t, out, v, `{"service":`+tt.want+`}`)
		})
	}
	// The validation endpoint does not resolve names.
	v, _ := Validate("routes", obj(t, `{"paths":["/"],"service":{"name":"my-svc"}}`))
	wantMessage(t, v, "schema violation (service.id: missing primary key)")

	if f, key, ok := ForeignByName("services", obj(t, `{"name":"my-svc"}`)); !ok || f != "name" || key != "my-svc" {
		t.Errorf("ForeignByName = %q %v %v", f, key, ok)
	}
	if _, _, ok := ForeignByName("services", obj(t, `{"id":"`+svcID+`","name":"x"}`)); ok {
		t.Error("a valid id is never resolved by name")
	}
}

func TestRouteUpdate(t *testing.T) {
	existing, v := ProcessRoute(Insert, obj(t, `{"hosts":["a.test"],"methods":["GET"],"name":"r","service":{"id":"`+svcID+`"}}`), nil)
	wantNoViolation(t, v)
	existing["id"] = "5b0e9f5e-1234-4abc-8def-0123456789ab"

	tests := []struct{ body, want, msg string }{
		{`{"hosts":null,"methods":null}`, "", "schema violation (must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https')"},
		{`{"hosts":null}`, `{"hosts":null,"methods":["GET"]}`, ""},
		{`{"methods":[]}`, `{"methods":[],"hosts":["a.test"]}`, ""},
		{`{"service":null}`, `{"service":null}`, ""},
		{`{"name":null}`, `{"name":null}`, ""},
		{`{"protocols":["grpc"]}`, "", "2 schema violations (methods: cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'; strip_path: cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs')"},
		{`{"protocols":["tcp"],"methods":null,"hosts":null,"sources":[{}]}`, "", "schema violation (sources.1: {\n  [\"@entity\"] = {\n    \"when updating, at least one of these fields must be non-empty: 'ip', 'port'\"\n  }\n})"},
		{`{"protocols":["tcp"],"methods":null,"hosts":null,"sources":[{"ip":"1.2.3.4"}]}`, `{"sources":[{"ip":"1.2.3.4","port":null}],"protocols":["tcp"]}`, ""},
		{`{"expression":"http.path == \"/\""}`, "", "schema violation (expression: unknown field)"},
		{`{"priority":1}`, "", "schema violation (priority: unknown field)"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			out, v := ProcessRoute(Update, obj(t, tt.body), existing)
			if tt.msg != "" {
				wantMessage(t, v, tt.msg)
				return
			}
			wantEntity(t, out, v, tt.want)
			if out["id"] != existing["id"] {
				t.Errorf("id changed to %v", out["id"])
			}
		})
	}
}

func TestRouteOtherFields(t *testing.T) {
	tests := []struct{ body, msg string }{
		{`{"paths":["/"],"https_redirect_status_code":404}`, "schema violation (https_redirect_status_code: expected one of: 426, 301, 302, 307, 308)"},
		{`{"paths":["/"],"path_handling":"v2"}`, "schema violation (path_handling: expected one of: v0, v1)"},
		{`{"paths":["/"],"regex_priority":1.5}`, "schema violation (regex_priority: expected an integer)"},
		{`{"paths":["/"],"preserve_host":null}`, "schema violation (preserve_host: required field missing)"},
		{`{"paths":["/"],"request_buffering":"yes"}`, "schema violation (request_buffering: expected a boolean)"},
		{`{"paths":["/"],"name":"examp/le"}`, "schema violation (name: invalid value 'examp/le': the only accepted ascii characters are alphanumerics or ., -, _, and ~)"},
		{`{"paths":["/"],"name":"i\u0555\u034d"}`, ""},
		{`{"paths":["/"],"tags":["a",""]}`, "schema violation (tags.2: length must be at least 1)"},
	}
	for _, tt := range tests {
		_, v := ProcessRoute(Insert, obj(t, tt.body), nil)
		if tt.msg == "" {
			wantNoViolation(t, v)
		} else {
			wantMessage(t, v, tt.msg)
		}
	}
	for _, name := range []string{"example", "3x4-mp-13", "~3..x4~.M-p~1__3_", "孔", "Конг", "🦍"} {
		if _, v := ProcessRoute(Insert, map[string]any{"paths": []any{"/"}, "name": name}, nil); v != nil {
			t.Errorf("%q rejected: %s", name, v.Message())
		}
	}
	_, v := ProcessRoute(Insert, map[string]any{"paths": []any{"/"}, "name": string([]byte{105, 213, 205, 149})}, nil)
	wantMessage(t, v, "schema violation (name: invalid utf-8 character sequence detected at position 2)")
	out, v := ProcessRoute(Insert, obj(t, `{"paths":["/"],"path_handling":"v1","regex_priority":-5}`), nil)
	wantEntity(t, out, v, `{"path_handling":"v1","regex_priority":-5}`)
}
