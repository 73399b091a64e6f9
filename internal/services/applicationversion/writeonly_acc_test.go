package applicationversion_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// Write-only attributes need Terraform 1.11 or OpenTofu 1.11: older CLIs skip these tests (CI
// runs them under a current Terraform and OpenTofu).
var writeOnlyCLI = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

// ephemeralBlobVariables declares the package links as ephemeral variables, as a user keeps a
// SAS out of plan and state: write-only attributes accept ephemeral values, and neither plan
// nor state records them. wo_rotated_url and wo_bad_url are set by the tests.
const ephemeralBlobVariables = `
variable "page_blob_url" {
  type      = string
  ephemeral = true
}
variable "block_blob_url" {
  type      = string
  ephemeral = true
}
variable "config_blob_url" {
  type      = string
  ephemeral = true
}
variable "wo_rotated_url" {
  type      = string
  ephemeral = true
  default   = null
}
variable "wo_bad_url" {
  type      = string
  ephemeral = true
  default   = null
}
`

func writeOnlyConfig(gallery string, source string) string {
	return configWithVariables(gallery, "", ephemeralBlobVariables, version{source: source})
}

// noSAS fails when the JSON Terraform shows of a plan or a state (terraform show -json)
// contains a SAS signature.
type noSAS struct{}

func (noSAS) check(what string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if i := strings.Index(string(b), "sig="); i >= 0 {
		return fmt.Errorf("the %s contains a SAS signature: …%s…", what, string(b[max(0, i-40):i]))
	}
	return nil
}

func (n noSAS) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = n.check("plan", req.Plan)
}

func (n noSAS) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = n.check("state", req.State)
}

// sentMediaLink checks the media link the version has in Azure (an ARM GET).
func sentMediaLink(want func() string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[resourceName]
		if !ok {
			return fmt.Errorf("%s not in state", resourceName)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		status, body, err := acctest.ARMGet(ctx, rs.Primary.ID)
		if err != nil || status != 200 {
			return fmt.Errorf("GET %s: %d %v", rs.Primary.ID, status, err)
		}
		var v struct {
			Properties struct {
				PublishingProfile struct {
					Source struct {
						MediaLink string `json:"mediaLink"`
					} `json:"source"`
				} `json:"publishingProfile"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			return err
		}
		if got := v.Properties.PublishingProfile.Source.MediaLink; got != want() {
			return fmt.Errorf("Azure has the media link %.60s…, not the one configured", got)
		}
		return nil
	}
}

func noSASChecks() (resource.ConfigPlanChecks, []statecheck.StateCheck) {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{noSAS{}}, PostApplyPostRefresh: []plancheck.PlanCheck{noSAS{}}},
		[]statecheck.StateCheck{
			noSAS{},
			statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("source").AtMapKey("media_link"), knownvalue.Null()),
			statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("source").AtMapKey("media_link_wo"), knownvalue.Null()),
		}
}

// A version published from write-only links, from empty: Azure gets the links, while neither
// plan nor state (as terraform show -json shows them) holds a SAS. A new version of the link
// sends the new SAS in place; a new value alone does nothing; another blob makes a new version.
func TestAccApplicationVersion_writeOnly(t *testing.T) {
	gallery := acctest.RandomName("accwo")
	page := acctest.Env("TF_VAR_page_blob_url")
	rotated := rotatedSAS(t, page)
	t.Setenv("TF_VAR_wo_rotated_url", rotated)
	if page != "" {
		t.Setenv("TF_VAR_wo_bad_url", badSignature(t, page))
	}
	planChecks, stateChecks := noSASChecks()
	source := func(link string, version int) string {
		return fmt.Sprintf("media_link_wo         = %s\n    media_link_wo_version = %d\n    default_configuration_link_wo         = var.config_blob_url\n"+
			"    default_configuration_link_wo_version = 1", link, version)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   writeOnlyCLI,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		Steps: []resource.TestStep{
			{
				Config:            writeOnlyConfig(gallery, source("var.page_blob_url", 1)),
				ConfigPlanChecks:  planChecks,
				ConfigStateChecks: append(stateChecks, statecheck.ExpectKnownValue(resourceName, tfjsonpath.New("source").AtMapKey("media_link_wo_version"), knownvalue.Int64Exact(1))),
				Check:             sentMediaLink(func() string { return page }),
			},
			{
				// A new value alone (here a link whose signature is wrong) is not sent, not checked, and plans nothing.
				Config:           writeOnlyConfig(gallery, source("var.wo_bad_url", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            sentMediaLink(func() string { return page }),
			},
			{
				// A new version of the link with a new SAS for the same blob: an in-place update that sends it.
				Config: writeOnlyConfig(gallery, source("var.wo_rotated_url", 2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate), noSAS{}},
					PostApplyPostRefresh: []plancheck.PlanCheck{noSAS{}},
				},
				ConfigStateChecks: stateChecks,
				Check:             sentMediaLink(func() string { return rotated }),
			},
			{
				// Another blob under a new version of the link: a new version of the application.
				Config: writeOnlyConfig(gallery, source("var.config_blob_url", 3)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionDestroyBeforeCreate), noSAS{}},
				},
				ConfigStateChecks: stateChecks,
				Check:             sentMediaLink(func() string { return acctest.Env("TF_VAR_config_blob_url") }),
			},
			{
				// Importing into this configuration: import reads the link Azure returns (it cannot know
				// the configuration), and the plan moves it to the write-only form in place.
				ResourceName:       resourceName,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceName, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// A write-only link to a block blob fails at plan on the write-only attribute, with no ARM write.
func TestAccApplicationVersion_writeOnlyBlockBlob(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   writeOnlyCLI,
		Steps: []resource.TestStep{{
			Config:      writeOnlyConfig(acctest.RandomName("accwo"), "media_link_wo = var.block_blob_url\n    media_link_wo_version = 1"),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Package blob type not allowed.*source.media_link_wo.*BlockBlob.*service_limits.allowed_blob_types`),
		}},
	})
	checkNoWrites(t)
}

// Each link takes one form: both forms, neither form of the media link, or a write-only link
// without its version fail validation, on the attribute.
func TestAccApplicationVersion_writeOnlyConflicts(t *testing.T) {
	gallery := acctest.RandomName("accwo")
	step := func(source, err string) resource.TestStep {
		return resource.TestStep{Config: writeOnlyConfig(gallery, source), PlanOnly: true, ExpectError: regexp.MustCompile(err)}
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   writeOnlyCLI,
		Steps: []resource.TestStep{
			step("media_link = \"https://example.invalid/p\"\n    media_link_wo = var.page_blob_url\n    media_link_wo_version = 1",
				`(?s)Invalid Attribute Combination.*media_link = .*2 attributes specified when one \(and only one\) of.*media_link_wo\] is required`),
			step("default_configuration_link = \"https://example.invalid/p\"",
				`(?s)Invalid Attribute Combination.*No attribute specified when one \(and only one\) of.*media_link_wo\] is required`),
			step("media_link_wo = var.page_blob_url",
				`(?s)Invalid Attribute Combination.*media_link_wo = .*media_link_wo_version.*must be specified`),
			step("media_link = \"https://example.invalid/p\"\n    default_configuration_link = \"https://example.invalid/c\"\n"+
				"    default_configuration_link_wo = var.config_blob_url\n    default_configuration_link_wo_version = 1",
				`(?s)Invalid Attribute Combination.*default_configuration_link = .*default_configuration_link_wo.*cannot be specified`),
		},
	})
	checkNoWrites(t)
}
