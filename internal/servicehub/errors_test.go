package servicehub

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

func TestClassify(t *testing.T) {
	unauthorized := &kongapi.Error{StatusCode: 401, Method: "GET", Path: "/services", Message: "Unauthorized"}
	forbidden := &kongapi.Error{StatusCode: 403, Method: "PUT", Path: "/routes/x", Message: "You cannot consume this service"}
	missingService := &kongapi.Error{StatusCode: 400, Code: kongapi.CodeForeignKey, Name: "foreign key violation",
		Message: `the foreign key '{id="8a3e9f4b-0000-4000-8000-000000000001"}' does not reference an existing 'services' entity.`,
		Fields:  map[string]any{"service": map[string]any{"id": "8a3e9f4b-0000-4000-8000-000000000001"}}}
	missingCert := &kongapi.Error{StatusCode: 400, Code: kongapi.CodeForeignKey, Name: "foreign key violation",
		Message: `the foreign key '{id="8a3e9f4b-0000-4000-8000-000000000002"}' does not reference an existing 'certificates' entity.`,
		Fields:  map[string]any{"client_certificate": map[string]any{"id": "8a3e9f4b-0000-4000-8000-000000000002"}}}
	schema := &kongapi.Error{StatusCode: 400, Code: kongapi.CodeSchemaViolation, Name: "schema violation",
		Message: "3 schema violations (...)",
		Fields: map[string]any{
			"@entity":   []any{"must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"},
			"protocols": []any{nil, "expected one of: grpc, grpcs, http, https"},
			"headers":   map[string]any{"x-b": "invalid value", "x-a": "invalid value"},
		}}
	referenced := &kongapi.Error{StatusCode: 400, Code: kongapi.CodeForeignKey, Name: "foreign key violation",
		Message: "an existing 'routes' entity references this 'services' entity",
		Fields:  map[string]any{"@referenced_by": "routes"}}
	conflict := &kongapi.Error{StatusCode: 409, Code: kongapi.CodeUniqueViolation, Name: "unique constraint violation",
		Message: `UNIQUE violation detected on '{name="payments-v1"}'`, Fields: map[string]any{"name": "payments-v1"}}
	notFound := &kongapi.Error{StatusCode: 404, Message: "Not found"}
	serverError := &kongapi.Error{StatusCode: 500, Message: "An unexpected error occurred"}
	plain := errors.New("dial tcp 127.0.0.1:8001: connect: connection refused")

	cases := []struct {
		name string
		in   error
		want error // in itself: passed through untouched
	}{
		{"401 of a Konnect token", &kongapi.AuthError{Konnect: true, TokenSent: true, Err: unauthorized},
			&AccessError{Status: 401, Konnect: true, TokenSent: true}},
		{"401 of an admin token", &kongapi.AuthError{TokenSent: true, Err: unauthorized},
			&AccessError{Status: 401, TokenSent: true}},
		{"401 with no credentials sent", &kongapi.AuthError{Err: unauthorized}, &AccessError{Status: 401}},
		{"401 without an AuthError", unauthorized, &AccessError{Status: 401}},
		{"403", forbidden, &AccessError{Status: 403}},
		{"403, wrapped", fmt.Errorf("listing routes: %w", forbidden), &AccessError{Status: 403}},
		{"missing service", missingService, &MissingReferenceError{Field: "service", Message: missingService.Message}},
		{"missing client certificate", missingCert, &MissingReferenceError{Field: "client_certificate", Message: missingCert.Message}},
		{"schema violation", schema, &RejectedError{Fields: []kongschema.FieldError{
			{Message: "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"},
			{Path: []any{"headers", "x-a"}, Message: "invalid value"},
			{Path: []any{"headers", "x-b"}, Message: "invalid value"},
			{Path: []any{"protocols", 1}, Message: "expected one of: grpc, grpcs, http, https"},
		}}},
		{"referenced by routes", referenced, &RejectedError{ReferencedBy: "routes"}},
		{"name taken", &NameTakenError{Name: "payments-v1", ID: "x", Err: conflict}, nil},
		{"route name taken", &RouteNameTakenError{Name: "pay", Err: conflict}, nil},
		{"version taken", &VersionTakenError{Service: "payments", Version: "v1"}, nil},
		{"routes remain", &RoutesRemainError{ImplementationID: "x", Routes: []*kong.Route{{ID: kong.String("r")}}}, nil},
		{"not found", notFound, nil},
		{"server error", serverError, nil},
		{"plain", plain, nil},
		{"cancelled", context.Canceled, nil},
		{"nil", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := classify(c.in)
			if c.want == nil {
				if got != c.in { //nolint:errorlint // the very same error, not a wrapper
					t.Errorf("classify(%#v) = %#v, want it untouched", c.in, got)
				}
				return
			}
			// Every classified error wraps the one classified, whole.
			want := reflect.ValueOf(c.want).Elem()
			want.FieldByName("Err").Set(reflect.ValueOf(&c.in).Elem())
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("classify(%v)\n got %#v\nwant %#v", c.in, got, c.want)
			}
			if got.Error() != c.in.Error() || errors.Unwrap(got) != c.in { //nolint:errorlint // the very same error
				t.Errorf("%T does not say and wrap the error it classifies: %q", got, got)
			}
		})
	}
}

func TestAccessErrorUnauthorized(t *testing.T) {
	for status, want := range map[int]bool{401: true, 403: false} {
		if got := (&AccessError{Status: status}).Unauthorized(); got != want {
			t.Errorf("Unauthorized() for %d = %v", status, got)
		}
	}
	// What kongapi said about the credentials stays reachable.
	err := classify(&kongapi.AuthError{Konnect: true, TokenSent: true, Err: &kongapi.Error{StatusCode: 401}})
	var auth *kongapi.AuthError
	if !errors.As(err, &auth) || !kongapi.IsUnauthorized(err) {
		t.Errorf("AccessError hides kongapi's errors: %#v", err)
	}
}

// The unconfirmed create of the settle tests: a PUT whose response was lost.
const lostID = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b"

func lostWrite() error {
	return &kongapi.UnconfirmedError{Method: "PUT", Path: "/services/" + lostID, Err: errors.New("PUT /services/" + lostID + ": EOF")}
}

func TestSettle(t *testing.T) {
	ctx := context.Background()
	var asked string
	found := func(_ context.Context, id string) (string, error) { asked = id; return "entity " + id, nil }
	missing := func(context.Context, string) (string, error) {
		return "", &kongapi.Error{StatusCode: 404, Message: "Not found"}
	}
	failing := func(context.Context, string) (string, error) { return "", errors.New("connection refused") }

	got, err := settle(ctx, lostWrite(), "Gateway Service", found)
	if err != nil || got != "entity "+lostID || asked != lostID {
		t.Errorf("landed: %q, %v (asked for %q)", got, err, asked)
	}

	_, err = settle(ctx, lostWrite(), "Gateway Service", missing)
	var u *UnsettledError
	var ue *kongapi.UnconfirmedError
	if err == nil || errors.As(err, &u) || !strings.Contains(err.Error(), "Kong has no Gateway Service with id "+lostID+", so nothing was created") {
		t.Errorf("missing: %v", err)
	}
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "PUT /services/"+lostID+": EOF\n\n") {
		t.Errorf("missing: the create's own error is not kept first: %v", err)
	}

	_, err = settle(ctx, lostWrite(), "Route", failing)
	if !errors.As(err, &u) || u.ID != lostID || u.Noun != "Route" ||
		!strings.Contains(err.Error(), "Whether Kong created the Route (id "+lostID+") could not be checked (connection refused)") {
		t.Errorf("unknown: %v", err)
	}
	if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), "PUT /services/"+lostID+": EOF\n\n") ||
		!strings.HasSuffix(err.Error(), "it deletes the Route if it exists and creates it again, leaving no duplicate behind") {
		t.Errorf("unknown: %v", err)
	}

	retried := func(context.Context, string) (string, error) {
		return "", &kongapi.RetryError{Attempts: 3, MaxRetries: 2, Err: errors.New("GET /services/x: EOF")}
	}
	_, err = settle(ctx, lostWrite(), "Route", retried)
	if !strings.Contains(err.Error(), "could not be checked (GET /services/x: EOF, after 3 attempts)") {
		t.Errorf("unknown after retries: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	asked = ""
	_, err = settle(cancelled, lostWrite(), "Route", found)
	if !errors.As(err, &u) || asked != "" || !errors.Is(u.Check, context.Canceled) || u.ID != lostID {
		t.Errorf("interrupted: %v (asked %q)", err, asked)
	}

	// A clear refusal is passed through untouched, without asking Kong.
	refused := &kongapi.Error{StatusCode: 400, Message: "schema violation"}
	if _, err := settle(ctx, refused, "Route", found); err != refused || asked != "" { //nolint:errorlint // the very same error, not a wrapper
		t.Errorf("refused: %v", err)
	}
	// ... and one naming fields is classified, still without asking Kong.
	withFields := &kongapi.Error{StatusCode: 400, Code: kongapi.CodeSchemaViolation, Message: "schema violation (name: must not be empty)",
		Fields: map[string]any{"name": "must not be empty"}}
	var rejected *RejectedError
	if _, err := settle(ctx, withFields, "Route", found); !errors.As(err, &rejected) || len(rejected.Fields) != 1 || asked != "" {
		t.Errorf("refused with fields: %#v", err)
	}
}
