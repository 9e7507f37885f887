package konnectapi

import (
	"context"
	"strings"
	"sync"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
)

// listing holds one kind of the catalog for a run: what it read directly
// and, once taken, a listing of all of it, kept current by the run's own
// writes. It is kongapi's snapshot for the catalog's two kinds.
type listing[T any] struct {
	list  func(context.Context) ([]T, error)
	id    func(T) string
	clone func(T) T

	mu    sync.Mutex
	state listState
	done  chan struct{} // closed when the load in progress ends
	items map[string]T  // by lower-cased id
	// writes made while the listing is in flight, applied over it when it
	// lands; nil means "forget it".
	pending map[string]*T
}

type listState int

const (
	unlisted listState = iota
	loading
	complete // items hold everything: absent means absent
	// stopped: the listing failed, or a write's outcome is unknown: items
	// answer reads by id, nothing else, for the rest of the run.
	stopped
)

func newListing[T any](list func(context.Context) ([]T, error), id func(T) string, clone func(T) T) *listing[T] {
	return &listing[T]{list: list, id: id, clone: clone, items: map[string]T{}}
}

func key(id string) string { return strings.ToLower(id) }

// get returns a copy of the item with this id, if the run has it.
func (l *listing[T]) get(id string) (T, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	it, ok := l.items[key(id)]
	if !ok {
		var zero T
		return zero, false
	}
	return l.clone(it), true
}

// filter returns copies of the items keep accepts; ok is false unless the
// listing is complete.
func (l *listing[T]) filter(keep func(T) bool) (out []T, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != complete {
		return nil, false
	}
	for _, it := range l.items {
		if keep(it) {
			out = append(out, l.clone(it))
		}
	}
	return out, true
}

// listed reports whether a read should be answered from the listing, and
// makes sure it has been taken if so: while it is not, a read that gets a
// share of b is the caller's to send; once b is spent, the read takes it.
func (l *listing[T]) listed(ctx context.Context, b *kongapi.ReadBudget) bool {
	l.mu.Lock()
	unlisted := l.state == unlisted
	l.mu.Unlock()
	if unlisted && b.Take() {
		return false
	}
	return l.wait(ctx)
}

// wait takes the listing if no one has, or waits for the one in flight,
// and reports whether it is complete. A listing abandoned because its
// caller's context ended is not held against the others.
func (l *listing[T]) wait(ctx context.Context) bool {
	for {
		l.mu.Lock()
		switch l.state {
		case complete:
			l.mu.Unlock()
			return true
		case stopped:
			l.mu.Unlock()
			return false
		case loading:
			done := l.done
			l.mu.Unlock()
			select {
			case <-done:
			case <-ctx.Done():
				return false
			}
		case unlisted:
			l.state, l.done, l.pending = loading, make(chan struct{}), map[string]*T{}
			l.mu.Unlock()
			l.load(ctx)
			if ctx.Err() != nil {
				return false
			}
		}
	}
}

func (l *listing[T]) load(ctx context.Context) {
	items, err := l.list(ctx)
	l.mu.Lock()
	defer l.mu.Unlock()
	defer close(l.done)
	pending := l.pending
	l.pending = nil
	switch {
	case l.state == stopped:
		return
	case err != nil && ctx.Err() != nil:
		l.state = unlisted
		return
	case err != nil:
		l.state = stopped
		return
	}
	l.items = make(map[string]T, len(items))
	for _, it := range items {
		l.items[key(l.id(it))] = it
	}
	for id, it := range pending {
		delete(l.items, id)
		if it != nil {
			l.items[id] = *it
		}
	}
	l.state = complete
}

// put records an item as a read or a write returned it.
func (l *listing[T]) put(it T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := key(l.id(it))
	if id == "" {
		return
	}
	it = l.clone(it)
	if l.state == loading {
		l.pending[id] = &it
	}
	l.items[id] = it
}

// forget drops an item, so that the next read of it asks Konnect.
func (l *listing[T]) forget(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id = key(id)
	if l.state == loading {
		l.pending[id] = nil
	}
	delete(l.items, id)
}

// forgetWhere drops the items drop accepts.
func (l *listing[T]) forgetWhere(drop func(T) bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state == loading {
		// The listing in flight may hold them: it can no longer answer.
		l.state = stopped
	}
	for id, it := range l.items {
		if drop(it) {
			delete(l.items, id)
		}
	}
}

// stop keeps the listing from answering anything but reads by id for the
// rest of the run: a write's outcome is unknown.
func (l *listing[T]) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.state = stopped
}
