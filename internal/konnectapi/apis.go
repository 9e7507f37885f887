package konnectapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// API is an API of the catalog (CAT ApiResponseSchema), as far as the
// provider uses it.
type API struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Version     *string           `json:"version"`
	Description *string           `json:"description"`
	Slug        *string           `json:"slug"`
	Labels      map[string]string `json:"labels"`
	// CurrentVersionSummary describes the API's specification; null when
	// it has none.
	CurrentVersionSummary *VersionSummary `json:"current_version_summary"`
	CreatedAt             string          `json:"created_at"`
	UpdatedAt             string          `json:"updated_at"`
}

// VersionSummary is CAT ApiVersionSummary.
type VersionSummary struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Spec    struct {
		Type string `json:"type"`
	} `json:"spec"`
}

// NewAPI is the body of POST /v3/apis (CAT CreateApiRequest).
type NewAPI struct {
	Name        string            `json:"name"`
	Version     *string           `json:"version,omitempty"`
	Description *string           `json:"description,omitempty"`
	Slug        *string           `json:"slug,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	// SpecContent is write-only: Konnect keeps it as the API's
	// specification and never returns it.
	SpecContent *string `json:"spec_content,omitempty"`
}

// APIPatch is the body of PATCH /v3/apis/{id} (CAT UpdateApiRequest): nil
// fields are left as they are.
type APIPatch struct {
	Name, Version, Slug *string
	// Description is set when SetDescription is true; nil then clears it.
	Description    *string
	SetDescription bool
	// Labels are merged: a nil value removes the key.
	Labels map[string]*string
}

// MarshalJSON writes only the fields the patch changes, with an explicit
// null for a cleared description.
func (p APIPatch) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if p.Name != nil {
		m["name"] = *p.Name
	}
	if p.Version != nil {
		m["version"] = *p.Version
	}
	if p.Slug != nil {
		m["slug"] = *p.Slug
	}
	if p.SetDescription {
		m["description"] = p.Description
	}
	if p.Labels != nil {
		m["labels"] = p.Labels
	}
	return json.Marshal(m)
}

// Empty reports whether the patch changes nothing.
func (p APIPatch) Empty() bool {
	return p.Name == nil && p.Version == nil && p.Slug == nil && !p.SetDescription && p.Labels == nil
}

func apiPath(id string) string { return "/v3/apis/" + url.PathEscape(id) }

// GetAPI fetches an API by id; a missing one is an *Error with status 404.
func (c *Client) GetAPI(ctx context.Context, id string) (API, error) {
	var a API
	err := c.call(ctx, full, http.MethodGet, apiPath(id), nil, nil, &a)
	return a, err
}

// FindAPI looks an API up by name and version (a pair the catalog keeps
// unique); found is false when there is none.
func (c *Client) FindAPI(ctx context.Context, name, version string) (api API, found bool, err error) {
	q := url.Values{"filter[name][eq]": {name}, "filter[version][eq]": {version}}
	all, err := list[API](ctx, c, "/v3/apis", q)
	if err != nil {
		return API{}, false, err
	}
	// Compared here too: a server ignoring a filter must not make another
	// API look like this one.
	for _, a := range all {
		if a.Name == name && a.Version != nil && *a.Version == version {
			return a, true, nil
		}
	}
	return API{}, false, nil
}

// ListAPIs lists the catalog's APIs, or only those named name when it is
// not "", every page.
func (c *Client) ListAPIs(ctx context.Context, name string) ([]API, error) {
	q := url.Values{}
	if name != "" {
		q.Set("filter[name][eq]", name)
	}
	all, err := list[API](ctx, c, "/v3/apis", q)
	if err != nil || name == "" {
		return all, err
	}
	// Filtered here too, in case the filter was ignored.
	out := all[:0]
	for _, a := range all {
		if a.Name == name {
			out = append(out, a)
		}
	}
	return out, nil
}

// createAttempts bounds the POSTs of one create whose earlier attempts
// had unknown outcomes and were found not to have landed.
const createAttempts = 5

// Label is one label of an API.
type Label struct{ Key, Value string }

// OtherCreateError: settling a create whose outcome was unknown (or that
// met a 409 on a retry) found the name and version taken by an API that
// does not carry this create's mark: another create's, made meanwhile.
type OtherCreateError struct {
	API API   // the API found
	Err error // the create's own failure
}

func (e *OtherCreateError) Error() string {
	return fmt.Sprintf("%v; meanwhile another create made API %q version %q (id %s)", e.Err, e.API.Name, str(e.API.Version), e.API.ID)
}

func (e *OtherCreateError) Unwrap() error { return e.Err }

// CreateAPI creates an API with a name and a version, marked with mark: a
// label whose value only this call knows, sent among the API's labels. POST
// is not idempotent, so no request is replayed blindly: each is sent once
// (bar answers that say nothing happened, see kongapi.NoReplay), and an
// attempt whose outcome is unknown is settled by looking the API up by its
// name and version, which the catalog keeps unique. Found with the mark,
// that is the API this call made; found without, another create made it
// (an *OtherCreateError: never taken for this call's); missing, it is posted
// again. A 409 after such an attempt is settled the same way; a 409 on the
// first attempt means the name and version were taken already: an *Error
// with status 409.
func (c *Client) CreateAPI(ctx context.Context, in NewAPI, mark Label) (API, error) {
	if in.Version == nil || mark.Key == "" || mark.Value == "" {
		return API{}, errors.New("konnectapi: CreateAPI needs a version and a mark, which make retries safe")
	}
	labels := make(map[string]string, len(in.Labels)+1)
	for k, v := range in.Labels {
		labels[k] = v
	}
	labels[mark.Key] = mark.Value
	in.Labels = labels
	var lastErr error
	for attempt := 0; attempt < createAttempts; attempt++ {
		var a API
		err := c.call(kongapi.NoReplay(ctx), full, http.MethodPost, "/v3/apis", nil, in, &a)
		if err == nil {
			return a, nil
		}
		if !IsUnconfirmed(err) && !(attempt > 0 && IsConflict(err)) {
			return API{}, err
		}
		lastErr = err
		found, ok, ferr := c.FindAPI(ctx, in.Name, *in.Version)
		switch {
		case ferr != nil:
			return API{}, &UnsettledError{What: fmt.Sprintf("API %q version %q", in.Name, *in.Version), Err: err, Check: ferr}
		case ok && found.Labels[mark.Key] == mark.Value:
			return found, nil
		case ok:
			return API{}, &OtherCreateError{API: found, Err: err}
		}
		if err := pause(ctx, attempt); err != nil {
			return API{}, &UnsettledError{What: fmt.Sprintf("API %q version %q", in.Name, *in.Version), Err: lastErr, Check: err}
		}
	}
	return API{}, lastErr
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// UpdateAPI patches an API. A PATCH carries the values themselves, so
// sending it twice is harmless and it is retried as reads are.
func (c *Client) UpdateAPI(ctx context.Context, id string, p APIPatch) (API, error) {
	var a API
	err := c.call(ctx, full, http.MethodPatch, apiPath(id), nil, p, &a)
	return a, err
}

// DeleteAPI deletes an API; one already gone is not an error.
func (c *Client) DeleteAPI(ctx context.Context, id string) error {
	err := c.call(ctx, full, http.MethodDelete, apiPath(id), nil, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// UnsettledError is a create whose outcome is unknown and could not be
// checked: the server may hold it, or not.
type UnsettledError struct {
	What       string
	Err, Check error
}

func (e *UnsettledError) Error() string {
	return fmt.Sprintf("%v\n\nWhether Konnect created the %s could not be checked (%v)", e.Err, e.What, e.Check)
}

func (e *UnsettledError) Unwrap() error { return e.Err }

// pause waits before posting again after an attempt that did not land,
// 100 ms doubling to 1.6 s: the failure was the server's or the network's.
func pause(ctx context.Context, attempt int) error {
	t := time.NewTimer(100 * time.Millisecond << attempt)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
