package admin

import "sync"

// methodCounts counts Admin API requests by method, so a benchmark can say
// what a phase cost: listings and reads (GET), writes (PUT), deletes.
type methodCounts struct {
	mu sync.Mutex
	n  map[string]int64
}

func (m *methodCounts) add(method string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.n == nil {
		m.n = map[string]int64{}
	}
	m.n[method]++
}

func (m *methodCounts) get() map[string]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int64, len(m.n))
	for k, v := range m.n {
		out[k] = v
	}
	return out
}

func (m *methodCounts) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n = nil
}

// RequestCount is the number of Admin API requests served so far.
func (a *API) RequestCount() int64 { return a.requests.Load() }

// RequestCounts is the number of Admin API requests served so far, by
// HTTP method.
func (a *API) RequestCounts() map[string]int64 { return a.byMethod.get() }

// ResetRequestCount sets the request counts back to zero.
func (a *API) ResetRequestCount() {
	a.requests.Store(0)
	a.byMethod.reset()
}
