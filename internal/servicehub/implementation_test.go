package servicehub

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kong/go-kong/kong"
)

func TestKongRoundTrip(t *testing.T) {
	depth := 3
	impl := Implementation{
		ID: "6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a", Service: "payments", Version: "v1", Name: "payments-v1",
		Endpoint:       Endpoint{"https", "pay.internal", 8443, ptr("/api")},
		Retries:        3,
		ConnectTimeout: 1000, WriteTimeout: 2000, ReadTimeout: 3000,
		ClientCertificateID: ptr("11111111-1111-4111-8111-111111111111"),
		CACertificates:      []string{"22222222-2222-4222-8222-222222222222"},
		TLSVerify:           kong.Bool(true),
		TLSVerifyDepth:      &depth,
		Enabled:             false,
		Tags:                []string{"team:core"},
		CreatedAt:           1700000000,
	}
	svc := toKong(impl)
	b, err := json.Marshal(svc)
	if err != nil {
		t.Fatal(err)
	}
	var wire map[string]any
	_ = json.Unmarshal(b, &wire)
	if wire["enabled"] != false || wire["created_at"] != float64(1700000000) {
		t.Errorf("enabled=false or created_at not sent: %s", b)
	}
	if cc, _ := wire["client_certificate"].(map[string]any); cc["id"] != *impl.ClientCertificateID {
		t.Errorf("client_certificate = %v", wire["client_certificate"])
	}
	back := fromKong(svc)
	if !reflect.DeepEqual(back, impl) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, impl)
	}
}

func TestToKongLeavesUnsetFieldsOut(t *testing.T) {
	svc := toKong(Implementation{Service: "s", Version: "v", Name: "n", Endpoint: Endpoint{"http", "h", 80, nil}, Enabled: true})
	b, _ := json.Marshal(svc)
	var wire map[string]any
	_ = json.Unmarshal(b, &wire)
	for _, k := range []string{"id", "path", "created_at", "client_certificate", "ca_certificates", "tls_verify", "tls_verify_depth", "url"} {
		if _, ok := wire[k]; ok {
			t.Errorf("%s sent although unset: %s", k, b)
		}
	}
	if !reflect.DeepEqual(wire["tags"], []any{"servicehub:service=s", "servicehub:version=v"}) {
		t.Errorf("tags = %v", wire["tags"])
	}
}

func TestFromKongDefaults(t *testing.T) {
	var svc kong.Service
	_ = json.Unmarshal([]byte(`{"id":"x","name":null,"host":"h","port":80,"protocol":"http","path":null,"tags":null,"enabled":true,"ca_certificates":null,"tls_verify":null}`), &svc)
	impl := fromKong(&svc)
	if impl.Tags != nil || impl.CACertificates != nil || impl.Path != nil || impl.TLSVerify != nil || !impl.Enabled {
		t.Errorf("fromKong = %+v", impl)
	}
}
