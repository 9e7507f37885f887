package provider

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/servicehub/terraform-provider-servicehub/internal/localkong"
)

// TestAccExamples applies the documentation's examples, so they cannot rot.
func TestAccExamples(t *testing.T) {
	t.Parallel()
	example, err := os.ReadFile("../../examples/resources/servicehub_implementation/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	srv := startKong(t, localkong.Options{}).uses("payments", "payments-v1", "orders", "orders-v2")
	config := providerConfig(srv.AdminURL) + srv.hcl(string(example))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			emptyPlanStep(config),
			{ResourceName: "servicehub_implementation.payments_v1", ImportState: true, ImportStateId: srv.n("payments-v1"), ImportStateVerify: true},
			{ResourceName: "servicehub_implementation.orders_v2", ImportState: true, ImportStateVerify: true},
		},
	})
}
