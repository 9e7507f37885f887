package konnectapi

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// TimeRanges are the relative time ranges of Konnect analytics (MET
// MetricsRelativeTimeRangeDtoV2.time_range), in the document's order.
var TimeRanges = []string{"15m", "1h", "6h", "12h", "24h", "7d", "30d", "current_week", "current_month", "previous_week", "previous_month"}

// StatusCodeQuery asks for one Gateway Service's requests by status code
// over a relative time range.
type StatusCodeQuery struct {
	ServiceID string // the Gateway Service, in the client's control plane
	TimeRange string // one of TimeRanges
}

// metricsQuery is MET MetricsApiUsageQuery.
type metricsQuery struct {
	Datasource string         `json:"datasource"`
	Metrics    []string       `json:"metrics"`
	Dimensions []string       `json:"dimensions"`
	Filters    []metricFilter `json:"filters"`
	TimeRange  timeRange      `json:"time_range"`
	Limit      int            `json:"limit"`
}

type metricFilter struct {
	Field    string `json:"field"`
	Operator string `json:"operator"`
	Value    []any  `json:"value"`
}

type timeRange struct {
	Type      string `json:"type"`
	TimeRange string `json:"time_range"`
}

// metricsResult is MET MetricsResultV2, as far as it is read.
type metricsResult struct {
	Data []struct {
		Event map[string]any `json:"event"`
	} `json:"data"`
	Meta struct {
		Truncated bool `json:"truncated"`
		Limit     int  `json:"limit"`
	} `json:"meta"`
}

// otherGroup is the dimension value a truncated answer groups the rest
// under (MET MetricsResponseMeta.truncated: "2 status codes +
// ____OTHER____").
const otherGroup = "____OTHER____"

// StatusCodeCounts is what analytics counted for a query.
type StatusCodeCounts struct {
	Codes map[string]int64 // status code → requests, without zeros
	// Truncated is the answer's meta.truncated: the query's cardinality
	// limit (Limit) was hit, so Codes lacks some status codes. Their
	// requests, when the answer grouped them as ____OTHER____, are Other.
	// The metrics API has no pages to read the rest from.
	Truncated bool
	Limit     int
	Other     int64
}

// StatusCodes queries analytics for q: request_count by status_code,
// filtered on the Gateway Service as "<control_plane_id>:<service_id>"
// (MET ScopedUuid). Analytics is optional to the provider and allows about
// 10 queries a minute, so the query is sent once: a failure is reported,
// and the next plan asks again. The status code of an
// event may come as a number or a string (the document does not say);
// both are read. An answer whose meta.truncated is set is not complete:
// it says so (Truncated), for the caller to warn, as there is no next page.
func (c *Client) StatusCodes(ctx context.Context, q StatusCodeQuery) (StatusCodeCounts, error) {
	body := metricsQuery{
		Datasource: "api_usage",
		Metrics:    []string{"request_count"},
		Dimensions: []string{"status_code"},
		Filters:    []metricFilter{{Field: "gateway_service", Operator: "in", Value: []any{c.ControlPlaneID + ":" + q.ServiceID}}},
		TimeRange:  timeRange{Type: "relative", TimeRange: q.TimeRange},
		// The most the document allows; status codes are at most 1000.
		Limit: 1000,
	}
	var res metricsResult
	if err := c.call(ctx, once, http.MethodPost, "/v2/metrics", nil, body, &res); err != nil {
		return StatusCodeCounts{}, err
	}
	out := StatusCodeCounts{Codes: map[string]int64{}, Truncated: res.Meta.Truncated, Limit: res.Meta.Limit}
	for _, d := range res.Data {
		n, ok := count(d.Event["request_count"])
		if !ok {
			return StatusCodeCounts{}, fmt.Errorf("POST /v2/metrics: an event has no usable request_count: %v", d.Event)
		}
		if d.Event["status_code"] == otherGroup {
			out.Other += n
			continue
		}
		code, ok := statusCode(d.Event["status_code"])
		if !ok {
			return StatusCodeCounts{}, fmt.Errorf("POST /v2/metrics: an event has no usable status_code: %v", d.Event)
		}
		if n > 0 {
			out.Codes[code] += n
		}
	}
	return out, nil
}

// statusCode reads a status_code dimension value: 200, "200" or "200.0".
func statusCode(v any) (string, bool) {
	switch x := v.(type) {
	case float64:
		if x != math.Trunc(x) || x < 0 || x > 999 {
			return "", false
		}
		return strconv.Itoa(int(x)), true
	case string:
		if n, err := strconv.ParseFloat(x, 64); err == nil {
			return statusCode(n)
		}
	case json.Number:
		return statusCode(string(x))
	}
	return "", false
}

func count(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		if x < 0 || math.IsInf(x, 0) || math.IsNaN(x) {
			return 0, false
		}
		return int64(math.Round(x)), true
	case string:
		n, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return 0, false
		}
		return count(n)
	}
	return 0, false
}
