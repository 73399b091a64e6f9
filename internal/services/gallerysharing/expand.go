package gallerysharing

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// expandSharingUpdate builds the body of the share action.
func expandSharingUpdate(op armcompute.SharingUpdateOperationTypes, subs, tenants []string) armcompute.SharingUpdate {
	u := armcompute.SharingUpdate{OperationType: to.Ptr(op)}
	if len(subs) > 0 {
		u.Groups = append(u.Groups, &armcompute.SharingProfileGroup{Type: to.Ptr(armcompute.SharingProfileGroupTypesSubscriptions), IDs: to.SliceOfPtrs(subs...)})
	}
	if len(tenants) > 0 {
		u.Groups = append(u.Groups, &armcompute.SharingProfileGroup{Type: to.Ptr(armcompute.SharingProfileGroupTypesAADTenants), IDs: to.SliceOfPtrs(tenants...)})
	}
	return u
}

// plannedIDs returns the subscription and tenant IDs of a model.
func plannedIDs(ctx context.Context, m GallerySharingResourceModel) (subs, tenants []string, diags diag.Diagnostics) {
	subs, d := setStrings(ctx, m.SubscriptionIDs)
	diags.Append(d...)
	tenants, d = setStrings(ctx, m.TenantIDs)
	diags.Append(d...)
	return subs, tenants, diags
}

func setStrings(ctx context.Context, s types.Set) ([]string, diag.Diagnostics) {
	if s.IsNull() || s.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := s.ElementsAs(ctx, &out, false)
	return out, diags
}

// minus returns the elements of a not in b; GUIDs compare without case.
func minus(a, b []string) []string { return filter(a, b, false) }

// intersect returns the elements of a also in b; GUIDs compare without case.
func intersect(a, b []string) []string { return filter(a, b, true) }

// filter returns the elements of a that are (in) or are not (!in) in b.
func filter(a, b []string, in bool) []string {
	var out []string
	for _, x := range a {
		found := false
		for _, y := range b {
			if strings.EqualFold(x, y) {
				found = true
				break
			}
		}
		if found == in {
			out = append(out, x)
		}
	}
	return out
}
