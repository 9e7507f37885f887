package kongapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Failing fast on a wrong address. A refused connection or an unknown host
// before the Admin API has answered even once in this Client's life (one
// Terraform walk) means admin_url is wrong or Kong is not running: retrying
// for the whole backoff (15 s with the defaults) only delays saying so.
// Once it has answered, the same errors are a restart or a failover, and
// are retried as before.

// UnreachableError: nothing answered at the Admin API URL, and nothing ever
// has in this run.
type UnreachableError struct {
	AdminURL string // redacted
	Err      error
}

func (e *UnreachableError) Error() string {
	what := "nothing accepts connections there"
	var dns *net.DNSError
	if errors.As(e.Err, &dns) {
		what = fmt.Sprintf("the host %q does not resolve", dns.Name)
	}
	return fmt.Sprintf("%v: cannot reach the Admin API at %s: %s. Check admin_url (or the KONG_ADMIN_URL environment variable) "+
		"and that Kong is running and reachable at that address", e.Err, e.AdminURL, what)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// checkRetry (the method) is the Admin API's retry policy: checkRetry, except that a
// connection that cannot be made before the Admin API has ever answered is
// not retried. Any response marks the Admin API as having answered.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err == nil {
		c.answered.Store(true)
	}
	if c.neverAnswered(err) {
		return false, nil
	}
	return checkRetry(ctx, resp, err)
}

// neverAnswered: err is a refused connection or an unknown host, and the
// Admin API has not answered any request yet.
func (c *Client) neverAnswered(err error) bool {
	return err != nil && !c.answered.Load() && unreachable(err)
}
