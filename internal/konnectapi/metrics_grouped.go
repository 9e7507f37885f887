package konnectapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// ServiceCounts is what analytics counted over a time range for every
// Gateway Service of the client's control plane that served requests.
type ServiceCounts struct {
	// ByService is requests by status code, per Gateway Service id (lower
	// case); a service that served nothing is absent.
	ByService map[string]map[string]int64
	// Other is, per service, the requests an answer grouped as
	// ____OTHER____ status codes (the limit hit within the service).
	Other map[string]int64
	// Truncated is the answer's meta.truncated: the limit (Limit) cut the
	// services, so one absent from ByService may have served requests, or
	// a service's status codes (then its Other is not 0).
	Truncated bool
	Limit     int
}

// ServiceStatusCodes queries analytics once for every Gateway Service of
// the control plane: request_count by gateway_service, then status_code,
// filtered on the control plane, over a relative time range. One query
// answers as many version statuses as a run reads (Konnect allows about
// 10 a minute); for a service absent from a truncated answer, ask
// StatusCodes. Sent once, as StatusCodes is.
func (c *Client) ServiceStatusCodes(ctx context.Context, within string) (ServiceCounts, error) {
	body := metricsQuery{
		Datasource: "api_usage",
		Metrics:    []string{"request_count"},
		// The limit cuts the first dimension: services, not status codes.
		Dimensions: []string{"gateway_service", "status_code"},
		Filters:    []metricFilter{{Field: "control_plane", Operator: "in", Value: []any{c.ControlPlaneID}}},
		TimeRange:  timeRange{Type: "relative", TimeRange: within},
		Limit:      1000,
	}
	var res metricsResult
	if err := c.call(ctx, once, http.MethodPost, "/v2/metrics", nil, body, &res); err != nil {
		return ServiceCounts{}, err
	}
	out := ServiceCounts{ByService: map[string]map[string]int64{}, Other: map[string]int64{}, Truncated: res.Meta.Truncated, Limit: res.Meta.Limit}
	for _, d := range res.Data {
		scoped, _ := d.Event["gateway_service"].(string)
		_, svc, ok := strings.Cut(scoped, ":")
		if !ok {
			continue // requests without a service (null)
		}
		svc = strings.ToLower(svc)
		n, ok := count(d.Event["request_count"])
		if !ok {
			return ServiceCounts{}, fmt.Errorf("POST /v2/metrics: an event has no usable request_count: %v", d.Event)
		}
		if d.Event["status_code"] == otherGroup {
			out.Other[svc] += n
			if out.ByService[svc] == nil {
				out.ByService[svc] = map[string]int64{}
			}
			continue
		}
		code, ok := statusCode(d.Event["status_code"])
		if !ok {
			return ServiceCounts{}, fmt.Errorf("POST /v2/metrics: an event has no usable status_code: %v", d.Event)
		}
		if n > 0 {
			if out.ByService[svc] == nil {
				out.ByService[svc] = map[string]int64{}
			}
			out.ByService[svc][code] += n
		}
	}
	return out, nil
}
