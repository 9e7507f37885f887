package provider

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/servicehub/terraform-provider-servicehub/internal/konnectapi"
	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// catalogFleet is n catalog versions (v1, and v2 when moved), each
// implemented by a linked Gateway Service.
func catalogFleet(p string, n int, moved bool, label string) string {
	target := "v1"
	if moved {
		target = "v2"
	}
	return p + fmt.Sprintf(`
resource "servicehub_service_version" "v1" {
  count   = %[1]d
  service = "cf-${count.index}"
  version = "v1"
  labels  = { run = %[2]q }
}

resource "servicehub_service_version" "v2" {
  count   = %[1]d
  service = "cf-${count.index}"
  version = "v2"
  labels  = { run = %[2]q }
}

resource "servicehub_implementation" "cf" {
  count              = %[1]d
  service_version_id = servicehub_service_version.%[3]s[count.index].id
  name               = "cf-${count.index}"
  url                = "http://cf-${count.index}.internal/"
}
`, n, label, target)
}

// catalogHolds checks the catalog holds exactly one API per name and
// version, each with the label, and exactly one link per implementation,
// to the version it should implement, and that Kong holds exactly the n
// Gateway Services. Faults are paused while it looks.
func catalogHolds(t *testing.T, srv *localkong.Server, faults *localkong.Faults, n int, target, label string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if err := srv.SetFaults(nil); err != nil {
			return err
		}
		defer func() { _ = srv.SetFaults(faults) }()
		var problems []string
		svcs, err := konnectKong(t, srv).Services.ListAll(context.Background())
		if err != nil {
			return err
		}
		byName := map[string]string{}
		for _, s := range svcs {
			byName[*s.Name] = *s.ID
		}
		if len(svcs) != n || len(byName) != n {
			problems = append(problems, fmt.Sprintf("%d Gateway Services, want %d", len(svcs), n))
		}
		links := catalogLinks(t, srv, "")
		if len(links) != n {
			problems = append(problems, fmt.Sprintf("%d links in the catalog, want %d", len(links), n))
		}
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("cf-%d", i)
			apis := catalogAPIs(t, srv, name)
			seen := map[string]int{}
			for _, a := range apis {
				v := a["version"].(string)
				seen[v]++
				if a["labels"].(map[string]any)["run"] != label {
					problems = append(problems, fmt.Sprintf("%s %s: labels %v", name, v, a["labels"]))
				}
				want := ""
				if v == target {
					want = byName[name]
				}
				if got := linkedService(t, srv, a["id"].(string)); got != want {
					problems = append(problems, fmt.Sprintf("%s %s: implemented by %q, want %q", name, v, got, want))
				}
			}
			if seen["v1"] != 1 || seen["v2"] != 1 || len(apis) != 2 {
				problems = append(problems, fmt.Sprintf("%s: APIs by version %v, want one v1 and one v2", name, seen))
			}
		}
		if len(problems) > 0 {
			sort.Strings(problems)
			return fmt.Errorf("the catalog does not hold exactly the configuration:\n%s", strings.Join(problems, "\n"))
		}
		return nil
	}
}

// A fifth of catalog writes fail (429, 502, or the connection dropped
// after the catalog committed the write): creates, label updates (PATCH),
// link moves (DELETE then POST) and destroy still converge, with exactly
// one API per service and version and one link per implementation. POSTs
// are never replayed blindly: a lost one is found by name and version (an
// API) or by the API's implementation (a link) before it is sent again.
func TestAccCatalogFaults(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	faults := &localkong.Faults{
		Rate: 0.2, Seed: 12, MaxConsecutive: 3, InTurn: true,
		Kinds:   []localkong.FaultKind{localkong.Fault429, localkong.Fault502, localkong.FaultDropAfter},
		Methods: []string{http.MethodPost, http.MethodPatch, http.MethodDelete},
		Match:   func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/v3/") },
	}
	if err := srv.SetFaults(faults); err != nil {
		t.Fatal(err)
	}
	const n = 6
	p := konnectProvider(srv)
	created, moved := catalogFleet(p, n, false, "a"), catalogFleet(p, n, true, "b")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if err := srv.SetFaults(nil); err != nil {
				return err
			}
			links := catalogLinks(t, srv, "")
			status, apis := catalogCall(t, srv, http.MethodGet, "/v3/apis", nil)
			svcs, err := konnectKong(t, srv).Services.ListAll(context.Background())
			if err != nil || status != http.StatusOK || len(links) != 0 || len(apis["data"].([]any)) != 0 || len(svcs) != 0 {
				return fmt.Errorf("left after destroy: %d links, %v APIs, %d services (%v)", len(links), apis["meta"], len(svcs), err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: created, Check: catalogHolds(t, srv, faults, n, "v1", "a")},
			emptyPlanStep(created),
			{Config: moved, Check: catalogHolds(t, srv, faults, n, "v2", "b")},
			emptyPlanStep(moved),
		},
	})
	counts := srv.FaultCounts()
	for _, k := range faults.Kinds {
		if counts[k] == 0 {
			t.Errorf("no %s fault was injected (%v): the test proved nothing about it", k, counts)
		}
	}
	t.Logf("faults injected on catalog writes: %v", counts)
}

// TestAccCatalogRequestBudget counts the catalog requests of a no-op plan
// over 2n versions and n implementations linked to n of them, through the
// run's catalog cache (konnectapi.Cache): its direct reads, then one
// listing of each kind read. Nothing else, and no write.
func TestAccCatalogRequestBudget(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{})
	var mu sync.Mutex
	counts := map[string]int{}
	counting := &localkong.Faults{Latency: time.Nanosecond, Match: func(r *http.Request) bool {
		if strings.HasPrefix(r.URL.Path, "/v3/") {
			key := r.Method + " " + r.URL.Path
			if strings.HasPrefix(r.URL.Path, "/v3/apis/") {
				key = r.Method + " /v3/apis/{id}"
			}
			mu.Lock()
			counts[key]++
			mu.Unlock()
		}
		return false
	}}
	const n = 5
	config := catalogFleet(konnectProvider(srv), n, false, "a")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := srv.SetFaults(counting); err != nil {
						t.Fatal(err)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					if err := srv.SetFaults(nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
	mu.Lock()
	defer mu.Unlock()
	// A PlanOnly step runs two plans, each a run of its own: without
	// refresh (n implementations check their version: two direct reads,
	// then the listing of APIs) and with it (2n versions read, then n
	// links and n versions checked: two direct reads of versions, the
	// listing of APIs, the listing of links). Per version, it was three.
	direct := konnectapi.DirectReads
	want := map[string]int{"GET /v3/apis/{id}": 2 * direct, "GET /v3/apis": 2, "GET /v3/api-implementations": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("catalog requests of a no-op plan: %v, want %v", counts, want)
	}
	t.Logf("catalog requests of a no-op plan over %d linked implementations: %v", n, counts)
}
