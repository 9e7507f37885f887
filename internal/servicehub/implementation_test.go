package servicehub

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kong/go-kong/kong"
)

func TestKongRoundTrip(t *testing.T) {
	impl := Implementation{
		Service: "payments", Version: "v1",
		Gateway: kong.Service{
			ID: kong.String("6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a"), Name: kong.String("payments-v1"),
			Protocol: kong.String("https"), Host: kong.String("pay.internal"), Port: kong.Int(8443), Path: kong.String("/api"),
			Retries:        kong.Int(3),
			ConnectTimeout: kong.Int(1000), WriteTimeout: kong.Int(2000), ReadTimeout: kong.Int(3000),
			ClientCertificate: &kong.Certificate{ID: kong.String("11111111-1111-4111-8111-111111111111")},
			CACertificates:    kong.StringSlice("22222222-2222-4222-8222-222222222222"),
			TLSVerify:         kong.Bool(true),
			TLSVerifyDepth:    kong.Int(3),
			Enabled:           kong.Bool(false),
			Tags:              kong.StringSlice("team:core"),
			CreatedAt:         kong.Int(1700000000),
		},
	}
	before := *impl.Gateway.DeepCopy()
	svc := toKong(impl)
	if !reflect.DeepEqual(impl.Gateway, before) {
		t.Errorf("toKong changed its argument:\n got %+v\nwant %+v", impl.Gateway, before)
	}
	b, err := json.Marshal(svc)
	if err != nil {
		t.Fatal(err)
	}
	var wire map[string]any
	_ = json.Unmarshal(b, &wire)
	if wire["enabled"] != false || wire["created_at"] != float64(1700000000) {
		t.Errorf("enabled=false or created_at not sent: %s", b)
	}
	if cc, _ := wire["client_certificate"].(map[string]any); cc["id"] != *impl.Gateway.ClientCertificate.ID {
		t.Errorf("client_certificate = %v", wire["client_certificate"])
	}
	if !reflect.DeepEqual(wire["tags"], []any{"servicehub:service=payments", "servicehub:version=v1", "team:core"}) {
		t.Errorf("tags = %v, want ours first, then the user's", wire["tags"])
	}
	back := fromKong(svc)
	if !reflect.DeepEqual(back, impl) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back, impl)
	}
	// fromKong copies too: the implementation read back shares nothing
	// with the Gateway Service it was read from.
	*svc.Name = "changed"
	if back.Name() != "payments-v1" {
		t.Errorf("fromKong aliases the Gateway Service: name %q", back.Name())
	}
}

func TestToKongLeavesUnsetFieldsOut(t *testing.T) {
	svc := toKong(Implementation{Service: "s", Version: "v", Gateway: kong.Service{
		Name: kong.String("n"), Protocol: kong.String("http"), Host: kong.String("h"), Port: kong.Int(80), Enabled: kong.Bool(true),
	}})
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

// The user's tags cannot forge ours: a reserved tag among them is not sent.
func TestToKongDropsReservedUserTags(t *testing.T) {
	svc := toKong(Implementation{Service: "s", Version: "v", Gateway: kong.Service{
		Tags: kong.StringSlice("servicehub:version=v9", "team:core"),
	}})
	if got := strs(svc.Tags); !reflect.DeepEqual(got, []string{"servicehub:service=s", "servicehub:version=v", "team:core"}) {
		t.Errorf("tags = %q", got)
	}
}

func TestFromKongDefaults(t *testing.T) {
	var svc kong.Service
	_ = json.Unmarshal([]byte(`{"id":"x","name":null,"host":"h","port":80,"protocol":"http","path":null,"tags":null,"enabled":true,"ca_certificates":null,"tls_verify":null}`), &svc)
	impl := fromKong(&svc)
	g := impl.Gateway
	if g.Tags != nil || g.CACertificates != nil || g.Path != nil || g.TLSVerify != nil || !impl.Enabled() ||
		impl.Service != "" || impl.Version != "" || impl.ID() != "x" || impl.Name() != "" {
		t.Errorf("fromKong = %+v", impl)
	}
}

func TestImplementationAccessors(t *testing.T) {
	var zero Implementation
	if zero.ID() != "" || zero.Name() != "" || !zero.Enabled() {
		t.Errorf("zero implementation: id %q, name %q, enabled %v", zero.ID(), zero.Name(), zero.Enabled())
	}
	off := Implementation{Gateway: kong.Service{ID: kong.String("i"), Name: kong.String("n"), Enabled: kong.Bool(false)}}
	if off.ID() != "i" || off.Name() != "n" || off.Enabled() {
		t.Errorf("disabled implementation: id %q, name %q, enabled %v", off.ID(), off.Name(), off.Enabled())
	}
}

// UpstreamURL renders the Gateway Service's protocol, host, port and path
// (kongschema's URLParts.String, tested there); these cases pin that each
// part is taken from the Gateway Service.
func TestUpstreamURL(t *testing.T) {
	for _, c := range []struct {
		gw   kong.Service
		want string
	}{
		{kong.Service{Protocol: kong.String("http"), Host: kong.String("service.test"), Port: kong.Int(80), Path: kong.String("/api")}, "http://service.test/api"},
		{kong.Service{Protocol: kong.String("https"), Host: kong.String("service.test"), Port: kong.Int(443)}, "https://service.test"},
		{kong.Service{Protocol: kong.String("http"), Host: kong.String("edited2.test"), Port: kong.Int(1234), Path: kong.String("/foo")}, "http://edited2.test:1234/foo"},
		{kong.Service{Protocol: kong.String("tcp"), Host: kong.String("10.0.0.1"), Port: kong.Int(5432)}, "tcp://10.0.0.1:5432"},
	} {
		if got := (Implementation{Gateway: c.gw}).UpstreamURL(); got != c.want {
			t.Errorf("UpstreamURL(%s://%s:%d) = %q, want %q", *c.gw.Protocol, *c.gw.Host, *c.gw.Port, got, c.want)
		}
	}
}
