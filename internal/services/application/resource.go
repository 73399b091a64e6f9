// Package application implements the azvmapps_application resource and data source: a VM
// application definition in an Azure Compute Gallery.
package application

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/customtypes"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/locks"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

var (
	_ resource.ResourceWithConfigure      = (*ApplicationResource)(nil)
	_ resource.ResourceWithImportState    = (*ApplicationResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*ApplicationResource)(nil)
	_ resource.ResourceWithValidateConfig = (*ApplicationResource)(nil)
)

const resourceType = "azvmapps_application"

// NewApplicationResource returns the azvmapps_application resource.
func NewApplicationResource() resource.Resource { return &ApplicationResource{} }

// ApplicationResource manages a VM application definition.
type ApplicationResource struct {
	client *clients.Client
	// now is the clock of the end-of-life check (tests replace it).
	now func() time.Time
}

// Metadata names the resource.
func (r *ApplicationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_application"
}

// Schema describes the resource.
func (r *ApplicationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// Configure takes the provider's client.
func (r *ApplicationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks the custom actions: unique names, unique parameter names, and default
// values only on String parameters.
func (r *ApplicationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var actions []customActionModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("custom_action"), &actions)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for _, d := range checkCustomActions(actions) {
		resp.Diagnostics.AddAttributeError(d.path, d.summary, d.detail)
	}
}

// ModifyPlan plans the application's ID (gallery ID + name) and records the planned
// application (its OS type) for the checks of the assignments planned after it, and refuses at
// plan time an end_of_life_date in the past for a new application.
func (r *ApplicationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan ApplicationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	g, err := ids.ParseGallery(plan.GalleryID.ValueString())
	known := !plan.GalleryID.IsUnknown() && !plan.GalleryID.IsNull() && !plan.Name.IsUnknown() && !plan.Name.IsNull() && err == nil
	id := g.Application(plan.Name.ValueString()).String()
	framework.PlanID(ctx, resp, plan.ID, id, known)
	if known && r.client != nil {
		r.client.Estate.PlanApplication(estate.Application{ID: id, OSType: plan.SupportedOSType.ValueString()})
	}
	if !req.State.Raw.IsNull() {
		return
	}
	eol := plan.EndOfLifeDate
	if eol.IsNull() || eol.IsUnknown() {
		return
	}
	t, err := time.Parse(time.RFC3339, eol.ValueString())
	if err != nil {
		return // the attribute validator reports the format
	}
	now := time.Now
	if r.now != nil {
		now = r.now
	}
	if t.Before(now()) {
		resp.Diagnostics.AddAttributeError(path.Root("end_of_life_date"), "End-of-life date in the past",
			fmt.Sprintf("end_of_life_date %s is in the past (now is %s). A new application's end-of-life date must be in the future: set a later date or remove the attribute.",
				eol.ValueString(), now().UTC().Format(time.RFC3339)))
	}
}

// Create creates the application after making sure it does not exist yet.
func (r *ApplicationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan ApplicationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	g, err := ids.ParseGallery(plan.GalleryID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("gallery_id"), "Invalid gallery ID", err.Error())
		return
	}
	name := plan.Name.ValueString()
	id := g.Application(name).String()
	unlock := locks.Lock(id)
	defer unlock()

	f := framework.Compute(r.client, g, &resp.Diagnostics) // the gallery's subscription
	if f == nil {
		return
	}
	client := f.NewGalleryApplicationsClient()
	existing, err := client.Get(ctx, g.ResourceGroup, g.Name, name, nil)
	switch {
	case err == nil:
		if existing.ID != nil {
			id = *existing.ID
		}
		framework.AddAlreadyExists(&resp.Diagnostics, resourceType, id)
		return
	case !azure.IsNotFound(err):
		resp.Diagnostics.AddError("Error checking for an existing application", azure.Describe("reading application", id, err))
		return
	}

	body, diags := expandApplication(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var accepted *http.Response // a synchronous 201: read back at once
	poller, err := client.BeginCreateOrUpdate(policy.WithCaptureResponse(ctx, &accepted), g.ResourceGroup, g.Name, name, body, nil)
	if err != nil {
		if azure.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("gallery_id"), "Gallery not found",
				fmt.Sprintf("The application cannot be created because its gallery does not exist. Check gallery_id.\n\n%s", azure.Describe("creating application", id, err)))
			return
		}
		resp.Diagnostics.AddError("Error creating application", azure.Describe("creating application", id, err))
		return
	}
	if _, err := wait.PollUntilDoneAfter(ctx, poller, r.client.PollFrequency, accepted); err != nil {
		plan.ID = types.StringValue(id)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.AddError("Error waiting for application creation", azure.Describe("creating application", id, err))
		return
	}
	got, err := client.Get(ctx, g.ResourceGroup, g.Name, name, nil)
	if err != nil {
		plan.ID = types.StringValue(id)
		resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
		resp.Diagnostics.AddError("Error reading created application", azure.Describe("reading application", id, err))
		return
	}
	state, diags := flattenApplication(ctx, got.GalleryApplication, plan)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// Read refreshes the state; an application deleted outside Terraform is removed from state.
func (r *ApplicationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state ApplicationResourceModel
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
	f := framework.Compute(r.client, parsed, &resp.Diagnostics)
	if f == nil {
		return
	}
	got, err := f.NewGalleryApplicationsClient().Get(ctx, parsed.ResourceGroup, parsed.Gallery, parsed.Name, nil)
	if err != nil {
		if azure.IsNotFound(err) {
			tflog.Info(ctx, "application no longer exists; removing it from state", map[string]any{"id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Error reading application", azure.Describe("reading application", id, err))
		return
	}
	newState, diags := flattenApplication(ctx, got.GalleryApplication, state)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
}

// Update changes the updatable attributes in place with a PUT of the whole definition, so an
// optional attribute removed from the configuration is cleared.
func (r *ApplicationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state ApplicationResourceModel
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

	body, diags := expandApplication(ctx, plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	f := framework.Compute(r.client, parsed, &resp.Diagnostics)
	if f == nil {
		return
	}
	client := f.NewGalleryApplicationsClient()
	_, err := wait.Operation(ctx, r.client.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.GalleryApplicationsClientCreateOrUpdateResponse], error) {
		return client.BeginCreateOrUpdate(ctx, parsed.ResourceGroup, parsed.Gallery, parsed.Name, body, nil)
	})
	if err != nil {
		resp.Diagnostics.AddError("Error updating application", azure.Describe("updating application", id, err))
		return
	}
	got, err := client.Get(ctx, parsed.ResourceGroup, parsed.Gallery, parsed.Name, nil)
	if err != nil {
		resp.Diagnostics.AddError("Error reading updated application", azure.Describe("reading application", id, err))
		return
	}
	plan.ID = state.ID
	newState, diags := flattenApplication(ctx, got.GalleryApplication, plan)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
}

// Delete deletes the application. One that still has versions cannot be deleted: the error
// lists them. Right after its last version was deleted the service still refuses for a short
// while; that refusal is retried with backoff within the delete timeout.
func (r *ApplicationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state ApplicationResourceModel
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

	rg, galleryName, name := parsed.ResourceGroup, parsed.Gallery, parsed.Name
	f := framework.Compute(r.client, parsed, &resp.Diagnostics)
	if f == nil {
		return
	}
	client := f.NewGalleryApplicationsClient()
	deleteOnce := func() error {
		_, err := wait.Operation(ctx, r.client.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.GalleryApplicationsClientDeleteResponse], error) {
			return client.BeginDelete(ctx, rg, galleryName, name, nil)
		})
		return err
	}
	listVersions := func() ([]string, error) {
		var ids []string
		pager := f.NewGalleryApplicationVersionsClient().NewListByGalleryApplicationPager(rg, galleryName, name, nil)
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, v := range page.Value {
				if v != nil && v.ID != nil {
					ids = append(ids, *v.ID)
				}
			}
		}
		return ids, nil
	}
	if err := azure.DeleteRetryingNestedLag(ctx, deleteOnce, listVersions); err != nil {
		if nested, ok := err.(*azure.NestedResourcesError); ok {
			resp.Diagnostics.AddError("Application still has versions",
				fmt.Sprintf("Application %s cannot be deleted while it has versions. It still has:\n  %s\n\nDelete the versions first (remove their azvmapps_application_version resources from the configuration, or delete them in Azure), then destroy the application again.",
					id, strings.Join(nested.Children, "\n  ")))
			return
		}
		resp.Diagnostics.AddError("Error deleting application", azure.Describe("deleting application", id, err))
	}
}

// ImportState imports an application by its ARM ID.
func (r *ApplicationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parsed, err := ids.ParseApplication(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid application ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), parsed.Name)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("gallery_id"), customtypes.NewARMID(parsed.Parent().String()))...)
}

// parseStateID parses the application ID held in state; a malformed one is reported in diags.
func parseStateID(id string, diags *diag.Diagnostics) (ids.Application, bool) {
	parsed, err := ids.ParseApplication(id)
	if err != nil {
		diags.AddError("Invalid application ID in state", err.Error())
		return ids.Application{}, false
	}
	return parsed, true
}

// configProblem is one problem ValidateConfig reports.
type configProblem struct {
	path            path.Path
	summary, detail string
}

// checkCustomActions finds duplicate names and default values on non-String parameters.
func checkCustomActions(actions []customActionModel) []configProblem {
	var out []configProblem
	seen := map[string]int{}
	for i, ca := range actions {
		p := path.Root("custom_action").AtListIndex(i)
		if !ca.Name.IsNull() && !ca.Name.IsUnknown() {
			key := strings.ToLower(ca.Name.ValueString())
			if j, dup := seen[key]; dup {
				out = append(out, configProblem{p.AtName("name"), "Duplicate custom action name",
					fmt.Sprintf("Custom action names must be unique within an application: %q is also the name of custom_action %d.", ca.Name.ValueString(), j)})
			} else {
				seen[key] = i
			}
		}
		params := map[string]int{}
		for j, prm := range ca.Parameters {
			pp := p.AtName("parameter").AtListIndex(j)
			if !prm.Name.IsNull() && !prm.Name.IsUnknown() {
				key := strings.ToLower(prm.Name.ValueString())
				if k, dup := params[key]; dup {
					out = append(out, configProblem{pp.AtName("name"), "Duplicate parameter name",
						fmt.Sprintf("Parameter names must be unique within a custom action: %q is also the name of parameter %d.", prm.Name.ValueString(), k)})
				} else {
					params[key] = j
				}
			}
			if !prm.DefaultValue.IsNull() && !prm.Type.IsNull() && !prm.Type.IsUnknown() && prm.Type.ValueString() != ParameterTypeString {
				out = append(out, configProblem{pp.AtName("default_value"), "Default value on a non-String parameter",
					fmt.Sprintf("default_value only applies to parameters of type %q; this parameter is of type %q. Remove default_value or change the type.", ParameterTypeString, prm.Type.ValueString())})
			}
		}
	}
	return out
}
