package kongschema

import (
	"reflect"
	"sort"
	"testing"
)

func TestServiceDefaults(t *testing.T) {
	// spec §3.4: every field present, defaults applied, auto fields left
	// to the store.
	out, v := ProcessService(Insert, obj(t, `{"host":"service.test"}`), nil)
	want := `{"id":null,"created_at":null,"updated_at":null,"name":null,"retries":5,
	 "protocol":"http","host":"service.test","port":80,"path":null,
	 "connect_timeout":60000,"write_timeout":60000,"read_timeout":60000,
	 "tags":null,"client_certificate":null,"tls_verify":null,"tls_verify_depth":null,
	 "ca_certificates":null,"enabled":true}`
	wantNoViolation(t, v)
	if got := roundTrip(t, out); !reflect.DeepEqual(got, decode(t, want)) {
		t.Errorf("got %s\nwant %s", jsonString(got), want)
	}
}

func TestServiceFieldRules(t *testing.T) {
	tests := []struct {
		name, body, msg string
	}{
		{"host required", `{}`, "schema violation (host: required field missing)"},
		{"host null", `{"host":null}`, "schema violation (host: required field missing)"},
		{"host type", `{"host":1}`, "schema violation (host: expected a string)"},
		{"host empty", `{"host":""}`, "schema violation (host: length must be at least 1)"},
		{"host with port", `{"host":"example.com:80"}`, "schema violation (host: must not have a port)"},
		{"host port too big", `{"host":"example.com:99999"}`, "schema violation (host: must not have a port)"},
		{"ipv6 with port", `{"host":"[::1]:80"}`, "schema violation (host: must not have a port)"},
		{"port type", `{"host":"x","port":"80"}`, "schema violation (port: expected an integer)"},
		{"port fraction", `{"host":"x","port":80.5}`, "schema violation (port: expected an integer)"},
		{"port range", `{"host":"x","port":65536}`, "schema violation (port: value should be between 0 and 65535)"},
		{"port null", `{"host":"x","port":null}`, "schema violation (port: required field missing)"},
		{"protocol", `{"host":"x","protocol":"ws"}`, "schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
		{"protocol empty", `{"host":"x","protocol":""}`, "schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
		{"protocol null", `{"host":"x","protocol":null}`, "schema violation (protocol: required field missing)"},
		{"retries", `{"host":"x","retries":32768}`, "schema violation (retries: value should be between 0 and 32767)"},
		{"timeout zero", `{"host":"x","connect_timeout":0}`, "schema violation (connect_timeout: value should be between 1 and 2147483646)"},
		{"timeout big", `{"host":"x","read_timeout":2147483647}`, "schema violation (read_timeout: value should be between 1 and 2147483646)"},
		{"enabled type", `{"host":"x","enabled":"true"}`, "schema violation (enabled: expected a boolean)"},
		{"enabled null", `{"host":"x","enabled":null}`, "schema violation (enabled: required field missing)"},
		{"name space", `{"host":"x","name":"foo bar"}`, "schema violation (name: invalid value 'foo bar': the only accepted ascii characters are alphanumerics or ., -, _, and ~)"},
		{"name empty", `{"host":"x","name":""}`, "schema violation (name: length must be at least 1)"},
		{"name type", `{"host":"x","name":false}`, "schema violation (name: expected a string)"},
		{"path start", `{"host":"x","path":"foo"}`, "schema violation (path: should start with: /)"},
		{"path empty segment", `{"host":"x","path":"/foo//bar"}`, "schema violation (path: must not have empty segments)"},
		{"path rfc3986", `{"host":"x","path":"/foo bar"}`, "schema violation (path: invalid path: '/foo bar' (characters outside of the reserved list of RFC 3986 found))"},
		{"path percent", `{"host":"x","path":"/some%2words"}`, "schema violation (path: invalid url-encoded value: '%2w')"},
		{"path trailing percent", `{"host":"x","path":"/some%20words%"}`, "schema violation (path: invalid url-encoded value: '%')"},
		{"tls_verify_depth range", `{"host":"x","protocol":"https","tls_verify_depth":65}`, "schema violation (tls_verify_depth: value should be between 0 and 64)"},
		{"ca_certificates uuid", `{"host":"x","protocol":"https","ca_certificates":["nope"]}`, "schema violation (ca_certificates.1: expected a valid UUID)"},
		{"ca_certificates type", `{"host":"x","protocol":"https","ca_certificates":"nope"}`, "schema violation (ca_certificates: expected an array)"},
		{"id", `{"host":"x","id":"nope"}`, "schema violation (id: expected a valid UUID)"},
		{"id empty", `{"host":"x","id":""}`, "schema violation (id: expected a valid UUID)"},
		{"created_at", `{"host":"x","created_at":0}`, "schema violation (created_at: expected a valid timestamp)"},
		{"created_at type", `{"host":"x","created_at":"now"}`, "schema violation (created_at: expected an integer)"},
		{"client_certificate id", `{"host":"x","protocol":"https","client_certificate":{"id":"x"}}`, "schema violation (client_certificate.id: expected a valid UUID)"},
		{"client_certificate empty", `{"host":"x","protocol":"https","client_certificate":{}}`, "schema violation (client_certificate.id: missing primary key)"},
		{"tls exempt protocols only", `{"host":"x","protocol":"http","tls_verify":true}`,
			"2 schema violations (failed conditional validation given value of field 'protocol'; tls_verify: value must be null)"},
		{"stream has no path", `{"host":"x","protocol":"grpc","path":"/"}`,
			"2 schema violations (failed conditional validation given value of field 'protocol'; path: value must be null)"},
		{"several conditionals", `{"host":"x","protocol":"udp","path":"/","tls_verify":false,"tls_verify_depth":1}`,
			"6 schema violations (failed conditional validation given value of field 'protocol'; failed conditional validation given value of field 'protocol'; failed conditional validation given value of field 'protocol'; path: value must be null; tls_verify: value must be null; tls_verify_depth: value must be null)"},
		{"conditional overrides field error", `{"host":"x","protocol":"tcp","path":"nope"}`,
			"2 schema violations (failed conditional validation given value of field 'protocol'; path: value must be null)"},
		{"tags", `{"host":"x","tags":["ok","a/b"]}`, "schema violation (tags.2: invalid tag 'a/b': expected printable ascii (except `,` and `/`) or valid utf-8 sequences)"},
		{"url type", `{"url":1}`, "schema violation (url: expected a string)"},
		{"url empty", `{"url":""}`, "schema violation (url: length must be at least 1)"},
		{"url errors stop processing", `{"url":"","foo":1,"port":"x"}`, "schema violation (url: length must be at least 1)"},
		{"url with bad port", `{"url":"http://example.com:abc/"}`, "schema violation (port: expected an integer)"},
		{"url host with query char", `{"url":"http://example.com?x=1"}`, "schema violation (host: invalid value: example.com?x=1)"},
		{"url null", `{"url":null}`,
			"3 schema violations (host: required field missing; path: should start with: /; protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, v := ProcessService(Insert, obj(t, tt.body), nil)
			wantMessage(t, v, tt.msg)
		})
	}
}

func TestServiceHosts(t *testing.T) {
	// kong-spec 05-services_spec.lua
	rejected := []string{"/example", ".example", "example:", "mock;bin", "example.com/org",
		"example-.org", "hello..example.com", "*example.com", "1.2.3", "256.1.1.1", ":::1:x"}
	for _, h := range rejected {
		_, v := ProcessService(Insert, map[string]any{"host": h}, nil)
		wantMessage(t, v, "schema violation (host: invalid value: "+h+")")
	}
	accepted := []string{"localhost", "example_api.com", "example.test.", "HELLO.com",
		"-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n", "127.0.0.1", "::1", "2001:db8::1", "[::1]", "001.002.003.004"}
	for _, h := range accepted {
		out, v := ProcessService(Insert, map[string]any{"host": h}, nil)
		wantNoViolation(t, v)
		if out["host"] != h {
			t.Errorf("host %q stored as %v", h, out["host"])
		}
	}
}

func TestServiceURL(t *testing.T) {
	// spec §3.3 expansion table plus quirks.
	tests := []struct {
		url, want string
	}{
		{"http://service.test/", `{"protocol":"http","host":"service.test","port":80,"path":"/"}`},
		{"https://service.test/", `{"protocol":"https","host":"service.test","port":443,"path":"/"}`},
		{"http://example.test:443", `{"protocol":"http","host":"example.test","port":443,"path":null}`},
		{"https://example2.test:80/", `{"protocol":"https","host":"example2.test","port":80,"path":"/"}`},
		{"http://edited2.test:1234/foo", `{"protocol":"http","host":"edited2.test","port":1234,"path":"/foo"}`},
		{"grpcs://h", `{"protocol":"grpcs","host":"h","port":80,"path":null}`},
		{"tcp://h:9000", `{"protocol":"tcp","host":"h","port":9000,"path":null}`},
		{"//h:443/x", `{"protocol":"https","host":"h","port":443,"path":"/x"}`},
		{"http://user:pw@h/p?q=1#frag", `{"protocol":"http","host":"h","port":80,"path":"/p"}`},
		{"http://h/a;params", `{"protocol":"http","host":"h","port":80,"path":"/a"}`},
		{"http://[::1]:8080/", `{"protocol":"http","host":"::1","port":8080,"path":"/"}`},
		{"https://h:0x1BB", `{"protocol":"https","host":"h","port":443,"path":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			out, v := ProcessService(Insert, map[string]any{"url": tt.url}, nil)
			wantEntity(t, out, v, tt.want)
			if _, ok := out["url"]; ok {
				t.Error("url must not be returned")
			}
		})
	}
}

func TestServiceURLOverwrites(t *testing.T) {
	out, v := ProcessService(Insert, obj(t, `{"url":"https://a.test","protocol":"http","host":"b.test","port":1,"path":"/x"}`), nil)
	wantEntity(t, out, v, `{"protocol":"https","host":"a.test","port":443,"path":null}`)
}

func TestExpandURL(t *testing.T) {
	p, err := ExpandURL("http://edited2.test:1234/foo")
	if err != nil || p.Protocol != "http" || p.Host != "edited2.test" || p.Port != 1234 || p.Path == nil || *p.Path != "/foo" {
		t.Errorf("unexpected expansion %+v, %v", p, err)
	}
	p, err = ExpandURL("invalid url")
	if err != nil || p.Host != "" || p.Protocol != "http" || p.Port != 80 || p.Path == nil || *p.Path != "invalid url" {
		t.Errorf("unexpected expansion %+v, %v", p, err)
	}
	p, err = ExpandURL("https://h")
	if err != nil || p.Port != 443 || p.Path != nil {
		t.Errorf("unexpected expansion %+v, %v", p, err)
	}
	if _, err := ExpandURL(""); err == nil || err.Error() != "length must be at least 1" {
		t.Errorf("empty url: %v", err)
	}
	if _, err := ExpandURL("http://h:x"); err == nil || err.Error() != "port: expected an integer" {
		t.Errorf("bad port: %v", err)
	}
}

func TestServiceUpdate(t *testing.T) {
	existing, v := ProcessService(Insert, obj(t, `{"host":"example.com","path":"/old","name":"svc","tags":["a","b"]}`), nil)
	wantNoViolation(t, v)
	existing["id"] = "4b0e9f5e-1234-4abc-8def-0123456789ab"
	existing["created_at"] = float64(1700000000)
	existing["updated_at"] = float64(1700000000)

	tests := []struct {
		name, body, want, msg string
	}{
		{"empty body keeps all", `{}`, `{"host":"example.com","path":"/old","name":"svc","tags":["a","b"]}`, ""},
		{"null clears", `{"name":null,"path":null}`, `{"name":null,"path":null,"host":"example.com"}`, ""},
		{"arrays replaced", `{"tags":["c"]}`, `{"tags":["c"]}`, ""},
		{"empty array kept", `{"tags":[]}`, `{"tags":[]}`, ""},
		{"url without path clears path", `{"url":"https://other.test"}`,
			`{"protocol":"https","host":"other.test","port":443,"path":null}`, ""},
		{"id in body ignored", `{"id":"5b0e9f5e-1234-4abc-8def-0123456789ab"}`, `{"id":"4b0e9f5e-1234-4abc-8def-0123456789ab"}`, ""},
		{"created_at in body kept", `{"created_at":1600000000}`, `{"created_at":1600000000}`, ""},
		{"updated_at accepted", `{"updated_at":1650000000}`, `{"updated_at":1650000000}`, ""},
		{"invalid updated_at ignored", `{"updated_at":"x"}`, `{"updated_at":1700000000}`, ""},
		{"validation on merged entity", `{"protocol":"tcp"}`, "",
			"2 schema violations (failed conditional validation given value of field 'protocol'; path: value must be null)"},
		{"required cleared", `{"host":null}`, "", "schema violation (host: required field missing)"},
		{"invalid id still checked", `{"id":"nope"}`, "", "schema violation (id: expected a valid UUID)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := jsonString(existing)
			out, v := ProcessService(Update, obj(t, tt.body), existing)
			if tt.msg != "" {
				wantMessage(t, v, tt.msg)
			} else {
				wantEntity(t, out, v, tt.want)
			}
			if jsonString(existing) != before {
				t.Error("existing entity was modified")
			}
		})
	}
}

func TestServiceUpsertIsFullReplacement(t *testing.T) {
	out, v := ProcessService(Upsert, obj(t, `{"host":"new.test"}`), nil)
	wantEntity(t, out, v, `{"host":"new.test","path":null,"name":null,"retries":5,"created_at":null}`)
	out, v = ProcessService(Upsert, obj(t, `{"host":"new.test","created_at":1600000000,"updated_at":1600000001}`), nil)
	wantEntity(t, out, v, `{"created_at":1600000000,"updated_at":1600000001}`)
}

func TestServiceClientCertificate(t *testing.T) {
	// go-kong sends the whole certificate object.
	body := obj(t, `{"host":"x","protocol":"https","client_certificate":{"id":"4b0e9f5e-1234-4abc-8def-0123456789ab","cert":"x","key":"y","snis":[]}}`)
	out, v := ProcessService(Insert, body, nil)
	wantEntity(t, out, v, `{"client_certificate":{"id":"4b0e9f5e-1234-4abc-8def-0123456789ab"}}`)
	out, v = ProcessService(Insert, obj(t, `{"host":"x","protocol":"tls","tls_verify":true,"tls_verify_depth":3,"ca_certificates":["4b0e9f5e-1234-4abc-8def-0123456789ab"]}`), nil)
	wantEntity(t, out, v, `{"tls_verify":true,"tls_verify_depth":3}`)
}

func TestServiceInputUntouched(t *testing.T) {
	body := obj(t, `{"url":"http://x.test/a","tags":["a","a"]}`)
	before := jsonString(body)
	if _, v := ProcessService(Insert, body, nil); v != nil {
		t.Fatal(v.Message())
	}
	if jsonString(body) != before {
		t.Errorf("body modified: %s", jsonString(body))
	}
}

func TestServiceTagsDeduplicated(t *testing.T) {
	out, v := ProcessService(Insert, obj(t, `{"host":"x","tags":["b","a","b","corp a","🦍"]}`), nil)
	wantEntity(t, out, v, `{"tags":["b","a","corp a","🦍"]}`)
}

func TestEntitiesHaveSchemas(t *testing.T) {
	names := Entities()
	sort.Strings(names)
	for _, n := range names {
		if _, ok := Schema(n); !ok {
			t.Errorf("no schema for %s", n)
		}
	}
}

func TestEnterpriseServices(t *testing.T) {
	// Kong Enterprise 3.10.0.0 services.lua: ws/wss are protocols; wss may
	// carry client_certificate and tls_verify, not tls_verify_depth or
	// ca_certificates. OSS (ProcessService) stays without them.
	const conditional = "failed conditional validation given value of field 'protocol'"
	tests := []struct {
		name, body, ee, oss string
	}{
		{"ws", `{"host":"x","protocol":"ws"}`, "",
			"schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
		{"wss with tls_verify", `{"host":"x","protocol":"wss","tls_verify":true,"client_certificate":{"id":"4b0e9f5e-1234-4abc-8def-0123456789ab"}}`, "",
			"schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
		{"wss with tls_verify_depth", `{"host":"x","protocol":"wss","tls_verify_depth":1}`,
			"2 schema violations (" + conditional + "; tls_verify_depth: value must be null)", ""},
		{"wss with ca_certificates", `{"host":"x","protocol":"wss","ca_certificates":[]}`,
			"2 schema violations (" + conditional + "; ca_certificates: value must be null)", ""},
		{"ws with tls_verify", `{"host":"x","protocol":"ws","tls_verify":false}`,
			"2 schema violations (" + conditional + "; tls_verify: value must be null)", ""},
		{"unknown protocol lists both editions", `{"host":"x","protocol":"ftp"}`,
			"schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss)",
			"schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, v := process(enterpriseServices(), Insert, obj(t, tt.body), nil, true)
			if got := v.Message(); got != tt.ee {
				t.Errorf("enterprise: got %q, want %q", got, tt.ee)
			}
			if tt.oss == "" {
				return
			}
			_, v = ProcessService(Insert, obj(t, tt.body), nil)
			wantMessage(t, v, tt.oss)
		})
	}
}
