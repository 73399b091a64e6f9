package applicationversion

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
)

func TestValidateRegions(t *testing.T) {
	cases := []struct {
		name     string
		regions  types.Set
		location customtypes.Location
		want     string
	}{
		{"fine", regionSet(t, region("eastus2", 0), region("westeurope", 0)), customtypes.NewLocation("East US 2"), ""},
		{"display and short name", regionSet(t, region("East US 2", 0), region("eastus2", 2)), customtypes.NewLocation("eastus2"), "Duplicate target region"},
		{"location missing", regionSet(t, region("westeurope", 0)), customtypes.NewLocation("eastus2"), "Location missing from target regions"},
		{"unknown location", regionSet(t, region("westeurope", 0)), customtypes.Location{StringValue: types.StringUnknown()}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var diags diag.Diagnostics
			validateRegions(context.Background(), c.regions, c.location, &diags)
			if c.want == "" {
				if diags.HasError() {
					t.Fatalf("unexpected: %v", diags)
				}
				return
			}
			if !diags.HasError() || diags.Errors()[0].Summary() != c.want {
				t.Fatalf("got %v, want %q", diags, c.want)
			}
		})
	}
}

func testResource(limit int64, skipBlobs bool) *ApplicationVersionResource {
	l := clients.DefaultServiceLimits()
	l.MaxReplicasPerRegion = limit
	return &ApplicationVersionResource{client: &clients.Client{Limits: l, SkipBlobChecks: skipBlobs}}
}

func TestCheckPlanReplicaCounts(t *testing.T) {
	cases := []struct {
		name    string
		limit   int64
		top     int64
		regions types.Set
		want    []string
	}{
		{"within the default limit", 3, 3, regionSet(t, region("eastus2", 3)), nil},
		{"region over the limit", 3, 1, regionSet(t, region("eastus2", 4)), []string{"In target region eastus2: The replica count 4"}},
		{"top level over the limit", 3, 4, regionSet(t, region("eastus2", 0)), []string{"The replica count 4"}},
		{"raised limit", 10, 10, regionSet(t, region("eastus2", 10)), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := configured(t)
			m.ReplicaCount = types.Int64Value(c.top)
			m.TargetRegion = c.regions
			var diags diag.Diagnostics
			testResource(c.limit, true).checkPlan(context.Background(), &m, nil, &diags)
			if len(diags.Errors()) != len(c.want) {
				t.Fatalf("got %v, want %d errors", diags, len(c.want))
			}
			for i, w := range c.want {
				if !strings.HasPrefix(diags.Errors()[i].Detail(), w) || !strings.Contains(diags.Errors()[i].Detail(), "service_limits.max_replicas_per_region") {
					t.Errorf("detail %q, want prefix %q and the limit's name", diags.Errors()[i].Detail(), w)
				}
			}
		})
	}
}

func TestCheckPlanRegionRemoval(t *testing.T) {
	state := configured(t)
	plan := configured(t)
	plan.TargetRegion = regionSet(t, region("East US 2", 0))
	var diags diag.Diagnostics
	testResource(3, true).checkPlan(context.Background(), &plan, &state, &diags)
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "allow_deletion_of_replicated_locations = true") ||
		!strings.Contains(diags.Errors()[0].Detail(), `"West Europe"`) {
		t.Fatalf("removal without permission: %v", diags)
	}
	plan.AllowDeletionOfReplicatedLocations = types.BoolValue(true)
	diags = nil
	testResource(3, true).checkPlan(context.Background(), &plan, &state, &diags)
	if diags.HasError() {
		t.Fatalf("removal with permission: %v", diags)
	}
	// Respelling a region is not a removal.
	plan = configured(t)
	plan.TargetRegion = regionSet(t, region("East US 2", 0), region("westeurope", 2))
	diags = nil
	testResource(3, true).checkPlan(context.Background(), &plan, &state, &diags)
	if diags.HasError() {
		t.Fatalf("respelled region: %v", diags)
	}
}

// Blob checks run for new or changed links only: an unchanged link whose SAS expired after
// replication must not break later plans.
func TestCheckPlanBlobs(t *testing.T) {
	var heads []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		heads = append(heads, r.URL.Path)
		switch r.URL.Path {
		case "/packages/app.pagebin":
			w.Header().Set("x-ms-blob-type", "PageBlob")
			w.Header().Set("Content-Length", "1024")
			w.WriteHeader(200)
		case "/packages/app.blockbin":
			w.Header().Set("x-ms-blob-type", "BlockBlob")
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
		default:
			w.Header().Set("x-ms-error-code", "AuthenticationFailed")
			w.WriteHeader(403)
		}
	}))
	defer ts.Close()
	sas := "?sv=2025-01-05&sp=r&sig=c2VjcmV0"
	r := testResource(3, false)

	plan := configured(t)
	plan.Source.MediaLink = types.StringValue(ts.URL + "/packages/app.blockbin" + sas)
	var diags diag.Diagnostics
	r.checkPlan(context.Background(), &plan, nil, &diags)
	if !diags.HasError() || diags.Errors()[0].Summary() != "Package blob type not allowed" {
		t.Fatalf("block blob: %v", diags)
	}
	if p, ok := diags.Errors()[0].(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root("source").AtName("media_link")) {
		t.Errorf("the error must point at source.media_link: %v", diags.Errors()[0])
	}

	plan.Source.MediaLink = types.StringValue(ts.URL + "/packages/app.pagebin" + sas)
	plan.Source.DefaultConfigurationLink = types.StringValue(ts.URL + "/packages/denied" + sas)
	diags = nil
	r.checkPlan(context.Background(), &plan, nil, &diags)
	if len(diags.Errors()) != 1 || !strings.Contains(diags.Errors()[0].Detail(), "403") || strings.Contains(diags.Errors()[0].Detail(), "c2VjcmV0") {
		t.Fatalf("unreadable configuration: %v", diags)
	}

	heads = nil
	state := plan
	diags = nil
	r.checkPlan(context.Background(), &plan, &state, &diags)
	if diags.HasError() || len(heads) != 0 {
		t.Fatalf("unchanged links must not be checked again: %v, HEADs %v", diags, heads)
	}
}

func TestLatestVersion(t *testing.T) {
	v := func(name string, excluded bool) *armcompute.GalleryApplicationVersion {
		return &armcompute.GalleryApplicationVersion{Name: to.Ptr(name), Properties: &armcompute.GalleryApplicationVersionProperties{
			PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{ExcludeFromLatest: to.Ptr(excluded)}}}
	}
	cases := []struct {
		name     string
		versions []*armcompute.GalleryApplicationVersion
		want     string
		ok       bool
	}{
		{"semver, not lexical", []*armcompute.GalleryApplicationVersion{v("1.9.0", false), v("1.10.0", false), v("1.2.0", false)}, "1.10.0", true},
		{"excluded skipped", []*armcompute.GalleryApplicationVersion{v("1.0.0", false), v("2.0.0", true)}, "1.0.0", true},
		{"all excluded", []*armcompute.GalleryApplicationVersion{v("2.0.0", true)}, "", false},
		{"none", nil, "", false},
	}
	for _, c := range cases {
		got, ok := latestVersion(c.versions)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: got %q %v, want %q %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// replacementPlanned must agree with the schema's RequiresReplace modifiers: checks meant for
// in-place updates (region removal) must not fire on a change that makes a new version.
func TestReplacementPlanned(t *testing.T) {
	const link = "https://acct.blob.core.windows.net/packages/app.pagebin"
	base := func() *ApplicationVersionResourceModel {
		return &ApplicationVersionResourceModel{
			Name: types.StringValue("1.0.0"), ApplicationID: customtypes.NewARMID("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/applications/a"),
			Location: customtypes.NewLocation("eastus2"), AdvancedSettings: types.MapNull(types.StringType), EnableHealthCheck: types.BoolValue(false),
			StorageAccountType: types.StringValue("Standard_LRS"), ReplicationMode: types.StringValue("Full"), CustomAction: types.ListNull(types.StringType),
			ReplicaCount: types.Int64Value(1), Tags: types.MapNull(types.StringType),
			Source:        &sourceModel{MediaLink: types.StringValue(link + "?sig=a"), DefaultConfigurationLink: types.StringNull()},
			ManageActions: &manageActionsModel{Install: types.StringValue("i"), Remove: types.StringValue("r"), Update: types.StringNull()},
		}
	}
	cases := []struct {
		name   string
		change func(m *ApplicationVersionResourceModel)
		want   bool
	}{
		{"nothing", func(*ApplicationVersionResourceModel) {}, false},
		{"replica count (in place)", func(m *ApplicationVersionResourceModel) { m.ReplicaCount = types.Int64Value(2) }, false},
		{"location spelled as a display name", func(m *ApplicationVersionResourceModel) { m.Location = customtypes.NewLocation("East US 2") }, false},
		{"new SAS only", func(m *ApplicationVersionResourceModel) { m.Source.MediaLink = types.StringValue(link + "?sig=b") }, false},
		{"location", func(m *ApplicationVersionResourceModel) { m.Location = customtypes.NewLocation("westeurope") }, true},
		{"name", func(m *ApplicationVersionResourceModel) { m.Name = types.StringValue("1.0.1") }, true},
		{"install script", func(m *ApplicationVersionResourceModel) { m.ManageActions.Install = types.StringValue("i2") }, true},
		{"other blob", func(m *ApplicationVersionResourceModel) { m.Source.MediaLink = types.StringValue(link + "2?sig=a") }, true},
		{"settings added", func(m *ApplicationVersionResourceModel) {
			m.Settings = &settingsModel{PackageFileName: types.StringValue("p"), ConfigFileName: types.StringNull(), ScriptBehaviorAfterReboot: types.StringNull()}
		}, true},
		{"storage account type unknown", func(m *ApplicationVersionResourceModel) { m.StorageAccountType = types.StringUnknown() }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := base()
			c.change(plan)
			if got := replacementPlanned(plan, base(), blobKeys{}); got != c.want {
				t.Fatalf("replacementPlanned = %v, want %v", got, c.want)
			}
		})
	}
}
