package ratelimiting

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/plugintest"
)

// clock is a time the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func send(h *pdk.Handler, in *pdk.Instance, prep func(*pdk.Context)) plugintest.Result {
	c := plugintest.Request("GET", "/test", nil, "")
	c.Service = map[string]any{"id": "51111111-1111-4111-8111-111111111111"}
	if prep != nil {
		prep(c)
	}
	return plugintest.Run(c, h, in, nil)
}

func headerInts(t *testing.T, r plugintest.Result, names ...string) []int {
	t.Helper()
	out := make([]int, len(names))
	for i, n := range names {
		v, err := strconv.Atoi(r.Header.Get(n))
		if err != nil {
			t.Fatalf("%s = %q", n, r.Header.Get(n))
		}
		out[i] = v
	}
	return out
}

// validate_headers of spec/03-plugins/23-rate-limiting/04-access_spec.lua:
// minute = 6, seven requests.
func TestRateLimitingBlocks(t *testing.T) {
	for _, limitBy := range []string{"ip", "consumer", "credential", "service", "header", "path"} {
		t.Run(limitBy, func(t *testing.T) {
			clk := &clock{time.Date(2025, 3, 4, 10, 20, 15, 0, time.UTC)}
			h := newCounters().handler(clk.now)
			in := plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{
				"minute": 6, "limit_by": limitBy, "header_name": "test-header", "path": "/test"})
			auth := func(c *pdk.Context) {
				c.Request.Header.Set("Test-Header", "test")
				c.Authenticate(map[string]any{"id": "c1111111-1111-4111-8111-111111111111"}, map[string]any{"id": "d1111111-1111-4111-8111-111111111111"})
			}
			var statuses, limits, remaining []int
			for i := 0; i < 7; i++ {
				r := send(h, in, auth)
				statuses = append(statuses, r.Status)
				v := headerInts(t, r, "X-RateLimit-Limit-Minute", "X-RateLimit-Remaining-Minute", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
				if v[0] != v[2] || v[1] != v[3] {
					t.Errorf("request %d: minute headers %v differ from RateLimit-*", i, v)
				}
				if v[4] != 45 {
					t.Errorf("request %d: RateLimit-Reset = %d, want 45", i, v[4])
				}
				limits, remaining = append(limits, v[0]), append(remaining, v[1])
				if r.Status == 429 {
					if r.Exit.Body != "API rate limit exceeded" || r.Header.Get("Retry-After") != "45" {
						t.Errorf("429: %+v, Retry-After %q", r.Exit, r.Header.Get("Retry-After"))
					}
				} else if r.Header.Get("Retry-After") != "" {
					t.Errorf("request %d: Retry-After %q", i, r.Header.Get("Retry-After"))
				}
			}
			if got, want := statuses, []int{200, 200, 200, 200, 200, 200, 429}; !equal(got, want) {
				t.Errorf("statuses %v, want %v", got, want)
			}
			if got, want := limits, []int{6, 6, 6, 6, 6, 6, 6}; !equal(got, want) {
				t.Errorf("limits %v, want %v", got, want)
			}
			if got, want := remaining, []int{5, 4, 3, 2, 1, 0, 0}; !equal(got, want) {
				t.Errorf("remaining %v, want %v", got, want)
			}
			// Another client has its own count (ip, header, consumer…);
			// limit_by service or path counts everyone together.
			other := send(h, in, func(c *pdk.Context) {
				c.ClientIP = "10.0.0.2"
				c.Request.Header.Set("Test-Header", "other")
				c.Authenticate(map[string]any{"id": "c2222222-2222-4222-8222-222222222222"}, map[string]any{"id": "d2222222-2222-4222-8222-222222222222"})
			})
			want := 200
			if limitBy == "service" || limitBy == "path" {
				want = 429
			}
			if other.Status != want {
				t.Errorf("another client: %d, want %d", other.Status, want)
			}
			// The next minute starts afresh.
			clk.t = clk.t.Add(45 * time.Second)
			if r := send(h, in, auth); r.Status != 200 || r.Header.Get("X-RateLimit-Remaining-Minute") != "5" || r.Header.Get("RateLimit-Reset") != "60" {
				t.Errorf("next minute: %d, remaining %s, reset %s", r.Status, r.Header.Get("X-RateLimit-Remaining-Minute"), r.Header.Get("RateLimit-Reset"))
			}
		})
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRateLimitingOptions(t *testing.T) {
	clk := &clock{time.Date(2025, 3, 4, 10, 20, 15, 0, time.UTC)}

	// Several limits: RateLimit-* follow the one with the fewest left,
	// the longer window on ties.
	in := plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"minute": 6, "hour": 99999})
	r := send(newCounters().handler(clk.now), in, nil)
	if v := headerInts(t, r, "X-RateLimit-Limit-Hour", "X-RateLimit-Remaining-Hour", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"); !equal(v, []int{99999, 99998, 6, 5, 45}) {
		t.Errorf("multiple limits: %v", v)
	}
	in = plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"minute": 5, "hour": 5})
	r = send(newCounters().handler(clk.now), in, nil)
	if got := r.Header.Get("RateLimit-Reset"); got != "2385" { // the hour: 3600 - 20m15s
		t.Errorf("tie: RateLimit-Reset = %s, want the hour's 2385", got)
	}

	// Custom code and message; hidden headers.
	h := newCounters().handler(clk.now)
	in = plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{
		"second": 1, "error_code": 404, "error_message": "Fake Not Found", "hide_client_headers": true})
	if r := send(h, in, nil); r.Status != 200 || len(r.Header) != 1 { // Content-Type only
		t.Errorf("first: %d %v", r.Status, r.Header)
	}
	r = send(h, in, nil)
	if r.Status != 404 || r.Exit.Body != "Fake Not Found" || r.Header.Get("Retry-After") != "" || r.Header.Get("RateLimit-Limit") != "" {
		t.Errorf("second: %d %+v %v", r.Status, r.Exit, r.Header)
	}

	// Plugins on different routes count apart; the request's route does
	// not matter, the plugin's does.
	h = newCounters().handler(clk.now)
	a := plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"minute": 1})
	b := plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"minute": 1})
	a.Route, b.Route = "a1111111-1111-4111-8111-111111111111", "b1111111-1111-4111-8111-111111111111"
	if send(h, a, nil).Status != 200 || send(h, b, nil).Status != 200 || send(h, a, nil).Status != 429 {
		t.Error("counters of two routes' plugins are shared")
	}

	// No Redis here: fault_tolerant lets the request through uncounted.
	in = plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"minute": 1, "policy": "redis",
		"redis": map[string]any{"host": "redis.test"}})
	for i := 0; i < 2; i++ {
		if r := send(newCounters().handler(clk.now), in, nil); r.Status != 200 || r.Header.Get("RateLimit-Limit") != "" {
			t.Errorf("redis, fault tolerant: %d %v", r.Status, r.Header)
		}
	}
}

// Counters go once their period is over.
func TestRateLimitingSweeps(t *testing.T) {
	clk := &clock{time.Date(2025, 3, 4, 10, 20, 15, 0, time.UTC)}
	ct := newCounters()
	h := ct.handler(clk.now)
	in := plugintest.Instance(t, Plugin, plugintest.Kong310, map[string]any{"minute": 10})
	for i := 0; i < 3; i++ {
		c := plugintest.Request("GET", "/", http.Header{}, "")
		c.ClientIP = "10.0.0." + strconv.Itoa(i)
		plugintest.Run(c, h, in, nil)
	}
	if len(ct.count) != 3 {
		t.Fatalf("%d counters, want 3", len(ct.count))
	}
	clk.t = clk.t.Add(time.Minute)
	send(h, in, nil)
	if len(ct.count) != 1 {
		t.Errorf("%d counters a minute later, want 1", len(ct.count))
	}
}
