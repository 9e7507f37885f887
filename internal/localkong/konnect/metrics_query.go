package konnect

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Parsing of POST /v2/metrics' body, MetricsApiUsageQuery in
// konnect-analytics-metrics-v2.openapi.yaml. Everything the document
// allows is recognised; what localkong cannot compute (metrics other than
// request_count, dimensions and filters on entities it does not have) is
// refused with a 400 whose choices say what it can.

// metricsQuery is a checked query.
type metricsQuery struct {
	dimensions []string
	filters    []metricsFilter
	from, to   time.Time
	limit      int
}

type metricsFilter struct {
	field, operator string
	values          map[string]bool
}

var (
	// The spec's enums that localkong takes in full.
	specGranularity = []string{"tenSecondly", "thirtySecondly", "minutely", "fiveMinutely", "tenMinutely",
		"thirtyMinutely", "hourly", "twoHourly", "twelveHourly", "daily", "weekly"}
	specRelative = []string{"15m", "1h", "6h", "12h", "24h", "7d", "30d",
		"current_week", "current_month", "previous_week", "previous_month"}

	// What localkong computes.
	servedMetrics    = []string{"request_count"}
	servedDimensions = []string{"api", "control_plane", "gateway_service", "route", "status_code", "status_code_grouped"}
	filterOperators  = []string{"in", "not_in", "empty", "not_empty"}

	queryFields = map[string]bool{"datasource": true, "metrics": true, "dimensions": true, "filters": true,
		"granularity": true, "time_range": true, "limit": true}

	unscopedUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	scopedUUID   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	statusGroup  = regexp.MustCompile(`^\d[xX][xX]$`)
)

const (
	defaultMetricsLimit = 50
	maxMetricsLimit     = 1000
)

func parseMetricsQuery(body map[string]any, now time.Time) (*metricsQuery, []invalidParam) {
	var bad []invalidParam
	for k := range body {
		if !queryFields[k] {
			bad = append(bad, unknownProperty(k))
		}
	}
	if v, ok := body["datasource"]; ok && v != "api_usage" {
		bad = append(bad, enumParam("datasource", []string{"api_usage"}))
	}
	q := &metricsQuery{limit: defaultMetricsLimit}
	if v, ok := body["metrics"]; ok {
		names := queryStrings(v, "metrics", 3, &bad)
		for _, n := range names {
			if n != "request_count" {
				bad = append(bad, enumParam("metrics", servedMetrics))
				break
			}
		}
	}
	if v, ok := body["dimensions"]; ok {
		for _, d := range queryStrings(v, "dimensions", 2, &bad) {
			if !slices.Contains(servedDimensions, d) {
				bad = append(bad, enumParam("dimensions", servedDimensions))
				break
			}
			if !slices.Contains(q.dimensions, d) {
				q.dimensions = append(q.dimensions, d)
			}
		}
	}
	if v, ok := body["filters"]; ok {
		q.filters = parseFilters(v, &bad)
	}
	if v, ok := body["granularity"]; ok {
		// Only the time dimension uses it, which localkong does not serve.
		if s, _ := v.(string); !slices.Contains(specGranularity, s) {
			bad = append(bad, enumParam("granularity", specGranularity))
		}
	}
	q.from, q.to = now.Add(-time.Hour), now
	if v, ok := body["time_range"]; ok {
		q.from, q.to = parseTimeRange(v, now, &bad)
	}
	if v, ok := body["limit"]; ok {
		n, err := numberArg(v)
		switch {
		case err != nil:
			bad = append(bad, ruleParam("limit", "is_number", "limit must be a number"))
		case n < 1:
			bad = append(bad, minParam("limit", "min", "limit must not be less than 1"))
		case n > maxMetricsLimit:
			bad = append(bad, maxParam("limit", "max", maxMetricsLimit, "limit must not be greater than 1000"))
		default:
			q.limit = int(n)
		}
	}
	return q, bad
}

func numberArg(v any) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("not a number")
	}
	return n.Float64()
}

// queryStrings reads an array of strings of at most maxItems.
func queryStrings(v any, field string, maxItems int, bad *[]invalidParam) []string {
	list, ok := v.([]any)
	if !ok {
		*bad = append(*bad, ruleParam(field, "is_array", field+" must be an array"))
		return nil
	}
	if len(list) > maxItems {
		*bad = append(*bad, maxParam(field, "max_items", maxItems, fmt.Sprintf("%s must contain no more than %d elements", field, maxItems)))
		return nil
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			*bad = append(*bad, ruleParam(field, "is_string", "each value in "+field+" must be a string"))
			return nil
		}
		out = append(out, s)
	}
	return out
}

func parseFilters(v any, bad *[]invalidParam) []metricsFilter {
	list, ok := v.([]any)
	if !ok {
		*bad = append(*bad, ruleParam("filters", "is_array", "filters must be an array"))
		return nil
	}
	var out []metricsFilter
	for i, item := range list {
		at := "filters." + strconv.Itoa(i)
		m, ok := item.(map[string]any)
		if !ok {
			*bad = append(*bad, ruleParam(at, "is_object", at+" must be an object"))
			continue
		}
		for k := range m {
			if k != "field" && k != "operator" && k != "value" {
				*bad = append(*bad, unknownProperty(at+"."+k))
			}
		}
		f := metricsFilter{values: map[string]bool{}}
		f.field, _ = m["field"].(string)
		f.operator, _ = m["operator"].(string)
		if !slices.Contains(servedDimensions, f.field) {
			*bad = append(*bad, enumParam(at+".field", servedDimensions))
			continue
		}
		if !slices.Contains(filterOperators, f.operator) {
			*bad = append(*bad, enumParam(at+".operator", filterOperators))
			continue
		}
		if f.operator == "empty" || f.operator == "not_empty" {
			out = append(out, f)
			continue
		}
		values, ok := m["value"].([]any)
		if !ok {
			*bad = append(*bad, ruleParam(at+".value", "is_array", at+".value must be an array"))
			continue
		}
		for _, raw := range values {
			s, why := filterValue(f.field, raw)
			if why != "" {
				*bad = append(*bad, ruleParam(at+".value", "invalid", why))
				break
			}
			f.values[s] = true
		}
		out = append(out, f)
	}
	return out
}

// filterValue checks one value against its field's item schema and gives
// it the form events carry.
func filterValue(field string, raw any) (string, string) {
	switch field {
	case "gateway_service", "route":
		if s, _ := raw.(string); scopedUUID.MatchString(s) {
			return s, ""
		}
		return "", field + " values must be control_plane_id:" + field + "_id (lower-case UUIDs)"
	case "api", "control_plane":
		if s, _ := raw.(string); unscopedUUID.MatchString(s) {
			return s, ""
		}
		return "", field + " values must be lower-case UUIDs"
	case "status_code":
		n, err := numberArg(raw)
		if err != nil || n != float64(int(n)) || n < 0 || n > 999 {
			return "", "status_code values must be integers from 0 to 999"
		}
		return strconv.Itoa(int(n)), ""
	default: // status_code_grouped
		if s, _ := raw.(string); statusGroup.MatchString(s) {
			return strings.ToUpper(s), ""
		}
		return "", `status_code_grouped values must look like "5XX"`
	}
}

// parseTimeRange reads TimeRange: relative (the spec's enum, in tz) or
// absolute (start/end; end defaults to now and start to a day before it,
// which the spec leaves open). Either must lie within the last 32 days.
func parseTimeRange(v any, now time.Time, bad *[]invalidParam) (time.Time, time.Time) {
	from, to := now.Add(-time.Hour), now
	m, ok := v.(map[string]any)
	if !ok {
		*bad = append(*bad, ruleParam("time_range", "is_object", "time_range must be an object"))
		return from, to
	}
	typ, _ := m["type"].(string)
	allowed := map[string]bool{"type": true, "tz": true}
	switch typ {
	case "relative":
		allowed["time_range"] = true
	case "absolute":
		allowed["start"], allowed["end"] = true, true
	default:
		*bad = append(*bad, enumParam("time_range.type", []string{"relative", "absolute"}))
		return from, to
	}
	for k := range m {
		if !allowed[k] {
			*bad = append(*bad, unknownProperty("time_range."+k))
		}
	}
	loc := time.UTC
	if tz, ok := m["tz"]; ok {
		s, _ := tz.(string)
		l, err := time.LoadLocation(s)
		if err != nil || s == "" {
			*bad = append(*bad, ruleParam("time_range.tz", "invalid", "tz must be an IANA time zone, e.g. Etc/UTC"))
		} else {
			loc = l
		}
	}
	if typ == "relative" {
		rel, _ := m["time_range"].(string)
		if !slices.Contains(specRelative, rel) {
			*bad = append(*bad, enumParam("time_range.time_range", specRelative))
			return from, to
		}
		return relativeRange(rel, now.In(loc))
	}
	parse := func(key string, def time.Time) time.Time {
		raw, ok := m[key]
		if !ok {
			return def
		}
		s, _ := raw.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			*bad = append(*bad, ruleParam("time_range."+key, "is_date", key+" must be a valid date in ISO format"))
			return def
		}
		return t
	}
	to = parse("end", now)
	from = parse("start", to.Add(-24*time.Hour))
	if from.Before(now.Add(-analyticsRetention)) || !from.Before(to) {
		*bad = append(*bad, ruleParam("time_range.start", "invalid",
			"the time range must lie within the last 32 days, start before end"))
	}
	return from, to
}

// relativeRange is a relative time_range ending now; the calendar ones
// start at midnight of the week's Monday or the month's first day in the
// query's time zone, the previous ones end where the current ones start.
func relativeRange(rel string, now time.Time) (time.Time, time.Time) {
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	week := midnight.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	switch rel {
	case "current_week":
		return week, now
	case "previous_week":
		return week.AddDate(0, 0, -7), week
	case "current_month":
		return month, now
	case "previous_month":
		return month.AddDate(0, -1, 0), month
	case "7d":
		return now.Add(-7 * 24 * time.Hour), now
	case "30d":
		return now.Add(-30 * 24 * time.Hour), now
	}
	d, _ := time.ParseDuration(rel) // 15m, 1h, 6h, 12h, 24h
	return now.Add(-d), now
}
