// Package gallerysharing implements azvmapps_gallery_sharing: the subscriptions and tenants an
// Azure Compute Gallery is shared with, managed through the gallery's share action.
package gallerysharing

import (
	"context"
	"fmt"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/locks"
)

var (
	_ resource.ResourceWithConfigure   = (*GallerySharingResource)(nil)
	_ resource.ResourceWithImportState = (*GallerySharingResource)(nil)
)

const (
	resourceType = "azvmapps_gallery_sharing"
)

// NewGallerySharingResource returns the azvmapps_gallery_sharing resource.
func NewGallerySharingResource() resource.Resource { return &GallerySharingResource{} }

// GallerySharingResource manages who a gallery is shared with.
type GallerySharingResource struct {
	client *clients.Client
}

// Metadata names the resource.
func (r *GallerySharingResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gallery_sharing"
}

// Schema describes the resource.
func (r *GallerySharingResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// Configure takes the provider's client.
func (r *GallerySharingResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Create shares the gallery with the configured subscriptions and tenants.
func (r *GallerySharingResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan GallerySharingResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	galleryID := plan.GalleryID.ValueString()
	unlock := locks.Lock(galleryID)
	defer unlock()

	current, err := r.readSharing(ctx, galleryID)
	if err != nil {
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("gallery_id"), "Gallery not found",
				fmt.Sprintf("Gallery %s does not exist, so it cannot be shared. Check gallery_id.\n\n%s", galleryID, azure.Describe("reading gallery", galleryID, err)))
			return
		}
		resp.Diagnostics.AddError("Error reading gallery sharing", azure.Describe("reading gallery", galleryID, err))
		return
	}
	if !strings.EqualFold(current.permission, string(armcompute.GallerySharingPermissionTypesGroups)) {
		resp.Diagnostics.AddAttributeError(path.Root("gallery_id"), "Gallery is not set up for sharing with groups",
			fmt.Sprintf("Gallery %s has sharing permission %q. It can only be shared with subscriptions and tenants when its permission is \"Groups\": "+
				"set sharing { permission = \"Groups\" } on its azvmapps_gallery resource and apply again.", galleryID, current.permission))
		return
	}
	if len(current.subscriptions)+len(current.tenants) > 0 {
		resp.Diagnostics.AddError("Resource already exists", fmt.Sprintf("%s\n\nThe gallery is already shared with %d subscription(s) and %d tenant(s).",
			framework.AlreadyExistsDetail(resourceType, galleryID), len(current.subscriptions), len(current.tenants)))
		return
	}

	subs, tenants, diags := plannedIDs(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.share(ctx, galleryID, armcompute.SharingUpdateOperationTypesAdd, subs, tenants); err != nil {
		resp.Diagnostics.AddError("Error sharing gallery", azure.Describe("sharing gallery", galleryID, err))
		return
	}
	plan.ID = types.StringValue(galleryID)
	r.refresh(ctx, galleryID, plan, &resp.State, &resp.Diagnostics)
}

// Read refreshes the sharing groups; a gallery that is gone or no longer shared with anyone
// is removed from state.
func (r *GallerySharingResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state GallerySharingResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Read, framework.DefaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	galleryID := state.ID.ValueString()
	if state.GalleryID.IsNull() || state.GalleryID.ValueString() == "" {
		state.GalleryID = customtypes.NewARMID(galleryID)
	}
	r.refresh(ctx, galleryID, state, &resp.State, &resp.Diagnostics)
}

// Update adds the new subscriptions and tenants first, then removes the dropped ones, so the
// gallery is never left shared with nobody in between.
func (r *GallerySharingResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state GallerySharingResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Update, framework.DefaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	galleryID := state.ID.ValueString()
	unlock := locks.Lock(galleryID)
	defer unlock()

	newSubs, newTenants, d1 := plannedIDs(ctx, plan)
	oldSubs, oldTenants, d2 := plannedIDs(ctx, state)
	resp.Diagnostics.Append(d1...)
	resp.Diagnostics.Append(d2...)
	if resp.Diagnostics.HasError() {
		return
	}
	addSubs, addTenants := minus(newSubs, oldSubs), minus(newTenants, oldTenants)
	rmSubs, rmTenants := minus(oldSubs, newSubs), minus(oldTenants, newTenants)
	if len(addSubs)+len(addTenants) > 0 {
		if err := r.share(ctx, galleryID, armcompute.SharingUpdateOperationTypesAdd, addSubs, addTenants); err != nil {
			resp.Diagnostics.AddError("Error sharing gallery", azure.Describe("sharing gallery", galleryID, err))
			return
		}
	}
	if len(rmSubs)+len(rmTenants) > 0 {
		if err := r.share(ctx, galleryID, armcompute.SharingUpdateOperationTypesRemove, rmSubs, rmTenants); err != nil {
			resp.Diagnostics.AddError("Error removing gallery sharing", azure.Describe("removing sharing of gallery", galleryID, err))
			return
		}
	}
	plan.ID = state.ID
	r.refresh(ctx, galleryID, plan, &resp.State, &resp.Diagnostics)
}

// Delete resets the gallery's sharing: it is shared with nobody and becomes Private.
func (r *GallerySharingResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state GallerySharingResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Delete, framework.DefaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	galleryID := state.ID.ValueString()
	unlock := locks.Lock(galleryID)
	defer unlock()
	if err := r.share(ctx, galleryID, armcompute.SharingUpdateOperationTypesReset, nil, nil); err != nil && !azure.IsNotFound(err) {
		resp.Diagnostics.AddError("Error resetting gallery sharing", azure.Describe("resetting sharing of gallery", galleryID, err))
	}
}

// ImportState imports the sharing of a gallery by the gallery's ID.
func (r *GallerySharingResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if _, err := ids.ParseGallery(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid gallery ID", "azvmapps_gallery_sharing is imported by the ID of the shared gallery. "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("gallery_id"), customtypes.NewARMID(req.ID))...)
}

// sharing is what the gallery GET says about sharing.
type sharing struct {
	permission    string
	subscriptions []string
	tenants       []string
}

// readSharing reads the gallery's permission and groups ($select=Permissions returns them).
func (r *GallerySharingResource) readSharing(ctx context.Context, galleryID string) (sharing, error) {
	parsed, err := ids.ParseGallery(galleryID)
	if err != nil {
		return sharing{}, err
	}
	f, err := r.client.ComputeFor(parsed.SubscriptionID)
	if err != nil {
		return sharing{}, err
	}
	got, err := f.NewGalleriesClient().Get(ctx, parsed.ResourceGroup, parsed.Name,
		&armcompute.GalleriesClientGetOptions{Select: to.Ptr(armcompute.SelectPermissionsPermissions)})
	if err != nil {
		return sharing{}, err
	}
	return sharingOf(got.Gallery), nil
}

// sharingOf extracts permission and group members from a gallery.
func sharingOf(g armcompute.Gallery) sharing {
	out := sharing{permission: string(armcompute.GallerySharingPermissionTypesPrivate)}
	if g.Properties == nil || g.Properties.SharingProfile == nil {
		return out
	}
	sp := g.Properties.SharingProfile
	if sp.Permissions != nil && *sp.Permissions != "" {
		out.permission = string(*sp.Permissions)
	}
	for _, grp := range sp.Groups {
		if grp == nil || grp.Type == nil {
			continue
		}
		for _, id := range grp.IDs {
			if id == nil {
				continue
			}
			switch {
			case strings.EqualFold(string(*grp.Type), string(armcompute.SharingProfileGroupTypesSubscriptions)):
				out.subscriptions = append(out.subscriptions, *id)
			case strings.EqualFold(string(*grp.Type), string(armcompute.SharingProfileGroupTypesAADTenants)):
				out.tenants = append(out.tenants, *id)
			}
		}
	}
	return out
}

// share runs the gallery's share action and waits for it.
func (r *GallerySharingResource) share(ctx context.Context, galleryID string, op armcompute.SharingUpdateOperationTypes, subs, tenants []string) error {
	parsed, err := ids.ParseGallery(galleryID)
	if err != nil {
		return err
	}
	tflog.Debug(ctx, "updating gallery sharing", map[string]any{"gallery_id": galleryID, "operation": string(op), "subscriptions": len(subs), "tenants": len(tenants)})
	f, err := r.client.ComputeFor(parsed.SubscriptionID)
	if err != nil {
		return err
	}
	poller, err := f.NewGallerySharingProfileClient().BeginUpdate(ctx, parsed.ResourceGroup, parsed.Name, expandSharingUpdate(op, subs, tenants), nil)
	if err != nil {
		return err
	}
	_, err = poller.PollUntilDone(ctx, &runtime.PollUntilDoneOptions{Frequency: r.client.PollFrequency})
	return err
}

// refresh reads the gallery and writes the sharing into state, or removes the resource when
// the gallery is gone or shared with nobody.
func (r *GallerySharingResource) refresh(ctx context.Context, galleryID string, prior GallerySharingResourceModel, state stateSetter, diags *diag.Diagnostics) {
	current, err := r.readSharing(ctx, galleryID)
	if err != nil {
		if azure.IsNotFound(err) {
			tflog.Info(ctx, "gallery no longer exists; removing its sharing from state", map[string]any{"gallery_id": galleryID})
			state.RemoveResource(ctx)
			return
		}
		diags.AddError("Error reading gallery sharing", azure.Describe("reading gallery", galleryID, err))
		return
	}
	if len(current.subscriptions)+len(current.tenants) == 0 {
		tflog.Info(ctx, "gallery is no longer shared with anyone; removing its sharing from state", map[string]any{"gallery_id": galleryID})
		state.RemoveResource(ctx)
		return
	}
	m, d := flattenSharing(ctx, current, prior)
	diags.Append(d...)
	diags.Append(state.Set(ctx, m)...)
}

// stateSetter is the part of tfsdk.State that refresh uses.
type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
	RemoveResource(ctx context.Context)
}
