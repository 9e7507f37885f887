package server

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/servicehub/terraform-provider-servicehub/internal/provider"
)

// The passthrough must answer exactly as the framework does: compared on
// stored states of both resources (an attribute the schema no longer has
// included), and left to the framework for anything else.
func TestUpgradePassthroughMatchesTheFramework(t *testing.T) {
	ctx := context.Background()
	fw := providerserver.NewProtocol6(provider.New("test")())()
	s, ok := detachServer(fw).(detachedServer)
	if !ok {
		t.Fatal("not wrapped")
	}
	states := map[string]string{
		"servicehub_implementation": `{"id":"6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a","service":"payments","version":"v1","name":"payments-v1",
			"url":"https://pay.internal:8443/api","protocol":"https","host":"pay.internal","port":8443,"path":"/api","retries":5,
			"connect_timeout":60000,"write_timeout":60000,"read_timeout":60000,"client_certificate_id":null,
			"ca_certificates":["22222222-2222-4222-8222-222222222222"],"tls_verify":true,"tls_verify_depth":null,
			"tls_sans":{"dnsnames":["a.internal"],"uris":null},"enabled":true,"tags":["b","a"],"created_at":100,"updated_at":200,
			"an_attribute_since_removed":"x"}`,
		"servicehub_route": `{"id":"7b1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a","implementation_id":"6a1f2c9e-3d9b-4d4e-8a6f-0f1e2d3c4b5a",
			"name":"orders","methods":["GET"],"paths":["/orders","~/orders/\\d+$"],"hosts":null,"headers":{"x-v":["1","2"],"x-e":[]},
			"protocols":["tcp","tls"],"strip_path":false,"preserve_host":false,"regex_priority":0,"path_handling":"v0",
			"https_redirect_status_code":426,"request_buffering":true,"response_buffering":true,"snis":["a.example.com"],
			"sources":[{"ip":"10.0.0.0/8","port":null},{"ip":null,"port":80}],"destinations":[],"tags":null,"created_at":1,"updated_at":2}`,
	}
	for typ, js := range states {
		req := &tfprotov6.UpgradeResourceStateRequest{TypeName: typ, Version: 0, RawState: &tfprotov6.RawState{JSON: []byte(js)}}
		got, ok := s.passthrough(ctx, req)
		if !ok {
			t.Fatalf("%s: no passthrough", typ)
		}
		want, err := fw.UpgradeResourceState(ctx, req)
		if err != nil || len(want.Diagnostics) > 0 {
			t.Fatalf("%s: the framework: %v %v", typ, err, want.Diagnostics)
		}
		// Compared as values: msgpack writes a map's keys in Go's map
		// order, so equal states need not be equal bytes.
		st := s.schemas.get(ctx, fw)[typ].typ
		same := func(a, b *tfprotov6.DynamicValue) bool {
			av, aerr := a.Unmarshal(st)
			bv, berr := b.Unmarshal(st)
			return aerr == nil && berr == nil && av.Equal(bv) && a.JSON == nil && b.JSON == nil
		}
		if !same(got.UpgradedState, want.UpgradedState) {
			t.Errorf("%s: passthrough differs from the framework's", typ)
		}
		wrapped, err := s.UpgradeResourceState(ctx, req)
		if err != nil || !same(wrapped.UpgradedState, want.UpgradedState) {
			t.Errorf("%s: the wrapped server's answer differs: %v", typ, err)
		}
	}
	for what, req := range map[string]*tfprotov6.UpgradeResourceStateRequest{
		"other version": {TypeName: "servicehub_route", Version: 1, RawState: &tfprotov6.RawState{JSON: []byte(states["servicehub_route"])}},
		"unknown type":  {TypeName: "servicehub_nothing", RawState: &tfprotov6.RawState{JSON: []byte(`{}`)}},
		"bad state":     {TypeName: "servicehub_route", RawState: &tfprotov6.RawState{JSON: []byte(`{"name":[1]}`)}},
		"flatmap":       {TypeName: "servicehub_route", RawState: &tfprotov6.RawState{Flatmap: map[string]string{"id": "x"}}},
		"no state":      {TypeName: "servicehub_route"},
		"data source":   {TypeName: "servicehub_version_status", RawState: &tfprotov6.RawState{JSON: []byte(`{}`)}},
	} {
		if _, ok := s.passthrough(ctx, req); ok {
			t.Errorf("%s: passed through; the framework must answer", what)
		}
	}
	// And those the framework answers with its diagnostics, as before.
	resp, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "servicehub_route", RawState: &tfprotov6.RawState{JSON: []byte(`{"name":[1]}`)},
	})
	if err != nil || len(resp.Diagnostics) == 0 {
		t.Errorf("a state that does not decode: %v, %v; want the framework's error", resp, err)
	}
}
