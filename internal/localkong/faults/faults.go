// Package faults makes localkong's Admin API misbehave on purpose, to test
// clients' retries and idempotency: injected failures (Config, Injector)
// and requests held at a chosen point (Pauser). Both wrap the Admin API
// handler; neither knows what it serves.
package faults

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is one way an Admin API request can fail.
type Kind string

// The faults localkong can inject. 429, 502 and 503 are answered without
// touching the store; the drops close the connection without a response,
// DropAfter only once the request was handled (a write is committed and
// its response lost).
const (
	Status429  Kind = "429"
	Status502  Kind = "502"
	Status503  Kind = "503"
	DropBefore Kind = "drop-before"
	DropAfter  Kind = "drop-after"
)

// All lists every Kind, in the order used when Kinds is empty.
var All = []Kind{Status429, Status502, Status503, DropBefore, DropAfter}

// Config makes a share of Admin API requests fail, to test clients'
// retries and idempotency. Which requests fail is decided by hashing the
// seed, the request's method and URI, and how many times that method and
// URI were seen before: the same requests give the same faults whatever the
// interleaving of concurrent clients, and a retried request gets a fresh
// draw.
type Config struct {
	// Rate is the fraction of requests that get a fault, 0 to 1.
	Rate float64
	// Kinds are the faults to pick from, uniformly; empty means All.
	Kinds []Kind
	// InTurn hands out the Kinds in turn (the first fault is Kinds[0], the
	// next Kinds[1], …) instead of drawing them. Which requests fail is
	// still drawn, but a test that sees at least len(Kinds) faults has
	// exercised every kind, whatever order its requests arrived in:
	// URIs holding server-made ids make the draws differ from run to run.
	InTurn bool
	Seed   int64
	// RetryAfter is sent with 429 and 503, rounded up to whole seconds;
	// zero sends "Retry-After: 0".
	RetryAfter time.Duration
	// MaxConsecutive, when positive, bounds how many times in a row one
	// method and URI fails, so a client with that many retries always gets
	// through.
	MaxConsecutive int
	// Methods limits faults to requests with these methods (e.g. PUT and
	// DELETE); empty means every method.
	Methods []string
	// Match, when set, further limits faults to the requests it accepts.
	Match func(*http.Request) bool
	// Latency, when positive, holds every response (faulted or not) for a
	// random time below it after the request was handled, as a slow network
	// would: a client that gives up meanwhile loses a committed write.
	Latency time.Duration
}

// ParseKinds parses a comma-separated list such as
// "429,503,drop-after"; "all" or "" means All.
func ParseKinds(s string) ([]Kind, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "all" {
		return append([]Kind(nil), All...), nil
	}
	var out []Kind
	for _, part := range strings.Split(s, ",") {
		k := Kind(strings.TrimSpace(part))
		known := false
		for _, a := range All {
			known = known || a == k
		}
		if !known {
			return nil, fmt.Errorf("unknown fault %q (known: 429, 502, 503, drop-before, drop-after)", k)
		}
		out = append(out, k)
	}
	return out, nil
}

// Validate checks the settings.
func (f *Config) Validate() error {
	if f.Rate < 0 || f.Rate > 1 || math.IsNaN(f.Rate) {
		return fmt.Errorf("fault rate %v is not between 0 and 1", f.Rate)
	}
	for _, k := range f.Kinds {
		if _, err := ParseKinds(string(k)); err != nil {
			return err
		}
	}
	if f.RetryAfter < 0 || f.Latency < 0 || f.MaxConsecutive < 0 {
		return fmt.Errorf("fault durations and MaxConsecutive must not be negative")
	}
	return nil
}

// Injector applies the current Config in front of the Admin API handler.
type Injector struct {
	next   http.Handler
	config atomic.Pointer[Config]

	mu     sync.Mutex
	seen   map[string]uint64 // method+URI → requests so far
	streak map[string]int    // method+URI → faults in a row
	turn   int               // faults so far, for Config.InTurn

	counts sync.Map // Kind → *atomic.Int64
}

// NewInjector wraps next, injecting faults as f says (nil: none).
func NewInjector(next http.Handler, f *Config) *Injector {
	in := &Injector{next: next, seen: map[string]uint64{}, streak: map[string]int{}}
	in.config.Store(f)
	return in
}

// Set replaces the settings while serving; nil turns faults off. The
// caller has checked them (Config.Validate).
func (in *Injector) Set(f *Config) { in.config.Store(f) }

func (in *Injector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := in.config.Load()
	if f == nil || (f.Rate == 0 && f.Latency == 0) {
		in.next.ServeHTTP(w, r)
		return
	}
	if !f.applies(r.Method) || (f.Match != nil && !f.Match(r)) {
		in.next.ServeHTTP(w, r)
		return
	}
	kind, delay := in.draw(f, r.Method+" "+r.URL.RequestURI())
	if kind != "" {
		in.count(kind)
	}
	switch kind {
	case Status429:
		writeFault(w, http.StatusTooManyRequests, f.RetryAfter, "API rate limit exceeded")
		return
	case Status502:
		writeFault(w, http.StatusBadGateway, -1, "An invalid response was received from the upstream server")
		return
	case Status503:
		writeFault(w, http.StatusServiceUnavailable, f.RetryAfter, "Service Temporarily Unavailable")
		return
	case DropBefore:
		// Closes the connection (HTTP/1) or resets the stream (HTTP/2)
		// without a response; net/http does not log it.
		panic(http.ErrAbortHandler)
	}
	rec := &recorder{header: http.Header{}}
	in.next.ServeHTTP(rec, r)
	if kind == DropAfter {
		panic(http.ErrAbortHandler)
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	rec.copyTo(w)
}

func (f *Config) applies(method string) bool {
	if len(f.Methods) == 0 {
		return true
	}
	for _, m := range f.Methods {
		if strings.EqualFold(m, method) {
			return true
		}
	}
	return false
}

// draw decides the fault and the delay of one request.
func (in *Injector) draw(f *Config, key string) (Kind, time.Duration) {
	in.mu.Lock()
	n := in.seen[key]
	in.seen[key] = n + 1
	h := mix(uint64(f.Seed), key, n)
	var kind Kind
	if unit(h) < f.Rate && (f.MaxConsecutive <= 0 || in.streak[key] < f.MaxConsecutive) {
		kinds := f.Kinds
		if len(kinds) == 0 {
			kinds = All
		}
		if f.InTurn {
			kind = kinds[in.turn%len(kinds)]
			in.turn++
		} else {
			kind = kinds[mix(h, "kind", 0)%uint64(len(kinds))]
		}
		in.streak[key]++
	} else {
		delete(in.streak, key)
	}
	in.mu.Unlock()
	var delay time.Duration
	if f.Latency > 0 {
		delay = time.Duration(unit(mix(h, "latency", 0)) * float64(f.Latency))
	}
	return kind, delay
}

func (in *Injector) count(k Kind) {
	c, _ := in.counts.LoadOrStore(k, new(atomic.Int64))
	c.(*atomic.Int64).Add(1)
}

// Counts reports how many faults of each kind were injected so far.
func (in *Injector) Counts() map[Kind]int64 {
	out := map[Kind]int64{}
	in.counts.Range(func(k, v any) bool {
		out[k.(Kind)] = v.(*atomic.Int64).Load()
		return true
	})
	return out
}

// mix hashes (seed, key, n) to 64 well-spread bits.
func mix(seed uint64, key string, n uint64) uint64 {
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], seed)
	binary.LittleEndian.PutUint64(b[8:], n)
	h.Write(b[:])
	h.Write([]byte(key))
	// splitmix64 finaliser: FNV alone leaves the low bits correlated.
	z := h.Sum64() + 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// unit maps 64 bits to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

func writeFault(w http.ResponseWriter, status int, retryAfter time.Duration, msg string) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	if retryAfter >= 0 {
		secs := int64((retryAfter + time.Second - 1) / time.Second)
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	w.WriteHeader(status)
	fmt.Fprintf(w, "{\"message\":%q}\n", msg)
}

// recorder holds a response until the Injector lets it go.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}
