package applicationversion_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// Replication fails in one region, and the service's failure texts (the region's details, the
// operation's error) quote the package link with its SAS token. With TF_LOG=TRACE neither the
// provider's log, the diagnostics nor the state hold the signature, while all still say what
// failed and for which blob.
func TestAccApplicationVersion_replicationFailureLeaksNoSAS(t *testing.T) {
	link := acctest.Env("TF_VAR_page_blob_url")
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	sig := u.Query().Get("sig")
	// TF_LOG and TF_LOG_PATH reach the provider under test, which runs in this process.
	logFile := filepath.Join(t.TempDir(), "provider.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH", logFile)

	gallery := acctest.RandomName("accver")
	cfg := testConfig(gallery, "", version{regions: regions(region("var.location", ""), region("var.secondary_location", ""))})
	var diagnostics string
	resource.Test(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			if sig == "" {
				t.Fatalf("TF_VAR_page_blob_url carries no SAS signature: %s", u.Redacted())
			}
		},
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDestroyed("azvmapps_application_version"),
		// The failed apply's error is Terraform's rendering of the diagnostics: keep it to check.
		ErrorCheck: func(err error) error {
			diagnostics += err.Error()
			return nil
		},
		Steps: []resource.TestStep{
			{
				PreConfig: func() { acctest.FaultOnce(t, emulator.Faults{Seed: 1, RateReplFail: 1}) },
				Config:    cfg,
			},
			{
				// The failed version is in state (tainted): its regions' details, as terraform
				// show prints them, name the blob but not the signature.
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					rs, ok := s.RootModule().Resources[resourceName]
					if !ok {
						return fmt.Errorf("%s is not in state", resourceName)
					}
					var details []string
					for k, v := range rs.Primary.Attributes {
						if strings.HasPrefix(k, "replication_status.regions.") && strings.HasSuffix(k, ".details") && v != "" {
							details = append(details, v)
						}
					}
					text := strings.Join(details, "\n")
					if !strings.Contains(text, filepath.Base(u.Path)) {
						return fmt.Errorf("no region's details name the blob: %q", details)
					}
					if strings.Contains(text, sig) || strings.Contains(text, url.QueryEscape(sig)) {
						return fmt.Errorf("the state's replication details hold the SAS signature")
					}
					return nil
				},
			},
		},
	})
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	blob := filepath.Base(u.Path)
	for what, text := range map[string]string{"diagnostics": diagnostics, "TRACE log": string(raw)} {
		if !strings.Contains(text, "Failed to copy the application package") || !strings.Contains(text, blob) {
			t.Errorf("the %s do not say that copying %s failed (%d bytes)", what, blob, len(text))
		}
		for _, s := range []string{sig, url.QueryEscape(sig)} {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("the %s hold the SAS signature: …%s…", what, text[max(0, i-120):i])
			}
		}
	}
}
