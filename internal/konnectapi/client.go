// Package konnectapi is the wire to Konnect's API Catalog v3 (/v3/apis,
// /v3/apis/{id}/implementations, /v3/api-implementations) and Analytics
// (POST /v2/metrics), as the published OpenAPI documents define them. It
// sends everything over kongapi's client (kongapi.Client.Send): the same
// transport, authentication, TLS, retries and secret-free request log as
// the control plane's core entities. It knows nothing about Terraform or
// Service Hub.
package konnectapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Client talks to one Konnect organisation's catalog and analytics, for
// one control plane.
type Client struct {
	wire *kongapi.Client
	base *url.URL
	// ControlPlaneID is the control plane whose Gateway Services are
	// linked and whose traffic is read.
	ControlPlaneID string
}

// New returns a client for the Konnect APIs under base (such as
// https://us.api.konghq.com), sending over wire.
func New(wire *kongapi.Client, base, controlPlaneID string) (*Client, error) {
	u, err := ParseBaseURL(base)
	if err != nil {
		return nil, err
	}
	return &Client{wire: wire, base: u, ControlPlaneID: controlPlaneID}, nil
}

// BaseURL is where the catalog and analytics are reached, e.g.
// https://us.api.konghq.com.
func (c *Client) BaseURL() string { return c.base.Redacted() }

// controlPlanePath is a control plane's core-entities Admin API path; the
// part before it is the organisation's API base.
var controlPlanePath = regexp.MustCompile(`^(.*)/v2/control-planes/([^/]+)/core-entities/?$`)

// Locate reads a Konnect control plane's Admin API URL
// (https://<region>.api.konghq.com/v2/control-planes/<id>/core-entities):
// the base URL of the organisation's other APIs and the control plane id.
// ok is false for any other URL, such as a Kong Gateway Admin API.
func Locate(adminURL string) (base, controlPlaneID string, ok bool) {
	u, err := url.Parse(adminURL)
	if err != nil || u.Host == "" {
		return "", "", false
	}
	m := controlPlanePath.FindStringSubmatch(u.Path)
	if m == nil {
		return "", "", false
	}
	id, err := url.PathUnescape(m[2])
	if err != nil || id == "" {
		return "", "", false
	}
	b := url.URL{Scheme: u.Scheme, User: u.User, Host: u.Host, Path: m[1]}
	// A UUID, taken by Konnect in either case and returned in lower case:
	// compared with what the catalog returns, it must be too.
	return b.String(), strings.ToLower(id), true
}

// ParseBaseURL checks a Konnect API base URL: absolute http(s), a host, no
// query or fragment; a trailing slash is dropped.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return nil, fmt.Errorf("invalid Konnect URL %q: %w", s, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("invalid Konnect URL %q: scheme must be http or https", s)
	case u.Host == "":
		return nil, fmt.Errorf("invalid Konnect URL %q: missing host", s)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("invalid Konnect URL %q: must not have a query or fragment", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// budget is how hard a request tries: the Admin API's retries, or one
// attempt for optional, rate-limited reads (analytics).
type budget int

const (
	full budget = iota
	once
)

// call sends one JSON request to path (under the base URL) and decodes a
// successful response into out, when out is not nil. Failures are *Error
// when the server answered, or kongapi's failures otherwise.
func (c *Client) call(ctx context.Context, b budget, method, path string, query url.Values, in, out any) error {
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	var body io.Reader
	if in != nil {
		buf, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
		body = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json, application/problem+json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	send := c.wire.Send
	if b == once {
		send = c.wire.SendOnce
	}
	resp, err := send(req)
	if err != nil {
		return wrap(err)
	}
	defer resp.Body.Close()
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: reading the response: %w", method, u.Redacted(), err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: HTTP %d, but the response is not what Konnect's API sends (%v). "+
			"Check that konnect_url (or admin_url) points at Konnect", method, u.Redacted(), resp.StatusCode, err)
	}
	return nil
}

// pageSize is what lists ask for; Konnect's documents give no maximum.
const pageSize = 100

// pageMeta is PaginatedMeta (CAT PageMeta).
type pageMeta struct {
	Page struct {
		Number float64 `json:"number"`
		Size   float64 `json:"size"`
		Total  float64 `json:"total"`
	} `json:"page"`
}

// list reads every page of a list endpoint: page[number] from 1 until the
// items read reach meta.page.total, or a page comes back empty.
func list[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	for n := 1; ; n++ {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page[size]", strconv.Itoa(pageSize))
		q.Set("page[number]", strconv.Itoa(n))
		var page struct {
			Data []T      `json:"data"`
			Meta pageMeta `json:"meta"`
		}
		if err := c.call(ctx, full, http.MethodGet, path, q, nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Data...)
		if len(page.Data) == 0 || float64(len(all)) >= page.Meta.Page.Total {
			return all, nil
		}
	}
}
