package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/kong/go-kong/kong"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// A control plane the Kong Ingress Controller manages keeps its core
// entities read only in Konnect: a plan that would create, change or
// delete an implementation or a route there is refused, saying why,
// before anything is written, and the control plane is read once per run.
// The catalog is not core entities: its versions are managed as anywhere.
func TestAccReadOnlyControlPlane(t *testing.T) {
	t.Parallel()
	srv := startKonnect(t, localkong.Options{ControlPlaneClusterType: localkong.ClusterTypeIngressController})
	p := konnectProvider(srv)
	// What the Ingress Controller wrote.
	ingress, err := konnectKong(t, srv).Services.Create(context.Background(), &kong.Service{
		Name: kong.String("ingress-svc"), URL: kong.String("http://ingress.internal"), Tags: kong.StringSlice("managed-by-ingress-controller"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// A Gateway Service made there by hand, without the controller's tag
	// (one with it is never imported: TestAccShared_ingressController).
	if _, err := konnectKong(t, srv).Services.Create(context.Background(), &kong.Service{
		Name: kong.String("hand-svc"), URL: kong.String("http://hand.internal"),
	}); err != nil {
		t.Fatal(err)
	}
	version := `
resource "servicehub_service_version" "kic" {
  service = "kic"
  version = "v1"
}
`
	linked := version + `
resource "servicehub_implementation" "kic" {
  service_version_id = servicehub_service_version.kic.id
  name               = "kic-v1"
  url                = "http://kic.internal"
}

resource "servicehub_route" "kic" {
  implementation_id = servicehub_implementation.kic.id
  name              = "kic"
  paths             = ["/kic"]
}

resource "servicehub_route" "ingress" {
  implementation_id = "` + *ingress.ID + `"
  name              = "ingress"
  paths             = ["/ingress"]
}

resource "servicehub_plugin" "ingress" {
  implementation_id = "` + *ingress.ID + `"
  name              = "cors"
}
`
	// The hand-made service, imported.
	imported := version + `
resource "servicehub_implementation" "hand" {
  service = "kic"
  version = "v2"
  name    = "hand-svc"
  url     = "http://hand.internal"
}
`
	refused := func(noun string) string {
		return `The ` + noun + ` cannot be changed: the control plane is read only.*Control plane "localkong" \(` + srv.ControlPlaneID +
			`\) is managed by the Kong Ingress Controller \(cluster type CLUSTER_TYPE_K8S_INGRESS_CONTROLLER\): Konnect keeps its core entities read only.*Nothing was written`
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig:   srv.ResetRequestCount,
				Config:      p + linked,
				ExpectError: anyOrder(refused("implementation"), refused("plugin"), refused("route")),
			},
			{
				PreConfig: func() {
					counts, k := srv.RequestCounts(), srv.KonnectRequestCounts()
					if len(counts) != 1 || counts["GET"] == 0 || k[localkong.KonnectControlPlanes] != 1 {
						t.Fatalf("the refused plan sent %v (%v): want reads only, and the control plane read once", counts, k)
					}
				},
				// The catalog is writable: the version alone applies.
				Config: p + version,
			},
			{
				Config: p + imported, ResourceName: "servicehub_implementation.hand", ImportState: true,
				ImportStateId: "hand-svc", ImportStatePersist: true,
			},
			{
				// Imported, it reads; the provider's tags would change it.
				Config:      p + imported,
				PlanOnly:    true,
				ExpectError: errorRE(refused("implementation")),
			},
			{
				// Removed from the configuration: not deleted either.
				Config:      p + version,
				PlanOnly:    true,
				ExpectError: errorRE(refused("implementation") + `.*terraform state rm`),
			},
			{
				// Once the control plane is an ordinary one, the same plan
				// deletes it.
				PreConfig: func() {
					if err := srv.SetControlPlaneClusterType(""); err != nil {
						t.Fatal(err)
					}
				},
				Config: p + version,
				Check: func(*terraform.State) error {
					if _, err := konnectKong(t, srv).Services.Get(context.Background(), kong.String("hand-svc")); !kong.IsNotFoundErr(err) {
						return fmt.Errorf("hand-svc after the destroy: %v", err)
					}
					return nil
				},
			},
		},
	})
}

// anyOrder matches an error holding every one of the patterns, in any
// order (Terraform reports parallel resources' errors as they come).
func anyOrder(patterns ...string) *regexp.Regexp {
	var orders []string
	var permute func(done []string, rest []string)
	permute = func(done, rest []string) {
		if len(rest) == 0 {
			orders = append(orders, strings.Join(done, ".*"))
			return
		}
		for i := range rest {
			next := append(append([]string(nil), rest[:i]...), rest[i+1:]...)
			permute(append(append([]string(nil), done...), rest[i]), next)
		}
	}
	permute(nil, patterns)
	return errorRE("(?:" + strings.Join(orders, "|") + ")")
}
