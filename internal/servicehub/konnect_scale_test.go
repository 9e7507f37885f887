package servicehub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// konnectServer is a Konnect-mode localkong with opts.
func konnectServer(t *testing.T, opts localkong.Options) *localkong.Server {
	t.Helper()
	opts.Konnect, opts.AdminToken = true, catalogToken
	srv, err := localkong.NewTestServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// linkedVersions creates n versions, each implemented by a linked Gateway
// Service with traffic of its own (i+1 requests answered 200, one 503 for
// every other), through a run of its own.
func linkedVersions(t *testing.T, srv *localkong.Server, n int) []Implementation {
	t.Helper()
	c, ctx := nextRun(t, srv), context.Background()
	var impls []Implementation
	for i := range n {
		v, err := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: fmt.Sprint("svc-", i), Version: "v1"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		impl, err := c.Catalog.CreateImplementation(ctx, gateway(fmt.Sprint("svc-", i, "-v1")), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		srv.AddTraffic(localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID, ServiceID: impl.ID(), Status: 200, Count: int64(i + 1)})
		if i%2 == 1 {
			srv.AddTraffic(localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID, ServiceID: impl.ID(), Status: 503})
		}
		impls = append(impls, impl)
	}
	return impls
}

// The statuses of 20 versions read in one run, ten at a time: one
// analytics query for all (two time ranges, two), each status as its own
// query would have said.
func TestAnalytics_oneQueryPerRun(t *testing.T) {
	srv := konnectServer(t, localkong.Options{})
	const n = 20
	impls := linkedVersions(t, srv, n)
	srv.ResetRequestCount()
	c := nextRun(t, srv)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10)
	for i := range n {
		for _, within := range []string{"", "1h"} {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				st, _, err := c.Analytics.Version(context.Background(), StatusQuery{Service: fmt.Sprint("svc-", i), Version: "v1", TimeRange: within})
				want := map[string]int64{"200": int64(i + 1)}
				if i%2 == 1 {
					want["503"] = 1
				}
				if err != nil || st.MetricsErr != nil || st.Implementation.ID() != impls[i].ID() || fmt.Sprint(st.Traffic.StatusCodes) != fmt.Sprint(want) {
					t.Errorf("svc-%d (%q): %+v, %v; want %v", i, within, st, err, want)
				}
			}()
		}
	}
	wg.Wait()
	if got := srv.KonnectRequestCounts()[localkong.KonnectAnalytics]; got != 2 {
		t.Errorf("%d analytics queries for 40 statuses over two time ranges, want 2", got)
	}
	// The same reads, one query each, in runs of their own: the answers
	// the shared query gave.
	for i := range 3 {
		st, _, err := nextRun(t, srv).Analytics.Version(context.Background(), StatusQuery{Service: fmt.Sprint("svc-", i), Version: "v1"})
		if err != nil || st.Traffic.StatusCodes["200"] != int64(i+1) {
			t.Errorf("svc-%d alone: %+v, %v", i, st, err)
		}
	}
}

// Over 1000 services with traffic, the shared answer is cut: a service it
// lacks is asked on its own, and counts what it served.
func TestAnalytics_truncatedAnswerFallsBack(t *testing.T) {
	srv := konnectServer(t, localkong.Options{})
	impl := linkedVersions(t, srv, 1)[0]
	for i := range 1000 {
		srv.AddTraffic(localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID,
			ServiceID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Status: 200, Count: 5})
	}
	srv.ResetRequestCount()
	st, _, err := nextRun(t, srv).Analytics.Version(context.Background(), StatusQuery{Service: "svc-0", Version: "v1"})
	if err != nil || st.Implementation.ID() != impl.ID() || fmt.Sprint(st.Traffic.StatusCodes) != "map[200:1]" {
		t.Fatalf("%+v, %v", st, err)
	}
	if got := srv.KonnectRequestCounts()[localkong.KonnectAnalytics]; got != 2 {
		t.Errorf("%d analytics queries, want the shared one and the service's own", got)
	}
}

// A control plane the Kong Ingress Controller manages is read only: the
// check says so, naming it, and reads it once per run; other control
// planes pass, and off Konnect nothing is read.
func TestCheckWritable(t *testing.T) {
	kic := konnectServer(t, localkong.Options{ControlPlaneClusterType: localkong.ClusterTypeIngressController})
	c := nextRun(t, kic)
	for range 3 {
		err := c.CheckWritable(context.Background())
		var ro *ReadOnlyControlPlaneError
		if !errors.As(err, &ro) || ro.ID != kic.ControlPlaneID || !strings.Contains(err.Error(), "managed by the Kong Ingress Controller") ||
			!strings.Contains(err.Error(), `"localkong"`) {
			t.Fatalf("KIC: %v", err)
		}
	}
	if n := kic.KonnectRequestCounts()[localkong.KonnectControlPlanes]; n != 1 {
		t.Errorf("%d control plane reads in a run, want 1", n)
	}
	group := konnectServer(t, localkong.Options{ControlPlaneClusterType: localkong.ClusterTypeGroup})
	if err := nextRun(t, group).CheckWritable(context.Background()); err == nil || !strings.Contains(err.Error(), "control plane group") {
		t.Errorf("group: %v", err)
	}
	plain := konnectServer(t, localkong.Options{})
	if err := nextRun(t, plain).CheckWritable(context.Background()); err != nil {
		t.Errorf("a control plane: %v", err)
	}
	// Unreadable (here: refused) is taken as writable, and not asked again.
	if err := plain.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.Fault503}, MaxConsecutive: 100,
		Match: func(r *http.Request) bool {
			return strings.HasPrefix(r.URL.Path, "/v2/control-planes/") && !strings.Contains(r.URL.Path, "core-entities")
		}}); err != nil {
		t.Fatal(err)
	}
	c = nextRun(t, plain)
	if err := c.CheckWritable(context.Background()); err != nil {
		t.Errorf("unreadable: %v", err)
	}
	kong, err := localkong.NewTestServer(localkong.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer kong.Close()
	if err := newHub(t, hubConfig(kong)).CheckWritable(context.Background()); err != nil || kong.RequestCount() != 0 {
		t.Errorf("Kong Gateway: %v, %d requests", err, kong.RequestCount())
	}
}

// A new specification replaces the version document in place: the API
// keeps its id, labels and implementation; the document keeps its id and
// takes the new content's version. Removed, then set again, it is deleted
// and created.
func TestCatalog_specInPlace(t *testing.T) {
	srv := konnectServer(t, localkong.Options{})
	c, ctx := nextRun(t, srv), context.Background()
	spec1 := "openapi: 3.0.3\ninfo:\n  title: P\n  version: 1.0.0\npaths: {}\n"
	v, err := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1", Labels: map[string]string{"team": "pay"}}, &spec1)
	if err != nil || v.SpecVersion != "1.0.0" || v.SpecVersionID == "" {
		t.Fatalf("create: %+v, %v", v, err)
	}
	impl, err := c.Catalog.CreateImplementation(ctx, gateway("pay-v1"), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	spec2 := `{"openapi":"3.1.0","info":{"title":"P","version":"2.0.0"},"paths":{}}`
	up, err := c.Catalog.UpdateVersion(ctx, v, VersionChange{Spec: &spec2, SetSpec: true})
	if err != nil || up.ID != v.ID || up.SpecVersionID != v.SpecVersionID || up.SpecVersion != "2.0.0" || up.Labels["team"] != "pay" {
		t.Fatalf("in place: %+v, %v", up, err)
	}
	if l, err := nextRun(t, srv).Catalog.LinkOf(ctx, impl.ID()); err != nil || l == nil || l.VersionID != v.ID {
		t.Fatalf("the link after the update: %+v, %v", l, err)
	}
	// Without info.version the document takes the service version's,
	// renamed in the same change.
	bare := `{"swagger":"2.0","info":{"title":"P"}}`
	up, err = c.Catalog.UpdateVersion(ctx, up, VersionChange{Version: ptr("v9"), Spec: &bare, SetSpec: true})
	if err != nil || up.SpecVersion != "v9" || up.Version != "v9" || up.SpecVersionID != v.SpecVersionID {
		t.Fatalf("bare document: %+v, %v", up, err)
	}
	gone, err := c.Catalog.UpdateVersion(ctx, up, VersionChange{SetSpec: true})
	if err != nil || gone.HasSpec || gone.SpecVersionID != "" {
		t.Fatalf("removed: %+v, %v", gone, err)
	}
	back, err := c.Catalog.UpdateVersion(ctx, gone, VersionChange{Spec: &spec1, SetSpec: true})
	if err != nil || !back.HasSpec || back.SpecVersion != "1.0.0" || back.SpecVersionID == v.SpecVersionID || back.ID != v.ID {
		t.Fatalf("set again: %+v, %v", back, err)
	}
	// A stale document id (replaced out of band): the one the API holds is
	// found and replaced.
	stale := back
	stale.SpecVersionID = v.SpecVersionID
	if again, err := c.Catalog.UpdateVersion(ctx, stale, VersionChange{Spec: &spec2, SetSpec: true}); err != nil || again.SpecVersionID != back.SpecVersionID || again.SpecVersion != "2.0.0" {
		t.Fatalf("stale id: %+v, %v", again, err)
	}
}

// A POST of the version document whose answer is lost (it landed) is not
// sent twice: the API's document is found and replaced.
func TestCatalog_specPostLost(t *testing.T) {
	srv := konnectServer(t, localkong.Options{})
	c, ctx := nextRun(t, srv), context.Background()
	v, err := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	if err := srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropAfter}, Match: func(r *http.Request) bool {
		hit := false
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/versions") {
			once.Do(func() { hit = true })
		}
		return hit
	}}); err != nil {
		t.Fatal(err)
	}
	spec := "openapi: 3.0.3\ninfo:\n  version: 3.0.0\npaths: {}\n"
	up, err := c.Catalog.UpdateVersion(ctx, v, VersionChange{Spec: &spec, SetSpec: true})
	if err != nil || up.SpecVersion != "3.0.0" {
		t.Fatalf("%+v, %v", up, err)
	}
	if got := srv.FaultCounts()[localkong.FaultDropAfter]; got != 1 {
		t.Fatalf("%d lost answers, want 1", got)
	}
}

func ptr(s string) *string { return &s }

// The catalog's PATCH of labels is a merge to some servers (null removes
// a key) and a replacement to others (keys left out go, as Konnect's own
// generated clients assume, and localkong does): the provider's PATCH
// leaves the labels it asked for with either.
func TestCatalog_labelsWhicheverPatch(t *testing.T) {
	const cp = "6a2d8a5e-6f59-4c8e-9f0e-2d1c8e0b7a11"
	var mu sync.Mutex
	merged := map[string]any{"id": "9f5061ce-78f6-4452-9108-ad7c02821fd5", "name": "pay", "version": "v1",
		"labels": map[string]any{"team": "pay", "tier": "gold", "ui": "added-in-konnect"}}
	merging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPatch {
			var p map[string]any
			_ = json.NewDecoder(r.Body).Decode(&p)
			labels := merged["labels"].(map[string]any)
			for k, v := range p["labels"].(map[string]any) {
				if v == nil {
					delete(labels, k)
				} else {
					labels[k] = v
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(merged)
	}))
	defer merging.Close()
	replacing := konnectServer(t, localkong.Options{})
	ctx := context.Background()
	for name, c := range map[string]*Client{
		"merging": newHub(t, Config{Config: kongapi.Config{AdminURL: merging.URL + "/v2/control-planes/" + cp + "/core-entities", KonnectToken: catalogToken},
			Status: StatusConfig{MetricsURL: merging.URL + "/metrics"}}),
		"replacing": nextRun(t, replacing),
	} {
		prior := ServiceVersion{ID: merged["id"].(string), Service: "pay", Version: "v1"}
		if name == "replacing" {
			var err error
			if prior, err = c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1",
				Labels: map[string]string{"team": "pay", "tier": "gold", "ui": "added-in-konnect"}}, nil); err != nil {
				t.Fatal(err)
			}
		} else {
			prior.Labels = map[string]string{"team": "pay", "tier": "gold", "ui": "added-in-konnect"}
		}
		got, err := c.Catalog.UpdateVersion(ctx, prior, VersionChange{Labels: map[string]string{"team": "payments", "env": "prod"}})
		if err != nil || fmt.Sprint(got.Labels) != "map[env:prod team:payments]" {
			t.Errorf("%s server: %v, %v", name, got.Labels, err)
		}
	}
}
