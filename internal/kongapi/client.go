// Package kongapi is the wire to a Kong runtime group's Admin API (Kong
// Gateway or a Konnect control plane): one go-kong client over a retrying
// HTTP client, authentication, TLS, workspaces, and Kong's error bodies
// decoded into *Error. It knows nothing about Terraform.
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
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/kong/go-kong/kong"
)

// Defaults for Config fields left zero.
const (
	DefaultAdminURL       = "http://localhost:8001"
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 60 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultMaxRetryAfter  = 2 * time.Minute
)

// Config describes how to reach one runtime group.
type Config struct {
	// AdminURL is the Admin API root: http://kong:8001, or a Konnect control
	// plane's https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities.
	AdminURL  string
	Workspace string // Kong Gateway Enterprise workspace; empty for default

	AdminToken   string // sent as Kong-Admin-Token
	KonnectToken string // sent as Authorization: Bearer
	Headers      map[string]string

	TLSSkipVerify        bool
	CACertificatePEM     string
	ClientCertificatePEM string
	ClientKeyPEM         string

	// MaxRetries bounds retries after the first attempt; negative means none.
	MaxRetries int
	// RequestTimeout bounds each attempt, connection to last body byte.
	RequestTimeout time.Duration
	UserAgent      string

	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// attempts; MaxRetryAfter caps how long a Retry-After may make us wait.
	RetryWaitMin, RetryWaitMax, MaxRetryAfter time.Duration

	// Log, when set, receives one entry per request and per retry. Entries
	// carry method, URL, status and timing only: never headers or bodies, so
	// tokens cannot leak through it.
	Log func(ctx context.Context, msg string, fields map[string]any)
}

// Client is one connection to a runtime group, safe for concurrent use.
type Client struct {
	// Kong is the go-kong client. Calls made through it get retries and
	// *Error values too; prefer the methods on Client for writes, which
	// stick to PUT/DELETE by id and POST under a chosen id.
	Kong *kong.Client

	metrics *retryablehttp.Client // see metrics.go
	std     *http.Client          // the retrying client, for Send (wire.go)
	log     func(ctx context.Context, msg string, fields map[string]any)
	timeout time.Duration

	group string // see Group

	// For error messages: the retry budget and the credentials sent.
	maxRetries         int
	konnect, tokenSent bool

	// adminURL (redacted) and answered: until the Admin API has answered
	// once, a refused connection or an unknown host is a wrong admin_url
	// or a Kong that is not running, which no retry fixes (see unreachable.go).
	adminURL string
	answered atomic.Bool
}

// New builds a Client. It does not contact the server.
func New(cfg Config) (*Client, error) {
	if cfg.AdminURL == "" {
		cfg.AdminURL = DefaultAdminURL
	}
	base, err := ParseAdminURL(cfg.AdminURL)
	if err != nil {
		return nil, err
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}

	tlsCfg, err := tlsConfig(cfg)
	if err != nil {
		return nil, err
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsCfg

	headers := requestHeaders(cfg)
	c := &Client{
		log: cfg.Log, timeout: cfg.RequestTimeout, maxRetries: cfg.MaxRetries, adminURL: base.Redacted(),
		group:     groupOf(base, cfg.Workspace),
		konnect:   cfg.KonnectToken != "",
		tokenSent: headers.Get("Kong-Admin-Token") != "" || headers.Get("Authorization") != "",
	}
	rc := &retryablehttp.Client{
		HTTPClient: &http.Client{
			Timeout:   cfg.RequestTimeout,
			Transport: &headerTransport{base: transport, headers: headers},
		},
		// The library's own logger prints request URLs and errors to
		// stderr; our Log hook is the only channel, and it never sees
		// headers.
		Logger:         nil,
		RetryWaitMin:   cfg.RetryWaitMin,
		RetryWaitMax:   cfg.RetryWaitMax,
		RetryMax:       cfg.MaxRetries,
		CheckRetry:     c.checkRetry,
		Backoff:        backoff(cfg.MaxRetryAfter),
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: c.logRetry,
	}
	c.metrics = c.metricsClient(cfg, rc.HTTPClient)
	c.std = rc.StandardClient()

	kc, err := kong.NewClient(kong.String(base.String()), c.std)
	if err != nil {
		return nil, fmt.Errorf("creating Kong client: %w", err)
	}
	kc.UserAgent = cfg.UserAgent
	kc.SetWorkspace(cfg.Workspace)
	kc.SetKonnectFlag(cfg.KonnectToken != "")
	kc.SetDoer(c.do)
	c.Kong = kc
	return c, nil
}

// ParseAdminURL checks an Admin API URL: absolute http(s), a host, no query
// or fragment. A trailing slash is dropped, as go-kong appends "/services".
func ParseAdminURL(s string) (*url.URL, error) {
	u, err := ParseHTTPURL("Admin API URL", s)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid Admin API URL %q: must not have a query or fragment", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 1 << 20

// do is go-kong's Doer: every request go-kong makes passes through here, so
// errors come back as *Error with Kong's fields, whatever the call.
func (c *Client) do(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
	start := time.Now()
	ctx, attempts := withAttempts(ctx)
	resp, err := hc.Do(req.WithContext(ctx))
	fields := map[string]any{
		"method": req.Method,
		"url":    req.URL.Redacted(),
	}
	if err != nil {
		fields["error"] = err.Error()
		c.logf(ctx, "Kong Admin API request failed", fields)
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		var nerr net.Error
		if errors.As(err, &nerr) && nerr.Timeout() && ctx.Err() == nil {
			err = fmt.Errorf("%s %s: no response within %s (the request timeout): %w", req.Method, req.URL.Redacted(), c.timeout, err)
		} else {
			err = fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
		}
		return nil, c.settle(ctx, req, int(attempts.Load()), err)
	}
	fields["status"] = resp.StatusCode
	fields["duration_ms"] = time.Since(start).Milliseconds()
	c.logf(ctx, "Kong Admin API request", fields)
	if resp.StatusCode < 400 {
		if err := checkBody(req, resp); err != nil {
			return nil, err
		}
		return resp, nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if resp.Request == nil {
		resp.Request = req
	}
	return nil, c.settle(ctx, req, int(attempts.Load()), decodeError(resp, body))
}

func (c *Client) logRetry(_ retryablehttp.Logger, req *http.Request, attempt int) {
	noteAttempt(req, attempt)
	if attempt == 0 {
		return
	}
	c.logf(req.Context(), "retrying Kong Admin API request", map[string]any{
		"method":  req.Method,
		"url":     req.URL.Redacted(),
		"attempt": attempt + 1,
	})
}

func (c *Client) logf(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log(ctx, msg, fields)
	}
}

// headerTransport adds authentication and configured headers to every
// attempt, below the retry layer so a retried request carries them too.
type headerTransport struct {
	base    http.RoundTripper
	headers http.Header
}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	for k, v := range t.headers {
		req.Header[k] = v
	}
	return t.base.RoundTrip(req)
}

func requestHeaders(cfg Config) http.Header {
	h := http.Header{}
	for k, v := range cfg.Headers {
		h.Set(k, v)
	}
	// Tokens win over same-named entries in Headers.
	if cfg.AdminToken != "" {
		h.Set("Kong-Admin-Token", cfg.AdminToken)
	}
	if cfg.KonnectToken != "" {
		h.Set("Authorization", "Bearer "+cfg.KonnectToken)
	}
	return h
}
