package servicehub

import (
	"context"
	"strings"
	"sync"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
)

// Analytics allows about 10 queries a minute, and a run may read many
// version statuses: they share one query per time range, for every Gateway
// Service of the control plane (konnectapi.ServiceStatusCodes), asked by
// the first read and answered to all. A service the answer lacks served
// nothing in the range, unless the answer was cut at its limit (over 1000
// services with traffic): then that service is asked on its own, as it was
// before. A failure (403, 408, 429) is shared too: each status reports it.

// sharedTraffic holds a run's grouped queries, by time range.
type sharedTraffic struct {
	mu      sync.Mutex
	byRange map[string]*trafficQuery
}

type trafficQuery struct {
	done chan struct{}
	res  konnectapi.ServiceCounts
	err  error
	// abandoned: the caller that sent it gave up (its context ended), so
	// the answer is not the run's; the next caller asks again.
	abandoned bool
}

// serviceCounts is the run's answer for the time range, asking for it if
// no read has.
func (a *Analytics) serviceCounts(ctx context.Context, within string) (konnectapi.ServiceCounts, error) {
	for {
		a.shared.mu.Lock()
		if a.shared.byRange == nil {
			a.shared.byRange = map[string]*trafficQuery{}
		}
		q, asked := a.shared.byRange[within]
		if !asked {
			q = &trafficQuery{done: make(chan struct{})}
			a.shared.byRange[within] = q
		}
		a.shared.mu.Unlock()
		if !asked {
			q.res, q.err = a.api.ServiceStatusCodes(ctx, within)
			if q.err != nil && ctx.Err() != nil {
				q.abandoned = true
				a.shared.mu.Lock()
				delete(a.shared.byRange, within)
				a.shared.mu.Unlock()
			}
			close(q.done)
			return q.res, q.err
		}
		select {
		case <-q.done:
		case <-ctx.Done():
			return konnectapi.ServiceCounts{}, ctx.Err()
		}
		if !q.abandoned {
			return q.res, q.err
		}
	}
}

// statusCodes is the Gateway Service's requests by status code over the
// time range: from the run's shared answer, or, when that was cut before
// reaching the service, from a query of its own. Its status codes cut at
// the limit (as ____OTHER____) make the counts truncated, as the
// service's own query would say.
func (a *Analytics) statusCodes(ctx context.Context, serviceID, within string) (konnectapi.StatusCodeCounts, error) {
	all, err := a.serviceCounts(ctx, within)
	if err != nil {
		return konnectapi.StatusCodeCounts{}, err
	}
	id := strings.ToLower(serviceID)
	codes, ok := all.ByService[id]
	if !ok && all.Truncated {
		return a.api.StatusCodes(ctx, konnectapi.StatusCodeQuery{ServiceID: serviceID, TimeRange: within})
	}
	if codes == nil {
		codes = map[string]int64{}
	}
	other := all.Other[id]
	return konnectapi.StatusCodeCounts{Codes: codes, Truncated: other > 0, Limit: all.Limit, Other: other}, nil
}
