package applicationversion_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// badInput is a configuration the provider must refuse at plan time, without writing to Azure.
type badInput struct {
	name string
	v    version
	err  string
	// passesWithRaisedLimits: the same configuration plans with the service_limits raised.
	passesWithRaisedLimits bool
}

func badInputs(t *testing.T) []badInput {
	return []badInput{
		{name: "region replica count 0", v: version{regions: region("var.location", "    regional_replica_count = 0\n")},
			err: `regional_replica_count\s+value\s+must\s+be\s+at\s+least\s+1`},
		{name: "top-level replica count 0", v: version{extra: "  replica_count = 0"},
			err: `replica_count\s+value\s+must\s+be\s+at\s+least\s+1`},
		{name: "region replica count over the limit", v: version{regions: region("var.location", "    regional_replica_count = 4\n")},
			err: `(?s)Replica count out of range.*between\s+1\s+and\s+3.*service_limits.max_replicas_per_region`, passesWithRaisedLimits: true},
		{name: "top-level replica count over the limit", v: version{extra: "  replica_count = 4"},
			err: `(?s)Replica count out of range.*between\s+1\s+and\s+3.*service_limits.max_replicas_per_region`, passesWithRaisedLimits: true},
		{name: "duplicate regions by display and short name", v: version{regions: regions(region("var.location", ""), region(`"East US 2"`, ""))},
			err: `(?s)Duplicate target region.*same\s+region\s+\(eastus2\)`},
		{name: "location missing from regions", v: version{regions: region("var.secondary_location", "")},
			err: `(?s)Location missing from target regions.*target_region`},
		{name: "block blob with default limits", v: version{mediaLink: "var.block_blob_url"},
			err: `(?s)Package blob type not allowed.*BlockBlob.*service_limits.allowed_blob_types`, passesWithRaisedLimits: true},
		{name: "oversize page blob", v: version{mediaLink: "var.oversize_blob_url"},
			err: `(?s)Package blob too large.*1073742336\s+bytes.*1073741824`, passesWithRaisedLimits: true},
		{name: "unreadable blob", v: version{mediaLink: fmt.Sprintf("%q", badSignature(t, acctest.Env("TF_VAR_page_blob_url")))},
			err: `(?s)Package blob not readable.*403`},
		{name: "unreadable configuration blob", v: version{configLink: fmt.Sprintf("%q", badSignature(t, acctest.Env("TF_VAR_config_blob_url")))},
			err: `(?s)Package blob not readable.*default\s+configuration\s+file.*403`},
		{name: "non-semver name", v: version{name: "1.0"},
			err: `(?s)Invalid application version name.*Major.Minor.Patch`},
		{name: "int32 overflow in name", v: version{name: "1.2147483648.0"},
			err: `(?s)Invalid application version name.*larger than 2147483647`},
		{name: "4097-character install script", v: version{install: strings.Repeat("x", 4097)},
			err: `(?s)manage_actions.install\s+string\s+length\s+must\s+be\s+between\s+1\s+and\s+4096`},
		{name: "4097-character package file name", v: version{extra: fmt.Sprintf("  settings {\n    package_file_name = %q\n  }", strings.Repeat("f", 4097))},
			err: `(?s)settings.package_file_name\s+string\s+length\s+must\s+be\s+between\s+1\s+and\s+4096`},
	}
}

// Each bad input fails plan with a message naming the problem and the fix, and no ARM write.
func TestAccApplicationVersion_badInputFailsAtPlan(t *testing.T) {
	for _, c := range badInputs(t) {
		t.Run(c.name, func(t *testing.T) {
			gallery := acctest.RandomName("accbad")
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      testConfig(gallery, "", c.v),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(c.err),
				}},
			})
			checkNoWrites(t)
		})
	}
}

// With service_limits raised in the provider block, the configurations refused only for the
// limits plan without error.
func TestAccApplicationVersion_raisedLimitsPassPlan(t *testing.T) {
	for _, c := range badInputs(t) {
		if !c.passesWithRaisedLimits {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			gallery := acctest.RandomName("acclim")
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:             testConfig(gallery, raisedLimits, c.v),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
				}},
			})
			checkNoWrites(t)
		})
	}
}

// A link unknown at plan time is checked at apply, before the version's PUT.
func TestAccApplicationVersion_unknownLinkCheckedAtApply(t *testing.T) {
	gallery := acctest.RandomName("accunk")
	cfg := testConfig(gallery, "", version{mediaLink: "terraform_data.link.output"}) + `
resource "terraform_data" "link" {
  input = var.block_blob_url
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`(?s)Package blob type not allowed.*BlockBlob`),
		}},
	})
	if w := acctest.WriteRequestsMatching(t, gallery+"/applications/app/versions"); len(w) > 0 {
		t.Errorf("the version was written although its package was refused: %v", w)
	}
}
