package localkong

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// NewUpstream returns a small upstream service for demos and tests, standing in
// for the httpbin-style backends Kong's own examples proxy to: it answers 200
// with a JSON echo of the request (its body included), and /status/<code>
// answers with that code.
func NewUpstream() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusOK
		if i := strings.LastIndex(r.URL.Path, "/status/"); i >= 0 {
			if c, err := strconv.Atoi(r.URL.Path[i+len("/status/"):]); err == nil && c >= 100 && c <= 599 {
				code = c
			}
		}
		body, _ := io.ReadAll(r.Body)
		headers := map[string]string{}
		for k := range r.Header {
			headers[strings.ToLower(k)] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method":  r.Method,
			"host":    r.Host,
			"path":    r.URL.Path,
			"query":   r.URL.RawQuery,
			"headers": headers,
			"status":  code,
			"body":    string(body),
		})
	})
}
