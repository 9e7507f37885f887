package localkong

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
	taken   bool // a request matched (under pauser.mu): later ones pass
	hold    sync.Once
	open    sync.Once
}

// Arrived is closed once the held request has reached its phase.
func (p *Paused) Arrived() <-chan struct{} { return p.arrived }

// Release lets the held request go on (or, if it has not come yet, lets it
// through when it does). It may be called more than once.
func (p *Paused) Release() { p.open.Do(func() { close(p.release) }) }

// Pause holds the first Admin API request that match accepts at phase,
// until Release. Tests force an interleaving with it: hold one client's
// write until another's has been answered, whatever the timing. Requests
// that do not match, and later matching ones, pass.
func (s *Server) Pause(phase Phase, match func(*http.Request) bool) *Paused {
	p := &Paused{phase: phase, match: match, arrived: make(chan struct{}), release: make(chan struct{})}
	s.pauses.mu.Lock()
	s.pauses.list = append(s.pauses.list, p)
	s.pauses.mu.Unlock()
	return p
}

// pauser applies the pending Pauses in front of the Admin API handler.
type pauser struct {
	next http.Handler
	mu   sync.Mutex
	list []*Paused
}

// take returns the Pause that holds r at phase, if any.
func (ps *pauser) take(phase Phase, r *http.Request) *Paused {
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

func (ps *pauser) pending() bool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		if !p.taken {
			return true
		}
	}
	return false
}

func (ps *pauser) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

// releaseAll lets every held request go, for Close.
func (ps *pauser) releaseAll() {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for _, p := range ps.list {
		p.Release()
		p.taken = true
	}
}
