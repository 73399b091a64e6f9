package applicationversion

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

func TestFlattenVersionList(t *testing.T) {
	version := func(name string, exclude bool) *armcompute.GalleryApplicationVersion {
		return &armcompute.GalleryApplicationVersion{
			ID: to.Ptr(testAppID + "/versions/" + name), Name: to.Ptr(name), Location: to.Ptr("East US 2"),
			Properties: &armcompute.GalleryApplicationVersionProperties{
				PublishingProfile: &armcompute.GalleryApplicationVersionPublishingProfile{
					ExcludeFromLatest: to.Ptr(exclude), ReplicaCount: to.Ptr[int32](1),
					TargetRegions: []*armcompute.TargetRegion{{Name: to.Ptr("East US 2"), RegionalReplicaCount: to.Ptr[int32](1)}},
				},
				ReplicationStatus: &armcompute.ReplicationStatus{
					AggregatedState: to.Ptr(armcompute.AggregatedReplicationStateInProgress),
					Summary:         []*armcompute.RegionalReplicationStatus{{Region: to.Ptr("East US 2"), State: to.Ptr(armcompute.ReplicationStateReplicating), Progress: to.Ptr[int32](40)}},
				},
			},
		}
	}
	versions := []*armcompute.GalleryApplicationVersion{version("1.10.0", false), version("2.0.0", true), version("1.2.0", false), version("1.9.0", false)}
	got, diags := flattenVersionList(versions)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var names []string
	for _, v := range got {
		names = append(names, v.Name.ValueString())
	}
	if want := "1.2.0 1.9.0 1.10.0 2.0.0"; strings.Join(names, " ") != want {
		t.Errorf("order = %s, want %s", strings.Join(names, " "), want)
	}
	last := got[3]
	if !last.ExcludeFromLatest.ValueBool() || last.Location.ValueString() != "eastus2" || len(last.TargetRegion.Elements()) != 1 {
		t.Errorf("2.0.0 = %+v", last)
	}
	if s := last.ReplicationStatus.Attributes()["aggregated_state"].String(); s != `"InProgress"` {
		t.Errorf("aggregated_state = %s", s)
	}
	if latest, ok := latestVersion(versions); !ok || latest != "1.10.0" {
		t.Errorf("latest = %q %v, want 1.10.0", latest, ok)
	}
}
