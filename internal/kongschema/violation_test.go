package kongschema

import "testing"

// The error bodies quoted in spec §2.2, produced by the operations that
// cause them.
func TestSpecErrorBodies(t *testing.T) {
	tests := []struct {
		name string
		run  func() *Violation
		body string
	}{
		{
			"route without matcher, default protocols",
			func() *Violation { _, v := ProcessRoute(Insert, obj(t, `{}`), nil); return v },
			`{"code":2,"name":"schema violation","message":"schema violation (must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https')","fields":{"@entity":["must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"]}}`,
		},
		{
			"unknown protocol in set",
			func() *Violation {
				_, v := ProcessRoute(Insert, obj(t, `{"protocols":["foo","http"],"paths":["/"]}`), nil)
				return v
			},
			`{"code":2,"name":"schema violation","message":"schema violation (protocols.1: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)","fields":{"protocols":["expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp"]}}`,
		},
		{
			"invalid url",
			func() *Violation { _, v := ProcessService(Insert, obj(t, `{"url":"invalid url"}`), nil); return v },
			`{"code":2,"name":"schema violation","message":"2 schema violations (host: required field missing; path: should start with: /)","fields":{"host":"required field missing","path":"should start with: /"}}`,
		},
		{
			"PUT with a bad timeout",
			func() *Violation {
				_, v := ProcessService(Upsert, obj(t, `{"connect_timeout":"foobar"}`), nil)
				return v
			},
			`{"code":2,"name":"schema violation","message":"2 schema violations (connect_timeout: expected an integer; host: required field missing)","fields":{"connect_timeout":"expected an integer","host":"required field missing"}}`,
		},
		{
			"service without primary key",
			func() *Violation {
				_, v := ProcessRoute(Insert, obj(t, `{"paths":["/"],"service":{"protocol":"http"}}`), nil)
				return v
			},
			`{"code":2,"name":"schema violation","message":"schema violation (service.id: missing primary key)","fields":{"service":{"id":"missing primary key"}}}`,
		},
		{
			"unknown field",
			func() *Violation {
				_, v := ProcessService(Insert, obj(t, `{"host":"example.com","foo":1}`), nil)
				return v
			},
			`{"code":2,"name":"schema violation","message":"schema violation (foo: unknown field)","fields":{"foo":"unknown field"}}`,
		},
		{
			"service conditional check",
			func() *Violation {
				_, v := ProcessService(Insert, obj(t, `{"host":"example.com","protocol":"tcp","path":"/x"}`), nil)
				return v
			},
			`{"code":2,"name":"schema violation","message":"2 schema violations (failed conditional validation given value of field 'protocol'; path: value must be null)","fields":{"@entity":["failed conditional validation given value of field 'protocol'"],"path":"value must be null"}}`,
		},
		{
			"snis outside TLS protocols",
			func() *Violation {
				_, v := ProcessRoute(Insert, obj(t, `{"protocols":["tcp","udp"],"snis":["example.org"],"sources":[{"ip":"127.0.0.1"}]}`), nil)
				return v
			},
			`{"code":2,"name":"schema violation","message":"2 schema violations ('snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'; snis: length must be 0)","fields":{"@entity":["'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'"],"snis":"length must be 0"}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantBody(t, tt.run(), tt.body) })
	}
}

func TestViolationMessage(t *testing.T) {
	tests := []struct {
		name string
		v    *Violation
		want string
	}{
		{"single field", &Violation{Fields: map[string]any{"name": "expected a string"}},
			"schema violation (name: expected a string)"},
		{"keys sorted, entity first",
			&Violation{Entity: []string{"first", "second"}, Fields: map[string]any{"z": "b", "a": "a"}},
			"4 schema violations (first; second; a: a; z: b)"},
		{"array indexes are 1-based, holes skipped",
			&Violation{Fields: map[string]any{"paths": []any{nil, "x", nil, "y"}}},
			"2 schema violations (paths.2: x; paths.4: y)"},
		{"record sub-keys sorted",
			&Violation{Fields: map[string]any{"service": map[string]any{"protocol": "p", "id": "i"}}},
			"2 schema violations (service.id: i; service.protocol: p)"},
		{"nested table is pretty-printed",
			&Violation{Fields: map[string]any{"sources": []any{map[string]any{"ip": "bad", "port": "worse"}}}},
			"schema violation (sources.1: {\n  ip = \"bad\",\n  port = \"worse\"\n})"},
		{"nested entity errors use bracket keys",
			&Violation{Fields: map[string]any{"sources": []any{map[string]any{"@entity": []any{"need one"}}}}},
			"schema violation (sources.1: {\n  [\"@entity\"] = {\n    \"need one\"\n  }\n})"},
		{"empty", &Violation{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.Message(); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestViolationFieldsJSON(t *testing.T) {
	v := &Violation{Entity: []string{"e"}, Fields: map[string]any{"a": "b"}}
	wantFields(t, v, `{"@entity":["e"],"a":"b"}`)
	v = &Violation{Fields: map[string]any{"a": "b"}}
	if _, ok := v.FieldsJSON()["@entity"]; ok {
		t.Error("@entity present without entity errors")
	}
	var nilV *Violation
	if !nilV.Empty() || len(nilV.FieldsJSON()) != 0 {
		t.Error("nil violation must be empty")
	}
}

func TestPrettyWrite(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{map[string]any{"and": "x"}, "{\n  [\"and\"] = \"x\"\n}"},
		{[]any{"a", nil, "c"}, "{\n  \"a\",\n  [3] = \"c\"\n}"},
		{map[string]any{"k": "say \"hi\""}, "{\n  k = \"say \\\"hi\\\"\"\n}"},
		{map[string]any{"k": "a\nb"}, "{\n  k = [[a\nb]]\n}"},
		{map[string]any{"k": "x]]y"}, "{\n  k = [=[x]]y]=]\n}"},
	}
	for _, tt := range tests {
		if got := prettyWrite(tt.in); got != tt.want {
			t.Errorf("prettyWrite(%v)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}
