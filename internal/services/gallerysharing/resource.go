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
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
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
	plan.ID = types.StringValue(galleryID)
	after, ok := r.shareChecked(ctx, galleryID, addAction(subs, tenants), &resp.Diagnostics)
	switch {
	case ok && after != nil:
		r.record(ctx, galleryID, *after, plan, &resp.State, &resp.Diagnostics)
	case ok:
		r.refresh(ctx, galleryID, plan, &resp.State, &resp.Diagnostics)
	case after != nil && !after.empty():
		// Part of it landed: recorded (with the error, so tainted), so that no apply meets an
		// untracked sharing it can only import.
		r.record(ctx, galleryID, *after, plan, &resp.State, &resp.Diagnostics)
	}
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
	plan.ID = state.ID
	// after is what reading the gallery back found when the last action reported an error but
	// landed: the write's context may be over by then, so the state comes from that read.
	var after *sharing
	for _, a := range []shareAction{
		addAction(minus(newSubs, oldSubs), minus(newTenants, oldTenants)),
		removeAction(minus(oldSubs, newSubs), minus(oldTenants, newTenants)),
	} {
		if len(a.subs)+len(a.tenants) == 0 {
			continue
		}
		var ok bool
		if after, ok = r.shareChecked(ctx, galleryID, a, &resp.Diagnostics); !ok {
			if after != nil {
				// What landed is recorded, so that the next plan shows the rest as a change.
				r.record(ctx, galleryID, *after, plan, &resp.State, &resp.Diagnostics)
			}
			return
		}
	}
	if after != nil {
		r.record(ctx, galleryID, *after, plan, &resp.State, &resp.Diagnostics)
		return
	}
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
	r.shareChecked(ctx, galleryID, resetAction(), &resp.Diagnostics)
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
	_, err = wait.Operation(ctx, r.client.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.GallerySharingProfileClientUpdateResponse], error) {
		return f.NewGallerySharingProfileClient().BeginUpdate(ctx, parsed.ResourceGroup, parsed.Name, expandSharingUpdate(op, subs, tenants), nil)
	})
	return err
}

// shareAction is one run of the gallery's share action, and how to tell it landed.
type shareAction struct {
	op            armcompute.SharingUpdateOperationTypes
	subs, tenants []string
	verb          string // "sharing", as in "sharing gallery <id>"
	failed        string // the error's summary
	landed        string // the warning's summary when it landed all the same
	then          string // what the provider does then, for the warning
}

func addAction(subs, tenants []string) shareAction {
	return shareAction{op: armcompute.SharingUpdateOperationTypesAdd, subs: subs, tenants: tenants, verb: "sharing",
		failed: "Error sharing gallery", landed: "The share action reported an error, but the gallery is shared", then: "records it in the state as planned"}
}

func removeAction(subs, tenants []string) shareAction {
	return shareAction{op: armcompute.SharingUpdateOperationTypesRemove, subs: subs, tenants: tenants, verb: "removing sharing of",
		failed: "Error removing gallery sharing", landed: "The share action reported an error, but the sharing was removed", then: "records it in the state as planned"}
}

func resetAction() shareAction {
	return shareAction{op: armcompute.SharingUpdateOperationTypesReset, verb: "resetting sharing of",
		failed: "Error resetting gallery sharing", landed: "The share action reported an error, but the gallery's sharing was reset", then: "removes it from the state"}
}

// done reports whether the gallery's sharing s shows the action's change made.
func (a shareAction) done(s sharing) bool {
	switch a.op {
	case armcompute.SharingUpdateOperationTypesAdd:
		return len(minus(a.subs, s.subscriptions))+len(minus(a.tenants, s.tenants)) == 0
	case armcompute.SharingUpdateOperationTypesRemove:
		return len(intersect(a.subs, s.subscriptions))+len(intersect(a.tenants, s.tenants)) == 0
	default: // Reset
		return s.empty()
	}
}

// shareChecked runs the share action. When it reports an error (a lost response, an operation
// that ended Failed, a timeout or an interrupt, any of which can come after the service made
// the change), it reads the gallery back: if the change is there, the error becomes a warning
// and ok is true; otherwise the error is reported. after is what the read back found (a
// gallery that is gone is shared with nobody), nil when there was no error or the read failed.
func (r *GallerySharingResource) shareChecked(ctx context.Context, galleryID string, a shareAction, diags *diag.Diagnostics) (after *sharing, ok bool) {
	err := r.share(ctx, galleryID, a.op, a.subs, a.tenants)
	if err == nil || (a.op == armcompute.SharingUpdateOperationTypesReset && azure.IsNotFound(err)) {
		return nil, true
	}
	current, rerr := azure.ReadBack(ctx, func(ctx context.Context) (sharing, error) { return r.readSharing(ctx, galleryID) })
	switch {
	case azure.IsNotFound(rerr):
		after = &sharing{permission: string(armcompute.GallerySharingPermissionTypesPrivate)}
	case rerr == nil:
		after = &current
	}
	described := azure.Describe(a.verb+" gallery", galleryID, err)
	if after == nil || !a.done(*after) {
		diags.AddError(a.failed, described)
		return after, false
	}
	tflog.Warn(ctx, "the share action reported an error, but reading the gallery back shows the change made: recording it",
		map[string]any{"gallery_id": galleryID, "operation": string(a.op)})
	diags.AddWarning(a.landed, fmt.Sprintf("%s\n\nReading the gallery again shows the change made (%s), so the provider %s.",
		described, after.describe(), a.then))
	return after, true
}

// empty reports whether the gallery is shared with nobody.
func (s sharing) empty() bool { return len(s.subscriptions)+len(s.tenants) == 0 }

// describe says who the gallery is shared with, for messages.
func (s sharing) describe() string {
	if s.empty() {
		return "shared with nobody"
	}
	return fmt.Sprintf("shared with %d subscription(s) and %d tenant(s)", len(s.subscriptions), len(s.tenants))
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
	r.record(ctx, galleryID, current, prior, state, diags)
}

// record writes the gallery's sharing into state, or removes the resource when the gallery is
// shared with nobody.
func (r *GallerySharingResource) record(ctx context.Context, galleryID string, current sharing, prior GallerySharingResourceModel, state stateSetter, diags *diag.Diagnostics) {
	if current.empty() {
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
