package servicehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/kongschema"
)

// What can go wrong, in the domain's words. Every error a method of this
// package returns is one of the types below, wraps one, or is a plain
// failure (network, context) whose message says all there is to say; the
// provider turns each type into one kind of diagnostic.

// IsNotFound reports whether err means the entity does not exist.
func IsNotFound(err error) bool { return kongapi.IsNotFound(err) }

// IsUnreachable reports whether nothing answered at the address.
func IsUnreachable(err error) bool { return kongapi.IsUnreachable(err) }

// AccessError is Kong or Konnect refusing the credentials (401) or their
// permissions (403).
type AccessError struct {
	Status int // http.StatusUnauthorized or http.StatusForbidden
	// Konnect is true when a Konnect token was sent; TokenSent when any
	// credential was. They say which setting to fix after a 401.
	Konnect, TokenSent bool
	Err                error
}

func (e *AccessError) Error() string { return e.Err.Error() }
func (e *AccessError) Unwrap() error { return e.Err }

// Unauthorized is true for a 401: the credentials, not their permissions.
func (e *AccessError) Unauthorized() bool { return e.Status == http.StatusUnauthorized }

// RejectedError is Kong refusing an entity's values: its "fields" errors,
// each naming the Kong field it concerns.
type RejectedError struct {
	Fields []kongschema.FieldError
	// ReferencedBy names the entities that still refer to one being
	// deleted (Kong's "@referenced_by"), e.g. "routes".
	ReferencedBy string
	Err          error
}

func (e *RejectedError) Error() string { return e.Err.Error() }
func (e *RejectedError) Unwrap() error { return e.Err }

// MissingReferenceError is a write naming an entity that does not exist in
// the runtime group, through the Kong field Field ("service",
// "client_certificate"). Message is Kong's, which names the id.
type MissingReferenceError struct {
	Field, Message string
	Err            error
}

func (e *MissingReferenceError) Error() string { return e.Err.Error() }
func (e *MissingReferenceError) Unwrap() error { return e.Err }

// classify turns the wire's errors into the domain's.
func classify(err error) error {
	switch err.(type) { //nolint:errorlint // only the top level: these wrap Kong's error on purpose
	case *NameTakenError, *RouteNameTakenError, *VersionTakenError, *RoutesRemainError, *NotOwnedError, *UnknownOwnerError:
		return err // already the domain's
	}
	var kerr *kongapi.Error
	if !errors.As(err, &kerr) {
		return err
	}
	switch {
	case kerr.StatusCode == http.StatusUnauthorized || kerr.StatusCode == http.StatusForbidden:
		ae := &AccessError{Status: kerr.StatusCode, Err: err}
		var auth *kongapi.AuthError
		if errors.As(err, &auth) {
			ae.Konnect, ae.TokenSent = auth.Konnect, auth.TokenSent
		}
		return ae
	case kerr.Code == kongapi.CodeForeignKey && len(kerr.FieldErrors()) > 0:
		// Kong names the one reference that failed. (Its code 4 with
		// "@referenced_by" instead is a delete refused, below.)
		return &MissingReferenceError{Field: fmt.Sprint(kerr.FieldErrors()[0].Path[0]), Message: kerr.Message, Err: err}
	case len(kerr.Fields) > 0:
		re := &RejectedError{Fields: kerr.FieldErrors(), Err: err}
		if by, ok := kerr.Fields["@referenced_by"]; ok {
			re.ReferencedBy = fmt.Sprint(by)
		}
		return re
	}
	return err
}

// UnsettledError is a create whose outcome could not be learnt: Kong may
// hold the entity under ID, or not. Recording it under ID (tainted) lets
// the next apply replace it without leaving a duplicate.
type UnsettledError struct {
	Noun, ID string
	// Token is the create's token (owner.go), for an implementation; the
	// state records it, so that only the entity this create made is ever
	// taken for it.
	Token      string
	Err, Check error
}

func (e *UnsettledError) Error() string {
	check := e.Check.Error()
	var re *kongapi.RetryError
	if errors.As(e.Check, &re) {
		// The create's own error already says that retrying is safe.
		check = fmt.Sprintf("%v, after %d attempts", re.Err, re.Attempts)
	}
	return fmt.Sprintf("%v\n\nWhether Kong created the %s (id %s) could not be checked (%s). "+
		"Terraform records it as tainted under that id, so the next apply replaces it: it deletes the %s if it exists "+
		"and creates it again, leaving no duplicate behind", e.Err, e.Noun, e.ID, check, e.Noun)
}

func (e *UnsettledError) Unwrap() error { return e.Err }

// settle finishes a create that failed unconfirmed (the connection dropped
// after Kong may have committed, or the retries ran out after such a drop):
// the entity is looked up by the id the create chose. Found, the create
// succeeded. Missing, nothing was created and the error says so. When Kong
// cannot be asked (the run was interrupted, or the Admin API still fails)
// the error is an *UnsettledError.
func settle[T any](ctx context.Context, err error, noun string, get func(context.Context, string) (T, error)) (T, error) {
	var zero T
	var ue *kongapi.UnconfirmedError
	if !errors.As(err, &ue) {
		return zero, classify(err)
	}
	id := ue.EntityID()
	if ctx.Err() != nil {
		return zero, &UnsettledError{Noun: noun, ID: id, Err: err, Check: ctx.Err()}
	}
	found, gerr := get(ctx, id)
	switch {
	case gerr == nil:
		return found, nil
	case IsNotFound(gerr):
		return zero, fmt.Errorf("%w\n\nKong has no %s with id %s, so nothing was created: Terraform state and Kong agree, and applying again creates it", err, noun, id)
	default:
		return zero, &UnsettledError{Noun: noun, ID: id, Err: err, Check: gerr}
	}
}
