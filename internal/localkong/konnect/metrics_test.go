package konnect

import (
	"testing"
	"time"
)

// The analytics rate limit is a sliding minute per token (the HTTP side:
// localkong's TestKonnectMetricsRateLimit).
func TestRateLimiterSlidingMinute(t *testing.T) {
	l := &rateLimiter{n: 2}
	t0 := time.Now()
	for i, c := range []struct {
		token string
		at    time.Duration
		wait  int
	}{{"a", 0, 0}, {"a", 30 * time.Second, 0}, {"a", 40 * time.Second, 20}, {"b", 40 * time.Second, 0}, {"a", 61 * time.Second, 0}, {"a", 62 * time.Second, 28}} {
		if got := l.allow(c.token, t0.Add(c.at)); got != c.wait {
			t.Errorf("query %d (%s at %s): wait %d, want %d", i, c.token, c.at, got, c.wait)
		}
	}
}
