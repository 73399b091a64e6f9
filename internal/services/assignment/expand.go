package assignment

import (
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// refApplicationID returns the application ID of a packageReferenceId, "" when it is not a
// version ID.
func refApplicationID(ref *armcompute.VMGalleryApplication) string {
	if ref == nil || ref.PackageReferenceID == nil {
		return ""
	}
	v, err := ids.ParseVersion(*ref.PackageReferenceID)
	if err != nil {
		return ""
	}
	return v.Parent().String()
}

// findApp returns the index of the application's entry in a profile, or -1.
func findApp(apps []*armcompute.VMGalleryApplication, applicationID string) int {
	for i, a := range apps {
		if azure.IDsEqual(refApplicationID(a), applicationID) {
			return i
		}
	}
	return -1
}

// withApp returns a copy of apps with the application's entry replaced by entry, or entry
// appended when the application is not there yet. The other entries are kept as they are.
func withApp(apps []*armcompute.VMGalleryApplication, entry *armcompute.VMGalleryApplication) []*armcompute.VMGalleryApplication {
	out := make([]*armcompute.VMGalleryApplication, 0, len(apps)+1)
	out = append(out, apps...)
	if i := findApp(out, refApplicationID(entry)); i >= 0 {
		out[i] = entry
		return out
	}
	return append(out, entry)
}

// withoutApp returns a copy of apps without the application's entry; never nil, so that an
// empty list is sent explicitly and removes the last application.
func withoutApp(apps []*armcompute.VMGalleryApplication, applicationID string) []*armcompute.VMGalleryApplication {
	out := make([]*armcompute.VMGalleryApplication, 0, len(apps))
	for _, a := range apps {
		if !azure.IDsEqual(refApplicationID(a), applicationID) {
			out = append(out, a)
		}
	}
	return out
}

// expandEntry builds the profile entry of an assignment.
func expandEntry(m *VMApplicationAssignmentResourceModel) *armcompute.VMGalleryApplication {
	e := &armcompute.VMGalleryApplication{
		PackageReferenceID:              stringPtr(m.VersionID.ValueString()),
		TreatFailureAsDeploymentFailure: boolPtr(m.TreatFailureAsDeploymentFailure.ValueBool()),
		EnableAutomaticUpgrade:          boolPtr(m.EnableAutomaticUpgrade.ValueBool()),
	}
	if !m.Order.IsNull() && !m.Order.IsUnknown() {
		o := m.Order.ValueInt32()
		e.Order = &o
	}
	if s := m.ConfigurationReference.ValueString(); s != "" {
		e.ConfigurationReference = stringPtr(s)
	}
	if s := m.Tags.ValueString(); s != "" {
		e.Tags = stringPtr(s)
	}
	return e
}

func stringPtr(s string) *string { return &s }
func boolPtr(b bool) *bool       { return &b }
