package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// galleryPlanConfig plans a new gallery: planning it makes the provider authenticate and read
// the subscription's galleries (the name-uniqueness check), so a plan proves the credentials.
func galleryPlanConfig(providerBlock string) string {
	return fmt.Sprintf(`
%s

variable "resource_group_name" { type = string }
variable "location" { type = string }

resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
}
`, providerBlock, acctest.RandomName("authgal"))
}

// federatedToken is a workload identity token as HCP Terraform or GitHub would issue it.
func federatedToken(t *testing.T) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": "https://app.terraform.io",
		"sub": "organization:acme:project:platform:workspace:vm-apps:run_phase:plan",
		"aud": "api://AzureADTokenExchange",
		"exp": time.Now().Add(time.Hour).Unix(),
		"iat": time.Now().Unix(),
	}).SignedString([]byte("test-signing-key-of-the-issuer"))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// withoutSecret removes the client secret from the environment, so only the method under test
// can authenticate.
func withoutSecret(t *testing.T) {
	t.Setenv("ARM_CLIENT_SECRET", "")
	t.Setenv("ARM_USE_CLI", "false")
}

func TestAccProvider_clientSecret(t *testing.T) {
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             galleryPlanConfig(`provider "azvmapps" {}`),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

func TestAccProvider_wrongClientSecret(t *testing.T) {
	t.Setenv("ARM_USE_CLI", "false")
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      galleryPlanConfig(fmt.Sprintf(`provider "azvmapps" { client_secret = %q }`, acctest.RandomName("wrong"))),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Unable to authenticate to Azure.*client secret: configured.*Invalid client secret`),
		}},
	})
}

func TestAccProvider_nothingConfigured(t *testing.T) {
	withoutSecret(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      galleryPlanConfig(`provider "azvmapps" {}`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)no authentication method is configured.*OIDC: not enabled.*client secret: not configured.*Azure CLI: not enabled`),
		}},
	})
}

func TestAccProvider_oidcTokenFile(t *testing.T) {
	withoutSecret(t)
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte(federatedToken(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: galleryPlanConfig(fmt.Sprintf(`provider "azvmapps" { 
  use_oidc = true
  oidc_token_file_path = %q
 }`, file)),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

func TestAccProvider_hcpTerraformWorkloadIdentity(t *testing.T) {
	withoutSecret(t)
	t.Setenv("ARM_USE_OIDC", "true")
	t.Setenv("TFC_WORKLOAD_IDENTITY_TOKEN", federatedToken(t))
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:             galleryPlanConfig(`provider "azvmapps" {}`),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})
}

func TestAccProvider_expiredOIDCToken(t *testing.T) {
	withoutSecret(t)
	expired, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "repo:acme/infra:ref:refs/heads/main",
		"aud": "api://AzureADTokenExchange",
		"exp": time.Now().Add(-time.Hour).Unix(),
	}).SignedString([]byte("k"))
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: galleryPlanConfig(fmt.Sprintf(`provider "azvmapps" { 
  use_oidc = true
  oidc_token = %q
 }`, expired)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Unable to authenticate to Azure.*OIDC \(oidc_token\): configured.*not\s+within\s+its\s+valid\s+time\s+range`),
		}},
	})
}

// endpointBlock is an endpoint block with the emulator's endpoints, as azapi users write it.
func endpointBlock() string {
	return fmt.Sprintf(`
  endpoint {
    resource_manager_endpoint       = %q
    active_directory_authority_host = %q
    resource_manager_audience       = %q
  }`, os.Getenv("ARM_RESOURCE_MANAGER_ENDPOINT"), os.Getenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST"), os.Getenv("ARM_RESOURCE_MANAGER_AUDIENCE"))
}

func TestAccProvider_endpointBlock(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	acctest.PreCheck(t)
	if os.Getenv("ARM_RESOURCE_MANAGER_ENDPOINT") == "" {
		t.Skip("needs the emulator's custom endpoints")
	}
	block := endpointBlock()
	// Only the block may point the provider at the emulator.
	t.Setenv("ARM_RESOURCE_MANAGER_ENDPOINT", "")
	t.Setenv("ARM_ACTIVE_DIRECTORY_AUTHORITY_HOST", "")
	t.Setenv("AZURE_AUTHORITY_HOST", "")
	t.Setenv("ARM_RESOURCE_MANAGER_AUDIENCE", "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             galleryPlanConfig(`provider "azvmapps" {` + block + "\n}"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:      galleryPlanConfig(`provider "azvmapps" {` + block + block + "\n}"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)endpoint.*at most 1`),
			},
		},
	})
}
