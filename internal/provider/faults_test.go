package provider

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// kongHolds lists what Kong really holds, with fault injection paused so
// the check itself cannot fail on one, and compares it with the expected
// services (name → upstream host) and routes (name → service name, path).
func kongHolds(t *testing.T, srv *testKong, faults *localkong.Faults, services map[string]string, routes map[string][2]string) error {
	t.Helper()
	if err := srv.SetFaults(nil); err != nil {
		return err
	}
	defer func() { _ = srv.SetFaults(faults) }()
	ctx := context.Background()
	kc := kongClient(t, srv.AdminURL, "", "")
	svcs, err := kc.Services.ListAll(ctx)
	if err != nil {
		return err
	}
	rts, err := kc.Routes.ListAll(ctx)
	if err != nil {
		return err
	}
	var problems []string
	nameByID := map[string]string{}
	seen := map[string]int{}
	for _, s := range svcs {
		name := deref(s.Name)
		nameByID[*s.ID] = name
		seen[name]++
		want, ok := services[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("unexpected service %q (id %s)", name, *s.ID))
		case deref(s.Host) != want:
			problems = append(problems, fmt.Sprintf("service %q: host %q, want %q", name, deref(s.Host), want))
		}
	}
	for _, r := range rts {
		name := deref(r.Name)
		seen["route "+name]++
		want, ok := routes[name]
		var svc string
		if r.Service != nil && r.Service.ID != nil {
			svc = nameByID[*r.Service.ID]
		}
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("unexpected route %q (id %s)", name, *r.ID))
		case svc != want[0] || len(r.Paths) != 1 || *r.Paths[0] != want[1]:
			problems = append(problems, fmt.Sprintf("route %q: on %q with paths %v, want on %q with [%s]", name, svc, strList(r.Paths), want[0], want[1]))
		}
	}
	for name := range services {
		if seen[name] != 1 {
			problems = append(problems, fmt.Sprintf("service %q: %d in Kong, want 1", name, seen[name]))
		}
	}
	for name := range routes {
		if seen["route "+name] != 1 {
			problems = append(problems, fmt.Sprintf("route %q: %d in Kong, want 1", name, seen["route "+name]))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("… and %d more", len(problems)-10))
		}
		return fmt.Errorf("Kong does not hold exactly the configuration:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

// faultFleet is n implementations with a route each. Version v2 moves every
// upstream and path, so that an update rewrites every entity.
func faultFleet(adminURL string, n int, version string, extra ...string) (config string, services map[string]string, routes map[string][2]string) {
	return namedFleet("ff", adminURL, n, version, extra...)
}

// namedFleet is faultFleet with names, services and paths starting with
// prefix (a Terraform identifier).
func namedFleet(prefix, adminURL string, n int, version string, extra ...string) (config string, services map[string]string, routes map[string][2]string) {
	services, routes = map[string]string{}, map[string][2]string{}
	for i := 0; i < n; i++ {
		services[fmt.Sprintf("%s-%d", prefix, i)] = fmt.Sprintf("%s-%d-%s.internal", prefix, i, version)
		routes[fmt.Sprintf("%s-%d", prefix, i)] = [2]string{fmt.Sprintf("%s-%d", prefix, i), fmt.Sprintf("/%s/%s-%d", version, prefix, i)}
	}
	config = providerConfig(adminURL, extra...) + fmt.Sprintf(`
resource "servicehub_implementation" "%[3]s" {
  count   = %[1]d
  service = "%[3]s-${count.index}"
  version = "v1"
  name    = "%[3]s-${count.index}"
  url     = "http://%[3]s-${count.index}-%[2]s.internal:8080/api"
}

resource "servicehub_route" "%[3]s" {
  count             = %[1]d
  implementation_id = servicehub_implementation.%[3]s[count.index].id
  name              = "%[3]s-${count.index}"
  paths             = ["/%[2]s/%[3]s-${count.index}"]
}
`, n, version, prefix)
	return config, services, routes
}

// TestAccFaults_fleet applies, updates and destroys 50 implementations
// and 50 routes while a fifth of the Admin API requests fail: rate limits,
// gateway errors, and connections dropped before the request was handled
// or after it was committed. Kong must end up holding exactly the
// configuration at every step, and the plan after each apply must be empty
// (which the test framework checks after every step).
func TestAccFaults_fleet(t *testing.T) {
	t.Parallel()
	const n = 50
	faults := &localkong.Faults{
		Rate: 0.2, Seed: 8, RetryAfter: 0,
		// Every kind is exercised, whichever requests draw the faults.
		InTurn: true,
		// A request never fails more times in a row than max_retries
		// allows, so the outcome does not depend on luck.
		MaxConsecutive: 4,
	}
	srv := startKong(t, localkong.Options{Faults: faults})
	v1, svcs1, routes1 := faultFleet(srv.AdminURL, n, "v1", "max_retries = 4")
	v2, svcs2, routes2 := faultFleet(srv.AdminURL, n, "v2", "max_retries = 4")
	ids := map[string]string{}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			return kongHolds(t, srv, faults, nil, nil)
		},
		Steps: []resource.TestStep{
			{
				Config: v1,
				Check: func(s *terraform.State) error {
					for k, r := range s.RootModule().Resources {
						ids[k] = r.Primary.ID
					}
					return kongHolds(t, srv, faults, svcs1, routes1)
				},
			},
			{
				Config: v2,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("servicehub_implementation.ff[7]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("servicehub_route.ff[7]", plancheck.ResourceActionUpdate),
					},
				},
				Check: func(s *terraform.State) error {
					for k, r := range s.RootModule().Resources {
						if ids[k] != r.Primary.ID {
							return fmt.Errorf("%s was replaced (%s → %s), want an update in place", k, ids[k], r.Primary.ID)
						}
					}
					return kongHolds(t, srv, faults, svcs2, routes2)
				},
			},
		},
	})

	counts := srv.FaultCounts()
	t.Logf("faults injected: %v", counts)
	for _, k := range localkong.AllFaults {
		if counts[k] == 0 {
			t.Errorf("no %s fault was injected; the test did not exercise it", k)
		}
	}
}

// TestAccFaults_retriesExhausted: with every request failing, the error
// says what failed, after how many attempts, and that running again is
// safe; once Kong recovers, the same configuration converges to one
// implementation.
func TestAccFaults_retriesExhausted(t *testing.T) {
	t.Parallel()
	skipExternal(t, "injects faults (localkong SetFaults)")
	down := &localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.Fault503}}
	srv := startKong(t, localkong.Options{})
	config := providerConfig(srv.AdminURL, "max_retries = 2") + simpleImpl
	one := map[string]string{"payments-v1": "payments.internal"}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy:             func(*terraform.State) error { return kongHolds(t, srv, nil, nil, nil) },
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { _ = srv.SetFaults(down) },
				Config:      config,
				ExpectError: errorRE(`HTTP 503: Service Temporarily Unavailable \(gave up after 3 attempts; max_retries = 2\)\. .*safe and converges`),
			},
			{
				PreConfig: func() { _ = srv.SetFaults(nil) },
				Config:    config,
				Check:     func(*terraform.State) error { return kongHolds(t, srv, nil, one, nil) },
			},
		},
	})
}

// TestAccFaults_lostResponses: every write is applied by Kong but its
// response is lost, on every attempt (a retried POST meets its own first
// attempt as a primary key violation). The provider asks Kong for the id
// it wrote and carries on, so the apply succeeds and nothing is duplicated.
func TestAccFaults_lostResponses(t *testing.T) {
	t.Parallel()
	lost := &localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropAfter}, Methods: []string{"PUT", "POST"}}
	srv := startKong(t, localkong.Options{Faults: lost})
	config, svcs, routes := faultFleet(srv.AdminURL, 3, "v1", "max_retries = 1")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy:             func(*terraform.State) error { return kongHolds(t, srv, lost, nil, nil) },
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				if n := srv.FaultCounts()[localkong.FaultDropAfter]; n < 12 {
					return fmt.Errorf("%d responses lost, want every write attempt's (12)", n)
				}
				return kongHolds(t, srv, lost, svcs, routes)
			},
		}},
	})
}

// TestAccFaults_unconfirmedCreateIsTainted: the create's response is lost
// and Kong cannot even be asked afterwards. The implementation is kept in
// state as tainted under the id that was written, and the next apply
// replaces it instead of creating a second one.
func TestAccFaults_unconfirmedCreateIsTainted(t *testing.T) {
	t.Parallel()
	skipExternal(t, "injects faults (localkong SetFaults)")
	// The version check's listing gets through; the create and the
	// lookup of what it wrote do not.
	dropAll := &localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropAfter}, Match: func(r *http.Request) bool {
		return r.Method == http.MethodPost || r.Method == http.MethodPut || strings.HasPrefix(r.URL.Path, "/services/")
	}}
	srv := startKong(t, localkong.Options{})
	config := providerConfig(srv.AdminURL, "max_retries = 1") + simpleImpl
	one := map[string]string{"payments-v1": "payments.internal"}
	var first, token string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy:             func(*terraform.State) error { return kongHolds(t, srv, nil, nil, nil) },
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { _ = srv.SetFaults(dropAll) },
				Config:      config,
				ExpectError: errorRE(`Whether Kong created the Gateway Service \(id [0-9a-f-]{36}\) could not be checked.*tainted`),
			},
			{
				// Kong holds the service the lost create made: one, under
				// the id Terraform recorded.
				PreConfig: func() {
					_ = srv.SetFaults(nil)
					svcs, err := kongClient(t, srv.AdminURL, "", "").Services.ListAll(context.Background())
					if err != nil || len(svcs) != 1 {
						t.Fatalf("after the lost create Kong holds %d services (%v), want 1", len(svcs), err)
					}
					first, token = *svcs[0].ID, createToken(svcs[0])
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error { return kongHolds(t, srv, nil, one, nil) },
					// Replaced at the same slot id: a new insert, with a
					// token of its own.
					func(s *terraform.State) error {
						svc, err := kongClient(t, srv.AdminURL, "", "").Services.Get(context.Background(), &first)
						if id := s.RootModule().Resources[res].Primary.ID; err != nil || id != first || createToken(svc) == token {
							return fmt.Errorf("state id %s, Kong %v, %v: want the tainted service %s replaced", id, svc, err, first)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccFaults_deleteRetried: deletes whose responses are lost are retried
// and find the entity gone (204), which is success.
func TestAccFaults_deleteRetried(t *testing.T) {
	t.Parallel()
	lostDeletes := &localkong.Faults{Rate: 1, Kinds: []localkong.FaultKind{localkong.FaultDropAfter}, Methods: []string{"DELETE"}, MaxConsecutive: 1}
	srv := startKong(t, localkong.Options{Faults: lostDeletes})
	config, svcs, routes := faultFleet(srv.AdminURL, 3, "v1", "max_retries = 2")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: func(*terraform.State) error {
			if n := srv.FaultCounts()[localkong.FaultDropAfter]; n < 6 {
				return fmt.Errorf("%d delete responses lost, want one per entity (6)", n)
			}
			return kongHolds(t, srv, lostDeletes, nil, nil)
		},
		Steps: []resource.TestStep{{
			Config: config,
			Check:  func(*terraform.State) error { return kongHolds(t, srv, lostDeletes, svcs, routes) },
		}},
	})
}

// createToken is the servicehub:create= tag of the insert that made svc.
func createToken(svc *kong.Service) string {
	for _, t := range kongTags(svc) {
		if strings.HasPrefix(t, "servicehub:create=") {
			return t
		}
	}
	return ""
}
