package prometheus

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/prometheus/schema.lua; ai_metrics came with
// 3.8.0, wasm_metrics with 3.10.0. Its switches are optional booleans.
func schema(g pdk.Gateway) *pdk.Schema {
	flag := func() *kongschema.Field {
		return &kongschema.Field{Type: "boolean", Default: false, HasDefault: true}
	}
	config := []kongschema.NamedField{
		pdk.F("per_consumer", flag()),
		pdk.F("status_code_metrics", flag()),
	}
	if g.Since(3, 8) {
		config = append(config, pdk.F("ai_metrics", flag()))
	}
	config = append(config,
		pdk.F("latency_metrics", flag()),
		pdk.F("bandwidth_metrics", flag()),
		pdk.F("upstream_health_metrics", flag()),
	)
	if g.Since(3, 10) {
		config = append(config, pdk.F("wasm_metrics", flag()))
	}
	return pdk.NewSchema("prometheus", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocols()),
		pdk.Config(config...),
	})
}
