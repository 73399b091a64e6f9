package gallery_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/acctest"
)

// Bad input fails at plan time, naming the problem, and nothing is written to Azure.
func TestAccGallery_invalidInput(t *testing.T) {
	cases := []struct {
		name   string
		config string
		want   string
	}{
		{"dash", galleryConfig("my-gallery", ""), `can't contain dashes`},
		{"too long", galleryConfig(strings.Repeat("g", 81), ""), `at most 80 characters`},
		{"trailing period", galleryConfig("gallery.", ""), `can't end with a period`},
		{"leading period", galleryConfig(".gallery", ""), `must start with a letter or a digit`},
		{"bad character", galleryConfig("gallery!", ""), `may contain only letters`},
		{"bad permission", galleryConfig("gallerybadperm", "  sharing {\n    permission = \"Public\"\n  }\n"), `(?s)permission.*Private.*Groups.*Community`},
		{"community without info", galleryConfig("gallerycomm", "  sharing {\n    permission = \"Community\"\n  }\n"), `Missing community information`},
		{"user identity without ids", galleryConfig("galleryid", "  identity {\n    type = \"UserAssigned\"\n  }\n"), `needs identity_ids`},
		{"bad identity type", galleryConfig("galleryid2", "  identity {\n    type = \"Managed\"\n  }\n"), `(?s)type.*SystemAssigned`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.config,
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

// A new gallery whose name another gallery of the subscription already uses is refused at
// plan time, naming the existing gallery.
func TestAccGallery_nameTakenInSubscription(t *testing.T) {
	name := acctest.RandomName("accgal")
	otherRG := acctest.RandomName("acc-rg-")
	var setupWrites int
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				acctest.CreateResourceGroup(t, otherRG, acctest.Env("TF_VAR_location"))
				f := acctest.ComputeClients(t)
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				p, err := f.NewGalleriesClient().BeginCreateOrUpdate(ctx, otherRG, strings.ToUpper(name), armcompute.Gallery{Location: to.Ptr(acctest.Env("TF_VAR_location"))}, nil)
				if err == nil {
					_, err = p.PollUntilDone(ctx, acctest.PollOptions)
				}
				if err != nil {
					t.Fatalf("creating the other gallery: %v", err)
				}
				setupWrites = len(acctest.WriteRequests(t))
			},
			Config:      galleryConfig(name, ""),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(fmt.Sprintf(`(?is)unique within a subscription.*resourceGroups/%s/providers/Microsoft.Compute/galleries/%s`, otherRG, name)),
		}},
	})
	if w := acctest.WriteRequests(t); len(w) != setupWrites {
		t.Fatalf("the plan wrote to Azure: %+v", w[setupWrites:])
	}
}
