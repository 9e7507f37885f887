package kongapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// NoReplay: a POST is retried after a 429 (nothing was done), never after
// a failure that may have been applied; that one is an UnconfirmedError.
// Without NoReplay the same failure is retried.
func TestSend_noReplay(t *testing.T) {
	for _, tc := range []struct {
		name     string
		first    int
		noReplay bool
		calls    int32
		unconf   bool
	}{
		{"429 retried", 429, true, 2, false},
		{"502 not replayed", 502, true, 1, true},
		{"502 retried without NoReplay", 502, false, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer kpat_x" {
					w.WriteHeader(401)
					return
				}
				if calls.Add(1) == 1 {
					w.Header().Set("Content-Type", "application/problem+json")
					w.WriteHeader(tc.first)
					_, _ = io.WriteString(w, `{"status":0,"title":"T","detail":"D","instance":"i"}`)
					return
				}
				w.WriteHeader(201)
				_, _ = io.WriteString(w, `{"id":"x"}`)
			}))
			defer srv.Close()
			cfg := fastConfig(srv.URL)
			cfg.KonnectToken = "kpat_x"
			c := newTestClient(t, cfg)
			ctx := context.Background()
			if tc.noReplay {
				ctx = NoReplay(ctx)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v3/apis", strings.NewReader(`{}`))
			resp, err := c.Send(req)
			if resp != nil {
				resp.Body.Close()
			}
			var ue *UnconfirmedError
			if calls.Load() != tc.calls || errors.As(err, &ue) != tc.unconf {
				t.Fatalf("calls=%d err=%v", calls.Load(), err)
			}
			var kerr *Error
			if tc.unconf && (!errors.As(err, &kerr) || !strings.Contains(string(kerr.Body()), `"detail":"D"`)) {
				t.Fatalf("the problem body is not kept: %v", err)
			}
		})
	}
}
