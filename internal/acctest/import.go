package acctest

import (
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// ImportSteps are the steps that end a resource's test: import by ID must read back the state
// the configuration produced (ImportStateVerify, less the attributes in ignore, which import
// cannot know), and importing into the test's own configuration with an `import {}` block must
// plan no change at all — a user who imports and runs plan sees no diff, and apply writes
// nothing. Both steps use the configuration of the step before them.
func ImportSteps(resourceName string, ignore ...string) []resource.TestStep {
	return []resource.TestStep{
		{
			ResourceName:            resourceName,
			ImportState:             true,
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: ignore,
		},
		{
			// The resource is removed from a copy of the state and imported again through an
			// import block: the plan must be a no-op import, with no change to any resource.
			ResourceName:    resourceName,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportPlanChecks: resource.ImportPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		},
	}
}
