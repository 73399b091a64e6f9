// Package gallery implements the azvmapps_gallery resource and data source: an Azure Compute
// Gallery, the parent of VM application definitions.
package gallery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
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
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/locks"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

var (
	_ resource.ResourceWithConfigure      = (*GalleryResource)(nil)
	_ resource.ResourceWithImportState    = (*GalleryResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*GalleryResource)(nil)
	_ resource.ResourceWithValidateConfig = (*GalleryResource)(nil)
)

const resourceType = "azvmapps_gallery"

// NewGalleryResource returns the azvmapps_gallery resource.
func NewGalleryResource() resource.Resource { return &GalleryResource{} }

// GalleryResource manages an Azure Compute Gallery.
type GalleryResource struct {
	client *clients.Client
}

// Metadata names the resource.
func (r *GalleryResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gallery"
}

// Schema describes the resource.
func (r *GalleryResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// Configure takes the provider's client.
func (r *GalleryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks combinations of attributes the service would reject.
func (r *GalleryResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var sharing *sharingModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("sharing"), &sharing)...)
	// Attributes of optional single blocks are Optional in the schema (the framework would
	// demand them even without the block); they are required here, when the block is present.
	if sharing != nil {
		requireInBlock(resp, path.Root("sharing").AtName("permission"), sharing.Permission)
		if c := sharing.Community; c != nil {
			p := path.Root("sharing").AtName("community")
			requireInBlock(resp, p.AtName("publisher_uri"), c.PublisherURI)
			requireInBlock(resp, p.AtName("publisher_contact"), c.PublisherContact)
			requireInBlock(resp, p.AtName("eula"), c.Eula)
			requireInBlock(resp, p.AtName("public_name_prefix"), c.PublicNamePrefix)
		}
	}
	if sharing != nil && !sharing.Permission.IsUnknown() && !sharing.Permission.IsNull() {
		perm := sharing.Permission.ValueString()
		if perm == PermissionCommunity && sharing.Community == nil {
			resp.Diagnostics.AddAttributeError(path.Root("sharing").AtName("community"), "Missing community information",
				"A gallery shared with permission \"Community\" is public and needs the publisher information the service shows to everyone: add a community { publisher_uri, publisher_contact, eula, public_name_prefix } block inside sharing.")
		}
		if perm != PermissionCommunity && sharing.Community != nil {
			resp.Diagnostics.AddAttributeError(path.Root("sharing").AtName("community"), "Community information without community sharing",
				fmt.Sprintf("The community block only applies when permission is \"Community\"; permission is %q. Remove the community block or set permission = \"Community\".", perm))
		}
	}

	var ident *identityModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("identity"), &ident)...)
	if ident != nil {
		requireInBlock(resp, path.Root("identity").AtName("type"), ident.Type)
	}
	if ident != nil && !ident.Type.IsUnknown() && !ident.Type.IsNull() && !ident.IdentityIDs.IsUnknown() {
		userAssigned := strings.Contains(ident.Type.ValueString(), "UserAssigned")
		hasIDs := !ident.IdentityIDs.IsNull() && len(ident.IdentityIDs.Elements()) > 0
		if userAssigned && !hasIDs {
			resp.Diagnostics.AddAttributeError(path.Root("identity").AtName("identity_ids"), "Missing user-assigned identities",
				fmt.Sprintf("An identity of type %q needs identity_ids: the IDs of the user-assigned identities to attach to the gallery.", ident.Type.ValueString()))
		}
		if !userAssigned && hasIDs {
			resp.Diagnostics.AddAttributeError(path.Root("identity").AtName("identity_ids"), "User-assigned identities need a UserAssigned type",
				"identity_ids can only be given when type is \"UserAssigned\" or \"SystemAssigned, UserAssigned\".")
		}
	}
}

func requireInBlock(resp *resource.ValidateConfigResponse, p path.Path, v types.String) {
	if v.IsNull() {
		resp.Diagnostics.AddAttributeError(p, "Missing required argument",
			fmt.Sprintf("The argument %q is required in this block.", p.String()))
	}
}

// ModifyPlan refuses, at plan time, a new gallery whose name another gallery of the
// subscription already uses: gallery names are unique per subscription. It only reads.
func (r *GalleryResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var id, name, rg types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("resource_group_name"), &rg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	known := !name.IsUnknown() && !name.IsNull() && !rg.IsUnknown() && !rg.IsNull()
	framework.PlanID(ctx, resp, id, ids.NewGallery(r.client.SubscriptionID, rg.ValueString(), name.ValueString()).String(), known)
	if !req.State.Raw.IsNull() {
		// Terraform plans a replacement in two calls: this one (with the prior state), then one
		// for the new object with no prior state. Remember the gallery being replaced, so the
		// second call does not mistake it for another gallery holding the name.
		var plan, state GalleryResourceModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !resp.Diagnostics.HasError() && requiresReplace(plan, state) {
			beingReplaced.Store(strings.ToLower(state.ID.ValueString()), true)
		}
		return
	}
	if !known {
		return
	}
	existingID, err := findGalleryInSubscription(ctx, r.client, name.ValueString())
	if err != nil {
		resp.Diagnostics.AddWarning("Could not check that the gallery name is free",
			fmt.Sprintf("Listing the galleries of subscription %s failed, so the plan cannot tell whether the name %q is already used (gallery names are unique per subscription); the service will tell at apply.\n\n%s",
				r.client.SubscriptionID, name.ValueString(), clients.Redact(err.Error())))
		return
	}
	if _, replaced := beingReplaced.Load(strings.ToLower(existingID)); existingID == "" || replaced {
		return
	}
	if parsed, err := ids.ParseGallery(existingID); err == nil && strings.EqualFold(parsed.ResourceGroup, rg.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Gallery already exists", framework.AlreadyExistsDetail(resourceType, existingID))
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("name"), "Gallery name already taken in this subscription",
		fmt.Sprintf("Gallery names are unique within a subscription, and %q already exists as %s. Choose another name, or import that gallery with: terraform import %s.<name> %s",
			name.ValueString(), existingID, resourceType, existingID))
}

// Create creates the gallery after making sure it does not exist yet.
func (r *GalleryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan GalleryResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	rg, name := plan.ResourceGroupName.ValueString(), plan.Name.ValueString()
	id := ids.NewGallery(r.client.SubscriptionID, rg, name).String()
	unlock := locks.Lock(id)
	defer unlock()

	f := r.client.Compute // a new gallery is created in the provider's subscription
	client := f.NewGalleriesClient()
	existing, err := client.Get(ctx, rg, name, nil)
	switch {
	case err == nil:
		if existing.ID != nil {
			id = *existing.ID
		}
		framework.AddAlreadyExists(&resp.Diagnostics, resourceType, id)
		return
	case !azure.IsNotFound(err):
		resp.Diagnostics.AddError("Error checking for an existing gallery", azure.Describe("reading gallery", id, err))
		return
	}

	body, diags := expandGallery(ctx, plan, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var accepted *http.Response
	poller, err := client.BeginCreateOrUpdate(policy.WithCaptureResponse(ctx, &accepted), rg, name, body, nil)
	if err != nil {
		resp.Diagnostics.AddError("Error creating gallery", azure.Describe("creating gallery", id, err))
		return
	}
	if _, err := wait.PollUntilDoneAfter(ctx, poller, r.client.PollFrequency, accepted); err != nil {
		// The gallery may exist: keep it in state (tainted) rather than lose track of it.
		plan.ID = types.StringValue(id)
		resp.Diagnostics.Append(resp.State.Set(ctx, knownOnly(plan))...)
		resp.Diagnostics.AddError("Error waiting for gallery creation", azure.Describe("creating gallery", id, err))
		return
	}

	got, err := client.Get(ctx, rg, name, nil)
	if err != nil {
		plan.ID = types.StringValue(id)
		resp.Diagnostics.Append(resp.State.Set(ctx, knownOnly(plan))...)
		resp.Diagnostics.AddError("Error reading created gallery", azure.Describe("reading gallery", id, err))
		return
	}
	state, diags := flattenGallery(ctx, got.Gallery, plan)
	resp.Diagnostics.Append(diags...)
	if wantsCommunity(plan.Sharing) && !state.CommunityEnabled.ValueBool() {
		// Track the gallery before publishing it, so a failed publish leaves no gallery
		// Terraform does not know about.
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		published, err := r.publish(ctx, f, rg, name, id)
		if err != nil {
			resp.Diagnostics.AddError("Error publishing community gallery",
				fmt.Sprintf("Gallery %s was created and is recorded in the Terraform state, but publishing it to the community failed, so it is not public. "+
					"Terraform marks it tainted: the next terraform apply replaces it. To retry publishing the existing gallery instead, run terraform untaint on this resource, then terraform apply.\n\n%s", id, err))
			return
		}
		state, diags = flattenGallery(ctx, published, plan)
		resp.Diagnostics.Append(diags...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Read refreshes the state; a gallery deleted outside Terraform is removed from state.
func (r *GalleryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state GalleryResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Read, framework.DefaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	parsed, ok := parseStateID(id, &resp.Diagnostics)
	if !ok {
		return
	}
	f := framework.Compute(r.client, parsed, &resp.Diagnostics) // an imported gallery may live elsewhere
	if f == nil {
		return
	}
	got, err := f.NewGalleriesClient().Get(ctx, parsed.ResourceGroup, parsed.Name, nil)
	if err != nil {
		if azure.IsNotFound(err) {
			tflog.Info(ctx, "gallery no longer exists; removing it from state", map[string]any{"id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Error reading gallery", azure.Describe("reading gallery", id, err))
		return
	}
	newState, diags := flattenGallery(ctx, got.Gallery, state)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
}

// Update changes description, tags, sharing, soft delete and identity in place with a PUT of
// the whole gallery, so attributes removed from the configuration are cleared.
func (r *GalleryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state GalleryResourceModel
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

	id := state.ID.ValueString()
	parsed, ok := parseStateID(id, &resp.Diagnostics)
	if !ok {
		return
	}
	unlock := locks.Lock(id)
	defer unlock()

	body, diags := expandGallery(ctx, plan, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	rg, name := parsed.ResourceGroup, parsed.Name
	f := framework.Compute(r.client, parsed, &resp.Diagnostics)
	if f == nil {
		return
	}
	if !wantsCommunity(plan.Sharing) && (wantsCommunity(state.Sharing) || state.CommunityEnabled.ValueBool()) {
		// A community gallery stops being public with a Reset share operation; the PUT
		// below then sets the new permission.
		if err := r.share(ctx, f, rg, name, armcompute.SharingUpdateOperationTypesReset); err != nil {
			resp.Diagnostics.AddError("Error stopping community sharing",
				fmt.Sprintf("Gallery %s is shared with the community; to change its permission to %q the provider first resets its sharing (share operation Reset), which failed. Nothing was changed; run terraform apply again once the cause below is fixed.\n\n%s",
					id, sharingPermission(plan.Sharing), azure.Describe("resetting sharing of gallery", id, err)))
			return
		}
	}
	client := f.NewGalleriesClient()
	_, err := wait.Operation(ctx, r.client.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.GalleriesClientCreateOrUpdateResponse], error) {
		return client.BeginCreateOrUpdate(ctx, rg, name, body, nil)
	})
	if err != nil {
		resp.Diagnostics.AddError("Error updating gallery", azure.Describe("updating gallery", id, err))
		return
	}
	got, err := client.Get(ctx, rg, name, nil)
	if err != nil {
		resp.Diagnostics.AddError("Error reading updated gallery", azure.Describe("reading gallery", id, err))
		return
	}
	plan.ID = state.ID
	newState, diags := flattenGallery(ctx, got.Gallery, plan)
	resp.Diagnostics.Append(diags...)
	if wantsCommunity(plan.Sharing) && !newState.CommunityEnabled.ValueBool() {
		published, err := r.publish(ctx, f, rg, name, id)
		if err != nil {
			// Record what was applied: the state shows the gallery unpublished, so the next
			// plan shows community_gallery_enabled changing to true and the apply retries.
			resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
			resp.Diagnostics.AddError("Error publishing community gallery",
				fmt.Sprintf("Gallery %s was updated, but publishing it to the community failed, so it is not public. Run terraform apply again to retry publishing.\n\n%s", id, err))
			return
		}
		newState, diags = flattenGallery(ctx, published, plan)
		resp.Diagnostics.Append(diags...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
}

// Delete deletes the gallery. A gallery that still holds applications cannot be deleted: the
// error lists them. Right after its last application was deleted the service may still refuse
// for a few seconds; that refusal is retried within the delete timeout.
func (r *GalleryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state GalleryResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Delete, framework.DefaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	parsed, ok := parseStateID(id, &resp.Diagnostics)
	if !ok {
		return
	}
	unlock := locks.Lock(id)
	defer unlock()

	f := framework.Compute(r.client, parsed, &resp.Diagnostics)
	if f == nil {
		return
	}
	client := f.NewGalleriesClient()
	deleteOnce := func() error {
		_, err := wait.Operation(ctx, r.client.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.GalleriesClientDeleteResponse], error) {
			return client.BeginDelete(ctx, parsed.ResourceGroup, parsed.Name, nil)
		})
		return err
	}
	listChildren := func() ([]string, error) {
		return listApplications(ctx, f, parsed.ResourceGroup, parsed.Name)
	}
	if err := azure.DeleteRetryingNestedLag(ctx, deleteOnce, listChildren); err != nil {
		if children, ok := err.(*azure.NestedResourcesError); ok {
			resp.Diagnostics.AddError("Gallery still has applications",
				fmt.Sprintf("Gallery %s cannot be deleted while it holds VM application definitions. It still has:\n  %s\n\nDelete them first (remove their azvmapps_application and azvmapps_application_version resources from the configuration, or delete them in Azure), or remove the gallery from the configuration with terraform state rm if it should be kept.",
					id, strings.Join(children.Children, "\n  ")))
			return
		}
		resp.Diagnostics.AddError("Error deleting gallery", azure.Describe("deleting gallery", id, err))
	}
}

// ImportState imports a gallery by its ARM ID.
func (r *GalleryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parsed, err := ids.ParseGallery(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid gallery ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), parsed.Name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("resource_group_name"), parsed.ResourceGroup)...)
}

// publish publishes a gallery whose sharing profile is Community to the community (share
// operation EnableCommunity) and returns the gallery as read afterwards. A failure is
// returned as an error whose text is redacted and names the operation.
func (r *GalleryResource) publish(ctx context.Context, f *armcompute.ClientFactory, rg, name, id string) (armcompute.Gallery, error) {
	if err := r.share(ctx, f, rg, name, armcompute.SharingUpdateOperationTypesEnableCommunity); err != nil {
		return armcompute.Gallery{}, errors.New(azure.Describe("publishing gallery to the community (share operation EnableCommunity)", id, err))
	}
	got, err := f.NewGalleriesClient().Get(ctx, rg, name, nil)
	if err != nil {
		return armcompute.Gallery{}, errors.New(azure.Describe("reading gallery after publishing it", id, err))
	}
	return got.Gallery, nil
}

// share runs a gallery share operation that takes no groups (Reset, EnableCommunity) and
// waits for it.
func (r *GalleryResource) share(ctx context.Context, f *armcompute.ClientFactory, rg, name string, op armcompute.SharingUpdateOperationTypes) error {
	client := f.NewGallerySharingProfileClient()
	_, err := wait.Operation(ctx, r.client.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.GallerySharingProfileClientUpdateResponse], error) {
		return client.BeginUpdate(ctx, rg, name, armcompute.SharingUpdate{OperationType: to.Ptr(op)}, nil)
	})
	return err
}

// sharingPermission returns the permission of a sharing block; no block means Private.
func sharingPermission(s *sharingModel) string {
	if s == nil || s.Permission.IsNull() {
		return PermissionPrivate
	}
	return s.Permission.ValueString()
}

// parseStateID parses the gallery ID held in state; a malformed one is reported in diags.
func parseStateID(id string, diags *diag.Diagnostics) (ids.Gallery, bool) {
	parsed, err := ids.ParseGallery(id)
	if err != nil {
		diags.AddError("Invalid gallery ID in state", err.Error())
		return ids.Gallery{}, false
	}
	return parsed, true
}

// requiresReplace reports whether the plan changes an attribute that forces a new gallery.
func requiresReplace(plan, state GalleryResourceModel) bool {
	return !plan.Name.Equal(state.Name) || !plan.ResourceGroupName.Equal(state.ResourceGroupName) ||
		plan.Location.IsUnknown() || !azure.LocationsEqual(plan.Location.ValueString(), state.Location.ValueString())
}

// beingReplaced holds the lower-cased IDs of galleries this provider process planned to replace.
var beingReplaced sync.Map

// findGalleryInSubscription returns the ID of the gallery of the subscription named name
// (compared without case), or "".
func findGalleryInSubscription(ctx context.Context, c *clients.Client, name string) (string, error) {
	pager := c.Compute.NewGalleriesClient().NewListPager(nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return "", err
		}
		for _, g := range page.Value {
			if g != nil && g.Name != nil && strings.EqualFold(*g.Name, name) && g.ID != nil {
				return *g.ID, nil
			}
		}
	}
	return "", nil
}

// listApplications returns the IDs of the application definitions in a gallery.
func listApplications(ctx context.Context, f *armcompute.ClientFactory, rg, gallery string) ([]string, error) {
	var ids []string
	pager := f.NewGalleryApplicationsClient().NewListByGalleryPager(rg, gallery, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Value {
			if a != nil && a.ID != nil {
				ids = append(ids, *a.ID)
			}
		}
	}
	return ids, nil
}

// knownOnly replaces the unknown computed values of a plan with nulls, so a partly created
// gallery can be saved in state.
func knownOnly(m GalleryResourceModel) GalleryResourceModel {
	if m.UniqueName.IsUnknown() {
		m.UniqueName = types.StringNull()
	}
	if m.CommunityEnabled.IsUnknown() {
		m.CommunityEnabled = types.BoolNull()
	}
	if m.CommunityNames.IsUnknown() {
		m.CommunityNames = types.ListNull(types.StringType)
	}
	if m.Identity != nil {
		i := *m.Identity
		if i.PrincipalID.IsUnknown() {
			i.PrincipalID = types.StringNull()
		}
		if i.TenantID.IsUnknown() {
			i.TenantID = types.StringNull()
		}
		m.Identity = &i
	}
	return m
}
