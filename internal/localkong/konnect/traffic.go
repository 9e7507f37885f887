package konnect

import (
	"sync"
	"time"
)

// Traffic is what Konnect analytics knows of the proxy's requests: counts
// per second, control plane, Gateway Service, route and status. Per
// second, not per request, so a long load run stays small; older than
// analyticsRetention is dropped (Konnect answers 32 days at most).
type Traffic struct {
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

// NewTraffic returns an empty record.
func NewTraffic() *Traffic { return &Traffic{counts: map[trafficKey]int64{}} }

// Add counts n requests at at (to the second) through a route of control
// plane cp, answered with status; service is "" for a route without one.
func (t *Traffic) Add(at time.Time, cp, service, route string, status int, n int64) {
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
func (t *Traffic) matching(keep func(trafficKey) bool) map[trafficKey]int64 {
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

// Counts is the traffic recorded for a control plane (and, unless
// serviceID is "", one of its Gateway Services), all time, by status code:
// what POST /v2/metrics sums over. Ids are lower-case.
func (t *Traffic) Counts(controlPlaneID, serviceID string) map[int]int64 {
	out := map[int]int64{}
	for k, n := range t.matching(func(k trafficKey) bool {
		return k.controlPlane == controlPlaneID && (serviceID == "" || k.service == serviceID)
	}) {
		out[k.status] += n
	}
	return out
}
