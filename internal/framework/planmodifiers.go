package framework

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
)

// RequiresReplaceIfRegionChanged replaces the resource only when the planned region is another
// region: "East US 2" and "eastus2" are the same one, so respelling it updates in place.
func RequiresReplaceIfRegionChanged() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !azure.LocationsEqual(req.StateValue.ValueString(), req.PlanValue.ValueString())
	}, "Changing to another region replaces the resource.", "Changing to another region replaces the resource.")
}

// RequiresReplaceIfIDChanged replaces the resource only when a parent ID names another
// resource: ARM IDs differing only in letter case are the same resource.
func RequiresReplaceIfIDChanged() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !azure.IDsEqual(req.StateValue.ValueString(), req.PlanValue.ValueString())
	}, "Changing to another parent replaces the resource.", "Changing to another parent replaces the resource.")
}
