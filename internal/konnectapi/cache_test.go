package konnectapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"
)

// seed puts n APIs, each linked to a Gateway Service of cp, straight into
// the fake catalog; it returns the API ids and the service ids.
func seed(cat *catalog, cp string, n int) (apis, svcs []string) {
	cat.mu.Lock()
	defer cat.mu.Unlock()
	for i := range n {
		id, svc, link := uuid.NewString(), uuid.NewString(), uuid.NewString()
		cat.apis[id] = map[string]any{"id": id, "name": fmt.Sprint("svc-", i), "version": "v1", "labels": map[string]any{"n": fmt.Sprint(i)}}
		cat.links[link] = map[string]any{"id": link, "api_id": id, "service": map[string]any{"control_plane_id": cp, "id": svc}}
		apis, svcs = append(apis, id), append(svcs, svc)
	}
	return apis, svcs
}

// requests is the number of requests the fake catalog served.
func (c *catalog) served() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

// A plan's reads of 40 versions and their 40 links, ten at a time as
// Terraform reads: the run's two direct reads, then one listing of each
// kind answers everything, right.
func TestCache_readsMany(t *testing.T) {
	cat, srv := newCatalog(t)
	c := NewCache(newClient(t, srv.URL, nil))
	apis, svcs := seed(cat, c.ControlPlaneID, 40)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10)
	errs := make(chan error, 120)
	for i := range apis {
		for _, read := range []func() error{
			func() error {
				a, err := c.GetAPI(context.Background(), apis[i])
				if err == nil && (a.ID != apis[i] || a.Labels["n"] != fmt.Sprint(i)) {
					err = fmt.Errorf("GetAPI(%s) = %+v", apis[i], a)
				}
				return err
			},
			func() error {
				l, err := c.ListImplementations(context.Background(), ImplementationFilter{ServiceID: svcs[i], ControlPlaneID: c.ControlPlaneID})
				if err == nil && (len(l) != 1 || l[0].APIID != apis[i]) {
					err = fmt.Errorf("link of %s = %+v", svcs[i], l)
				}
				return err
			},
			func() error {
				l, err := c.ListImplementations(context.Background(), ImplementationFilter{APIID: apis[i]})
				if err == nil && (len(l) != 1 || !l[0].Is(ServiceRef{ControlPlaneID: c.ControlPlaneID, ID: svcs[i]})) {
					err = fmt.Errorf("implementer of %s = %+v", apis[i], l)
				}
				return err
			},
		} {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				errs <- read()
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := cat.served(); n != DirectReads+2 {
		t.Errorf("%d catalog requests for 120 reads, want %d: %v", n, DirectReads+2, cat.requests)
	}
	// One listing of each kind; a direct read of links has the listing's
	// path (with a filter), so it may count there too.
	if links := cat.count("GET /v3/api-implementations"); cat.count("GET /v3/apis") != 1 || links < 1 || links > 1+DirectReads {
		t.Errorf("listings: %v", cat.requests)
	}
}

// The direct budget is spent atomically: however many read at once, at
// most DirectReads of them go to Konnect one by one.
func TestCache_directBudget(t *testing.T) {
	cat, srv := newCatalog(t)
	c := NewCache(newClient(t, srv.URL, nil))
	apis, _ := seed(cat, c.ControlPlaneID, 50)
	var wg sync.WaitGroup
	for _, id := range apis {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetAPI(context.Background(), id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	direct := cat.served() - cat.count("GET /v3/apis")
	if direct > DirectReads || cat.count("GET /v3/apis") != 1 {
		t.Errorf("%d direct reads and %d listings: %v", direct, cat.count("GET /v3/apis"), cat.requests)
	}
}

// A few reads: each API is read once, however often the run asks (a
// resource's Read, then its plan check), and nothing is listed.
func TestCache_fewReadsAreDirect(t *testing.T) {
	cat, srv := newCatalog(t)
	c := NewCache(newClient(t, srv.URL, nil))
	apis, svcs := seed(cat, c.ControlPlaneID, 3)
	ctx := context.Background()
	for range 3 {
		if _, err := c.GetAPI(ctx, apis[0]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ListImplementations(ctx, ImplementationFilter{ServiceID: svcs[0]}); err != nil {
		t.Fatal(err)
	}
	if n := cat.served(); n != 2 || cat.count("GET /v3/apis") != 0 {
		t.Errorf("%d requests: %v", n, cat.requests)
	}
}

// Past the listing, what it lacks is read directly: a deleted API is
// still Konnect's 404, one made since is found.
func TestCache_missingFromListingIsReadDirectly(t *testing.T) {
	cat, srv := newCatalog(t)
	c := NewCache(newClient(t, srv.URL, nil))
	apis, _ := seed(cat, c.ControlPlaneID, 3)
	ctx := context.Background()
	cat.mu.Lock()
	delete(cat.apis, apis[2])
	cat.mu.Unlock()
	for _, id := range apis[:2] {
		if _, err := c.GetAPI(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.GetAPI(ctx, apis[2]); !IsNotFound(err) {
		t.Fatalf("a deleted API: %v", err)
	}
	late, _ := seed(cat, c.ControlPlaneID, 1)
	if a, err := c.GetAPI(ctx, late[0]); err != nil || a.ID != late[0] {
		t.Fatalf("an API made after the listing: %+v, %v", a, err)
	}
	if cat.count("GET /v3/apis/"+apis[2]) != 1 || cat.count("GET /v3/apis/"+late[0]) != 1 || cat.count("GET /v3/apis") != 1 {
		t.Errorf("requests: %v", cat.requests)
	}
}

// The run's own writes are recorded: links made and removed, APIs updated
// or deleted are answered as written without asking again; a failed link
// write sends the run's later link reads to Konnect.
func TestCache_writesAreRecorded(t *testing.T) {
	cat, srv := newCatalog(t)
	c := NewCache(newClient(t, srv.URL, nil))
	apis, svcs := seed(cat, c.ControlPlaneID, 3)
	ctx := context.Background()
	cat.mu.Lock()
	for id, l := range cat.links {
		if l["api_id"] == apis[0] {
			delete(cat.links, id)
		}
	}
	cat.mu.Unlock()
	for range DirectReads + 1 {
		if _, err := c.ListImplementations(ctx, ImplementationFilter{APIID: apis[1]}); err != nil {
			t.Fatal(err)
		}
	}
	links := func(f ImplementationFilter) []Implementation {
		t.Helper()
		l, err := c.ListImplementations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := links(ImplementationFilter{APIID: apis[0]}); len(l) != 0 {
		t.Fatalf("an unlinked API: %v", l)
	}
	svc := ServiceRef{ControlPlaneID: c.ControlPlaneID, ID: svcs[0]}
	made, err := c.CreateImplementation(ctx, apis[0], svc)
	if err != nil {
		t.Fatal(err)
	}
	before := cat.served()
	if l := links(ImplementationFilter{ServiceID: svcs[0]}); len(l) != 1 || l[0].ID != made.ID {
		t.Fatalf("the link just made: %v", l)
	}
	if err := c.DeleteImplementation(ctx, apis[0], made.ID); err != nil {
		t.Fatal(err)
	}
	if l := links(ImplementationFilter{APIID: apis[0]}); len(l) != 0 {
		t.Fatalf("the link just removed: %v", l)
	}
	if _, err := c.GetAPI(ctx, apis[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateAPI(ctx, apis[1], APIPatch{Name: ptr("renamed")}); err != nil {
		t.Fatal(err)
	}
	if a, err := c.GetAPI(ctx, apis[1]); err != nil || a.Name != "renamed" {
		t.Fatalf("after the update: %+v, %v", a, err)
	}
	if err := c.DeleteAPI(ctx, apis[1]); err != nil {
		t.Fatal(err)
	}
	if l := links(ImplementationFilter{APIID: apis[1]}); len(l) != 0 {
		t.Fatalf("the deleted API's link: %v", l)
	}
	// Only the writes went out, and the listing of APIs the first GetAPI
	// took (the run's direct reads were spent on links).
	want := []string{"DELETE /v3/apis/" + apis[0] + "/implementations/" + made.ID, "GET /v3/apis", "PATCH /v3/apis/" + apis[1], "DELETE /v3/apis/" + apis[1]}
	if got := cat.requests[before:]; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests after the link was made:\n got %v\nwant %v", got, want)
	}

	// A refused link (another run linked apis[2] meanwhile): the listing
	// no longer answers; links are read from Konnect.
	cat.fault = func(r *http.Request) string {
		if r.Method == http.MethodPost {
			return "409"
		}
		return ""
	}
	if _, err := c.CreateImplementation(ctx, apis[2], ServiceRef{ControlPlaneID: c.ControlPlaneID, ID: uuid.NewString()}); !IsConflict(err) {
		t.Fatalf("refused link: %v", err)
	}
	before = cat.served()
	links(ImplementationFilter{APIID: apis[2]})
	if cat.served() == before {
		t.Error("a link read after a refused link write was answered from the listing")
	}
}

// A listing that fails (a token that may not list) sends every read to
// Konnect for the rest of the run.
func TestCache_listingFails(t *testing.T) {
	cat, srv := newCatalog(t)
	c := NewCache(newClient(t, srv.URL, nil))
	apis, _ := seed(cat, c.ControlPlaneID, 5)
	cat.fault = func(r *http.Request) string {
		if r.URL.Path == "/v3/apis" {
			return "403"
		}
		return ""
	}
	for _, id := range apis {
		if a, err := c.GetAPI(context.Background(), id); err != nil || a.ID != id {
			t.Fatalf("%s: %+v, %v", id, a, err)
		}
	}
	if cat.count("GET /v3/apis") != 1 || cat.served() != len(apis)+1 {
		t.Errorf("requests: %v", cat.requests)
	}
}
