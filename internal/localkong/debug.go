package localkong

import (
	"encoding/json"
	"net/http"
)

// RequestCounts is the number of Admin API requests served so far, by
// HTTP method.
func (s *Server) RequestCounts() map[string]int64 { return s.admin.RequestCounts() }

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
