package localkong

import (
	"fmt"
	"strings"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/konnect"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/store"
)

// Konnect mode: the control planes' core entities are served by package
// admin, the catalog and analytics by package konnect; these are the
// server's public face for them.

// DefaultControlPlaneID is the control plane a Konnect-mode proxy serves
// unless Options.ControlPlaneID says otherwise: fixed, so scripts can
// build its core-entities URL.
const DefaultControlPlaneID = "5ca1ab1e-0000-4000-8000-00000000c0de"

// AllControlPlanes as Options.ControlPlaneID makes the proxy route every
// control plane's routes together.
const AllControlPlanes = "*"

// Cluster types of Konnect control planes (Options.ControlPlaneClusterType).
const (
	ClusterTypeControlPlane      = konnect.ClusterTypeControlPlane
	ClusterTypeIngressController = konnect.ClusterTypeIngressController // read-only core entities
	ClusterTypeGroup             = konnect.ClusterTypeGroup
)

// Konnect's platform APIs, as KonnectRequestCounts names them.
const (
	KonnectCatalog       = konnect.APICatalog
	KonnectAnalytics     = konnect.APIAnalytics
	KonnectControlPlanes = konnect.APIControlPlanes
)

// KonnectRequestCounts is the number of requests (authenticated) served
// so far per Konnect platform API: KonnectCatalog (/v3/...),
// KonnectAnalytics (POST /v2/metrics) and KonnectControlPlanes
// (/v2/control-planes[/{id}]). RequestCount counts them too, with the core
// entities; ResetRequestCount resets both. Nil off Konnect.
func (s *Server) KonnectRequestCounts() map[string]int64 {
	if s.platform == nil {
		return nil
	}
	return s.platform.RequestCounts()
}

// SetControlPlaneClusterType makes every control plane report cluster type
// t from now on ("" for ClusterTypeControlPlane): a test can turn one into
// the Kong Ingress Controller's, and back.
func (s *Server) SetControlPlaneClusterType(t string) error {
	if s.platform == nil {
		return fmt.Errorf("control planes have a cluster type in Konnect mode only")
	}
	return s.platform.SetClusterType(t)
}

// Analytics unavailable, as Konnect can be (Options.AnalyticsUnavailable,
// SetAnalyticsUnavailable).
const (
	AnalyticsNoEntitlement = konnect.AnalyticsNoEntitlement // 403: no Advanced Analytics
	AnalyticsTimeout       = konnect.AnalyticsTimeout       // 408: the query ran over 10s
	AnalyticsRateLimited   = konnect.AnalyticsRateLimited   // 429, with Retry-After
)

// konnectProxy scopes the proxy to one control plane and has it count
// traffic for analytics.
func (s *Server) konnectProxy(id string) error {
	switch {
	case id == "":
		id = DefaultControlPlaneID
	case id != AllControlPlanes && !store.IsUUID(id):
		return fmt.Errorf("control plane id %q is not a UUID", id)
	}
	s.ControlPlaneID = strings.ToLower(id)
	if id != AllControlPlanes {
		s.store.SetProxied(store.ControlPlaneNS(s.ControlPlaneID))
	}
	s.metrics.Analytics = func(cp, serviceID, routeID string, status int) {
		s.traffic.Add(time.Now(), cp, serviceID, routeID, status, 1)
	}
	return nil
}

// ControlPlaneURL is the core-entities base URL of a control plane on this
// server (Konnect mode), the provider's admin_url; "" means the one the
// proxy serves.
func (s *Server) ControlPlaneURL(id string) string {
	if id == "" {
		id = s.ControlPlaneID
	}
	return s.AdminURL + "/v2/control-planes/" + id + "/core-entities"
}

// SetAnalyticsUnavailable makes POST /v2/metrics fail with status (403,
// 408 or 429) from now on; 0 makes analytics available again.
func (s *Server) SetAnalyticsUnavailable(status int) error {
	if err := konnect.CheckUnavailable(status); err != nil {
		return err
	}
	if s.platform != nil {
		_ = s.platform.SetUnavailable(status)
	}
	return nil
}

// SetAnalyticsLimit caps the cardinality limit analytics applies: a query
// asking for more groups than n is answered with n and the rest as
// ____OTHER____, marked meta.truncated, as Konnect may apply a limit below
// the query's. 0 applies the query's own.
func (s *Server) SetAnalyticsLimit(n int) {
	if s.platform != nil {
		s.platform.SetLimit(n)
	}
}

// TrafficRecord is proxied traffic as Konnect analytics counts it: Count
// requests at Time (to the second) through a route of a control plane,
// answered with Status. ServiceID is "" for a route without a service.
type TrafficRecord struct {
	Time           time.Time
	ControlPlaneID string
	ServiceID      string
	RouteID        string
	Status         int
	Count          int64
}

// AddTraffic records traffic as if the proxy had served it, for tests of
// time ranges (a request "two hours ago") and of volumes no test should
// send. A zero Time is now; a zero Count is 1.
func (s *Server) AddTraffic(recs ...TrafficRecord) {
	for _, r := range recs {
		at, n := r.Time, r.Count
		if at.IsZero() {
			at = time.Now()
		}
		if n == 0 {
			n = 1
		}
		s.traffic.Add(at, strings.ToLower(r.ControlPlaneID), strings.ToLower(r.ServiceID), strings.ToLower(r.RouteID), r.Status, n)
	}
}

// TrafficCounts is the traffic recorded for a control plane (and, unless
// serviceID is "", one of its Gateway Services), all time, by status code:
// what POST /v2/metrics sums over. Only Konnect mode records traffic.
func (s *Server) TrafficCounts(controlPlaneID, serviceID string) map[int]int64 {
	return s.traffic.Counts(strings.ToLower(controlPlaneID), strings.ToLower(serviceID))
}
