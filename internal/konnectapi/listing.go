package konnectapi

import (
	"context"
	"strings"

	"github.com/servicehub/terraform-provider-servicehub/internal/listonce"
)

// listing holds one kind of the catalog for a run: what it read directly
// and, once taken, a listing of all of it, kept current by the run's own
// writes. Its life (taken once, shared, abandoned with its caller's
// context, given up) is listonce's, as for kongapi's snapshots; its mutex
// guards items and pending.
type listing[T any] struct {
	listonce.Listing[T]
	list  func(context.Context) ([]T, error)
	id    func(T) string
	clone func(T) T

	items map[string]T // by lower-cased id
	// writes made while the listing is in flight, applied over it when it
	// lands; nil means "forget it".
	pending map[string]*T
}

func newListing[T any](list func(context.Context) ([]T, error), id func(T) string, clone func(T) T) *listing[T] {
	return &listing[T]{list: list, id: id, clone: clone, items: map[string]T{}}
}

func key(id string) string { return strings.ToLower(id) }

// List, Started and Ended make the listing a listonce.Holder.
func (l *listing[T]) List(ctx context.Context) ([]T, error) { return l.list(ctx) }

func (l *listing[T]) Started() { l.pending = map[string]*T{} }

func (l *listing[T]) Ended(items []T, ok bool) {
	pending := l.pending
	l.pending = nil
	if !ok {
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
}

// listed reports whether a read should be answered from the listing,
// taking it once b is spent (listonce.Listing.Listed).
func (l *listing[T]) listed(ctx context.Context, b *listonce.Budget) bool {
	return l.Listed(ctx, b, l)
}

// get returns a copy of the item with this id, if the run has it.
func (l *listing[T]) get(id string) (T, bool) {
	l.Lock()
	defer l.Unlock()
	it, ok := l.items[key(id)]
	if !ok {
		var zero T
		return zero, false
	}
	return l.clone(it), true
}

// filter returns copies of the items keep accepts; ok is false unless the
// listing is taken.
func (l *listing[T]) filter(keep func(T) bool) (out []T, ok bool) {
	l.Lock()
	defer l.Unlock()
	if l.State() != listonce.Taken {
		return nil, false
	}
	for _, it := range l.items {
		if keep(it) {
			out = append(out, l.clone(it))
		}
	}
	return out, true
}

// put records an item as a read or a write returned it.
func (l *listing[T]) put(it T) {
	l.Lock()
	defer l.Unlock()
	id := key(l.id(it))
	if id == "" {
		return
	}
	it = l.clone(it)
	if l.State() == listonce.Loading {
		l.pending[id] = &it
	}
	l.items[id] = it
}

// forget drops an item, so that the next read of it asks Konnect.
func (l *listing[T]) forget(id string) {
	l.Lock()
	defer l.Unlock()
	id = key(id)
	if l.State() == listonce.Loading {
		l.pending[id] = nil
	}
	delete(l.items, id)
}

// forgetWhere drops the items drop accepts.
func (l *listing[T]) forgetWhere(drop func(T) bool) {
	l.Lock()
	defer l.Unlock()
	if l.State() == listonce.Loading {
		// The listing in flight may hold them: it can no longer answer.
		l.GiveUp()
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
	l.Lock()
	defer l.Unlock()
	l.GiveUp()
}
