package ratelimiting

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong/plugins/pdk"
)

// expiration is expiration.lua: each period's window in seconds (a month
// is 30 days and a year 365, whatever the calendar says).
var expiration = map[string]int64{
	"second": 1, "minute": 60, "hour": 3600, "day": 86400, "month": 2592000, "year": 31536000,
}

// emptyUUID stands for a plugin's missing route or service in its
// counters' keys.
const emptyUUID = "00000000-0000-0000-0000-000000000000"

// counters are the local policy's shared dictionary: request counts by
// key, each dropped once its period is over.
type counters struct {
	mu      sync.Mutex
	count   map[string]float64
	expires map[string]int64 // unix seconds
	swept   int64
}

// handler is kong/plugins/rate-limiting/handler.lua with the local
// policy (policies/init.lua): each request counts once per configured
// period in a counter keyed by the plugin's route and service, the
// identifier (limit_by) and the period's start. A request that finds a
// period used up gets error_code (429) and error_message with
// Retry-After; every response carries X-RateLimit-Limit-<Period>,
// X-RateLimit-Remaining-<Period> and RateLimit-Limit/-Remaining/-Reset
// unless hide_client_headers. The cluster policy counts as local (one
// node); the redis policy finds no Redis, as a Kong whose Redis is down
// does: fault_tolerant lets requests through uncounted, otherwise 500.
func handler(pdk.Gateway) *pdk.Handler { return newCounters().handler(time.Now) }

func newCounters() *counters {
	return &counters{count: map[string]float64{}, expires: map[string]int64{}}
}

func (ct *counters) handler(now func() time.Time) *pdk.Handler {
	return &pdk.Handler{Access: func(c *pdk.Context, in *pdk.Instance) { ct.access(c, in, now()) }}
}

func (ct *counters) access(c *pdk.Context, in *pdk.Instance, now time.Time) {
	cfg := in.Config
	if pdk.ConfString(cfg, "policy") == "redis" {
		if !pdk.ConfBool(cfg, "fault_tolerant") {
			panic("failed to connect to Redis") // Kong: error(err) → 500
		}
		return
	}
	id := identifier(c, cfg)
	route, service := in.Route, in.Service
	if route == "" {
		route = emptyUUID
	}
	if service == "" {
		service = emptyUUID
	}
	starts := periodStarts(now)
	key := func(period string) string {
		return fmt.Sprintf("ratelimit:%s:%s:%s:%d:%s", route, service, id, starts[period], period)
	}

	type use struct {
		period           string
		limit, remaining float64
	}
	var usage []use
	stop := ""
	ct.mu.Lock()
	ct.sweep(now.Unix())
	for _, p := range periods {
		limit, ok := pdk.ConfNumber(cfg, p)
		if !ok {
			continue
		}
		remaining := limit - ct.count[key(p)]
		usage = append(usage, use{p, limit, remaining})
		if remaining <= 0 {
			stop = p
		}
	}
	if stop == "" {
		for _, u := range usage {
			k := key(u.period)
			if _, ok := ct.expires[k]; !ok {
				ct.expires[k] = now.Unix() + expiration[u.period]
			}
			ct.count[k]++
		}
	}
	ct.mu.Unlock()

	hide := pdk.ConfBool(cfg, "hide_client_headers")
	var reset int64
	if !hide && len(usage) > 0 {
		h := c.Response.Header
		var limit, remaining float64
		var window int64
		for i, u := range usage {
			r := u.remaining
			if stop == "" || stop == u.period {
				r--
			}
			r = math.Max(0, r)
			w := expiration[u.period]
			if i == 0 || r < remaining || (r == remaining && w > window) {
				limit, remaining, window = u.limit, r, w
				reset = max(1, w-(now.Unix()-starts[u.period]))
			}
			name := periodName(u.period)
			h.Set("X-RateLimit-Limit-"+name, pdk.FormatNumber(u.limit))
			h.Set("X-RateLimit-Remaining-"+name, pdk.FormatNumber(r))
		}
		h.Set("RateLimit-Limit", pdk.FormatNumber(limit))
		h.Set("RateLimit-Remaining", pdk.FormatNumber(remaining))
		h.Set("RateLimit-Reset", fmt.Sprint(reset))
	}
	if stop != "" {
		if !hide {
			c.Response.Header.Set("Retry-After", fmt.Sprint(reset))
		}
		code, _ := pdk.ConfNumber(cfg, "error_code")
		c.Error(int(code), pdk.ConfString(cfg, "error_message"), nil)
	}
}

// sweep drops counters whose period is over, at most once a second.
func (ct *counters) sweep(now int64) {
	if now == ct.swept {
		return
	}
	ct.swept = now
	for k, exp := range ct.expires {
		if exp <= now {
			delete(ct.expires, k)
			delete(ct.count, k)
		}
	}
}

// identifier is get_identifier: what requests are counted by, the
// client's address when limit_by finds nothing.
func identifier(c *pdk.Context, cfg map[string]any) string {
	id := ""
	switch pdk.ConfString(cfg, "limit_by") {
	case "service":
		id, _ = c.Service["id"].(string)
	case "consumer":
		id = c.ConsumerID()
		if id == "" {
			id, _ = c.Credential()["id"].(string)
		}
	case "credential":
		id, _ = c.Credential()["id"].(string)
	case "header":
		id = c.Request.Header.Get(pdk.ConfString(cfg, "header_name"))
	case "path":
		if p := pdk.ConfString(cfg, "path"); c.Path == p {
			id = p
		}
	}
	if id == "" {
		id = c.ClientIP
	}
	return id
}

// periodStarts is kong.tools.timestamp.get_timestamps: the start of the
// current second, minute, hour, day, month and year (UTC), in seconds.
func periodStarts(now time.Time) map[string]int64 {
	t := now.UTC()
	y, mo, d := t.Date()
	return map[string]int64{
		"second": t.Unix(),
		"minute": time.Date(y, mo, d, t.Hour(), t.Minute(), 0, 0, time.UTC).Unix(),
		"hour":   time.Date(y, mo, d, t.Hour(), 0, 0, 0, time.UTC).Unix(),
		"day":    time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix(),
		"month":  time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC).Unix(),
		"year":   time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Unix(),
	}
}

// periodName is the header suffix: "Minute".
func periodName(p string) string { return string(p[0]-'a'+'A') + p[1:] }
