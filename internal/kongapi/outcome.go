package kongapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync/atomic"
)

// RetryError is a request that still failed when the retries ran out.
type RetryError struct {
	Attempts   int // requests sent, the first included
	MaxRetries int
	Err        error // the last attempt's failure
}

func (e *RetryError) Error() string {
	noun := "attempts"
	if e.Attempts == 1 {
		noun = "attempt"
	}
	return fmt.Sprintf("%v (gave up after %d %s; max_retries = %d). Every request is a GET, a PUT or DELETE by id, or a POST under a chosen id, "+
		"so running the same operation again once the Admin API is healthy is safe and converges", e.Err, e.Attempts, noun, e.MaxRetries)
}

func (e *RetryError) Unwrap() error { return e.Err }

// UnconfirmedError is a write whose outcome is unknown: the connection
// dropped, the caller gave up, or a gateway failed after the request may
// have reached Kong. Kong may or may not hold what was sent.
type UnconfirmedError struct {
	Method, Path string
	Err          error
}

func (e *UnconfirmedError) Error() string { return e.Err.Error() }
func (e *UnconfirmedError) Unwrap() error { return e.Err }

// EntityID is the id the write addressed: the last segment of its path
// (PUT /services/{id}).
func (e *UnconfirmedError) EntityID() string {
	id, err := url.PathUnescape(path.Base(e.Path))
	if err != nil {
		return path.Base(e.Path)
	}
	return id
}

// AuthError is a 401: the Admin API (or Konnect) did not accept the
// credentials sent, or none were sent.
type AuthError struct {
	// Konnect is true when a Konnect token was sent as the bearer token.
	Konnect bool
	// TokenSent is true when any credential header went out: a
	// Kong-Admin-Token or an Authorization header.
	TokenSent bool
	Err       *Error
}

func (e *AuthError) Error() string {
	what := "no credentials were sent"
	switch {
	case e.Konnect:
		what = "the Konnect token was rejected"
	case e.TokenSent:
		what = "the Kong-Admin-Token was rejected"
	}
	return fmt.Sprintf("authentication failed, %s: %v", what, e.Err)
}

func (e *AuthError) Unwrap() error { return e.Err }

// TLSError is a connection refused by TLS: the server's certificate is not
// trusted, or the server wants a client certificate it trusts.
type TLSError struct {
	URL string
	Err error
}

func (e *TLSError) Error() string {
	var (
		unknownCA x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	var hint string
	switch {
	case errors.As(e.Err, &unknownCA):
		hint = "the Admin API's TLS certificate is signed by an unknown certificate authority. " +
			"Give the CA that signed it (or the self-signed certificate itself) in ca_certificate_pem, " +
			"or set tls_skip_verify = true (KONG_TLS_SKIP_VERIFY) to skip verification, for testing only"
	case errors.As(e.Err, &hostname):
		hint = "the Admin API's TLS certificate is not valid for this host name. Use the host name the certificate was issued for in admin_url, " +
			"or set tls_skip_verify = true for testing only"
	case errors.As(e.Err, &invalid):
		hint = "the Admin API's TLS certificate is not valid (expired, not yet valid, or not for servers). " +
			"Renew it, or set tls_skip_verify = true for testing only"
	case tlsAlert(e.Err):
		hint = "the Admin API refused the TLS connection; when it requires mutual TLS, set client_certificate_pem and client_key_pem " +
			"to a certificate signed by a CA it trusts"
	default:
		hint = "the TLS handshake with the Admin API failed"
	}
	return fmt.Sprintf("%s: %s: %v", e.URL, hint, e.Err)
}

func (e *TLSError) Unwrap() error { return e.Err }

// attemptsKey carries a request's attempt counter through retryablehttp,
// whose RequestLogHook sees every attempt.
type attemptsKey struct{}

func withAttempts(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, attemptsKey{}, n), n
}

func noteAttempt(req *http.Request, attempt int) {
	if n, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		n.Store(int32(attempt + 1))
	}
}

// settle dresses the final failure of a request: TLS and authentication
// errors say what to fix, exhausted retries say how many attempts were
// made, and a write that may have been applied says so.
func (c *Client) settle(ctx context.Context, req *http.Request, attempts int, err error) error {
	var kerr *Error
	isKong := errors.As(err, &kerr)
	switch {
	case !isKong && tlsFailure(err):
		return &TLSError{URL: req.URL.Redacted(), Err: err}
	case isKong && kerr.StatusCode == http.StatusUnauthorized:
		return &AuthError{Konnect: c.konnect, TokenSent: c.tokenSent, Err: kerr}
	case !isKong && c.neverAnswered(err):
		return &UnreachableError{AdminURL: c.adminURL, Err: err}
	}
	if ctx.Err() == nil && retryableFailure(err) && !noReplay(ctx) {
		err = &RetryError{Attempts: max(attempts, 1), MaxRetries: c.maxRetries, Err: err}
	}
	if isWrite(req.Method) && mayHaveApplied(err, attempts) {
		err = &UnconfirmedError{Method: req.Method, Path: req.URL.EscapedPath(), Err: err}
	}
	return err
}

// retryableFailure: the kind of failure the retry policy retries, i.e. the
// retries ran out rather than the server answering for good.
func retryableFailure(err error) bool {
	var kerr *Error
	if errors.As(err, &kerr) {
		return retryable(kerr.StatusCode)
	}
	return !permanent(err)
}

// mayHaveApplied: a failed write whose effect Kong may hold anyway. A clear
// refusal (4xx other than a rate limit after earlier attempts) or a TLS
// failure means nothing happened; anything else may have followed a
// request that Kong applied and whose response was lost.
func mayHaveApplied(err error, attempts int) bool {
	var kerr *Error
	if errors.As(err, &kerr) {
		switch {
		case kerr.StatusCode >= 500:
			return true
		case kerr.StatusCode == http.StatusTooManyRequests:
			return attempts > 1
		default:
			return false
		}
	}
	return !tlsFailure(err)
}

func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// tlsFailure: the TLS handshake (or the server's verdict on our client
// certificate) failed; no request was processed.
func tlsFailure(err error) bool {
	var (
		verify      *tls.CertificateVerificationError
		unknownCA   x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalidCert x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &unknownCA) || errors.As(err, &hostname) ||
		errors.As(err, &invalidCert) || tlsAlert(err) ||
		strings.Contains(err.Error(), "tls: failed to verify certificate")
}

// tlsAlert: the server ended the handshake with an alert, e.g. "certificate
// required" when it wants a client certificate. Over TCP crypto/tls reports
// it as a "remote error" OpError around an unexported type.
func tlsAlert(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" && strings.HasPrefix(op.Err.Error(), "tls: ") {
		return true
	}
	var alert tls.AlertError
	return errors.As(err, &alert)
}
