// Package framework holds the glue every resource and data source shares with
// terraform-plugin-framework: taking the provider's client, the "already exists" diagnostic
// and the default timeouts, so each resource states them once.
package framework

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// Default timeouts of every resource (DESIGN.md: create/update/delete 30m, read 5m).
const (
	DefaultCreateTimeout = 30 * time.Minute
	DefaultReadTimeout   = 5 * time.Minute
	DefaultUpdateTimeout = 30 * time.Minute
	DefaultDeleteTimeout = 30 * time.Minute
)

// TimeoutsBlock is the timeouts block of every resource, with the defaults in its documentation.
func TimeoutsBlock(ctx context.Context) schema.Block {
	duration := func(op string, def time.Duration) string {
		return fmt.Sprintf("How long %s may take: a duration such as `45m` or `1h30m` (units `s`, `m`, `h`). Defaults to `%s`.", op, formatDuration(def))
	}
	b := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: duration("creating the resource", DefaultCreateTimeout),
		ReadDescription:   duration("reading the resource (during refresh and plan)", DefaultReadTimeout),
		UpdateDescription: duration("updating the resource", DefaultUpdateTimeout),
		DeleteDescription: duration("deleting the resource", DefaultDeleteTimeout),
	})
	if nb, ok := b.(schema.SingleNestedBlock); ok {
		nb.MarkdownDescription = fmt.Sprintf("How long each operation may take before it fails. Defaults: create %s, read %s, update %s, delete %s.",
			formatDuration(DefaultCreateTimeout), formatDuration(DefaultReadTimeout), formatDuration(DefaultUpdateTimeout), formatDuration(DefaultDeleteTimeout))
		return nb
	}
	return b
}

// formatDuration writes whole minutes as "30m" rather than time.Duration's "30m0s".
func formatDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// ConfigureClient returns the provider's client from ConfigureRequest.ProviderData, nil while
// the provider is not configured yet (Terraform calls Configure early with no data).
func ConfigureClient(providerData any, diags *diag.Diagnostics) *clients.Client {
	if providerData == nil {
		return nil
	}
	c, ok := providerData.(*clients.Client)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *clients.Client, got %T. This is a bug in the provider: please report it.", providerData))
		return nil
	}
	return c
}

// AddAlreadyExists reports that Create found the resource already in Azure, and how to import it.
func AddAlreadyExists(diags *diag.Diagnostics, resourceType, id string) {
	diags.AddError("Resource already exists", AlreadyExistsDetail(resourceType, id))
}

// AlreadyExistsDetail is the text of AddAlreadyExists, for callers that scope it to an attribute.
func AlreadyExistsDetail(resourceType, id string) string {
	return fmt.Sprintf("A resource with the ID %q already exists - to be managed via Terraform this resource needs to be "+
		"imported into the State. Please see the resource documentation for %q for more information.\n\n"+
		"terraform import %s.<name> %s", id, resourceType, resourceType, id)
}

// WithTimeout bounds ctx by an operation's timeout: the one configured in the timeouts block
// (timeout is e.g. plan.Timeouts.Create) or def. ok is false when the block could not be read;
// the diagnostics say why.
func WithTimeout(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	d, ds := timeout(ctx, def)
	diags.Append(ds...)
	if ds.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel = context.WithTimeout(ctx, d)
	return ctx, cancel, true
}

// PlanID plans the computed `id` of a resource whose ARM ID follows from its parent and name,
// so that the resources referencing it know it at plan time (and their checks can see what it
// names). known is false while a part of id is unknown: the id then stays unknown. An id
// already planned that differs only in letter case is kept.
func PlanID(ctx context.Context, resp *resource.ModifyPlanResponse, planned types.String, id string, known bool) {
	if !known || (!planned.IsUnknown() && !planned.IsNull() && azure.IDsEqual(planned.ValueString(), id)) {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), id)...)
}

// Compute returns the compute client factory for the subscription id lives in (see
// clients.Client.ComputeFor); nil, with the error in diags, when it cannot be built.
func Compute(c *clients.Client, id ids.ID, diags *diag.Diagnostics) *armcompute.ClientFactory {
	f, err := c.ComputeFor(id.Subscription())
	if err != nil {
		diags.AddError("Unable to build the Azure client", err.Error())
		return nil
	}
	return f
}
