package kongapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryable reports whether a response status is worth retrying: Kong or a
// proxy in front of it is rate limiting or briefly unavailable. Every request
// this package makes is a GET, a PUT or DELETE by id, or a POST under a
// chosen id (which meets its own earlier attempt as a conflict rather than
// creating twice), so retrying is safe; Once narrows it further.
func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// checkRetry is the retryablehttp.CheckRetry policy: connection errors and
// the statuses above; never after the caller gave up, and never on errors a
// retry cannot fix (bad certificates, malformed URLs).
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if noReplay(ctx) && !refused(resp, err) {
		return false, nil // see NoReplay (wire.go)
	}
	if err != nil {
		return !permanent(err), nil
	}
	return retryable(resp.StatusCode), nil
}

func permanent(err error) bool {
	var (
		verify      *tls.CertificateVerificationError
		unknownCA   x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalidCert x509.CertificateInvalidError
	)
	return errors.As(err, &verify) || errors.As(err, &unknownCA) ||
		errors.As(err, &hostname) || errors.As(err, &invalidCert) || tlsAlert(err) ||
		strings.Contains(err.Error(), "unsupported protocol scheme")
}

// backoff is the retryablehttp.Backoff policy: the server's Retry-After when
// it sent one (capped at maxRetryAfter, so a hostile or confused server
// cannot stall a plan for hours), otherwise lo·2ⁿ capped at hi.
func backoff(maxRetryAfter time.Duration) func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		if d, ok := retryAfter(resp, time.Now()); ok {
			return min(d, maxRetryAfter)
		}
		return expBackoff(lo, hi, attempt)
	}
}

func expBackoff(lo, hi time.Duration, attempt int) time.Duration {
	d := float64(lo) * math.Pow(2, float64(attempt))
	if d > float64(hi) || math.IsInf(d, 0) || math.IsNaN(d) {
		return hi
	}
	return time.Duration(d)
}

// retryAfter parses Retry-After on a 429 or 503 response, in either of its
// forms: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). A date in the past
// means "now".
func retryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > math.MaxInt64/int64(time.Second) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}
