package emulator

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// mustCode fails the test unless err is an ARM error with the given status and code.
func mustCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	_ = mustResponseError(t, err, status, code) // the checks are the point; callers needing the error use mustResponseError
}

// mustResponseError is mustCode returning the error for further checks.
func mustResponseError(t *testing.T, err error, status int, code string) *azcore.ResponseError {
	t.Helper()
	var re *azcore.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want %d %s, got %v", status, code, err)
	}
	if re.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("want %d %s, got %d %s: %v", status, code, re.StatusCode, re.ErrorCode, err)
	}
	return re
}

func TestSDKLifecycle(t *testing.T) {
	e := startStorage(t)
	f := factory(t, e)
	c := ctx(t)
	rg := seedResourceGroup
	env := e.Env()

	gp, err := f.NewGalleriesClient().BeginCreateOrUpdate(c, rg, "galSDK", armcompute.Gallery{Location: to.Ptr("East US 2"), Properties: &armcompute.GalleryProperties{Description: to.Ptr("d")}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gp.PollUntilDone(c, fastPoll)
	if err != nil {
		t.Fatal(err)
	}
	if *g.Properties.ProvisioningState != armcompute.GalleryProvisioningStateSucceeded || *g.Properties.Identifier.UniqueName != e.Identity().SubscriptionID+"-GALSDK" || *g.Location != "eastus2" {
		t.Fatalf("gallery: %+v %s", g.Properties, *g.Properties.Identifier.UniqueName)
	}

	ac := f.NewGalleryApplicationsClient()
	ap, err := ac.BeginCreateOrUpdate(c, rg, "galSDK", "app1", armcompute.GalleryApplication{Location: to.Ptr("eastus2"), Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(armcompute.OperatingSystemTypesLinux)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ap.PollUntilDone(c, fastPoll)
	if err != nil {
		t.Fatal(err)
	}
	if *a.Type != "Microsoft.Compute/galleries/applications" {
		t.Fatalf("app type %s", *a.Type)
	}

	vc := f.NewGalleryApplicationVersionsClient()
	body := armcompute.GalleryApplicationVersion{Location: to.Ptr("eastus2"), Properties: &armcompute.GalleryApplicationVersionProperties{
		PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{
			Source:        &armcompute.UserArtifactSource{MediaLink: to.Ptr(env["TF_VAR_page_blob_url"]), DefaultConfigurationLink: to.Ptr(env["TF_VAR_config_blob_url"])},
			ManageActions: &armcompute.UserArtifactManage{Install: to.Ptr("echo install"), Remove: to.Ptr("echo remove")},
			TargetRegions: []*armcompute.TargetRegion{{Name: to.Ptr("eastus2")}, {Name: to.Ptr("West Europe"), RegionalReplicaCount: to.Ptr[int32](2)}},
		}}}
	vp, err := vc.BeginCreateOrUpdate(c, rg, "galSDK", "app1", "1.0.0", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	mid, err := vc.Get(c, rg, "galSDK", "app1", "1.0.0", &armcompute.GalleryApplicationVersionsClientGetOptions{Expand: to.Ptr(armcompute.ReplicationStatusTypesReplicationStatus)})
	if err != nil {
		t.Fatal(err)
	}
	if *mid.Properties.ProvisioningState != armcompute.GalleryProvisioningStateCreating || *mid.Properties.ReplicationStatus.AggregatedState != armcompute.AggregatedReplicationStateInProgress {
		t.Fatalf("mid-replication state: %s", *mid.Properties.ProvisioningState)
	}
	v, err := vp.PollUntilDone(c, fastPoll)
	if err != nil {
		t.Fatal(err)
	}
	pp := v.Properties.PublishingProfile
	if *v.Properties.ProvisioningState != "Succeeded" || *pp.ReplicaCount != 1 || *pp.StorageAccountType != "Standard_LRS" || *pp.EnableHealthCheck || *pp.ExcludeFromLatest || pp.PublishedDate == nil {
		t.Fatalf("defaults: %+v", pp)
	}
	if *pp.TargetRegions[0].Name != "East US 2" || *pp.TargetRegions[1].Name != "West Europe" || *pp.TargetRegions[1].RegionalReplicaCount != 2 {
		t.Fatalf("target regions not display names: %s %s", *pp.TargetRegions[0].Name, *pp.TargetRegions[1].Name)
	}
	if v.Properties.ReplicationStatus != nil {
		t.Fatal("replicationStatus without $expand")
	}
	done, err := vc.Get(c, rg, "galSDK", "app1", "1.0.0", &armcompute.GalleryApplicationVersionsClientGetOptions{Expand: to.Ptr(armcompute.ReplicationStatusTypesReplicationStatus)})
	if err != nil {
		t.Fatal(err)
	}
	rs := done.Properties.ReplicationStatus
	if *rs.AggregatedState != "Completed" || len(rs.Summary) != 2 || *rs.Summary[1].Progress != 100 || *rs.Summary[1].State != "Completed" {
		t.Fatalf("replication status: %+v", rs)
	}

	// PATCH → 200 only; the SDK accepts it.
	up, err := vc.BeginUpdate(c, rg, "galSDK", "app1", "1.0.0", armcompute.GalleryApplicationVersionUpdate{Properties: &armcompute.GalleryApplicationVersionProperties{PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{ExcludeFromLatest: to.Ptr(true)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	uv, err := up.PollUntilDone(c, fastPoll)
	if err != nil {
		t.Fatal(err)
	}
	if !*uv.Properties.PublishingProfile.ExcludeFromLatest {
		t.Fatal("patch not applied")
	}

	// Lists page with nextLink (page size 2).
	for i := 2; i <= 3; i++ {
		b := body
		name := "1.0." + string(rune('0'+i))
		p, err := vc.BeginCreateOrUpdate(c, rg, "galSDK", "app1", name, b, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.PollUntilDone(c, fastPoll); err != nil {
			t.Fatal(err)
		}
	}
	pager := vc.NewListByGalleryApplicationPager(rg, "galSDK", "app1", nil)
	count, pages := 0, 0
	for pager.More() {
		page, err := pager.NextPage(c)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		count += len(page.Value)
	}
	if count != 3 || pages != 2 {
		t.Fatalf("paging: %d items in %d pages", count, pages)
	}

	// Deleting the application with versions → 409 CannotDeleteResource listing nested IDs.
	_, err = ac.BeginDelete(c, rg, "galSDK", "app1", nil)
	re := mustResponseError(t, err, 409, "CannotDeleteResource")
	if !strings.Contains(re.Error(), "Microsoft.Compute/galleries/galSDK/applications/app1/versions/1.0.0") {
		t.Fatalf("message lacks nested IDs: %v", re)
	}
	for _, name := range []string{"1.0.0", "1.0.2", "1.0.3"} {
		dp, err := vc.BeginDelete(c, rg, "galSDK", "app1", name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dp.PollUntilDone(c, fastPoll); err != nil {
			t.Fatal(err)
		}
	}
	_, err = vc.Get(c, rg, "galSDK", "app1", "1.0.0", nil)
	mustCode(t, err, 404, "ResourceNotFound")
	// The lag after a version delete.
	_, err = ac.BeginDelete(c, rg, "galSDK", "app1", nil)
	mustCode(t, err, 409, "CannotDeleteResource")
	time.Sleep(e.cfg.DeleteLag + 100*time.Millisecond)
	dp, err := ac.BeginDelete(c, rg, "galSDK", "app1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dp.PollUntilDone(c, fastPoll); err != nil {
		t.Fatal(err)
	}
	time.Sleep(e.cfg.DeleteLag + 100*time.Millisecond)
	gd, err := f.NewGalleriesClient().BeginDelete(c, rg, "galSDK", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gd.PollUntilDone(c, fastPoll); err != nil {
		t.Fatal(err)
	}
	_, err = f.NewGalleriesClient().Get(c, rg, "galSDK", nil)
	mustCode(t, err, http.StatusNotFound, "ResourceNotFound")
}
