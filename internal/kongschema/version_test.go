package kongschema

import (
	"fmt"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, want string
		ee       bool
	}{
		{"3.4.2", "3.4.2", false},
		{"3.10.0", "3.10.0", false},
		{"3.10.0.6", "3.10.0.6", true},
		{"3.4.3.12", "3.4.3.12", true},
		{"2.8.1.1-enterprise-edition", "2.8.1.1", true},
		{"3.10.0-alpha.13", "3.10.0", false},
		{" 3.9.1\n", "3.9.1", false},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if err != nil || v.String() != tt.want || v.Enterprise != tt.ee {
			t.Errorf("ParseVersion(%q) = %s (enterprise %v), %v; want %s (enterprise %v)", tt.in, v, v.Enterprise, err, tt.want, tt.ee)
		}
	}
	for _, bad := range []string{"", "kong", "three"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}

// AtLeast compares the fourth number too, where go-kong's ranges do not:
// OSS 3.10.0 is older than Enterprise 3.10.0.6.
func TestVersionAtLeast(t *testing.T) {
	tests := []struct {
		v, o string
		want bool
	}{
		{"3.10.0", "3.10.0.6", false},
		{"3.10.0.6", "3.10.0.6", true},
		{"3.10.0.5", "3.10.0.6", false},
		{"3.10.0.17", "3.10.0.6", true},
		{"3.11.0.0", "3.10.0.6", true},
		{"3.7.1.5", "3.7.0", true},
		{"3.6.1", "3.7.0", false},
		{"3.9.3", "3.10.0", false},
	}
	for _, tt := range tests {
		if got := MustParseVersion(tt.v).AtLeast(MustParseVersion(tt.o)); got != tt.want {
			t.Errorf("%s AtLeast %s = %v, want %v", tt.v, tt.o, got, tt.want)
		}
	}
}

func TestUnsupported(t *testing.T) {
	sans := `{"host":"x","protocol":"https","tls_sans":{"dnsnames":["a.test"]}}`
	ws := `{"host":"x","protocol":"wss"}`
	wsURL := `{"url":"ws://x:8080/"}`
	wildcard := `{"protocols":["https"],"snis":["a.test","*.b.test"]}`
	tests := []struct {
		entity, body, version, flavor string
		want                          string // features' What, joined
	}{
		{"services", sans, "3.10.0", "", "[tls_sans]"},
		{"services", sans, "3.4.2", "", "[tls_sans]"},
		{"services", sans, "3.10.0.5", "", "[tls_sans]"},
		{"services", sans, "3.10.0.6", "", "[]"},
		{"services", sans, "3.11.0.0", "", "[]"},
		{"services", `{"host":"x","tls_sans":null}`, "3.4.2", "", "[]"},
		{"services", ws, "3.10.0", "", `[protocol "ws" or "wss"]`},
		{"services", wsURL, "3.9.3", "", `[protocol "ws" or "wss"]`},
		{"services", ws, "3.4.3.12", "", "[]"},
		{"services", `{"host":"x","protocol":"https"}`, "3.4.2", "", "[]"},
		{"routes", wildcard, "3.4.2", "", `[wildcard names in snis (such as "*.example.com")]`},
		{"routes", wildcard, "3.6.1", "", `[wildcard names in snis (such as "*.example.com")]`},
		{"routes", wildcard, "3.7.0", "", "[]"},
		{"routes", wildcard, "3.10.0", "traditional_compatible", "[]"},
		{"routes", wildcard, "3.10.0", "expressions", "[]"},
		{"routes", wildcard, "3.10.0", "traditional", `[wildcard names in snis (such as "*.example.com")]`},
		{"routes", `{"protocols":["https"],"snis":["a.test"]}`, "3.4.2", "", "[]"},
		// A feature of one entity says nothing of another.
		{"routes", sans, "3.4.2", "", "[]"},
	}
	for _, tt := range tests {
		var names []string
		for _, f := range Unsupported(tt.entity, obj(t, tt.body), MustParseVersion(tt.version), tt.flavor) {
			names = append(names, f.What)
			if f.Since == "" || f.Field == "" {
				t.Errorf("%s: feature without Since or Field: %+v", f.What, f)
			}
		}
		if got := fmt.Sprintf("%v", names); got != tt.want && !(tt.want == "[]" && names == nil) {
			t.Errorf("%s %s on %s/%q: %s, want %s", tt.entity, tt.body, tt.version, tt.flavor, got, tt.want)
		}
	}
}

// For(v) is what Kong v accepts, feature by feature, and what localkong
// serves when it plays v.
func TestRulesByVersion(t *testing.T) {
	v34, v36, v310 := For(MustParseVersion("3.4.2")), For(MustParseVersion("3.6.1")), For(DefaultVersion)
	ee := For(MustParseVersion("3.10.0.6"))

	// snis: typedefs.sni before 3.7, wildcard_host since.
	wildcard := `{"protocols":["https"],"snis":["*.example.com"]}`
	for _, r := range []*Rules{v34, v36} {
		_, v := r.ProcessRoute(Insert, obj(t, wildcard), nil)
		wantMessage(t, v, "schema violation (snis.1: invalid value: *.example.com)")
	}
	for _, r := range []*Rules{v310, ee} {
		_, v := r.ProcessRoute(Insert, obj(t, wildcard), nil)
		wantNoViolation(t, v)
	}

	// The ATC check: only routes with paths before 3.6.
	badHeader := `{"headers":{"x":["~*("]}}`
	_, v := v34.ProcessRoute(Insert, obj(t, badHeader), nil)
	wantNoViolation(t, v)
	for _, r := range []*Rules{v36, v310} {
		_, v = r.ProcessRoute(Insert, obj(t, badHeader), nil)
		wantFields(t, v, `{"@entity":["Router Expression failed validation: regex parse error: missing closing ): `+"`(`"+`"]}`)
	}
	_, v = v34.ProcessRoute(Insert, obj(t, `{"paths":["/a"],"headers":{"x":["~*("]}}`), nil)
	wantNoViolation(t, v)
	_, v = v34.ProcessRoute(Insert, obj(t, `{"paths":["~/a("]}`), nil)
	if v.Empty() {
		t.Error("3.4 accepted an invalid regex path")
	}

	// tls_sans: Enterprise 3.10.0.6 only; ws and wss: Enterprise.
	sans := `{"host":"x","tls_sans":{"dnsnames":["a.test"]}}`
	for _, r := range []*Rules{v34, v310, For(MustParseVersion("3.10.0.5"))} {
		_, v = r.ProcessService(Insert, obj(t, sans), nil)
		wantMessage(t, v, "schema violation (tls_sans: unknown field)")
		if doc, _ := r.Schema("services"); fieldNamed(doc, "tls_sans") {
			t.Errorf("%s: tls_sans in GET /schemas/services", r.Version())
		}
	}
	_, v = ee.ProcessService(Insert, obj(t, sans), nil)
	wantNoViolation(t, v)
	if doc, _ := ee.Schema("services"); !fieldNamed(doc, "tls_sans") {
		t.Error("3.10.0.6: no tls_sans in GET /schemas/services")
	}
	_, v = v34.ProcessService(Insert, obj(t, `{"host":"x","protocol":"ws"}`), nil)
	wantMessage(t, v, "schema violation (protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)")
	_, v = For(MustParseVersion("3.4.3.12")).ProcessService(Insert, obj(t, `{"host":"x","protocol":"ws"}`), nil)
	wantNoViolation(t, v)

	// Everything else is the same: one route and one service that use no
	// feature come out identical.
	route := `{"name":"r","paths":["/a","~/b/\\d+$"],"hosts":["*.a.test"],"headers":{"x-v":["1"]},"snis":["a.test"],"protocols":["https"]}`
	svc := `{"name":"s","url":"https://a.test:8443/p","tls_verify":true,"tags":["t"]}`
	wantR, _ := v310.ProcessRoute(Insert, obj(t, route), nil)
	wantS, _ := v310.ProcessService(Insert, obj(t, svc), nil)
	for _, r := range []*Rules{v34, v36} {
		gotR, v := r.ProcessRoute(Insert, obj(t, route), nil)
		wantNoViolation(t, v)
		gotS, v := r.ProcessService(Insert, obj(t, svc), nil)
		wantNoViolation(t, v)
		if jsonString(gotR) != jsonString(wantR) || jsonString(gotS) != jsonString(wantS) {
			t.Errorf("%s differs from 3.10.0:\n%s\n%s", r.Version(), jsonString(gotR), jsonString(gotS))
		}
	}
	if For(DefaultVersion) != For(MustParseVersion("3.10.0")) || For(DefaultVersion).schema("services") != schemaByName("services") {
		t.Error("the rules of one version are built more than once")
	}
}

func fieldNamed(doc map[string]any, name string) bool {
	for _, f := range doc["fields"].([]any) {
		if _, ok := f.(map[string]any)[name]; ok {
			return true
		}
	}
	return false
}
