package servicehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// Where a version's traffic is read from.
const (
	SourcePrometheus = "prometheus"
	SourceAnalytics  = "konnect_analytics"
)

// DefaultTimeRange is the analytics time range when none is given.
const DefaultTimeRange = "24h"

// TimeRanges are Konnect analytics' relative time ranges.
func TimeRanges() []string { return slices.Clone(konnectapi.TimeRanges) }

// ValidateTimeRange checks a time range is one of TimeRanges.
func ValidateTimeRange(s string) error {
	if !slices.Contains(konnectapi.TimeRanges, s) {
		return fmt.Errorf("must be one of Konnect's relative time ranges: %s", strings.Join(konnectapi.TimeRanges, ", "))
	}
	return nil
}

// Analytics reads a version's status on a Konnect control plane: the
// implementation and its routes as Statuses does, the traffic from Konnect
// analytics (POST /v2/metrics) rather than Prometheus.
type Analytics struct {
	statuses *Statuses
	catalog  *Catalog
	api      *konnectapi.Client
	shared   sharedTraffic // one query per time range per run (status_shared.go)
}

// StatusQuery names a version, by service and version or by catalog id,
// and the time range of its traffic.
type StatusQuery struct {
	Service, Version string
	VersionID        string // instead of Service and Version
	TimeRange        string // one of TimeRanges; DefaultTimeRange when ""
}

// AnalyticsUnavailableError says why analytics gave no counts. Status is
// Konnect's answer (403 without Advanced Analytics or permission, 408 for
// a query over Konnect's 10 seconds, 429 past its rate limit), 0 when it
// did not answer.
type AnalyticsUnavailableError struct {
	Status int
	Err    error
}

func (e *AnalyticsUnavailableError) Error() string {
	var ke *konnectapi.Error
	if errors.As(e.Err, &ke) {
		return "POST /v2/metrics: " + ke.Summary()
	}
	return e.Err.Error()
}
func (e *AnalyticsUnavailableError) Unwrap() error { return e.Err }

// Cause says in a few words why analytics was unavailable.
func (e *AnalyticsUnavailableError) Cause() string {
	switch e.Status {
	case http.StatusForbidden:
		return "Konnect refused the analytics query (403): the organization has no Advanced Analytics, or the token may not read analytics"
	case http.StatusRequestTimeout:
		return "the analytics query took longer than Konnect's 10 seconds (408)"
	case http.StatusTooManyRequests:
		return "Konnect's analytics rate limit (about 10 queries a minute) was reached (429)"
	case http.StatusUnauthorized:
		return "Konnect rejected the token for analytics (401)"
	case 0:
		return "Konnect analytics could not be reached"
	}
	return fmt.Sprintf("Konnect analytics answered HTTP %d", e.Status)
}

// Version reads a version's status. With a VersionID the version is read
// from the catalog (returned as the ServiceVersion) and its
// implementation is the Gateway Service linked to it, or failing that the
// one tagged with its service and version. Analytics failing is not an
// error: the status comes back with MetricsErr an
// *AnalyticsUnavailableError.
func (a *Analytics) Version(ctx context.Context, q StatusQuery) (VersionStatus, ServiceVersion, error) {
	if q.TimeRange == "" {
		q.TimeRange = DefaultTimeRange
	}
	var v ServiceVersion
	var impl *Implementation
	if q.VersionID != "" {
		var err error
		if v, err = a.catalog.GetVersion(ctx, q.VersionID); err != nil {
			return VersionStatus{}, v, err
		}
		q.Service, q.Version = v.Service, v.Version
		link, err := a.catalog.Implementer(ctx, v.ID)
		if err != nil {
			return VersionStatus{}, v, fmt.Errorf("reading the implementation of service version %s: %w", v.ID, err)
		}
		if link != nil && strings.EqualFold(link.ControlPlaneID, a.api.ControlPlaneID) {
			found, err := a.statuses.impls.Get(ctx, link.ServiceID)
			switch {
			case err == nil:
				impl = &found
			case !IsNotFound(err):
				return VersionStatus{}, v, fmt.Errorf("reading Gateway Service %s, linked to service version %s: %w", link.ServiceID, v.ID, classify(err))
			}
		}
	}
	if impl == nil && q.Version != "" {
		var err error
		if impl, err = a.statuses.implementation(ctx, q.Service, q.Version); err != nil {
			return VersionStatus{}, v, err
		}
	}
	if impl == nil {
		return emptyStatus(), v, nil
	}
	st, err := a.statuses.withRoutes(ctx, *impl)
	if err != nil {
		return VersionStatus{}, v, err
	}
	codes, err := a.statusCodes(ctx, impl.ID(), q.TimeRange)
	if err != nil {
		if ctx.Err() != nil {
			return VersionStatus{}, v, ctx.Err()
		}
		st.MetricsErr = &AnalyticsUnavailableError{Status: konnectapi.StatusOf(err), Err: err}
		return st, v, nil
	}
	for code, n := range codes.Codes {
		st.Traffic.StatusCodes[code] = n
		st.Traffic.Total += n
	}
	st.Traffic.Total += codes.Other
	if codes.Truncated {
		st.Traffic.Incomplete = &TruncatedError{Limit: codes.Limit, Other: codes.Other}
	}
	return st, v, nil
}
