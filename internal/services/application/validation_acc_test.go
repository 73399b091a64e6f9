package application_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// Bad input fails at plan time, naming the problem, and nothing is written to Azure.
func TestAccApplication_invalidInput(t *testing.T) {
	past := time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		name string
		body string
		want string
	}{
		{"name too long", minimal(strings.Repeat("a", 118)), `at most 117 characters`},
		{"name with space", minimal("my app"), `may contain only letters`},
		{"name ending with period", minimal("app."), `can't end with a period`},
		{"os type", strings.Replace(minimal("app"), `"Linux"`, `"MacOS"`, 1), `(?s)supported_os_type.*Linux.*Windows`},
		{"end of life in the past", minimal("app") + `  end_of_life_date = "` + past + `"` + "\n", `End-of-life date in the past`},
		{"end of life format", minimal("app") + `  end_of_life_date = "31/12/2030"` + "\n", `not an RFC 3339 date`},
		{"privacy uri", minimal("app") + `  privacy_statement_uri = "privacy.html"` + "\n", `not an absolute URI`},
		{"duplicate custom action", minimal("app") + `
  custom_action {
    name   = "a"
    script = "x"
  }
  custom_action {
    name   = "a"
    script = "y"
  }
`, `Duplicate custom action name`},
		{"default on blob parameter", minimal("app") + `
  custom_action {
    name   = "a"
    script = "x"
    parameter {
      name          = "p"
      type          = "ConfigurationDataBlob"
      default_value = "v"
    }
  }
`, `Default value on a non-String parameter`},
		{"parameter type", minimal("app") + `
  custom_action {
    name   = "a"
    script = "x"
    parameter {
      name = "p"
      type = "Integer"
    }
  }
`, `(?s)type.*ConfigurationDataBlob`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      appConfig(acctest.RandomName("accgal"), tc.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
			if w := acctest.WriteRequests(t); len(w) > 0 {
				t.Fatalf("plan-time validation wrote to Azure: %+v", w)
			}
		})
	}
}

func TestAccApplication_invalidGalleryID(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
resource "azvmapps_application" "test" {
  name              = "app"
  gallery_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
  location          = "eastus2"
  supported_os_type = "Linux"
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`is not a gallery ID`),
		}},
	})
	if w := acctest.WriteRequests(t); len(w) > 0 {
		t.Fatalf("plan-time validation wrote to Azure: %+v", w)
	}
}
