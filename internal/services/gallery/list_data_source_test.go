package gallery

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

func TestFlattenGalleryList(t *testing.T) {
	gallery := func(rg, name string, sp *armcompute.SharingProfile) *armcompute.Gallery {
		return &armcompute.Gallery{
			ID:       to.Ptr("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/" + rg + "/providers/Microsoft.Compute/galleries/" + name),
			Name:     to.Ptr(name),
			Location: to.Ptr("East US 2"),
			Properties: &armcompute.GalleryProperties{
				SharingProfile: sp,
				Identifier:     &armcompute.GalleryIdentifier{UniqueName: to.Ptr("sub-" + name)},
			},
		}
	}
	groups := &armcompute.SharingProfile{Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesGroups)}
	got, diags := flattenGalleryList(context.Background(), []*armcompute.Gallery{
		gallery("rg2", "beta", nil), nil, gallery("rg1", "Alpha", groups), gallery("rg1", "beta", nil),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := []struct{ name, rg, permission string }{{"Alpha", "rg1", "Groups"}, {"beta", "rg1", "Private"}, {"beta", "rg2", "Private"}}
	if len(got) != len(want) {
		t.Fatalf("got %d galleries, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name.ValueString() != w.name || g.ResourceGroupName.ValueString() != w.rg || g.SharingPermission.ValueString() != w.permission {
			t.Errorf("galleries[%d] = %s/%s %s, want %s/%s %s", i, g.ResourceGroupName, g.Name, g.SharingPermission, w.rg, w.name, w.permission)
		}
		if g.Location.ValueString() != "eastus2" || g.UniqueName.ValueString() != "sub-"+w.name || !g.Tags.IsNull() || g.CommunityEnabled.ValueBool() {
			t.Errorf("galleries[%d] = %+v", i, g)
		}
	}
	empty, _ := flattenGalleryList(context.Background(), nil)
	if empty == nil || len(empty) != 0 {
		t.Errorf("no galleries should be an empty list, got %#v", empty)
	}
}
