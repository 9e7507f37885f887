package kongapi

import (
	"context"
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/listonce"
)

type item struct {
	id, name string
	tags     []*string
	v        int
}

func itemKey(it *item) entityKey { return entityKey{id: it.id, name: it.name, tags: it.tags} }
func itemClone(it *item) *item   { c := *it; return &c }

const (
	id1 = "00000000-0000-4000-8000-000000000001"
	id2 = "00000000-0000-4000-8000-000000000002"
	id3 = "00000000-0000-4000-8000-000000000003"
)

// fakeList counts listings and can be held until released.
type fakeList struct {
	calls   atomic.Int32
	items   []*item
	err     error
	started chan struct{} // receives once per call when non-nil
	release chan struct{} // the call waits for it when non-nil
}

func (f *fakeList) list(ctx context.Context) ([]*item, error) {
	f.calls.Add(1)
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	out := make([]*item, len(f.items))
	for i, it := range f.items {
		out[i] = itemClone(it)
	}
	return out, nil
}

func TestSnapshotGet(t *testing.T) {
	f := &fakeList{items: []*item{{id: id1, name: "a", v: 1}, {id: id2, name: "b", v: 2}, {id: id3, v: 3}}}
	s := newSnapshot(f.list, itemKey, itemClone)
	ctx := context.Background()
	for _, tc := range []struct {
		key  string
		want int // 0: miss
	}{
		{id1, 1}, {"a", 1}, {id2, 2}, {"b", 2}, {id3, 3},
		{"c", 0},
		{"00000000-0000-4000-8000-000000000009", 0},
		// A UUID is only ever an id, as in Kong's /services/{id or name}.
		{"", 0},
	} {
		got, ok := s.get(ctx, tc.key)
		if tc.want == 0 {
			if ok {
				t.Errorf("get(%q) = %+v, want a miss", tc.key, got)
			}
			continue
		}
		if !ok || got.v != tc.want {
			t.Errorf("get(%q) = %+v, %v; want v=%d", tc.key, got, ok, tc.want)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d listings, want 1", n)
	}
	// Callers get copies.
	got, _ := s.get(ctx, id1)
	got.v = 99
	if again, _ := s.get(ctx, id1); again.v != 1 {
		t.Errorf("a caller's change leaked into the snapshot: v=%d", again.v)
	}
}

func TestSnapshotConcurrentReadersShareOneListing(t *testing.T) {
	f := &fakeList{items: []*item{{id: id1, name: "a", v: 1}}, release: make(chan struct{})}
	s := newSnapshot(f.list, itemKey, itemClone)
	var wg sync.WaitGroup
	var hits atomic.Int32
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if it, ok := s.get(context.Background(), id1); ok && it.v == 1 {
				hits.Add(1)
			}
		}()
	}
	time.Sleep(20 * time.Millisecond) // let them pile up behind the listing
	close(f.release)
	wg.Wait()
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d listings, want 1", n)
	}
	if hits.Load() != 50 {
		t.Errorf("%d of 50 readers got the entity", hits.Load())
	}
}

// The direct budget is spent exactly, however many readers race for it:
// that many are told to ask Kong, every other one gets the listing.
func TestSnapshotDirectBudget(t *testing.T) {
	f := &fakeList{items: []*item{{id: id1, name: "a", v: 1}}}
	s := newSnapshot(f.list, itemKey, itemClone)
	s.direct = listonce.NewBudget(7)
	var wg sync.WaitGroup
	var direct, hits atomic.Int32
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ok bool
			if i%2 == 0 {
				_, ok = s.get(context.Background(), "a")
			} else {
				_, ok = s.tagged(context.Background(), []string{"t"})
			}
			if ok {
				hits.Add(1)
			} else {
				direct.Add(1)
			}
		}()
	}
	wg.Wait()
	if direct.Load() != 7 || hits.Load() != 43 || f.calls.Load() != 1 {
		t.Errorf("%d direct reads, %d from the listing, %d listings; want 7, 43, 1", direct.Load(), hits.Load(), f.calls.Load())
	}
	// Once listed, reads never go direct again.
	if _, ok := s.get(context.Background(), id1); !ok {
		t.Error("a read after the listing was not answered from it")
	}
}

func TestSnapshotFailedListingFallsBack(t *testing.T) {
	f := &fakeList{err: errors.New("403")}
	s := newSnapshot(f.list, itemKey, itemClone)
	for i := 0; i < 3; i++ {
		if _, ok := s.get(context.Background(), id1); ok {
			t.Fatal("a failed listing answered")
		}
	}
	if _, ok := s.tagged(context.Background(), []string{"x"}); ok {
		t.Fatal("a failed listing answered a tag query")
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d listings after a failure, want 1 (the run reads entity by entity instead)", n)
	}
}

func TestSnapshotAbandonedListingIsRetried(t *testing.T) {
	f := &fakeList{items: []*item{{id: id1, v: 1}}, release: make(chan struct{}), started: make(chan struct{}, 4)}
	s := newSnapshot(f.list, itemKey, itemClone)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool)
	go func() { _, ok := s.get(ctx, id1); done <- ok }()
	<-f.started
	cancel()
	if <-done {
		t.Fatal("a cancelled read was answered")
	}
	close(f.release)
	if it, ok := s.get(context.Background(), id1); !ok || it.v != 1 {
		t.Fatalf("after an abandoned listing: %+v, %v", it, ok)
	}
	if n := f.calls.Load(); n != 2 {
		t.Errorf("%d listings, want 2", n)
	}
}

func TestSnapshotWrites(t *testing.T) {
	f := &fakeList{items: []*item{{id: id1, name: "a", v: 1}, {id: id2, name: "b", v: 2}}}
	s := newSnapshot(f.list, itemKey, itemClone)
	ctx := context.Background()

	// Before the listing there is nothing to keep current.
	s.put(&item{id: id1, name: "a", v: 100})
	if it, _ := s.get(ctx, id1); it.v != 1 {
		t.Errorf("a write before the listing overrode it: v=%d", it.v)
	}

	s.put(&item{id: id1, name: "renamed", v: 10})
	if _, ok := s.get(ctx, "a"); ok {
		t.Error("old name still answers after a rename")
	}
	if it, ok := s.get(ctx, "renamed"); !ok || it.v != 10 {
		t.Errorf("get(renamed) = %+v, %v", it, ok)
	}
	s.put(&item{id: id3, name: "c", v: 3})
	if it, ok := s.get(ctx, "c"); !ok || it.v != 3 {
		t.Errorf("created entity: %+v, %v", it, ok)
	}
	s.forget(id2)
	if _, ok := s.get(ctx, id2); ok {
		t.Error("forgotten entity still answers")
	}
	if _, ok := s.get(ctx, "b"); ok {
		t.Error("forgotten entity still answers by name")
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d listings, want 1", n)
	}
}

// A write that returns while the listing is in flight is newer than what
// the listing may hold, and must win.
func TestSnapshotWritesDuringListing(t *testing.T) {
	f := &fakeList{
		items:   []*item{{id: id1, name: "a", v: 1}, {id: id2, name: "b", v: 2}},
		release: make(chan struct{}), started: make(chan struct{}, 1),
	}
	s := newSnapshot(f.list, itemKey, itemClone)
	ctx := context.Background()
	done := make(chan struct{})
	go func() { s.wait(ctx); close(done) }()
	<-f.started
	s.put(&item{id: id1, name: "a", v: 10})
	s.forget(id2)
	s.put(&item{id: id3, name: "c", v: 3})
	close(f.release)
	<-done
	if it, _ := s.get(ctx, id1); it == nil || it.v != 10 {
		t.Errorf("id1 = %+v, want the write's v=10", it)
	}
	if _, ok := s.get(ctx, id2); ok {
		t.Error("id2 was forgotten during the listing but answers")
	}
	if it, ok := s.get(ctx, "c"); !ok || it.v != 3 {
		t.Errorf("c = %+v, %v", it, ok)
	}
}

func TestSnapshotTagged(t *testing.T) {
	tags := kong.StringSlice
	f := &fakeList{items: []*item{
		{id: id1, tags: tags("s=a", "v=1", "x")},
		{id: id2, tags: tags("s=a", "v=2")},
		{id: id3, tags: tags("s=b", "v=1")},
	}}
	s := newSnapshot(f.list, itemKey, itemClone)
	ctx := context.Background()
	ids := func(tags ...string) []string {
		items, ok := s.tagged(ctx, tags)
		if !ok {
			t.Fatal("snapshot did not answer")
		}
		var out []string
		for _, it := range items {
			out = append(out, it.id[len(it.id)-1:])
		}
		sort.Strings(out)
		return out
	}
	for _, tc := range []struct {
		tags []string
		want string
	}{
		{[]string{"s=a"}, "[1 2]"},
		{[]string{"s=a", "v=1"}, "[1]"},
		{[]string{"v=1", "s=a", "x"}, "[1]"},
		{[]string{"v=1"}, "[1 3]"},
		{[]string{"s=c"}, "[]"},
		{[]string{"s=a", "nope"}, "[]"},
		{nil, "[1 2 3]"},
	} {
		if got := ids(tc.tags...); fmtIDs(got) != tc.want {
			t.Errorf("tagged(%q) = %s, want %s", tc.tags, fmtIDs(got), tc.want)
		}
	}
	// Retagging by a write moves the entity between tags.
	s.put(&item{id: id2, tags: tags("s=b", "v=2")})
	if got := fmtIDs(ids("s=a")); got != "[1]" {
		t.Errorf("after retag, s=a = %s", got)
	}
	if got := fmtIDs(ids("s=b")); got != "[2 3]" {
		t.Errorf("after retag, s=b = %s", got)
	}
}

func fmtIDs(ids []string) string {
	out := "["
	for i, id := range ids {
		if i > 0 {
			out += " "
		}
		out += id
	}
	return out + "]"
}

func TestIsUUID(t *testing.T) {
	for s, want := range map[string]bool{
		"3f1e1c2a-7b4d-4c7e-9a51-0e1f2a3b4c5d": true,
		"3F1E1C2A-7B4D-4C7E-9A51-0E1F2A3B4C5D": true,
		"3f1e1c2a7b4d4c7e9a510e1f2a3b4c5d":     false,
		"3f1e1c2a-7b4d-4c7e-9a51-0e1f2a3b4c5":  false,
		"3f1e1c2a-7b4d-4c7e-9a51-0e1f2a3b4c5g": false,
		"payments-v1":                          false,
		"":                                     false,
	} {
		if got := isUUID(s); got != want {
			t.Errorf("isUUID(%q) = %v", s, got)
		}
	}
}
