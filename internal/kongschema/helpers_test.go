package kongschema

import (
	"encoding/json"
	"reflect"
	"testing"
)

// obj decodes a JSON object the way the Admin API receives bodies.
func obj(t *testing.T, s string) map[string]any {
	t.Helper()
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

// roundTrip passes v through JSON so values compare in their wire form.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return out
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// errorBody renders a violation as the Admin API sends it.
func errorBody(v *Violation) map[string]any {
	return map[string]any{
		"code":    2,
		"name":    "schema violation",
		"message": v.Message(),
		"fields":  v.FieldsJSON(),
	}
}

// wantBody compares a violation against a full Kong error body.
func wantBody(t *testing.T, v *Violation, body string) {
	t.Helper()
	if v == nil {
		t.Fatalf("expected violation %s, got none", body)
	}
	got := roundTrip(t, errorBody(v))
	if want := decode(t, body); !reflect.DeepEqual(got, want) {
		t.Errorf("error body\n got: %s\nwant: %s", jsonString(got), jsonString(want))
	}
}

// wantMessage checks only the message of a violation.
func wantMessage(t *testing.T, v *Violation, msg string) {
	t.Helper()
	if v == nil {
		t.Fatalf("expected violation %q, got none", msg)
	}
	if got := v.Message(); got != msg {
		t.Errorf("message\n got: %s\nwant: %s", got, msg)
	}
}

// wantFields checks the "fields" object of a violation.
func wantFields(t *testing.T, v *Violation, fields string) {
	t.Helper()
	if v == nil {
		t.Fatalf("expected violation %s, got none", fields)
	}
	got := roundTrip(t, v.FieldsJSON())
	if want := decode(t, fields); !reflect.DeepEqual(got, want) {
		t.Errorf("fields\n got: %s\nwant: %s", jsonString(got), jsonString(want))
	}
}

// wantEntity compares selected keys of a processed entity.
func wantEntity(t *testing.T, out map[string]any, v *Violation, want string) {
	t.Helper()
	if v != nil {
		t.Fatalf("unexpected violation: %s", v.Message())
	}
	got := roundTrip(t, out).(map[string]any)
	for k, w := range decode(t, want).(map[string]any) {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s: got %s, want %s", k, jsonString(got[k]), jsonString(w))
		}
	}
}

func wantNoViolation(t *testing.T, v *Violation) {
	t.Helper()
	if v != nil {
		t.Fatalf("unexpected violation: %s", v.Message())
	}
}
