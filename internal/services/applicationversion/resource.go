// Package applicationversion implements the azvmapps_application_version resource and data
// source: publishing a VM application version, replicating it, and the plan-time checks of
// its packages, scripts, replica counts and regions.
package applicationversion

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/convert"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/framework"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/locks"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

var (
	_ resource.ResourceWithConfigure      = (*ApplicationVersionResource)(nil)
	_ resource.ResourceWithImportState    = (*ApplicationVersionResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*ApplicationVersionResource)(nil)
	_ resource.ResourceWithValidateConfig = (*ApplicationVersionResource)(nil)
)

const typeName = "azvmapps_application_version"

// NewApplicationVersionResource is the constructor the provider registers.
func NewApplicationVersionResource() resource.Resource { return &ApplicationVersionResource{} }

// ApplicationVersionResource manages one gallery application version.
type ApplicationVersionResource struct {
	client *clients.Client
}

// Metadata names the resource.
func (r *ApplicationVersionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_application_version"
}

// Schema describes the resource.
func (r *ApplicationVersionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

// Configure receives the provider's client.
func (r *ApplicationVersionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = framework.ConfigureClient(req.ProviderData, &resp.Diagnostics)
}

// Create publishes the version, records it in state, then waits for replication.
func (r *ApplicationVersionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan ApplicationVersionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// What was unknown at plan time is checked now, before anything is written. send holds
	// the write-only links of the configuration; plan, which goes to state, does not.
	send, diags := withConfigLinks(ctx, req.Config, &plan)
	resp.Diagnostics.Append(diags...)
	r.checkPlan(ctx, &send, nil, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	app, err := ids.ParseApplication(plan.ApplicationID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("application_id"), "Invalid application ID", err.Error())
		return
	}
	v := app.Version(plan.Name.ValueString())
	rg, gallery, application, name, id := v.ResourceGroup, v.Gallery, v.Application, v.Name, v.String() // as planned
	client, err := r.versionsClient(v)
	if err != nil {
		resp.Diagnostics.AddError("Unable to build the Azure client", err.Error())
		return
	}

	if _, err := client.Get(ctx, rg, gallery, application, name, nil); err == nil {
		framework.AddAlreadyExists(&resp.Diagnostics, typeName, id)
		return
	} else if !azure.IsNotFound(err) {
		resp.Diagnostics.AddError("Error checking for an existing application version", azure.Describe("reading", id, err))
		return
	}

	body, diags := expandVersion(ctx, &send)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Versions of one application are published one at a time within this provider: the
	// service serialises writes under an application, and parallel PUTs invite conflicts.
	unlock := locks.Lock(app.String())
	// The create's own Retry-After says when its operation is first worth reading.
	var accepted *http.Response
	poller, err := client.BeginCreateOrUpdate(policy.WithCaptureResponse(ctx, &accepted), rg, gallery, application, name, body, nil)
	unlock()
	if err != nil {
		resp.Diagnostics.AddError("Error creating application version", azure.Describe("creating", id, err))
		return
	}

	// The service accepted the version: record it before waiting, so that a timeout or an
	// interrupt leaves a tracked (tainted) resource rather than an orphan.
	resp.Diagnostics.Append(storeBlobKeys(ctx, resp.Private, body.Properties.PublishingProfile.Source)...)
	partial := plan
	partial.ID = types.StringValue(id)
	partial.PublishedDate = types.StringNull()
	partial.ProvisioningState = types.StringValue("Creating")
	partial.ReplicationStatus = types.ObjectNull(replicationStatusAttrTypes)
	if partial.StorageAccountType.IsUnknown() {
		partial.StorageAccountType = types.StringNull()
	}
	if partial.ReplicationMode.IsUnknown() {
		partial.ReplicationMode = types.StringNull()
	}
	if partial.EndOfLifeDate.IsUnknown() {
		partial.EndOfLifeDate = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &partial)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if plan.WaitForReplication.ValueBool() {
		if _, err := wait.PollUntilDoneAfter(ctx, poller, r.client.PollFrequency, accepted); err != nil {
			resp.Diagnostics.AddError("Error creating application version", azure.Describe("waiting for the creation of", id, err)+
				"\n\nThe version is recorded in state and will be replaced on the next apply unless it is fixed and untainted.")
			return
		}
	}
	r.readInto(ctx, plan.WaitForReplication.ValueBool(), id, &plan, &resp.State, resp.Private, &resp.Diagnostics)
}

// Read refreshes the version; a version that no longer exists leaves the state.
func (r *ApplicationVersionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state ApplicationVersionResourceModel
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
	if _, ok := parseStateID(id, &resp.Diagnostics); !ok {
		return
	}
	v, err := r.get(ctx, id)
	if azure.IsNotFound(err) {
		tflog.Info(ctx, "application version no longer exists, removing it from state", map[string]any{"id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error reading application version", azure.Describe("reading", id, err))
		return
	}
	m, diags := flattenVersion(ctx, v, &state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(storeBlobKeys(ctx, resp.Private, sourceOf(v))...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update changes what the service allows in place: target regions, replica counts, latest
// exclusion, end of life, the safety profile, tags and the SAS tokens of the links.
func (r *ApplicationVersionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state ApplicationVersionResourceModel
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

	send, diags := withConfigLinks(ctx, req.Config, &plan)
	resp.Diagnostics.Append(diags...)
	r.checkPlan(ctx, &send, &state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	v, ok := parseStateID(id, &resp.Diagnostics)
	if !ok {
		return
	}
	rg, gallery, application, name := v.ResourceGroup, v.Gallery, v.Application, v.Name
	body, diags := expandVersionUpdate(ctx, &send)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, err := r.versionsClient(v)
	if err != nil {
		resp.Diagnostics.AddError("Unable to build the Azure client", err.Error())
		return
	}
	unlock := locks.Lock(v.Parent().String())
	var accepted *http.Response
	poller, err := client.BeginUpdate(policy.WithCaptureResponse(ctx, &accepted), rg, gallery, application, name, body, nil)
	unlock()
	if err != nil {
		resp.Diagnostics.AddError("Error updating application version", azure.Describe("updating", id, err))
		return
	}
	resp.Diagnostics.Append(storeBlobKeys(ctx, resp.Private, body.Properties.PublishingProfile.Source)...)
	if _, err := wait.PollUntilDoneAfter(ctx, poller, r.client.PollFrequency, accepted); err != nil {
		resp.Diagnostics.AddError("Error updating application version", azure.Describe("waiting for the update of", id, err))
		return
	}
	r.readInto(ctx, plan.WaitForReplication.ValueBool(), id, &plan, &resp.State, resp.Private, &resp.Diagnostics)
}

// Delete removes the version and waits until the service no longer finds it, so that the
// application can be deleted right after.
func (r *ApplicationVersionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state ApplicationVersionResourceModel
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
	v, ok := parseStateID(id, &resp.Diagnostics)
	if !ok {
		return
	}
	rg, gallery, application, name := v.ResourceGroup, v.Gallery, v.Application, v.Name
	client, err := r.versionsClient(v)
	if err != nil {
		resp.Diagnostics.AddError("Unable to build the Azure client", err.Error())
		return
	}
	unlock := locks.Lock(v.Parent().String())
	var accepted *http.Response
	poller, err := client.BeginDelete(policy.WithCaptureResponse(ctx, &accepted), rg, gallery, application, name, nil)
	unlock()
	if azure.IsNotFound(err) {
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Error deleting application version", azure.Describe("deleting", id, err))
		return
	}
	if _, err := wait.PollUntilDoneAfter(ctx, poller, r.client.PollFrequency, accepted); err != nil && !azure.IsNotFound(err) {
		resp.Diagnostics.AddError("Error deleting application version", azure.Describe("waiting for the deletion of", id, err))
		return
	}
	err = wait.Until(ctx, wait.Default, func(ctx context.Context) (bool, error) {
		_, err := client.Get(ctx, rg, gallery, application, name, nil)
		if azure.IsNotFound(err) {
			return true, nil
		}
		tflog.Debug(ctx, "application version still exists after delete, waiting", map[string]any{"id": id})
		return false, err
	})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		resp.Diagnostics.AddError("Error deleting application version", fmt.Sprintf("The service still returned %s after the delete completed and the delete timeout passed.", id))
	default:
		resp.Diagnostics.AddError("Error deleting application version", azure.Describe("confirming the deletion of", id, err))
	}
}

// ImportState imports a version by its ARM ID.
func (r *ApplicationVersionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if _, err := ids.ParseVersion(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

// get reads the version with its replication status.
func (r *ApplicationVersionResource) get(ctx context.Context, id string) (*armcompute.GalleryApplicationVersion, error) {
	v, err := ids.ParseVersion(id)
	if err != nil {
		return nil, err
	}
	client, err := r.versionsClient(v)
	if err != nil {
		return nil, err
	}
	resp, err := client.Get(ctx, v.ResourceGroup, v.Gallery, v.Application, v.Name,
		&armcompute.GalleryApplicationVersionsClientGetOptions{Expand: to.Ptr(armcompute.ReplicationStatusTypesReplicationStatus)})
	if err != nil {
		return nil, err
	}
	return &resp.GalleryApplicationVersion, nil
}

// readInto reads the version after a write and stores it, keeping prior's spelling; with
// wait it first waits for the replication to complete.
func (r *ApplicationVersionResource) readInto(ctx context.Context, wait bool, id string, prior *ApplicationVersionResourceModel, state *tfsdk.State,
	private privateData, diags *diag.Diagnostics) {
	if wait {
		var waitDiags diag.Diagnostics
		r.waitForReplication(ctx, id, &waitDiags)
		diags.Append(waitDiags...)
		if waitDiags.HasError() {
			return
		}
	}
	v, err := r.get(ctx, id)
	if err != nil {
		diags.AddError("Error reading application version", azure.Describe("reading", id, err))
		return
	}
	m, d := flattenVersion(ctx, v, prior)
	diags.Append(d...)
	if diags.HasError() {
		return
	}
	diags.Append(storeBlobKeys(ctx, private, sourceOf(v))...)
	diags.Append(state.Set(ctx, &m)...)
}

// sourceOf is the source of a version as the service returned it, or nil.
func sourceOf(v *armcompute.GalleryApplicationVersion) *armcompute.UserArtifactSource {
	if v.Properties == nil || v.Properties.PublishingProfile == nil {
		return nil
	}
	return v.Properties.PublishingProfile.Source
}

// waitForReplication polls the version's replication status, logging each region's progress,
// until every region completed; a failed region ends the wait with an error carrying the
// service's details.
func (r *ApplicationVersionResource) waitForReplication(ctx context.Context, id string, diags *diag.Diagnostics) {
	const summary = "Error replicating application version"
	aggregated := armcompute.AggregatedReplicationStateUnknown
	err := wait.Until(ctx, wait.Default, func(ctx context.Context) (bool, error) {
		v, err := r.get(ctx, id)
		if err != nil {
			return false, err
		}
		var done bool
		done, aggregated, err = replicationProgress(ctx, id, v)
		return done, err
	})
	switch {
	case err == nil:
	case errors.As(err, new(replicationFailedError)):
		diags.AddError(summary, err.Error())
	case ctx.Err() != nil:
		diags.AddError(summary, fmt.Sprintf("Timed out waiting for application version %s to replicate (last state %s). The version exists and is "+
			"recorded in state; raise timeouts.create/update, or set wait_for_replication = false to return once it is accepted.", id, aggregated))
	default:
		diags.AddError(summary, azure.Describe("reading the replication status of", id, err))
	}
}

// replicationFailedError is the error replicationProgress returns when the service reports
// that replication failed: the service's details and the way out.
type replicationFailedError string

func (e replicationFailedError) Error() string { return string(e) }

// replicationProgress logs each region's replication progress and reports whether the
// replication is over: completed, or failed (a replicationFailedError).
func replicationProgress(ctx context.Context, id string, v *armcompute.GalleryApplicationVersion) (bool, armcompute.AggregatedReplicationState, error) {
	var state armcompute.GalleryProvisioningState
	if v.Properties != nil && v.Properties.ProvisioningState != nil {
		state = *v.Properties.ProvisioningState
	}
	var rs *armcompute.ReplicationStatus
	if v.Properties != nil {
		rs = v.Properties.ReplicationStatus
	}
	var failed []string
	aggregated := armcompute.AggregatedReplicationStateUnknown
	if rs != nil {
		if rs.AggregatedState != nil {
			aggregated = *rs.AggregatedState
		}
		for _, s := range rs.Summary {
			if s == nil {
				continue
			}
			region, st, details := convert.Deref(s.Region), "", clients.Redact(convert.Deref(s.Details))
			if s.State != nil {
				st = string(*s.State)
			}
			var progress int32
			if s.Progress != nil {
				progress = *s.Progress
			}
			tflog.Info(ctx, "replicating application version", map[string]any{"id": id, "region": region, "state": st, "progress": progress})
			if strings.EqualFold(st, string(armcompute.ReplicationStateFailed)) {
				failed = append(failed, fmt.Sprintf("%s: %s", region, orDefault(details, "no details given")))
			}
		}
	}
	switch {
	case len(failed) > 0 || aggregated == armcompute.AggregatedReplicationStateFailed:
		return true, aggregated, replicationFailedError(fmt.Sprintf("Replication of application version %s failed in %s. Fix the cause (often an "+
			"unreadable package: check the SAS token and the blob), then apply again; the version is recorded in state and will be replaced.",
			id, orDefault(strings.Join(failed, "; "), "at least one region")))
	case aggregated == armcompute.AggregatedReplicationStateCompleted:
		return true, aggregated, nil
	case rs == nil && state == armcompute.GalleryProvisioningStateSucceeded:
		return true, aggregated, nil // no replication status offered: the provisioning state is all there is
	case state == armcompute.GalleryProvisioningStateFailed:
		return true, aggregated, replicationFailedError(fmt.Sprintf("The service reports application version %s as Failed.", id))
	}
	return false, aggregated, nil
}

// versionsClient returns the versions client of the subscription the version lives in (the
// gallery's, which may not be the provider's).
func (r *ApplicationVersionResource) versionsClient(v ids.Version) (*armcompute.GalleryApplicationVersionsClient, error) {
	f, err := r.client.ComputeFor(v.SubscriptionID)
	if err != nil {
		return nil, err
	}
	return f.NewGalleryApplicationVersionsClient(), nil
}

// parseStateID parses the version ID held in state; a malformed one is reported in diags.
func parseStateID(id string, diags *diag.Diagnostics) (ids.Version, bool) {
	v, err := ids.ParseVersion(id)
	if err != nil {
		diags.AddError("Invalid application version ID", err.Error())
		return ids.Version{}, false
	}
	return v, true
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
