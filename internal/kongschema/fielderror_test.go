package kongschema

import (
	"reflect"
	"testing"
)

func TestFlattenFields(t *testing.T) {
	tests := []struct {
		name   string
		fields string
		want   []FieldError
	}{
		{"none", `{}`, nil},
		{"entity first, then fields by name, records by key, arrays by index",
			`{"tls_verify":"value must be null","tags":[null,"invalid tag"],
			  "@entity":["failed conditional validation given value of field 'protocol'"],
			  "client_certificate":{"id":"expected a valid UUID"}}`,
			[]FieldError{
				{Message: "failed conditional validation given value of field 'protocol'"},
				{Path: []any{"client_certificate", "id"}, Message: "expected a valid UUID"},
				{Path: []any{"tags", 1}, Message: "invalid tag"},
				{Path: []any{"tls_verify"}, Message: "value must be null"},
			}},
		{"indexes are zero-based and holes skipped",
			`{"ca_certificates":[null,null,"expected a valid UUID"]}`,
			[]FieldError{{Path: []any{"ca_certificates", 2}, Message: "expected a valid UUID"}}},
		{"entity as one string", `{"@entity":"bad"}`, []FieldError{{Message: "bad"}}},
		{"other @ keys are not fields", `{"@other":"x","name":"foo"}`,
			[]FieldError{{Path: []any{"name"}, Message: "foo"}}},
		{"nested records in arrays",
			`{"sources":[{"ip":"invalid ip or cidr range: 'x'"}],"tls_sans":{"dnsnames":[null,"invalid value: a b"]}}`,
			[]FieldError{
				{Path: []any{"sources", 0, "ip"}, Message: "invalid ip or cidr range: 'x'"},
				{Path: []any{"tls_sans", "dnsnames", 1}, Message: "invalid value: a b"},
			}},
		{"non-strings are printed", `{"n":1,"b":true}`,
			[]FieldError{{Path: []any{"b"}, Message: "true"}, {Path: []any{"n"}, Message: "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FlattenFields(obj(t, tt.fields))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestFieldErrorString(t *testing.T) {
	for _, tt := range []struct {
		f    FieldError
		want string
	}{
		{FieldError{Message: "entity message"}, "entity message"},
		{FieldError{Path: []any{"paths", 0}, Message: "bad"}, "paths.0: bad"},
		{FieldError{Path: []any{"tls_sans", "uris", 2}, Message: "missing host in url", Hint: "ignored"},
			"tls_sans.uris.2: missing host in url"},
	} {
		if got := tt.f.String(); got != tt.want {
			t.Errorf("%#v: got %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestViolationFieldErrors(t *testing.T) {
	_, v := ProcessService(Insert, obj(t, `{"host":"x","protocol":"http","tls_verify":true,"tags":["a/b"]}`), nil)
	got := v.FieldErrors()
	want := []FieldError{
		{Message: "failed conditional validation given value of field 'protocol'"},
		{Path: []any{"tags", 0}, Message: "invalid tag 'a/b': expected printable ascii (except `,` and `/`) or valid utf-8 sequences"},
		{Path: []any{"tls_verify"}, Message: "value must be null"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}
