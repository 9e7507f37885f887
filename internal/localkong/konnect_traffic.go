package localkong

import (
	"sync"
	"time"
)

// traffic is what Konnect analytics knows of the proxy's requests: counts
// per second, control plane, Gateway Service, route and status. Per
// second, not per request, so a long load run stays small; older than
// analyticsRetention is dropped (Konnect answers 32 days at most).
type traffic struct {
	mu        sync.Mutex
	counts    map[trafficKey]int64
	lastPrune int64
}

type trafficKey struct {
	second                     int64
	controlPlane, service, rte string
	status                     int
}

const analyticsRetention = 32 * 24 * time.Hour

func newTraffic() *traffic { return &traffic{counts: map[trafficKey]int64{}} }

func (t *traffic) add(at time.Time, cp, service, route string, status int, n int64) {
	k := trafficKey{at.Unix(), cp, service, route, status}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts[k] += n
	if now := time.Now().Unix(); now-t.lastPrune > 3600 {
		t.lastPrune = now
		cut := now - int64(analyticsRetention/time.Second)
		for k := range t.counts {
			if k.second < cut {
				delete(t.counts, k)
			}
		}
	}
}

// matching returns a copy of the counts whose keys pass keep.
func (t *traffic) matching(keep func(trafficKey) bool) map[trafficKey]int64 {
	out := map[trafficKey]int64{}
	t.mu.Lock()
	defer t.mu.Unlock()
	for k, n := range t.counts {
		if keep(k) {
			out[k] = n
		}
	}
	return out
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
		s.traffic.add(at, lowerID(r.ControlPlaneID), lowerID(r.ServiceID), lowerID(r.RouteID), r.Status, n)
	}
}

// TrafficCounts is the traffic recorded for a control plane (and, unless
// serviceID is "", one of its Gateway Services), all time, by status code:
// what POST /v2/metrics sums over. Only Konnect mode records traffic.
func (s *Server) TrafficCounts(controlPlaneID, serviceID string) map[int]int64 {
	cp, svc := lowerID(controlPlaneID), lowerID(serviceID)
	out := map[int]int64{}
	for k, n := range s.traffic.matching(func(k trafficKey) bool {
		return k.controlPlane == cp && (svc == "" || k.service == svc)
	}) {
		out[k.status] += n
	}
	return out
}
