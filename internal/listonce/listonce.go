// Package listonce is the life of a listing a run takes at most once per
// kind of entity: kongapi's snapshots of services, routes and plugins and
// konnectapi's catalog listings share it. A run reads a few entities one
// by one (a Budget of them); past that, one listing answers the rest, and
// the run's own writes keep it current.
package listonce

import (
	"context"
	"sync"
	"sync/atomic"
)

// Budget counts down the reads left to send one by one before a listing
// is taken. Reads made in parallel cannot overspend it.
type Budget struct{ left atomic.Int64 }

// NewBudget is a budget of n reads.
func NewBudget(n int) *Budget {
	b := &Budget{}
	b.left.Store(int64(n))
	return b
}

// Take spends one read; false once none is left (or b is nil).
func (b *Budget) Take() bool {
	if b == nil {
		return false
	}
	for {
		n := b.left.Load()
		if n <= 0 {
			return false
		}
		if b.left.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// State is where a listing is in its life.
type State int

const (
	// NotTaken: no listing yet; reads go to the server.
	NotTaken State = iota
	// Loading: a listing is in flight; writes made meanwhile are the
	// holder's to apply over it when it lands.
	Loading
	// Taken: the holder holds everything: absent means absent.
	Taken
	// GivenUp: the listing failed, or the holder can no longer trust it;
	// for the rest of the run it answers nothing a listing would.
	GivenUp
)

// Holder is what a listing fills: it keeps its own data under the
// Listing's mutex, so that its state and that data change together.
type Holder[T any] interface {
	// List reads every entity of the kind (no lock held).
	List(ctx context.Context) ([]T, error)
	// Started: a listing begins (lock held); writes from now on must be
	// remembered until Ended.
	Started()
	// Ended: the listing ended (lock held); ok with its items, or
	// !ok with none when it failed or was abandoned or given up.
	Ended(items []T, ok bool)
}

// Listing is the state machine: embed it; its Mutex guards the holder's
// data too.
type Listing[T any] struct {
	sync.Mutex
	state State
	done  chan struct{} // closed when the load in progress ends
}

// State is the listing's state; the caller holds the lock.
func (l *Listing[T]) State() State { return l.state }

// GiveUp keeps the listing from answering for the rest of the run (a
// write's outcome is unknown, or a listing in flight may be stale); the
// caller holds the lock. A load in flight ends as given up.
func (l *Listing[T]) GiveUp() { l.state = GivenUp }

// Listed reports whether a read should be answered from the listing, and
// makes sure it has been taken if so: while it is not, a read that gets a
// share of b is the caller's to send; once b is spent, the read takes it.
func (l *Listing[T]) Listed(ctx context.Context, b *Budget, h Holder[T]) bool {
	l.Lock()
	notTaken := l.state == NotTaken
	l.Unlock()
	if notTaken && b.Take() {
		return false
	}
	return l.Wait(ctx, h)
}

// Wait takes the listing if no one has, or waits for the one in flight,
// and reports whether it is taken. Concurrent callers share one listing.
// A listing abandoned because its caller's context ended is not held
// against the others: the next caller lists again.
func (l *Listing[T]) Wait(ctx context.Context, h Holder[T]) bool {
	for {
		l.Lock()
		switch l.state {
		case Taken:
			l.Unlock()
			return true
		case GivenUp:
			l.Unlock()
			return false
		case Loading:
			done := l.done
			l.Unlock()
			select {
			case <-done:
			case <-ctx.Done():
				return false
			}
		case NotTaken:
			l.state, l.done = Loading, make(chan struct{})
			h.Started()
			l.Unlock()
			l.load(ctx, h)
			if ctx.Err() != nil {
				return false
			}
		}
	}
}

func (l *Listing[T]) load(ctx context.Context, h Holder[T]) {
	items, err := h.List(ctx)
	l.Lock()
	defer l.Unlock()
	defer close(l.done)
	switch {
	case l.state == GivenUp:
		h.Ended(nil, false)
	case err != nil && ctx.Err() != nil:
		l.state = NotTaken
		h.Ended(nil, false)
	case err != nil:
		l.state = GivenUp
		h.Ended(nil, false)
	default:
		h.Ended(items, true)
		l.state = Taken
	}
}
