package konnectapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// Implementation is an API's link to a Gateway Service (CAT
// ApiImplementationResponse, and the list's ApiImplementationListItem,
// which alone carries api_id).
type Implementation struct {
	ID        string      `json:"id"`
	APIID     string      `json:"api_id,omitempty"`
	Service   *ServiceRef `json:"service,omitempty"`
	CreatedAt string      `json:"created_at"`
	UpdatedAt string      `json:"updated_at"`
}

// ServiceRef names a Gateway Service of a control plane (CAT
// ApiImplementationService).
type ServiceRef struct {
	ControlPlaneID string `json:"control_plane_id"`
	ID             string `json:"id"`
}

// Is reports whether the implementation links exactly this service. Ids
// are UUIDs, equal in either case.
func (i Implementation) Is(s ServiceRef) bool {
	return i.Service != nil && strings.EqualFold(i.Service.ID, s.ID) && strings.EqualFold(i.Service.ControlPlaneID, s.ControlPlaneID)
}

func implPath(apiID, implID string) string {
	p := apiPath(apiID) + "/implementations"
	if implID != "" {
		p += "/" + url.PathEscape(implID)
	}
	return p
}

// Implementation errors the catalog answers with 409 (CAT
// ApiImplementationCountConflictExample, ApiImplementationServiceConflictExample).
const (
	DetailAPIImplemented = "An implementation already exists for this API"
	DetailServiceLinked  = "This gateway service is already linked to another API"
)

// CreateImplementation links a Gateway Service to an API. The catalog
// allows one implementation per API and one API per Gateway Service, so a
// link that already exists between exactly these two is the outcome asked
// for: an attempt whose outcome is unknown, or a 409, is settled by
// listing the API's implementation. Only a link to something else is a
// conflict (*Error, status 409, Detail saying which).
func (c *Client) CreateImplementation(ctx context.Context, apiID string, svc ServiceRef) (Implementation, error) {
	body := map[string]any{"service": svc}
	var lastErr error
	for attempt := 0; attempt < createAttempts; attempt++ {
		var impl Implementation
		err := c.call(kongapi.NoReplay(ctx), full, http.MethodPost, implPath(apiID, ""), nil, body, &impl)
		if err == nil {
			impl.APIID = apiID
			return impl, nil
		}
		if !IsUnconfirmed(err) && !IsConflict(err) {
			return Implementation{}, err
		}
		lastErr = err
		links, lerr := c.ListImplementations(ctx, ImplementationFilter{APIID: apiID})
		if lerr != nil {
			return Implementation{}, &UnsettledError{What: "link of API " + apiID + " to Gateway Service " + svc.ID, Err: err, Check: lerr}
		}
		for _, l := range links {
			if l.Is(svc) {
				return l, nil
			}
		}
		if IsConflict(err) {
			return Implementation{}, err
		}
		if err := pause(ctx, attempt); err != nil {
			return Implementation{}, &UnsettledError{What: "link of API " + apiID + " to Gateway Service " + svc.ID, Err: lastErr, Check: err}
		}
	}
	return Implementation{}, lastErr
}

// GetImplementation fetches one implementation of an API.
func (c *Client) GetImplementation(ctx context.Context, apiID, implID string) (Implementation, error) {
	var impl Implementation
	err := c.call(ctx, full, http.MethodGet, implPath(apiID, implID), nil, nil, &impl)
	impl.APIID = apiID
	return impl, err
}

// DeleteImplementation unlinks; a link (or API) already gone is not an
// error.
func (c *Client) DeleteImplementation(ctx context.Context, apiID, implID string) error {
	err := c.call(ctx, full, http.MethodDelete, implPath(apiID, implID), nil, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// ImplementationFilter selects implementations by the list's
// filter[...][eq] parameters; empty fields do not filter.
type ImplementationFilter struct {
	APIID, ServiceID, ControlPlaneID string
}

// ListImplementations lists the implementations matching f, every page.
func (c *Client) ListImplementations(ctx context.Context, f ImplementationFilter) ([]Implementation, error) {
	q := url.Values{}
	for k, v := range map[string]string{"api_id": f.APIID, "service_id": f.ServiceID, "control_plane_id": f.ControlPlaneID} {
		if v != "" {
			q.Set("filter["+k+"][eq]", v)
		}
	}
	all, err := list[Implementation](ctx, c, "/v3/api-implementations", q)
	if err != nil {
		return nil, err
	}
	// Filtered here too, in case a filter was ignored.
	out := all[:0]
	for _, i := range all {
		switch {
		case f.APIID != "" && !strings.EqualFold(i.APIID, f.APIID),
			f.ServiceID != "" && (i.Service == nil || !strings.EqualFold(i.Service.ID, f.ServiceID)),
			f.ControlPlaneID != "" && (i.Service == nil || !strings.EqualFold(i.Service.ControlPlaneID, f.ControlPlaneID)):
			continue
		}
		out = append(out, i)
	}
	return out, nil
}
