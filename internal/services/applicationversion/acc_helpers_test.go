package applicationversion_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

const resourceName = "azvmapps_application_version.test"

// azuriteKey is Azurite's published development account key (devstoreaccount1), not a secret.
const azuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

// version describes one azvmapps_application_version block of a test configuration.
type version struct {
	label      string // resource label, "test" by default
	name       string // version name, "1.0.0" by default
	mediaLink  string // HCL expression, var.page_blob_url by default
	configLink string // HCL expression or ""
	install    string
	remove     string
	update     string
	regions    string // target_region blocks; one for var.location by default
	extra      string // more attributes or blocks
	source     string // the body of the source block instead of media_link and configLink
}

func (v version) hcl() string {
	def := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	source := "media_link = " + def(v.mediaLink, "var.page_blob_url")
	if v.configLink != "" {
		source += "\n    default_configuration_link = " + v.configLink
	}
	if v.source != "" {
		source = v.source
	}
	update := ""
	if v.update != "" {
		update = fmt.Sprintf("\n    update  = %q", v.update)
	}
	return fmt.Sprintf(`
resource "azvmapps_application_version" %q {
  name           = %q
  application_id = azvmapps_application.test.id
  location       = var.location

  source {
    %s
  }

  manage_actions {
    install = %q
    remove  = %q%s
  }
%s
%s
}
`, def(v.label, "test"), def(v.name, "1.0.0"), source,
		def(v.install, "echo install"), def(v.remove, "echo remove"), update,
		def(v.regions, "  target_region {\n    name = var.location\n  }"), v.extra)
}

// testConfig is a gallery and an application plus the given versions. provider is an optional
// provider block (service_limits).
func testConfig(gallery, provider string, versions ...version) string {
	return configWithVariables(gallery, provider, blobVariables, versions...)
}

// blobVariables declares the package links the harness sets (TF_VAR_*) as sensitive variables.
const blobVariables = `
variable "page_blob_url" {
  type      = string
  sensitive = true
}
variable "block_blob_url" {
  type      = string
  sensitive = true
}
variable "oversize_blob_url" {
  type      = string
  sensitive = true
}
variable "config_blob_url" {
  type      = string
  sensitive = true
}
`

// configWithVariables is testConfig with the given declarations of the blob variables.
func configWithVariables(gallery, provider, blobVars string, versions ...version) string {
	var b strings.Builder
	b.WriteString(provider)
	b.WriteString(blobVars)
	fmt.Fprintf(&b, `
variable "resource_group_name" { type = string }
variable "location" { type = string }
variable "secondary_location" { type = string }

resource "azvmapps_gallery" "test" {
  name                = %q
  resource_group_name = var.resource_group_name
  location            = var.location
}

resource "azvmapps_application" "test" {
  name              = "app"
  gallery_id        = azvmapps_gallery.test.id
  location          = var.location
  supported_os_type = "Linux"
}
`, gallery)
	for _, v := range versions {
		b.WriteString(v.hcl())
	}
	return b.String()
}

const raisedLimits = `
provider "azvmapps" {
  service_limits {
    max_replicas_per_region = 10
    allowed_blob_types      = ["PageBlob", "BlockBlob"]
    max_package_size_bytes  = 2147483648
  }
}
`

func regions(blocks ...string) string { return strings.Join(blocks, "\n") }

func region(nameExpr, extra string) string {
	return fmt.Sprintf("  target_region {\n    name = %s\n%s  }", nameExpr, extra)
}

// rotatedSAS returns a second, valid read SAS URL for the same blob as link (Azurite), with a
// different expiry: the SAS-rotation a user does when a token nears expiry.
func rotatedSAS(t *testing.T, link string) string {
	t.Helper()
	if link == "" {
		return "" // not an acceptance run: resource.Test skips the test
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(strings.TrimPrefix(u.Path, "/"), "/", 3) // account/container/blob
	if len(parts) != 3 {
		t.Fatalf("unexpected Azurite URL path %q", u.Path)
	}
	cred, err := azblob.NewSharedKeyCredential(parts[0], azuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	qp, err := sas.BlobSignatureValues{
		Protocol:      sas.ProtocolHTTPSandHTTP,
		StartTime:     time.Now().Add(-2 * time.Hour).UTC(),
		ExpiryTime:    time.Now().Add(48 * time.Hour).UTC(),
		Permissions:   (&sas.BlobPermissions{Read: true}).String(),
		ContainerName: parts[1],
		BlobName:      parts[2],
	}.SignWithSharedKey(cred)
	if err != nil {
		t.Fatal(err)
	}
	return u.Scheme + "://" + u.Host + u.Path + "?" + qp.Encode()
}

// badSignature returns link with its SAS signature replaced: a URL Azurite answers with 403.
func badSignature(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("sig", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	u.RawQuery = q.Encode()
	return u.String()
}

// deleteOutOfBand deletes the version in state behind Terraform's back.
func deleteOutOfBand(t *testing.T, name string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[name]
		if !ok {
			return fmt.Errorf("%s not in state", name)
		}
		id, err := arm.ParseResourceID(rs.Primary.ID)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		p, err := acctest.ComputeClients(t).NewGalleryApplicationVersionsClient().BeginDelete(ctx, id.ResourceGroupName, id.Parent.Parent.Name, id.Parent.Name, id.Name, nil)
		if err != nil {
			return err
		}
		_, err = p.PollUntilDone(ctx, acctest.PollOptions)
		return err
	}
}

// checkNoWrites fails the test when any ARM write happened since PreCheck.
func checkNoWrites(t *testing.T) {
	t.Helper()
	if w := acctest.WriteRequests(t); len(w) > 0 {
		for _, r := range w {
			t.Errorf("unexpected ARM write during a failing plan: %s %s", r.Method, r.Path)
		}
	}
}
