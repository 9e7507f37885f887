package ratelimiting

import (
	"fmt"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// periods are ORDERED_PERIODS, shortest first.
var periods = []string{"second", "minute", "hour", "day", "month", "year"}

// schema is kong/plugins/rate-limiting/schema.lua. Until 3.5 the Redis
// settings are flat (redis_host, …); 3.6.0 moved them into a redis record
// (kong/tools/redis/schema.lua) and kept the flat names as shorthands,
// which 3.6 to 3.8 also write back into what they return
// (translate_backwards) and which 3.8.0 refuses to see disagree with the
// record (replaced_with). A control plane (Konnect) offers no "cluster"
// policy.
func schema(g pdk.Gateway) *pdk.Schema {
	config := make([]kongschema.NamedField, 0, 24)
	for _, p := range periods {
		config = append(config, pdk.F(p, &kongschema.Field{Type: "number", Gt: kongschema.Number(0)}))
	}
	policies := []string{"local", "cluster", "redis"}
	if g.ControlPlane {
		policies = []string{"local", "redis"}
	}
	config = append(config,
		pdk.F("limit_by", &kongschema.Field{Type: "string", Default: "consumer", HasDefault: true,
			OneOf: kongschema.Values("consumer", "credential", "ip", "service", "header", "path")}),
		pdk.F("header_name", kongschema.TypedefHeaderName()),
		pdk.F("path", kongschema.TypedefPath()),
		pdk.F("policy", &kongschema.Field{Type: "string", Default: "local", HasDefault: true,
			LenMin: kongschema.Length(0), OneOf: kongschema.Values(policies...)}),
		pdk.F("fault_tolerant", pdk.Flag(true)),
	)
	redis := g.Since(3, 6)
	if redis {
		config = append(config, pdk.F("redis", redisRecord()))
	} else {
		config = append(config, flatRedis()...)
	}
	config = append(config,
		pdk.F("hide_client_headers", pdk.Flag(false)),
		pdk.F("error_code", &kongschema.Field{Type: "number", Default: float64(429), HasDefault: true, Gt: kongschema.Number(0)}),
		pdk.F("error_message", &kongschema.Field{Type: "string", Default: "API rate limit exceeded", HasDefault: true}),
		pdk.F("sync_rate", &kongschema.Field{Type: "number", Required: true, Default: float64(-1), HasDefault: true}),
	)
	cfg := pdk.Record(config...)
	redisField := func(name string) string { return "config.redis_" + name }
	if redis {
		cfg.Shorthands = shorthands()
		redisField = func(name string) string { return "config.redis." + name }
	}
	isRedis := &kongschema.Field{Eq: "redis"}
	required := &kongschema.Field{Required: true}
	byLimit := []kongschema.Check{
		kongschema.Conditional("config.limit_by", &kongschema.Field{Eq: "header"}, "config.header_name", required),
		kongschema.Conditional("config.limit_by", &kongschema.Field{Eq: "path"}, "config.path", required),
	}
	byRedis := []kongschema.Check{
		kongschema.Conditional("config.policy", isRedis, redisField("host"), required),
		kongschema.Conditional("config.policy", isRedis, redisField("port"), required),
	}
	timeout := kongschema.Conditional("config.policy", isRedis, redisField("timeout"), required)
	checks := []kongschema.Check{kongschema.AtLeastOneOf(prefixed("config.", periods)...)}
	if redis {
		checks = append(append(append(checks, byRedis...), timeout), byLimit...)
	} else {
		checks = append(append(append(checks, byRedis...), byLimit...), timeout)
	}
	s := pdk.NewSchema("rate-limiting", []kongschema.NamedField{
		pdk.F("protocols", kongschema.TypedefProtocolsHTTP()),
		pdk.F("config", cfg),
	}, checks...)
	s.ConfigCheck = periodsOrder
	if redis && !g.Since(3, 9) {
		for _, sh := range cfg.Shorthands {
			s.Backwards = append(s.Backwards, pdk.Backward{Name: sh.Name, Path: sh.ReplacedWith[0]})
		}
	}
	s.StrictShorthands = g.Since(3, 8)
	return s
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// redisRecord is kong/tools/redis/schema.lua's config_schema (3.6.0 on).
func redisRecord() *kongschema.Field {
	r := pdk.Record(
		pdk.F("host", kongschema.TypedefHost()),
		pdk.F("port", kongschema.TypedefPort().WithDefault(6379)),
		pdk.F("timeout", kongschema.TypedefTimeout().WithDefault(2000)),
		pdk.F("username", &kongschema.Field{Type: "string", Referenceable: true}),
		pdk.F("password", &kongschema.Field{Type: "string", Encrypted: true, Referenceable: true, LenMin: kongschema.Length(0)}),
		pdk.F("database", &kongschema.Field{Type: "integer", Default: float64(0), HasDefault: true}),
		pdk.F("ssl", &kongschema.Field{Type: "boolean", Default: false, HasDefault: true}),
		pdk.F("ssl_verify", &kongschema.Field{Type: "boolean", Default: false, HasDefault: true}),
		pdk.F("server_name", kongschema.TypedefSNI()),
	)
	return r
}

// flatRedis are the Redis settings of 3.4 and 3.5.
func flatRedis() []kongschema.NamedField {
	return []kongschema.NamedField{
		pdk.F("redis_host", kongschema.TypedefHost()),
		pdk.F("redis_port", kongschema.TypedefPort().WithDefault(6379)),
		pdk.F("redis_password", &kongschema.Field{Type: "string", LenMin: kongschema.Length(0), Referenceable: true}),
		pdk.F("redis_username", &kongschema.Field{Type: "string", Referenceable: true}),
		pdk.F("redis_ssl", pdk.Flag(false)),
		pdk.F("redis_ssl_verify", pdk.Flag(false)),
		pdk.F("redis_server_name", kongschema.TypedefSNI()),
		pdk.F("redis_timeout", &kongschema.Field{Type: "number", Default: float64(2000), HasDefault: true}),
		pdk.F("redis_database", &kongschema.Field{Type: "integer", Default: float64(0), HasDefault: true}),
	}
}

// shorthands are the flat names 3.6.0 kept, each moved into the record.
func shorthands() []kongschema.Shorthand {
	defs := []struct{ name, typ string }{
		{"host", "string"}, {"port", "integer"}, {"password", "string"}, {"username", "string"},
		{"ssl", "boolean"}, {"ssl_verify", "boolean"}, {"server_name", "string"},
		{"timeout", "integer"}, {"database", "integer"},
	}
	out := make([]kongschema.Shorthand, len(defs))
	for i, d := range defs {
		f := &kongschema.Field{Type: d.typ}
		if d.name == "password" {
			f.LenMin = kongschema.Length(0)
		}
		out[i] = kongschema.Shorthand{Name: "redis_" + d.name, Field: f, ReplacedWith: [][]string{{"redis", d.name}}}
	}
	return out
}

// periodsOrder is validate_periods_order, the config's custom_validator:
// a longer period may not allow fewer requests, and sync_rate goes with
// the redis policy.
func periodsOrder(cfg map[string]any) string {
	for i, lower := range periods {
		v1, ok := cfg[lower].(float64)
		if !ok {
			continue
		}
		for _, upper := range periods[i+1:] {
			if v2, ok := cfg[upper].(float64); ok && v2 < v1 {
				return fmt.Sprintf("The limit for %s(%.1f) cannot be lower than the limit for %s(%.1f)", upper, v2, lower, v1)
			}
		}
	}
	rate, _ := cfg["sync_rate"].(float64)
	policy, _ := cfg["policy"].(string)
	if policy != "redis" && rate != -1 {
		return "sync_rate can only be used with the redis policy"
	}
	if policy == "redis" && rate != -1 && rate < 0.02 {
		return "sync_rate must be greater than 0.02, or -1 to disable"
	}
	return ""
}
