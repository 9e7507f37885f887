package localkong

import (
	"encoding/json"
	"net/http"
	"sync"
)

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

// RequestCounts is the number of Admin API requests served so far, by
// HTTP method.
func (s *Server) RequestCounts() map[string]int64 { return s.byMethod.get() }

// DebugHandler serves the request counts, for tools outside the process:
//
//	GET    /requests  {"total": 41, "methods": {"GET": 1, "PUT": 40}}
//	DELETE /requests  sets them back to zero (204)
//
// It is not part of Kong's API: serve it on a listener of its own (the
// command's -debug-listen), so that reading the counts neither counts nor
// waits out AdminLatency.
func (s *Server) DebugHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /requests", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"total": s.RequestCount(), "methods": s.RequestCounts()})
	})
	mux.HandleFunc("DELETE /requests", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetRequestCount()
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}
