package kongschema

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kong/go-kong/kong"
)

// schemaDoc returns the document as go-kong receives it (decoded JSON).
func schemaDoc(t *testing.T, entity string) kong.Schema {
	t.Helper()
	doc, ok := Schema(entity)
	if !ok {
		t.Fatalf("no schema for %s", entity)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var s kong.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// fieldDoc finds one field's attributes in a schema document.
func fieldDoc(t *testing.T, s kong.Schema, name string) map[string]any {
	t.Helper()
	for _, f := range s["fields"].([]any) {
		if attrs, ok := f.(map[string]any)[name]; ok {
			return attrs.(map[string]any)
		}
	}
	return nil
}

// go-kong TestSchemaService asks for these and expects "fields".
func TestSchemaEntities(t *testing.T) {
	for _, e := range []string{"services", "routes", "targets", "upstreams", "plugins",
		"ca_certificates", "certificates", "consumers", "snis", "tags"} {
		s := schemaDoc(t, e)
		if fields, ok := s["fields"].([]any); !ok || len(fields) == 0 {
			t.Errorf("%s: no fields", e)
		}
		if _, ok := s["entity_checks"].([]any); !ok {
			t.Errorf("%s: no entity_checks array", e)
		}
	}
	if _, ok := Schema("nope"); ok {
		t.Error("unknown entity has a schema")
	}
}

func TestSchemaServiceDefaults(t *testing.T) {
	s := schemaDoc(t, "services")
	svc := &kong.Service{Host: kong.String("example.com"), Port: kong.Int(8080)}
	if err := kong.FillEntityDefaults(svc, s); err != nil {
		t.Fatal(err)
	}
	want := &kong.Service{
		Host: kong.String("example.com"), Port: kong.Int(8080), Retries: kong.Int(5),
		Protocol: kong.String("http"), ConnectTimeout: kong.Int(60000), WriteTimeout: kong.Int(60000),
		ReadTimeout: kong.Int(60000), Enabled: kong.Bool(true),
	}
	if !reflect.DeepEqual(svc, want) {
		t.Errorf("got %+v\nwant %+v", svc, want)
	}
	depth := fieldDoc(t, s, "tls_verify_depth")
	if d, ok := depth["default"]; !ok || d != nil {
		t.Errorf("tls_verify_depth default: %v (present %v)", d, ok)
	}
	if fieldDoc(t, s, "url") != nil {
		t.Error("shorthand url listed")
	}
	cc := fieldDoc(t, s, "client_certificate")
	if !reflect.DeepEqual(cc, map[string]any{"type": "foreign", "reference": "certificates"}) {
		t.Errorf("client_certificate: %v", cc)
	}
	checks := s["entity_checks"].([]any)
	first := jsonString(checks[0])
	if len(checks) != 5 || first != `{"conditional":{"if_field":"protocol","if_match":{"one_of":["tcp","tls","udp","grpc","grpcs"]},"then_field":"path","then_match":{"eq":null}}}` {
		t.Errorf("entity checks: %d, first %s", len(checks), first)
	}
}

func TestSchemaRouteDefaults(t *testing.T) {
	s := schemaDoc(t, "routes")
	r := &kong.Route{Paths: kong.StringSlice("/")}
	if err := kong.FillEntityDefaults(r, s); err != nil {
		t.Fatal(err)
	}
	want := &kong.Route{
		Paths: kong.StringSlice("/"), Protocols: kong.StringSlice("http", "https"),
		HTTPSRedirectStatusCode: kong.Int(426), StripPath: kong.Bool(true), PreserveHost: kong.Bool(false),
		RequestBuffering: kong.Bool(true), ResponseBuffering: kong.Bool(true), RegexPriority: kong.Int(0),
		PathHandling: kong.String("v0"),
	}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("got %+v\nwant %+v", r, want)
	}
	if fieldDoc(t, s, "expression") != nil || fieldDoc(t, s, "priority") != nil {
		t.Error("expressions-only fields listed")
	}
	protocols := jsonString(fieldDoc(t, s, "protocols"))
	want2 := `{"default":["http","https"],"elements":{"one_of":["grpc","grpcs","http","https","tcp","tls","tls_passthrough","udp"],"type":"string"},"len_min":1,"mutually_exclusive_subsets":[["http","https"],["tcp","tls","udp"],["tls_passthrough"],["grpc","grpcs"]],"required":true,"type":"set"}`
	if protocols != want2 {
		t.Errorf("protocols: %s", protocols)
	}
	if got := jsonString(fieldDoc(t, s, "sources")["elements"].(map[string]any)["entity_checks"]); got != `[{"at_least_one_of":["ip","port"]}]` {
		t.Errorf("sources entity checks: %s", got)
	}
}

func TestSchemaUpstreamTargetDefaults(t *testing.T) {
	u := &kong.Upstream{Name: kong.String("u")}
	if err := kong.FillEntityDefaults(u, schemaDoc(t, "upstreams")); err != nil {
		t.Fatal(err)
	}
	if *u.Algorithm != "round-robin" || *u.Slots != 10000 || *u.HashOn != "none" || *u.HashOnCookiePath != "/" ||
		u.Healthchecks == nil || !reflect.DeepEqual(u.Healthchecks.Active.Healthy.HTTPStatuses, []int{200, 302}) ||
		*u.Healthchecks.Active.Concurrency != 10 || *u.Healthchecks.Passive.Type != "http" ||
		!reflect.DeepEqual(u.Healthchecks.Passive.Unhealthy.HTTPStatuses, []int{429, 500, 503}) {
		t.Errorf("upstream defaults: %s", jsonString(u))
	}
	tg := &kong.Target{}
	if err := kong.FillEntityDefaults(tg, schemaDoc(t, "targets")); err != nil {
		t.Fatal(err)
	}
	if tg.Weight == nil || *tg.Weight != 100 {
		t.Errorf("target weight: %v", tg.Weight)
	}
}

func TestSchemaDocumentsAreFresh(t *testing.T) {
	a, _ := Schema("services")
	a["fields"] = nil
	b, _ := Schema("services")
	if b["fields"] == nil {
		t.Error("schema document shared between calls")
	}
}
