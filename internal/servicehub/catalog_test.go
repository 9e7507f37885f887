package servicehub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/kongapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

const catalogToken = "kpat_servicehubcatalogtest0123456789abcdef"

// konnectHub is a Client on a localkong -konnect control plane.
func konnectHub(t *testing.T) (*Client, *localkong.Server) {
	t.Helper()
	srv, err := localkong.NewTestServer(localkong.Options{Konnect: true, AdminToken: catalogToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return nextRun(t, srv), srv
}

// nextRun is another run's Client (a provider configuration of its own)
// on srv: nothing read by an earlier one is shared with it.
func nextRun(t *testing.T, srv *localkong.Server) *Client {
	t.Helper()
	return newHub(t, Config{
		Config: kongapi.Config{AdminURL: srv.ControlPlaneURL(""), KonnectToken: catalogToken, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond},
		Status: StatusConfig{MetricsURL: srv.ControlPlaneURL("") + "/metrics", ProxyURL: srv.ProxyURL},
	})
}

// post calls the catalog behind the client's back; X-Test marks it for
// hooks.
func post(t *testing.T, srv *localkong.Server, path string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, srv.AdminURL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+catalogToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Test", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s: %d %v", path, resp.StatusCode, out)
	}
	return out
}

func gateway(name string) Implementation {
	return Implementation{Gateway: kong.Service{Name: kong.String(name), Host: kong.String(name + ".internal")}}
}

func TestCatalog_offKonnect(t *testing.T) {
	srv, err := localkong.NewTestServer(localkong.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := newHub(t, hubConfig(srv))
	var none *NoCatalogError
	if _, err := c.Catalog.GetVersion(context.Background(), "x"); !errors.As(err, &none) || c.Analytics != nil {
		t.Fatalf("off Konnect: %v, analytics %v", err, c.Analytics)
	}
}

// A create checks first, writes the Gateway Service, links it; service and
// version come from the catalog.
func TestCatalog_createImplementation(t *testing.T) {
	c, _ := konnectHub(t)
	ctx := context.Background()
	v, err := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	impl, err := c.Catalog.CreateImplementation(ctx, gateway("pay-v1"), v.ID)
	if err != nil || impl.Service != "pay" || impl.Version != "v1" {
		t.Fatalf("created %+v, %v", impl, err)
	}
	l, err := c.Catalog.LinkOf(ctx, impl.ID())
	if err != nil || l == nil || l.VersionID != v.ID {
		t.Fatalf("link %+v, %v", l, err)
	}
	// A second implementation is refused before anything is written.
	_, err = c.Catalog.CreateImplementation(ctx, gateway("pay-v1-b"), v.ID)
	var taken *VersionImplementedError
	if !errors.As(err, &taken) || taken.ByName != "pay-v1" {
		t.Fatalf("second implementation: %v", err)
	}
	if _, err := c.Implementations.Get(ctx, "pay-v1-b"); !IsNotFound(err) {
		t.Fatalf("the refused create wrote its Gateway Service: %v", err)
	}
	// Moving and removing the link; then deleting unlinks first.
	v2, _ := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v2"}, nil)
	if err := c.Catalog.MoveLink(ctx, impl.ID(), v2.ID); err != nil {
		t.Fatal(err)
	}
	if by, _ := c.Catalog.Implementer(ctx, v2.ID); by == nil || by.ServiceID != impl.ID() {
		t.Fatalf("after the move v2 is implemented by %+v", by)
	}
	if by, _ := c.Catalog.Implementer(ctx, v.ID); by != nil {
		t.Fatalf("after the move v1 is still implemented by %+v", by)
	}
	if err := c.Catalog.DeleteImplementation(ctx, impl, MarkOf(impl)); err != nil {
		t.Fatal(err)
	}
	if by, _ := c.Catalog.Implementer(ctx, v2.ID); by != nil {
		t.Fatalf("after delete v2 is still implemented by %+v", by)
	}
}

// Another run links the version between the check and the link: the
// catalog refuses, and the Gateway Service written is deleted again.
func TestCatalog_refusedLinkIsUndone(t *testing.T) {
	c, srv := konnectHub(t)
	ctx := context.Background()
	v, err := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rivalImpl := gateway("rival")
	rivalImpl.Service, rivalImpl.Version = "rival", "v1"
	rival, err := c.Implementations.Create(ctx, rivalImpl)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	err = srv.SetFaults(&localkong.Faults{Latency: time.Nanosecond, Match: func(r *http.Request) bool {
		if r.Method == http.MethodPost && r.Header.Get("X-Test") == "" && r.URL.Path == "/v3/apis/"+v.ID+"/implementations" {
			once.Do(func() {
				post(t, srv, "/v3/apis/"+v.ID+"/implementations",
					map[string]any{"service": map[string]any{"control_plane_id": srv.ControlPlaneID, "id": rival.ID()}})
			})
		}
		return false
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Catalog.CreateImplementation(ctx, gateway("mine"), v.ID)
	var undone *UndoneError
	var taken *VersionImplementedError
	if !errors.As(err, &undone) || undone.UndoErr != nil || !errors.As(err, &taken) || taken.ByName != "rival" {
		t.Fatalf("create: %v", err)
	}
	if _, err := c.Implementations.Get(ctx, undone.ServiceID); !IsNotFound(err) {
		t.Fatalf("Gateway Service %s left behind: %v", undone.ServiceID, err)
	}
}

// Analytics unavailable is a status with MetricsErr saying why, not an
// error; counts come by status code for the implementation.
func TestAnalytics_version(t *testing.T) {
	c, srv := konnectHub(t)
	ctx := context.Background()
	v, _ := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1"}, nil)
	impl, err := c.Catalog.CreateImplementation(ctx, gateway("pay-v1"), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddTraffic(localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID, ServiceID: impl.ID(), Status: 201, Count: 2},
		localkong.TrafficRecord{ControlPlaneID: srv.ControlPlaneID, ServiceID: "other", Status: 500, Count: 7})
	st, got, err := c.Analytics.Version(ctx, StatusQuery{VersionID: v.ID})
	if err != nil || got.Service != "pay" || st.Implementation == nil || st.Traffic.Total != 2 || st.Traffic.StatusCodes["201"] != 2 {
		t.Fatalf("status %+v (version %+v), %v", st, got, err)
	}
	if err := srv.SetAnalyticsUnavailable(localkong.AnalyticsNoEntitlement); err != nil {
		t.Fatal(err)
	}
	// Within a run the answer is shared: asked again, it is the same.
	if st, _, err = c.Analytics.Version(ctx, StatusQuery{Service: "pay", Version: "v1"}); err != nil || st.MetricsErr != nil || st.Traffic.Total != 2 {
		t.Fatalf("the run's second read: %+v, %v", st, err)
	}
	st, _, err = nextRun(t, srv).Analytics.Version(ctx, StatusQuery{Service: "pay", Version: "v1"})
	var un *AnalyticsUnavailableError
	if err != nil || !errors.As(st.MetricsErr, &un) || un.Status != http.StatusForbidden || st.Implementation == nil {
		t.Fatalf("unavailable: %+v, %v", st, err)
	}
}

// A create marks its API with a label only it knows: kept from the
// version's labels (and from configurations), and what settling a lost
// create goes by. Here the create's POST is lost before the catalog had
// it, and meanwhile another run creates the same version: the create must
// not take that API for its own, but say it exists, naming it.
func TestCatalog_createNeverAdoptsAnotherRunsAPI(t *testing.T) {
	c, srv := konnectHub(t)
	ctx := context.Background()
	mine, err := c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v0", Labels: map[string]string{"team": "pay"}}, nil)
	if err != nil || len(mine.Labels) != 1 || mine.Labels["team"] != "pay" {
		t.Fatalf("created %+v (%v): want the configured labels only", mine, err)
	}
	if err := ValidateLabelKey(createLabel); err == nil {
		t.Fatalf("%s is accepted in a configuration", createLabel)
	}
	var other map[string]any
	err = srv.SetFaults(&localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropBefore}, MaxConsecutive: 1,
		Match: func(r *http.Request) bool {
			if r.Method != http.MethodPost || r.URL.Path != "/v3/apis" || r.Header.Get("X-Test") != "" {
				return false
			}
			if other == nil {
				other = post(t, srv, "/v3/apis", map[string]any{"name": "pay", "version": "v1"})
			}
			return true
		}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Catalog.CreateVersion(ctx, ServiceVersion{Service: "pay", Version: "v1"}, nil)
	var exists *VersionExistsError
	if !errors.As(err, &exists) || other == nil || exists.ID != other["id"] {
		t.Fatalf("create: %v; want the version another run created (%v) named", err, other)
	}
	if n := srv.FaultCounts()[localkong.FaultDropBefore]; n != 1 {
		t.Fatalf("%d POSTs lost, want 1", n)
	}
}
