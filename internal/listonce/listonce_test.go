package listonce

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// holder records what the Listing asked of it; List blocks on gate when
// one is set, and answers err when set.
type holder struct {
	Listing[int]
	lists   atomic.Int32
	gate    chan struct{}
	err     error
	started int
	ended   []bool
	items   []int
}

func (h *holder) List(ctx context.Context) ([]int, error) {
	h.lists.Add(1)
	if h.gate != nil {
		select {
		case <-h.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if h.err != nil {
		return nil, h.err
	}
	return []int{1, 2, 3}, nil
}

func (h *holder) Started() { h.started++ }

func (h *holder) Ended(items []int, ok bool) {
	h.ended = append(h.ended, ok)
	h.items = items
}

func TestBudgetConcurrentTakes(t *testing.T) {
	b := NewBudget(7)
	var took atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b.Take() {
				took.Add(1)
			}
		}()
	}
	wg.Wait()
	if took.Load() != 7 {
		t.Fatalf("%d takes of a budget of 7", took.Load())
	}
	var none *Budget
	if none.Take() {
		t.Fatal("a nil budget gave a read")
	}
}

func TestListedSpendsBudgetFirst(t *testing.T) {
	h := &holder{}
	b := NewBudget(2)
	for i := range 2 {
		if h.Listed(context.Background(), b, h) {
			t.Fatalf("read %d: listed while the budget lasts", i)
		}
	}
	if h.lists.Load() != 0 {
		t.Fatalf("%d listings before the budget was spent", h.lists.Load())
	}
	if !h.Listed(context.Background(), b, h) || h.lists.Load() != 1 || h.State() != Taken {
		t.Fatalf("third read: lists %d, state %v", h.lists.Load(), h.State())
	}
	if len(h.items) != 3 || h.started != 1 || len(h.ended) != 1 || !h.ended[0] {
		t.Fatalf("holder saw started %d, ended %v, items %v", h.started, h.ended, h.items)
	}
}

func TestWaitSharesOneListing(t *testing.T) {
	h := &holder{gate: make(chan struct{})}
	var wg sync.WaitGroup
	results := make(chan bool, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- h.Wait(context.Background(), h)
		}()
	}
	close(h.gate)
	wg.Wait()
	close(results)
	for ok := range results {
		if !ok {
			t.Fatal("a waiter got no listing")
		}
	}
	if h.lists.Load() != 1 {
		t.Fatalf("%d listings for 20 concurrent readers, want 1", h.lists.Load())
	}
}

func TestFailedListingIsGivenUp(t *testing.T) {
	h := &holder{err: errors.New("403")}
	if h.Wait(context.Background(), h) || h.State() != GivenUp {
		t.Fatalf("state %v after a failed listing", h.State())
	}
	if h.Wait(context.Background(), h) || h.lists.Load() != 1 {
		t.Fatalf("a given-up listing was taken again: %d listings", h.lists.Load())
	}
	if len(h.ended) != 1 || h.ended[0] {
		t.Fatalf("Ended calls %v, want one failure", h.ended)
	}
}

func TestAbandonedListingIsRetried(t *testing.T) {
	h := &holder{gate: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if h.Wait(ctx, h) || h.State() != NotTaken {
		t.Fatalf("state %v after an abandoned listing", h.State())
	}
	close(h.gate)
	if !h.Wait(context.Background(), h) || h.lists.Load() != 2 {
		t.Fatalf("the next reader did not list again: %d listings", h.lists.Load())
	}
}

func TestGiveUpDuringLoad(t *testing.T) {
	h := &holder{gate: make(chan struct{})}
	done := make(chan bool)
	go func() { done <- h.Wait(context.Background(), h) }()
	for h.lists.Load() == 0 { // until the listing is in flight
		runtime.Gosched()
	}
	h.Lock()
	if h.State() != Loading {
		t.Errorf("state %v while listing", h.State())
	}
	h.GiveUp()
	h.Unlock()
	close(h.gate)
	if <-done || h.State() != GivenUp {
		t.Fatalf("a listing given up in flight answered: state %v", h.State())
	}
	if len(h.ended) != 1 || h.ended[0] || h.items != nil {
		t.Fatalf("Ended %v with %v, want one without items", h.ended, h.items)
	}
}
