package faults

import (
	"net/http"
	"sync"
)

// Phase is where Pause holds a request.
type Phase int

const (
	// BeforeHandling holds a request before the store sees it.
	BeforeHandling Phase = iota
	// AfterHandling holds a request once it was handled (a write is
	// committed) and before its response is sent.
	AfterHandling
)

// Paused is one request held by Pause.
type Paused struct {
	phase   Phase
	match   func(*http.Request) bool
	arrived chan struct{}
	release chan struct{}
	taken   bool // a request matched (under Pauser.mu): later ones pass
	hold    sync.Once
	open    sync.Once
}

// Arrived is closed once the held request has reached its phase.
func (p *Paused) Arrived() <-chan struct{} { return p.arrived }

// Release lets the held request go on (or, if it has not come yet, lets it
// through when it does). It may be called more than once.
func (p *Paused) Release() { p.open.Do(func() { close(p.release) }) }

// Pauser applies the pending Pauses in front of the Admin API handler.
type Pauser struct {
	next http.Handler
	mu   sync.Mutex
	list []*Paused
}

// NewPauser wraps next.
func NewPauser(next http.Handler) *Pauser { return &Pauser{next: next} }

// Pause holds the first request that match accepts at phase, until
// Release. Tests force an interleaving with it: hold one client's write
// until another's has been answered, whatever the timing. Requests that do
// not match, and later matching ones, pass.
func (ps *Pauser) Pause(phase Phase, match func(*http.Request) bool) *Paused {
	p := &Paused{phase: phase, match: match, arrived: make(chan struct{}), release: make(chan struct{})}
	ps.mu.Lock()
	ps.list = append(ps.list, p)
	ps.mu.Unlock()
	return p
}

// take returns the Pause that holds r at phase, if any.
func (ps *Pauser) take(phase Phase, r *http.Request) *Paused {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		if !p.taken && p.phase == phase && p.match(r) {
			p.taken = true
			return p
		}
	}
	return nil
}

func (ps *Pauser) pending() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		if !p.taken {
			return true
		}
	}
	return false
}

func (ps *Pauser) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !ps.pending() {
		ps.next.ServeHTTP(w, r)
		return
	}
	if p := ps.take(BeforeHandling, r); p != nil && !p.wait(r) {
		return
	}
	after := ps.take(AfterHandling, r)
	if after == nil {
		ps.next.ServeHTTP(w, r)
		return
	}
	rec := &recorder{header: http.Header{}}
	ps.next.ServeHTTP(rec, r)
	if after.wait(r) {
		rec.copyTo(w)
	}
}

// wait holds r until Release; false when the client gave up meanwhile.
func (p *Paused) wait(r *http.Request) bool {
	p.hold.Do(func() { close(p.arrived) })
	select {
	case <-p.release:
		return true
	case <-r.Context().Done():
		return false
	}
}

// ReleaseAll lets every held request go, for Close.
func (ps *Pauser) ReleaseAll() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		p.Release()
		p.taken = true
	}
}
