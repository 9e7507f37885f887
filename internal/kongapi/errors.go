package kongapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// Kong's DAO error codes (kong/db/errors.lua) that callers branch on.
const (
	CodeSchemaViolation  = 2
	CodePrimaryKey       = 3
	CodeForeignKey       = 4
	CodeUniqueViolation  = 5
	CodeNotFound         = 6
	CodeInvalidOptions   = 11
	CodeForeignUnresolve = 13
)

// Error is a failed Admin API call with Kong's error body decoded. go-kong's
// APIError keeps only the message; Fields is what lets diagnostics name the
// attribute Kong complained about.
type Error struct {
	StatusCode int
	Method     string
	Path       string

	Code    int    // Kong's DAO error code, 0 when the body had none
	Name    string // e.g. "unique constraint violation"
	Message string
	Fields  map[string]any
	// Details holds Konnect's "details" array, when present.
	Details any
	// RetryAfter is the server's Retry-After hint on 429/503, zero when absent.
	RetryAfter time.Duration

	api *kong.APIError
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, msg)
}

// Unwrap exposes a go-kong APIError so kong.IsNotFoundErr and friends keep
// working on errors from this package.
func (e *Error) Unwrap() error { return e.api }

// FieldErrors flattens Fields in Kong's own message order: "@entity" first,
// then fields sorted by name.
func (e *Error) FieldErrors() []kongschema.FieldError {
	return kongschema.FlattenFields(e.Fields)
}

// IsNotFound reports whether err is a 404 from the Admin API.
func IsNotFound(err error) bool { return statusIs(err, http.StatusNotFound) }

// IsUnauthorized reports whether Kong or Konnect rejected the credentials.
func IsUnauthorized(err error) bool { return statusIs(err, http.StatusUnauthorized) }

// IsForbidden reports whether the credentials lack a permission (RBAC).
func IsForbidden(err error) bool { return statusIs(err, http.StatusForbidden) }

// IsUniqueViolation reports whether a write collided with an existing
// entity's unique field other than its id (a name), in any of the shapes
// the Admin APIs answer it with:
//
//   - Kong: 409, code 5 "unique constraint violation", fields {"name": …};
//   - Konnect's document (KonnectCPLegacyConflict): 409 {"message": "Conflict"};
//   - Konnect's control planes (Kong's koko store.ErrConstraint mapped to
//     gRPC InvalidArgument): 400 {"code": 3, "message": "data constraint
//     error", "details": [{"field": "name", "messages": ["name (type:
//     unique) constraint failed …"]}]}. On the id field that is the primary
//     key violation instead (IsPrimaryKeyViolation).
func IsUniqueViolation(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch {
	case e.Code == CodeUniqueViolation, e.StatusCode == http.StatusConflict && e.Code == 0:
		return true
	case e.StatusCode != http.StatusBadRequest || e.Code != CodePrimaryKey || e.Message != "data constraint error":
		return false
	}
	details, _ := e.Details.([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if field, _ := m["field"].(string); field == "" || field == "id" {
			continue
		}
		msgs, _ := m["messages"].([]any)
		for _, msg := range msgs {
			if s, _ := msg.(string); strings.Contains(s, "(type: unique)") {
				return true
			}
		}
	}
	return false
}

func statusIs(err error, status int) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.StatusCode == status
	}
	return kong.IsNotFoundErr(err) && status == http.StatusNotFound
}

// maxMessage bounds how much of a non-JSON error body ends up in a message.
const maxMessage = 512

// decodeError builds an Error from a failed response. It never fails: a body
// that is not Kong's JSON shape becomes the message as text.
func decodeError(resp *http.Response, body []byte) *Error {
	e := &Error{StatusCode: resp.StatusCode}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.Path = resp.Request.URL.EscapedPath()
	}
	var raw struct {
		Code    json.RawMessage `json:"code"`
		Name    string          `json:"name"`
		Message any             `json:"message"`
		Fields  map[string]any  `json:"fields"`
		Details any             `json:"details"`
		Detail  string          `json:"detail"` // Konnect problem+json
		Title   string          `json:"title"`
	}
	if err := json.Unmarshal(body, &raw); err == nil {
		e.Name = raw.Name
		e.Fields = raw.Fields
		e.Details = raw.Details
		if n, err := strconv.Atoi(string(raw.Code)); err == nil {
			e.Code = n
		}
		switch m := raw.Message.(type) {
		case string:
			e.Message = m
		case nil:
		default:
			b, _ := json.Marshal(m)
			e.Message = string(b)
		}
		if e.Message == "" {
			e.Message = strings.TrimSpace(strings.Trim(raw.Title+": "+raw.Detail, ": "))
		}
	} else {
		e.Message = strings.TrimSpace(string(body))
		if len(e.Message) > maxMessage {
			e.Message = e.Message[:maxMessage] + "…"
		}
	}
	if d, ok := retryAfter(resp, time.Now()); ok {
		e.RetryAfter = d
	}
	e.api = kong.NewAPIErrorWithRaw(e.StatusCode, e.Message, body)
	if e.Details != nil {
		e.api.SetDetails(e.Details)
	} else if e.StatusCode == http.StatusTooManyRequests && e.RetryAfter > 0 {
		e.api.SetDetails(kong.ErrTooManyRequestsDetails{RetryAfter: e.RetryAfter})
	}
	return e
}

var errNoID = errors.New("kongapi: a write needs a client-generated id (use NewID)")
