package provider_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// The managed identity and Azure CLI sign-ins need the emulator's other principals, so they run
// only against the emulator.

// emulatorOnly skips the test unless it runs against the emulator, and returns it.
func emulatorOnly(t *testing.T) *emulator.Emulator {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	e := acctest.Emulator()
	if e == nil {
		t.Skip("needs the emulator's managed identity endpoint and Azure CLI user")
	}
	return e
}

// onlyMethod clears every sign-in setting from the environment, so only what the test sets
// can authenticate (t.Setenv restores them, and undoes the provider's own MSI_ENDPOINT).
func onlyMethod(t *testing.T) {
	for _, k := range []string{"ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_USE_OIDC", "ARM_USE_MSI", "ARM_MSI_ENDPOINT",
		"MSI_ENDPOINT", "MSI_SECRET", "IDENTITY_ENDPOINT", "IDENTITY_HEADER", "IDENTITY_SERVER_THUMBPRINT", "IMDS_ENDPOINT"} {
		t.Setenv(k, "")
	}
	t.Setenv("ARM_USE_CLI", "false")
}

// galleryApplyConfig creates a gallery named name.
func galleryApplyConfig(providerBlock, name string) string {
	return fmt.Sprintf(`
%s

variable "resource_group_name" { type = string }
variable "location" { type = string }

resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
}
`, providerBlock, name)
}

// checkPrincipal checks that every ARM request for the gallery name since start was made by
// the principal want (a token's oid; who names it), and, with fromMI, that the managed identity
// endpoint issued a token since start.
func checkPrincipal(t *testing.T, e *emulator.Emulator, start time.Time, name, want, who string, fromMI bool) {
	t.Helper()
	principals := map[string]int{}
	miTokens := 0
	for _, r := range e.Requests() {
		if r.Time.Before(start) {
			continue
		}
		if r.Path == emulator.ManagedIdentityPath && r.Status == 200 {
			miTokens++
		}
		if strings.Contains(strings.ToLower(r.Path), "/galleries/"+strings.ToLower(name)) {
			principals[r.Principal]++
		}
	}
	if len(principals) != 1 || principals[want] == 0 {
		t.Errorf("requests for gallery %s by principal: %v, want only %s (%s)", name, principals, want, who)
	}
	if fromMI && miTokens == 0 {
		t.Errorf("the managed identity endpoint issued no token")
	}
}

// TestAccProvider_managedIdentityEndpoint: use_msi with msi_endpoint and nothing else. The
// provider hands the endpoint to azidentity as MSI_ENDPOINT, which makes it a Cloud Shell style
// endpoint (POST, Metadata: true) serving the host's system-assigned identity.
func TestAccProvider_managedIdentityEndpoint(t *testing.T) {
	e := emulatorOnly(t)
	onlyMethod(t)
	mi := e.ManagedIdentity()
	name := acctest.RandomName("migal")
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: galleryApplyConfig(fmt.Sprintf(`provider "azvmapps" {
  use_msi      = true
  msi_endpoint = %q
}`, mi.Endpoint), name),
		}},
	})
	checkPrincipal(t, e, start, name, mi.SystemObjectID, "system-assigned managed identity", true)
}

// TestAccProvider_managedIdentityEndpointUserAssigned: msi_endpoint makes the SDK treat the
// endpoint as Cloud Shell's, which has no user-assigned identities: a client_id is refused before
// any request, with the SDK's reason.
func TestAccProvider_managedIdentityEndpointUserAssigned(t *testing.T) {
	e := emulatorOnly(t)
	onlyMethod(t)
	mi := e.ManagedIdentity()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: galleryPlanConfig(fmt.Sprintf(`provider "azvmapps" {
  use_msi      = true
  msi_endpoint = %q
  client_id    = %q
}`, mi.Endpoint, mi.UserClientID)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)managed identity: could not be built.*Cloud Shell doesn't support\s+user-assigned`),
		}},
	})
}

// TestAccProvider_managedIdentityAppService: use_msi with a user-assigned identity (client_id)
// on a host that sets IDENTITY_ENDPOINT and IDENTITY_HEADER (App Service, Functions, Container
// Apps): the secret header and the client_id reach the endpoint, and the token is the
// user-assigned identity's.
func TestAccProvider_managedIdentityAppService(t *testing.T) {
	e := emulatorOnly(t)
	onlyMethod(t)
	mi := e.ManagedIdentity()
	t.Setenv("IDENTITY_ENDPOINT", mi.Endpoint)
	t.Setenv("IDENTITY_HEADER", mi.Header)
	t.Setenv("ARM_USE_MSI", "true")
	name := acctest.RandomName("miuagal")
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: galleryApplyConfig(fmt.Sprintf(`provider "azvmapps" { client_id = %q }`, mi.UserClientID), name),
		}},
	})
	checkPrincipal(t, e, start, name, mi.UserObjectID, "user-assigned managed identity", true)
}

// TestAccProvider_managedIdentityWrongHeader: a wrong IDENTITY_HEADER is refused by the
// endpoint and the provider says so.
func TestAccProvider_managedIdentityWrongHeader(t *testing.T) {
	e := emulatorOnly(t)
	onlyMethod(t)
	t.Setenv("IDENTITY_ENDPOINT", e.ManagedIdentity().Endpoint)
	t.Setenv("IDENTITY_HEADER", "not-the-secret")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			// MSAL caches managed identity tokens per process and identity, and the provider runs
			// in the test process: a client ID no other test used makes sure the endpoint is asked.
			Config: galleryPlanConfig(fmt.Sprintf(`provider "azvmapps" { 
  use_msi   = true
  client_id = %q
}`, uuid.NewString())),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Unable to authenticate to Azure.*managed identity.*401`),
		}},
	})
}

// azStandIn builds the Azure CLI stand-in (internal/emulator/cmd/az) into a new folder put first
// on PATH, with an empty Azure CLI config folder, and returns the az path.
func azStandIn(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	az := filepath.Join(dir, "az")
	out, err := exec.Command("go", "build", "-o", az, "github.com/azvmapps/terraform-provider-azvmapps/internal/emulator/cmd/az").CombinedOutput()
	if err != nil {
		t.Fatalf("building the az stand-in: %v\n%s", err, out)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("AZURE_CONFIG_DIR", t.TempDir())
	return az
}

// TestAccProvider_azureCLI: only use_cli (the default) with a signed-in az: the provider runs
// `az account get-access-token` and ARM sees the CLI user.
func TestAccProvider_azureCLI(t *testing.T) {
	e := emulatorOnly(t)
	onlyMethod(t)
	t.Setenv("ARM_USE_CLI", "")
	az := azStandIn(t)
	user := e.CLIUser()
	login := exec.Command(az, "login", "--username", user.Username, "--password", user.Password, "--tenant", user.TenantID)
	if out, err := login.CombinedOutput(); err != nil {
		t.Fatalf("az login: %v\n%s", err, out)
	}
	name := acctest.RandomName("cligal")
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: galleryApplyConfig(`provider "azvmapps" {}`, name),
		}},
	})
	checkPrincipal(t, e, start, name, user.ObjectID, "Azure CLI user", false)
}

// TestAccProvider_azureCLINotLoggedIn: az is installed but nobody signed in: the provider
// reports az's own advice.
func TestAccProvider_azureCLINotLoggedIn(t *testing.T) {
	emulatorOnly(t)
	onlyMethod(t)
	t.Setenv("ARM_USE_CLI", "true")
	azStandIn(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      galleryPlanConfig(`provider "azvmapps" {}`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Unable to authenticate to Azure.*Azure CLI.*Please run 'az login' to setup account`),
		}},
	})
}
