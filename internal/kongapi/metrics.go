package kongapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Metrics are optional: a runtime group without them must not stall a plan
// for the Admin API's full retry budget, so their retries are capped.
const (
	metricsMaxRetries    = 2
	metricsRetryWaitMax  = 2 * time.Second
	metricsMaxRetryAfter = 5 * time.Second
	// maxMetricsBody bounds the exposition read; a Kong with thousands of
	// routes exports a few MiB.
	maxMetricsBody = 64 << 20
)

// MetricsURL is the default Prometheus endpoint of a runtime group: the
// Admin API's GET /metrics (served by Kong's prometheus plugin, not
// workspace-scoped).
func MetricsURL(adminURL string) (string, error) {
	u, err := ParseAdminURL(adminURL)
	if err != nil {
		return "", err
	}
	return u.String() + "/metrics", nil
}

// ParseMetricsURL checks a Prometheus endpoint URL: absolute http(s) with a
// host. Unlike the Admin API URL it may carry a query.
func ParseMetricsURL(s string) (*url.URL, error) {
	return ParseHTTPURL("metrics URL", s)
}

// ParseHTTPURL parses an absolute http(s) URL with a host; what names the
// setting in errors ("proxy URL").
func ParseHTTPURL(what, s string) (*url.URL, error) {
	// "127.0.0.1:8001" fails to parse ("first path segment in URL cannot
	// contain colon") and "localhost:8001" parses with the scheme
	// "localhost": both are an address without its scheme.
	if s != "" && !strings.Contains(s, "://") {
		return nil, fmt.Errorf("invalid %s %q: a URL starts with http:// or https://, e.g. %q", what, s, "http://"+strings.TrimPrefix(s, "//"))
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("invalid %s %q: %w", what, s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("invalid %s %q: scheme must be http or https", what, s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("invalid %s %q: missing host", what, s)
	}
	return u, nil
}

// metricsClient shares the Admin API's transport (TLS and authentication
// headers, which Kong requires on /metrics too) with a smaller retry budget.
func (c *Client) metricsClient(cfg Config, hc *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:     hc,
		Logger:         nil,
		RetryWaitMin:   min(cfg.RetryWaitMin, metricsRetryWaitMax),
		RetryWaitMax:   min(cfg.RetryWaitMax, metricsRetryWaitMax),
		RetryMax:       min(cfg.MaxRetries, metricsMaxRetries),
		CheckRetry:     checkMetricsRetry,
		Backoff:        backoff(min(cfg.MaxRetryAfter, metricsMaxRetryAfter)),
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.logRetry,
	}
}

// checkMetricsRetry is checkRetry, except that nothing listening (or no
// such host) is taken as the answer: there are no metrics there.
func checkMetricsRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err != nil && unreachable(err) {
		return false, nil
	}
	return checkRetry(ctx, resp, err)
}

func unreachable(err error) bool {
	var dns *net.DNSError
	return errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &dns) && dns.IsNotFound)
}

// IsUnreachable reports whether err says nothing listens at the address,
// or its host does not exist.
func IsUnreachable(err error) bool { return unreachable(err) }

// Metrics fetches the Prometheus text exposition at metricsURL. A response
// of 400 or more is an *Error, as for Admin API calls; the body of a 200 is
// returned unparsed.
func (c *Client) Metrics(ctx context.Context, metricsURL string) ([]byte, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, metricsURL, nil)
	if err != nil {
		return nil, fmt.Errorf("invalid metrics URL %q: %w", metricsURL, err)
	}
	// Kong's exposition format; asking for it keeps an exporter that
	// negotiates from answering in protobuf or OpenMetrics.
	req.Header.Set("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")

	start := time.Now()
	fields := map[string]any{"method": http.MethodGet, "url": req.URL.Redacted()}
	resp, err := c.metrics.Do(req)
	if err != nil {
		fields["error"] = err.Error()
		c.logf(ctx, "Kong metrics request failed", fields)
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("GET %s: %w", req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	fields["status"] = resp.StatusCode
	fields["duration_ms"] = time.Since(start).Milliseconds()
	c.logf(ctx, "Kong metrics request", fields)

	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if resp.Request == nil {
			resp.Request = req.Request
		}
		return nil, decodeError(resp, body)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetricsBody+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading metrics: %w", req.URL.Redacted(), err)
	}
	if len(body) > maxMetricsBody {
		return nil, fmt.Errorf("GET %s: metrics exceed %d MiB", req.URL.Redacted(), maxMetricsBody>>20)
	}
	return body, nil
}
