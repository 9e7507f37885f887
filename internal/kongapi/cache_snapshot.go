package kongapi

import (
	"context"

	"github.com/servicehub/terraform-provider-servicehub/internal/listonce"
)

// snapshot holds every entity of one kind, listed once the run has read
// more than a few of them, and kept current by this process's own writes.
// It never answers "not found": an entity it does not hold is the caller's
// to fetch, so a delete made behind our back still surfaces as Kong's 404.
// The listing's life (taken once, shared, abandoned with its caller's
// context) is listonce's; its mutex guards the indexes below.
type snapshot[T any] struct {
	listonce.Listing[*T]
	list  func(context.Context) ([]*T, error)
	key   func(*T) entityKey
	clone func(*T) *T

	// direct, when set, is the run's budget of reads that go to Kong one
	// by one before a listing is taken (see DirectReads).
	direct *listonce.Budget

	byID   map[string]*T
	byName map[string]string              // name → id
	byTag  map[string]map[string]struct{} // tag → ids
	// writes made while the listing is in flight, applied over it when it
	// lands: a write's response is newer than any page listed before it.
	// A nil entity means "forget it".
	pending map[string]*T
	// dropped are what forgetWhere was asked to drop while the listing was
	// in flight, applied over it when it lands.
	dropped []func(*T) bool
}

// entityKey is what the snapshot indexes an entity by.
type entityKey struct {
	id, name string
	tags     []*string
}

func newSnapshot[T any](list func(context.Context) ([]*T, error), key func(*T) entityKey, clone func(*T) *T) *snapshot[T] {
	return &snapshot[T]{list: list, key: key, clone: clone}
}

// listed reports whether a read should be answered from the listing,
// taking it once the direct budget is spent (listonce.Listing.Listed).
func (s *snapshot[T]) listed(ctx context.Context) bool {
	return s.Listed(ctx, s.direct, s)
}

// wait takes the listing if no one has, or waits for the one in flight,
// and reports whether the snapshot can answer.
func (s *snapshot[T]) wait(ctx context.Context) bool { return s.Wait(ctx, s) }

// List, Started and Ended make the snapshot a listonce.Holder.
func (s *snapshot[T]) List(ctx context.Context) ([]*T, error) { return s.list(ctx) }

func (s *snapshot[T]) Started() { s.pending = map[string]*T{} }

func (s *snapshot[T]) Ended(items []*T, ok bool) {
	pending := s.pending
	s.pending = nil
	if !ok {
		return
	}
	s.byID = make(map[string]*T, len(items))
	s.byName = make(map[string]string, len(items))
	s.byTag = map[string]map[string]struct{}{}
	for _, it := range items {
		s.index(it)
	}
	for id, it := range pending {
		s.unindex(id)
		if it != nil {
			s.index(it)
		}
	}
	for _, drop := range s.dropped {
		s.unindexWhere(drop)
	}
	s.dropped = nil
}

// matching returns copies of the entities for which keep is true; ok is
// false when the snapshot cannot answer. Without list, it answers only
// from a listing already taken and takes none.
func (s *snapshot[T]) matching(ctx context.Context, keep func(*T) bool, list bool) (out []*T, ok bool) {
	if list {
		if !s.wait(ctx) {
			return nil, false
		}
	}
	s.Lock()
	defer s.Unlock()
	if s.State() != listonce.Taken {
		return nil, false
	}
	for _, it := range s.byID {
		if keep(it) {
			out = append(out, s.clone(it))
		}
	}
	return out, true
}

// forgetWhere drops the entities for which drop is true: those Kong
// deleted along with another (a cascade).
func (s *snapshot[T]) forgetWhere(drop func(*T) bool) {
	s.Lock()
	defer s.Unlock()
	switch s.State() {
	case listonce.Loading:
		s.dropped = append(s.dropped, drop)
	case listonce.Taken:
		s.unindexWhere(drop)
	}
}

func (s *snapshot[T]) unindexWhere(drop func(*T) bool) {
	for id, it := range s.byID {
		if drop(it) {
			s.unindex(id)
		}
	}
}

// get returns a copy of the entity with this id, or with this name when
// idOrName is not a UUID: the same rule Kong's /{kind}/{id or name} uses.
func (s *snapshot[T]) get(ctx context.Context, idOrName string) (*T, bool) {
	if !s.listed(ctx) {
		return nil, false
	}
	s.Lock()
	defer s.Unlock()
	id := idOrName
	if !isUUID(idOrName) {
		if id = s.byName[idOrName]; id == "" {
			return nil, false
		}
	}
	it, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return s.clone(it), true
}

// tagged returns copies of the entities carrying all of tags, as Kong's
// ?tags=a,b does; ok is false when the snapshot cannot answer.
func (s *snapshot[T]) tagged(ctx context.Context, tags []string) (out []*T, ok bool) {
	// Asking for every entity is the listing itself: take it.
	if len(tags) == 0 && !s.wait(ctx) || len(tags) > 0 && !s.listed(ctx) {
		return nil, false
	}
	s.Lock()
	defer s.Unlock()
	if len(tags) == 0 {
		for _, it := range s.byID {
			out = append(out, s.clone(it))
		}
		return out, true
	}
	// Walk the rarest tag's entities only.
	smallest := s.byTag[tags[0]]
	for _, t := range tags[1:] {
		if ids := s.byTag[t]; len(ids) < len(smallest) {
			smallest = ids
		}
	}
next:
	for id := range smallest {
		for _, t := range tags {
			if _, has := s.byTag[t][id]; !has {
				continue next
			}
		}
		out = append(out, s.clone(s.byID[id]))
	}
	return out, true
}

// put records an entity as a write returned it. Before the listing is
// taken there is nothing to update: the listing will include the write.
func (s *snapshot[T]) put(it *T) {
	if it == nil {
		return
	}
	s.Lock()
	defer s.Unlock()
	id := s.key(it).id
	if id == "" {
		return
	}
	switch s.State() {
	case listonce.Loading:
		s.pending[id] = s.clone(it)
	case listonce.Taken:
		s.unindex(id)
		s.index(s.clone(it))
	}
}

// forget drops an entity, so that the next read of it goes to Kong: after
// a delete, or a write whose outcome is unknown.
func (s *snapshot[T]) forget(id string) {
	s.Lock()
	defer s.Unlock()
	switch s.State() {
	case listonce.Loading:
		s.pending[id] = nil
	case listonce.Taken:
		s.unindex(id)
	}
}

func (s *snapshot[T]) index(it *T) {
	k := s.key(it)
	if k.id == "" {
		return
	}
	s.byID[k.id] = it
	if k.name != "" {
		s.byName[k.name] = k.id
	}
	for _, t := range k.tags {
		if t == nil {
			continue
		}
		ids := s.byTag[*t]
		if ids == nil {
			ids = map[string]struct{}{}
			s.byTag[*t] = ids
		}
		ids[k.id] = struct{}{}
	}
}

func (s *snapshot[T]) unindex(id string) {
	it, ok := s.byID[id]
	if !ok {
		return
	}
	k := s.key(it)
	delete(s.byID, id)
	if k.name != "" && s.byName[k.name] == id {
		delete(s.byName, k.name)
	}
	for _, t := range k.tags {
		if t == nil {
			continue
		}
		if ids := s.byTag[*t]; ids != nil {
			delete(ids, id)
			if len(ids) == 0 {
				delete(s.byTag, *t)
			}
		}
	}
}

// isUUID matches Kong's is_valid_uuid: 8-4-4-4-12 hex digits, any case.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
