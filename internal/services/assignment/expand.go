package assignment

import (
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
)

const (
	vmType          = "Microsoft.Compute/virtualMachines"
	vmssType        = "Microsoft.Compute/virtualMachineScaleSets"
	applicationType = "Microsoft.Compute/galleries/applications"
	versionType     = "Microsoft.Compute/galleries/applications/versions"

	targetFormat  = "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{vm} or .../virtualMachineScaleSets/{scaleSet}"
	versionFormat = "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/galleries/{gallery}/applications/{application}/versions/{version}"
	appFormat     = "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/galleries/{gallery}/applications/{application}"
	idFormat      = "<target_id>|<application_id>, e.g. /subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{vm}|/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Compute/galleries/{gallery}/applications/{application}"
)

// parseTargetID parses the ID of a VM or a VM scale set.
func parseTargetID(id string) (*arm.ResourceID, error) {
	if t, err := azure.ParseTypedID(id, vmType, targetFormat); err == nil {
		return t, nil
	}
	if t, err := azure.ParseTypedID(id, vmssType, targetFormat); err == nil {
		return t, nil
	}
	return nil, fmt.Errorf("%q is not the ID of a virtual machine or a VM scale set; expected %s", id, targetFormat)
}

// isScaleSet reports whether a parsed target ID names a VM scale set.
func isScaleSet(t *arm.ResourceID) bool {
	return strings.EqualFold(t.ResourceType.String(), vmssType)
}

// applicationIDOfVersion returns the ID of the application a version ID belongs to.
func applicationIDOfVersion(versionID string) (string, error) {
	v, err := azure.ParseTypedID(versionID, versionType, versionFormat)
	if err != nil {
		return "", err
	}
	return v.Parent.String(), nil
}

// formatID builds the assignment ID: one application per target, so the pair identifies it.
func formatID(targetID, applicationID string) string { return targetID + "|" + applicationID }

// assignmentID is a parsed assignment ID; the strings keep the ID's spelling.
type assignmentID struct {
	Target        *arm.ResourceID
	TargetID      string
	ApplicationID string
}

// String formats the ID back.
func (a assignmentID) String() string { return formatID(a.TargetID, a.ApplicationID) }

// parseID splits an assignment ID into the target and application IDs.
func parseID(id string) (assignmentID, error) {
	parts := strings.Split(id, "|")
	if len(parts) != 2 {
		return assignmentID{}, fmt.Errorf("%q is not an assignment ID; expected %s", id, idFormat)
	}
	target, err := parseTargetID(parts[0])
	if err != nil {
		return assignmentID{}, fmt.Errorf("the target part of %q: %w (the ID format is %s)", id, err, idFormat)
	}
	if _, err := azure.ParseTypedID(parts[1], applicationType, appFormat); err != nil {
		return assignmentID{}, fmt.Errorf("the application part of %q: %w (the ID format is %s)", id, err, idFormat)
	}
	return assignmentID{Target: target, TargetID: parts[0], ApplicationID: parts[1]}, nil
}

// refApplicationID returns the application ID of a packageReferenceId, "" when it is not a
// version ID.
func refApplicationID(ref *armcompute.VMGalleryApplication) string {
	if ref == nil || ref.PackageReferenceID == nil {
		return ""
	}
	id, err := applicationIDOfVersion(*ref.PackageReferenceID)
	if err != nil {
		return ""
	}
	return id
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
