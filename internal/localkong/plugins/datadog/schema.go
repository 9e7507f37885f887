package datadog

import (
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// schema is kong/plugins/datadog/schema.lua. Until 3.6 the config record
// has a custom_entity_check that only warns about retry_count, queue_size
// and flush_timeout; 3.7.0 marks them deprecated instead.
func schema(g pdk.Gateway) *pdk.Schema {
	metric := func(name, statType string, sampled bool) map[string]any {
		m := map[string]any{"name": name, "stat_type": statType, "tags": []any{"app:kong"}, "consumer_identifier": "custom_id"}
		if sampled {
			m["sample_rate"] = float64(1)
		}
		return m
	}
	defaults := []any{
		metric("request_count", "counter", true),
		metric("latency", "timer", false),
		metric("request_size", "timer", false),
		metric("response_size", "timer", false),
		metric("upstream_latency", "timer", false),
		metric("kong_latency", "timer", false),
	}
	element := &kongschema.Field{Type: "record", Required: true, Fields: []kongschema.NamedField{
		pdk.F("name", &kongschema.Field{Type: "string", Required: true, OneOf: kongschema.Values(
			"kong_latency", "latency", "request_count", "request_size", "response_size", "upstream_latency")}),
		pdk.F("stat_type", &kongschema.Field{Type: "string", Required: true, OneOf: kongschema.Values(
			"counter", "gauge", "histogram", "meter", "set", "timer", "distribution")}),
		pdk.F("tags", pdk.Strings(&kongschema.Field{Type: "string", Match: kongschema.LuaPattern("^.*[^:]$", "")})),
		pdk.F("sample_rate", &kongschema.Field{Type: "number", Between: &[2]float64{0, 1}}),
		pdk.F("consumer_identifier", &kongschema.Field{Type: "string", OneOf: kongschema.Values("consumer_id", "custom_id", "username")}),
	}, Checks: []kongschema.Check{
		kongschema.Conditional("stat_type", &kongschema.Field{OneOf: kongschema.Values("counter", "gauge")},
			"sample_rate", &kongschema.Field{Required: true}),
	}}
	host := kongschema.TypedefHost().WithDefault("localhost")
	host.Referenceable = true
	config := pdk.Record(
		pdk.F("host", host),
		pdk.F("port", kongschema.TypedefPort().WithDefault(8125)),
		pdk.F("prefix", &kongschema.Field{Type: "string", Default: "kong", HasDefault: true}),
		pdk.F("service_name_tag", &kongschema.Field{Type: "string", Default: "name", HasDefault: true}),
		pdk.F("status_tag", &kongschema.Field{Type: "string", Default: "status", HasDefault: true}),
		pdk.F("consumer_tag", &kongschema.Field{Type: "string", Default: "consumer", HasDefault: true}),
		pdk.F("retry_count", &kongschema.Field{Type: "integer"}),
		pdk.F("queue_size", &kongschema.Field{Type: "integer"}),
		pdk.F("flush_timeout", &kongschema.Field{Type: "number"}),
		pdk.F("queue", pdk.Queue(g)),
		pdk.F("metrics", &kongschema.Field{Type: "array", Required: true, Default: defaults, HasDefault: true, Elements: element}),
	)
	if !g.Since(3, 7) {
		config.Checks = []kongschema.Check{kongschema.CustomEntityCheck("retry_count", "queue_size", "flush_timeout")}
	}
	return pdk.NewSchema("datadog", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocols()),
		pdk.F("config", config),
	})
}
