package kongschema

import "testing"

// ee31006 is the first Kong with tls_sans.
var ee31006 = For(MustParseVersion("3.10.0.6"))

func TestServiceTLSSANs(t *testing.T) {
	tests := []struct {
		name, body, want, msg string
	}{
		{"absent is null", `{"host":"x"}`, `{"tls_sans":null}`, ""},
		{"null", `{"host":"x","tls_sans":null}`, `{"tls_sans":null}`, ""},
		{"missing parts are null", `{"host":"x","tls_sans":{"dnsnames":["a.test"]}}`,
			`{"tls_sans":{"dnsnames":["a.test"],"uris":null}}`, ""},
		{"empty record", `{"host":"x","tls_sans":{}}`, `{"tls_sans":{"dnsnames":null,"uris":null}}`, ""},
		{"both", `{"host":"x","protocol":"https","tls_sans":{"dnsnames":["example.com","test.example.com"],"uris":["https://example.com","spiffe://cluster.local/ns/a/sa/b"]}}`,
			`{"tls_sans":{"dnsnames":["example.com","test.example.com"],"uris":["https://example.com","spiffe://cluster.local/ns/a/sa/b"]}}`, ""},
		{"arrays keep duplicates and order", `{"host":"x","tls_sans":{"dnsnames":["b.test","a.test","b.test"],"uris":[]}}`,
			`{"tls_sans":{"dnsnames":["b.test","a.test","b.test"],"uris":[]}}`, ""},
		// No protocol condition is known for tls_sans (see tlsSANsField).
		{"any protocol", `{"host":"x","protocol":"http","tls_sans":{"dnsnames":["a.test"]}}`,
			`{"tls_sans":{"dnsnames":["a.test"],"uris":null}}`, ""},

		{"not a record", `{"host":"x","tls_sans":"a.test"}`, "", "schema violation (tls_sans: expected a record)"},
		{"dnsnames not an array", `{"host":"x","tls_sans":{"dnsnames":"a.test"}}`, "",
			"schema violation (tls_sans.dnsnames: expected an array)"},
		{"unknown key", `{"host":"x","tls_sans":{"ips":["10.0.0.1"]}}`, "", "schema violation (tls_sans.ips: unknown field)"},
		{"dnsname is an IP", `{"host":"x","tls_sans":{"dnsnames":["a.test","10.0.0.1"]}}`, "",
			"schema violation (tls_sans.dnsnames: {\n  [2] = \"must not be an IP\"\n})"},
		{"dnsname with port", `{"host":"x","tls_sans":{"dnsnames":["a.test:443"]}}`, "",
			"schema violation (tls_sans.dnsnames: {\n  \"must not have a port\"\n})"},
		{"dnsname invalid", `{"host":"x","tls_sans":{"dnsnames":["a b"]}}`, "",
			"schema violation (tls_sans.dnsnames: {\n  \"invalid value: a b\"\n})"},
		{"dnsname wildcard", `{"host":"x","tls_sans":{"dnsnames":["*.a.test"]}}`, "",
			"schema violation (tls_sans.dnsnames: {\n  \"invalid value: *.a.test\"\n})"},
		{"dnsname not a string", `{"host":"x","tls_sans":{"dnsnames":[1]}}`, "",
			"schema violation (tls_sans.dnsnames: {\n  \"expected a string\"\n})"},
		{"uri without scheme or host", `{"host":"x","tls_sans":{"uris":["example.com"]}}`, "",
			"schema violation (tls_sans.uris: {\n  \"missing host in url\"\n})"},
		{"uri without scheme", `{"host":"x","tls_sans":{"uris":["//example.com/a"]}}`, "",
			"schema violation (tls_sans.uris: {\n  \"missing scheme in url\"\n})"},
		{"uri empty", `{"host":"x","tls_sans":{"uris":[""]}}`, "",
			"schema violation (tls_sans.uris: {\n  \"length must be at least 1\"\n})"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, v := ee31006.ProcessService(Insert, obj(t, tt.body), nil)
			if tt.msg != "" {
				wantMessage(t, v, tt.msg)
				return
			}
			wantEntity(t, out, v, tt.want)
		})
	}
}

func TestServiceTLSSANsErrorBody(t *testing.T) {
	_, v := ee31006.ProcessService(Insert, obj(t, `{"host":"x","tls_sans":{"dnsnames":["ok.test","10.0.0.1"],"uris":["nope"]}}`), nil)
	wantBody(t, v, `{"code":2,"name":"schema violation",
		"message":"2 schema violations (tls_sans.dnsnames: {\n  [2] = \"must not be an IP\"\n}; tls_sans.uris: {\n  \"missing host in url\"\n})",
		"fields":{"tls_sans":{"dnsnames":[null,"must not be an IP"],"uris":["missing host in url"]}}}`)
}

func TestServiceTLSSANsSchemaDocument(t *testing.T) {
	doc, _ := ee31006.Schema("services")
	got := roundTrip(t, doc["fields"].([]any)[len(doc["fields"].([]any))-1].(map[string]any)["tls_sans"])
	want := decode(t, `{"type":"record","fields":[
		{"dnsnames":{"type":"array","elements":{"type":"string"}}},
		{"uris":{"type":"array","elements":{"type":"string"}}}]}`)
	if jsonString(got) != jsonString(want) {
		t.Errorf("tls_sans document\n got: %s\nwant: %s", jsonString(got), jsonString(want))
	}
}
