package kongapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
)

// Konnect's other APIs (the API Catalog, Analytics; see internal/konnectapi)
// are plain JSON, not Kong Admin API shapes, but they travel the same wire
// as Admin API calls: the transport (TLS, client certificate, the bearer
// token and configured headers), the retry policy and backoff, the request
// log that never sees headers or bodies, and the settling of failures into
// *AuthError, *RetryError, *UnconfirmedError and *TLSError.

// Send sends req over the Client's wire with the Admin API's retry budget.
// A response with a status below 400 is returned with a readable body; a
// status of 400 or more is an *Error (Body holds what the server said),
// dressed as Admin API failures are.
func (c *Client) Send(req *http.Request) (*http.Response, error) {
	return c.do(req.Context(), c.std, req)
}

// SendOnce is Send without retries: for rate-limited queries whose failure
// is reported rather than fatal (Konnect analytics allows about 10 a
// minute, so waiting out a 429 inside a plan would only spend the budget).
func (c *Client) SendOnce(req *http.Request) (*http.Response, error) {
	return c.do(req.Context(), c.metrics.HTTPClient, req)
}

// Body is the response body of a failed request, as the server sent it (up
// to 1 MiB): Konnect's problem+json for the APIs Send serves.
func (e *Error) Body() []byte {
	if e.api == nil {
		return nil
	}
	return e.api.Raw()
}

type noReplayKey struct{}

// NoReplay marks ctx's requests as not idempotent (a POST that creates): a
// request is retried only after an answer that says the server did nothing
// with it (429, or no connection made). Any other failure returns at once,
// as an *UnconfirmedError when the server may have applied it, for the
// caller to settle by looking for what it asked for before asking again.
func NoReplay(ctx context.Context) context.Context {
	return context.WithValue(ctx, noReplayKey{}, true)
}

func noReplay(ctx context.Context) bool {
	v, _ := ctx.Value(noReplayKey{}).(bool)
	return v
}

// refused: the request certainly had no effect. A 429 is the rate limiter
// in front of the API; a connection that was never made (refused,
// unresolvable, timed out while dialing) sent nothing.
func refused(resp *http.Response, err error) bool {
	if err != nil {
		var dns *net.DNSError
		var op *net.OpError
		return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dns) || (errors.As(err, &op) && op.Op == "dial")
	}
	return resp != nil && resp.StatusCode == http.StatusTooManyRequests
}
