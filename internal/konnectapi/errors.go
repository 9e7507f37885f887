package konnectapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Error is an answer of 400 or more from a Konnect API, with its
// application/problem+json body (CAT BaseError, BadRequestError) decoded.
// It wraps kongapi's failure, so kongapi's *AuthError, *RetryError and
// *UnconfirmedError are still found with errors.As.
type Error struct {
	Status   int
	Title    string
	Detail   string
	Instance string
	// InvalidParameters are a 400's reasons, each naming a request field.
	InvalidParameters []InvalidParameter
	Err               error
}

// InvalidParameter is one entry of a 400's invalid_parameters.
type InvalidParameter struct {
	Field  string `json:"field"`
	Rule   string `json:"rule,omitempty"`
	Source string `json:"source,omitempty"`
	Reason string `json:"reason"`
}

func (e *Error) Error() string {
	msg := e.Err.Error()
	var reasons []string
	for _, p := range e.InvalidParameters {
		reasons = append(reasons, fmt.Sprintf("%s: %s", p.Field, p.Reason))
	}
	if len(reasons) > 0 {
		msg += " (" + strings.Join(reasons, "; ") + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Summary is the answer alone, without the retries and settling around
// it: "HTTP 429: Rate limit exceeded: 10 requests per minute".
func (e *Error) Summary() string {
	what := e.Detail
	if what == "" || what == e.Title {
		what = e.Title
	} else if e.Title != "" {
		what = e.Title + ": " + e.Detail
	}
	if what == "" {
		what = http.StatusText(e.Status)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, what)
}

// Parameter returns the invalid parameter naming field with rule (any
// rule when rule is empty).
func (e *Error) Parameter(field, rule string) (InvalidParameter, bool) {
	for _, p := range e.InvalidParameters {
		if p.Field == field && (rule == "" || p.Rule == rule) {
			return p, true
		}
	}
	return InvalidParameter{}, false
}

// wrap turns kongapi's failure into an *Error when the server answered.
func wrap(err error) error {
	var kerr *kongapi.Error
	if !errors.As(err, &kerr) {
		return err
	}
	e := &Error{Status: kerr.StatusCode, Err: err}
	var body struct {
		Status            int                `json:"status"`
		Title             string             `json:"title"`
		Detail            string             `json:"detail"`
		Instance          string             `json:"instance"`
		InvalidParameters []InvalidParameter `json:"invalid_parameters"`
	}
	// Not problem+json (a proxy's HTML page, say): the status alone.
	if json.Unmarshal(kerr.Body(), &body) == nil {
		e.Title, e.Detail, e.Instance, e.InvalidParameters = body.Title, body.Detail, body.Instance, body.InvalidParameters
	}
	return e
}

// StatusOf is the HTTP status of a Konnect answer in err's chain; 0 when
// the server did not answer.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// IsNotFound reports whether err is a 404 from a Konnect API.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// IsConflict reports whether err is a 409 from a Konnect API.
func IsConflict(err error) bool { return StatusOf(err) == http.StatusConflict }

// IsUnconfirmed reports whether err is a write whose outcome is unknown:
// the server may or may not have applied it.
func IsUnconfirmed(err error) bool {
	var ue *kongapi.UnconfirmedError
	return errors.As(err, &ue)
}
