package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// emptyPlanStep plans config again and expects no change: what was applied
// reads back from Kong as configured.
func emptyPlanStep(config string) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}
}

// recordID saves addr's id, for recreatedStep to compare against.
func recordID(addr string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		*id = s.RootModule().Resources[addr].Primary.ID
		return nil
	}
}

// recreatedStep runs del, which deletes addr's object behind Terraform's
// back: the plan must recreate it, without error and under an id other
// than *oldID.
func recreatedStep(config, addr string, oldID *string, del func()) resource.TestStep {
	return resource.TestStep{
		PreConfig: del,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
		},
		Check: func(s *terraform.State) error {
			if id := s.RootModule().Resources[addr].Primary.ID; id == *oldID {
				return fmt.Errorf("recreated with the old id %s", id)
			}
			return nil
		},
	}
}
