package application

import (
	"context"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

func TestFlattenApplicationList(t *testing.T) {
	app := func(name string, os armcompute.OperatingSystemTypes) *armcompute.GalleryApplication {
		return &armcompute.GalleryApplication{
			ID: to.Ptr(testGalleryID + "/applications/" + name), Name: to.Ptr(name), Location: to.Ptr("East US 2"),
			Properties: &armcompute.GalleryApplicationProperties{SupportedOSType: to.Ptr(os), Description: to.Ptr("about " + name)},
		}
	}
	got, diags := flattenApplicationList(context.Background(), []*armcompute.GalleryApplication{
		app("zeta", armcompute.OperatingSystemTypesLinux), nil, app("Beta", armcompute.OperatingSystemTypesWindows), app("alpha", armcompute.OperatingSystemTypesLinux),
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := []struct{ name, os string }{{"alpha", "Linux"}, {"Beta", "Windows"}, {"zeta", "Linux"}}
	if len(got) != len(want) {
		t.Fatalf("got %d applications, want %d", len(got), len(want))
	}
	for i, w := range want {
		a := got[i]
		if a.Name.ValueString() != w.name || a.SupportedOSType.ValueString() != w.os || a.Location.ValueString() != "eastus2" ||
			a.Description.ValueString() != "about "+w.name || !a.Tags.IsNull() || !a.EndOfLifeDate.IsNull() {
			t.Errorf("applications[%d] = %+v, want %s (%s)", i, a, w.name, w.os)
		}
	}
}
