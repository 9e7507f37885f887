package kongapi

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"
)

func TestDecodeError(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		wantCode   int
		wantName   string
		wantMsg    string
		wantFields []string
		wantRetry  time.Duration
	}{
		{
			name:     "unique violation",
			status:   409,
			body:     `{"code":5,"name":"unique constraint violation","message":"UNIQUE violation detected on '{name=\"foo\"}'","fields":{"name":"foo"}}`,
			wantCode: 5, wantName: "unique constraint violation",
			wantMsg:    `UNIQUE violation detected on '{name="foo"}'`,
			wantFields: []string{"name: foo"},
		},
		{
			name:     "schema violation with entity, nested and per-element errors",
			status:   400,
			body:     `{"code":2,"name":"schema violation","message":"…","fields":{"@entity":["failed conditional validation given value of field 'protocol'"],"tls_verify":"value must be null","tags":[null,"invalid tag"],"client_certificate":{"id":"expected a valid UUID"}}}`,
			wantCode: 2, wantName: "schema violation", wantMsg: "…",
			wantFields: []string{
				"failed conditional validation given value of field 'protocol'",
				"client_certificate.id: expected a valid UUID",
				"tags.1: invalid tag",
				"tls_verify: value must be null",
			},
		},
		{
			name:    "plain not found",
			status:  404,
			body:    `{"message":"Not found"}`,
			wantMsg: "Not found",
		},
		{
			name:    "non-JSON body is kept as text",
			status:  400,
			body:    "Multiple Content-Type headers not allowed\n",
			wantMsg: "Multiple Content-Type headers not allowed",
		},
		{
			name:    "empty body",
			status:  415,
			wantMsg: "",
		},
		{
			name:    "konnect problem+json",
			status:  429,
			header:  http.Header{"Retry-After": {"7"}},
			body:    `{"status":429,"title":"Too Many Requests","detail":"API rate limit exceeded"}`,
			wantMsg: "Too Many Requests: API rate limit exceeded", wantRetry: 7 * time.Second,
		},
		{
			name:    "konnect legacy message object",
			status:  400,
			body:    `{"message":{"error":"bad"},"details":[{"type":"ERROR_TYPE_FIELD","field":"config.key"}]}`,
			wantMsg: `{"error":"bad"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPut, "http://kong/services/abc", nil)
			resp := &http.Response{StatusCode: tt.status, Header: tt.header, Request: req}
			if resp.Header == nil {
				resp.Header = http.Header{}
			}
			e := decodeError(resp, []byte(tt.body))
			if e.StatusCode != tt.status || e.Code != tt.wantCode || e.Name != tt.wantName || e.Message != tt.wantMsg {
				t.Errorf("got status=%d code=%d name=%q message=%q", e.StatusCode, e.Code, e.Name, e.Message)
			}
			if e.RetryAfter != tt.wantRetry {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tt.wantRetry)
			}
			var got []string
			for _, f := range e.FieldErrors() {
				got = append(got, f.String())
			}
			if !reflect.DeepEqual(got, tt.wantFields) {
				t.Errorf("FieldErrors = %q, want %q", got, tt.wantFields)
			}
			if e.Method != "PUT" || e.Path != "/services/abc" {
				t.Errorf("request = %s %s", e.Method, e.Path)
			}
			var apiErr *kong.APIError
			if !errors.As(e, &apiErr) || apiErr.Code() != tt.status {
				t.Errorf("does not unwrap to go-kong APIError with code %d", tt.status)
			}
			if got := kong.IsNotFoundErr(e); got != (tt.status == 404) {
				t.Errorf("kong.IsNotFoundErr = %v", got)
			}
		})
	}
}

func TestErrorPredicates(t *testing.T) {
	unique := &Error{StatusCode: 409, Code: 5}
	if !IsUniqueViolation(unique) || IsNotFound(unique) {
		t.Error("409 code 5 misclassified")
	}
	wrapped := errors.Join(errors.New("context"), &Error{StatusCode: 401})
	if !IsUnauthorized(wrapped) {
		t.Error("wrapped 401 not recognised")
	}
	if IsNotFound(errors.New("plain")) || IsUniqueViolation(&Error{StatusCode: 400, Code: 2}) {
		t.Error("false positive")
	}
	if !IsNotFound(kong.NewAPIError(404, "Not found")) {
		t.Error("go-kong 404 not recognised")
	}
}

// A name taken, as each Admin API says it, is a unique violation; an id
// taken is not (IsPrimaryKeyViolation). The bodies are decoded as Kong's
// responses are.
func TestIsUniqueViolation(t *testing.T) {
	konnect := func(field string) string {
		return `{"code":3,"message":"data constraint error","details":[{"@type":"type.googleapis.com/kong.admin.model.v1.ErrorDetail",` +
			`"type":"ERROR_TYPE_REFERENCE","field":"` + field + `","messages":["` + field + ` (type: unique) constraint failed for value 'x': "]}]}`
	}
	for _, tc := range []struct {
		what   string
		status int
		body   string
		want   bool
	}{
		{"Kong: name taken", 409, `{"code":5,"name":"unique constraint violation","message":"UNIQUE violation detected on '{name=\"x\"}'","fields":{"name":"x"}}`, true},
		{"Konnect's document: 409 (KonnectCPLegacyConflictExample)", 409, `{"message":"Conflict"}`, true},
		{"Konnect: name taken (data constraint error on name)", 400, konnect("name"), true},
		{"Konnect: id taken", 400, konnect("id"), false},
		{"Kong: id taken", 400, `{"code":3,"name":"primary key violation","message":"primary key violation on key '{id=\"x\"}'","fields":{"id":"x"}}`, false},
		{"Kong: schema violation", 400, `{"code":2,"name":"schema violation","message":"schema violation (host: required field missing)","fields":{"host":"required field missing"}}`, false},
		{"Konnect: validation failed", 400, `{"message":"validation failed","details":[{"type":"ERROR_TYPE_FIELD","field":"name","messages":["must not be empty"]}]}`, false},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}, Request: &http.Request{Method: "PUT", URL: &url.URL{Path: "/services/x"}}}
		err := decodeError(resp, []byte(tc.body))
		if got := IsUniqueViolation(err); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.what, got, tc.want)
		}
		if tc.want && IsPrimaryKeyViolation(err) {
			t.Errorf("%s: also a primary key violation", tc.what)
		}
	}
}

// FuzzDecodeError: any body, any status, never a panic, always the status.
func FuzzDecodeError(f *testing.F) {
	f.Add(409, `{"code":5,"name":"unique constraint violation","message":"m","fields":{"name":"x"}}`)
	f.Add(400, `{"fields":{"@entity":["a"],"tags":[null,{"x":[1,true]}]}}`)
	f.Add(429, `{"message":{"nested":[1,2]},"details":null}`)
	f.Add(500, "\x00\xff not json")
	f.Fuzz(func(t *testing.T, status int, body string) {
		req := httptest.NewRequest(http.MethodGet, "http://kong/services", nil)
		resp := &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {"1"}}, Request: req}
		e := decodeError(resp, []byte(body))
		if e.StatusCode != status {
			t.Fatalf("status %d became %d", status, e.StatusCode)
		}
		_ = e.Error()
		for _, fe := range e.FieldErrors() {
			_ = fe.String()
		}
	})
}
