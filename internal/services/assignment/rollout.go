package assignment

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

// Values of upgrade_instances: how the instances of a scale set with a Manual upgrade policy
// are brought onto the model an assignment writes.
const (
	// UpgradeNone never asks the instances to take the new model.
	UpgradeNone = "none"
	// UpgradeAuto rolls the instances only when every one of them was on the latest model
	// before the write, so that nothing but this change reaches them.
	UpgradeAuto = "auto"
	// UpgradeAll rolls every instance, shipping any other staged model change with it.
	UpgradeAll = "all"
)

// upgradeModes lists the values of upgrade_instances, narrowest rollout first.
var upgradeModes = []string{UpgradeNone, UpgradeAuto, UpgradeAll}

// rollout is what one assignment asks for its scale set's instances.
type rollout struct {
	mode         string // UpgradeNone, UpgradeAuto or UpgradeAll ("" = UpgradeAuto)
	batchPercent int32  // instances per updateInstances call, in percent; 0 = all at once
}

// rolloutOf reads an assignment's rollout settings.
func rolloutOf(m *VMApplicationAssignmentResourceModel) rollout {
	r := rollout{mode: m.UpgradeInstances.ValueString()}
	if !m.MaxBatchInstancePercent.IsNull() && !m.MaxBatchInstancePercent.IsUnknown() {
		r.batchPercent = m.MaxBatchInstancePercent.ValueInt32()
	}
	return r
}

func (r rollout) rank() int {
	for i, m := range upgradeModes {
		if m == r.mode {
			return i
		}
	}
	return 1 // "" or unknown: auto
}

// mergeRollouts decides for a batch of changes written to one target together: the narrowest
// rollout any of them asked for wins (none, then auto, then all), and the smallest batch.
// Rolling out is never a side effect: one assignment that asks not to roll keeps every change
// of the batch from rolling, and the others report their instances as pending.
func mergeRollouts(rs []rollout) rollout {
	if len(rs) == 0 {
		return rollout{mode: UpgradeAuto}
	}
	out := rs[0]
	for _, r := range rs[1:] {
		if r.rank() < out.rank() {
			out.mode = r.mode
		}
		if r.batchPercent > 0 && (out.batchPercent == 0 || r.batchPercent < out.batchPercent) {
			out.batchPercent = r.batchPercent
		}
	}
	if out.mode == "" {
		out.mode = UpgradeAuto
	}
	return out
}

type rolloutKey struct{}

// withRollout carries the merged rollout of a batch's changes to targets.write.
func withRollout(ctx context.Context, ops []*op) context.Context {
	rs := make([]rollout, 0, len(ops))
	for _, o := range ops {
		rs = append(rs, o.rollout)
	}
	return context.WithValue(ctx, rolloutKey{}, mergeRollouts(rs))
}

func rolloutFrom(ctx context.Context) rollout {
	if r, ok := ctx.Value(rolloutKey{}).(rollout); ok {
		return r
	}
	return rollout{mode: UpgradeAuto}
}

// instanceModel is one scale-set instance and whether it runs the scale set's latest model
// (nil: not reported, as for the VMs of a Flexible scale set).
type instanceModel struct {
	id     string // instance ID (Uniform) or VM name (Flexible): what updateInstances takes
	latest *bool
}

// rolloutPlan is what the provider does to a scale set's instances after writing its model.
type rolloutPlan struct {
	batches [][]string // updateInstances calls, one after the other; none: no call
	reason  string     // why the instances were not asked to take the model ("" when they were, or the service rolls them)
}

// behind returns the instances known not to run the latest model.
func behind(ins []instanceModel) []string {
	var out []string
	for _, in := range ins {
		if in.latest != nil && !*in.latest {
			out = append(out, in.id)
		}
	}
	return out
}

// decideRollout decides, from what was read before the write, whether and how the instances
// take the new model. Only a Manual upgrade policy needs a call: Automatic and Rolling
// policies roll a model change out themselves (docs: virtual-machine-scale-sets-upgrade-policy).
func decideRollout(manual, flexible bool, r rollout, ins []instanceModel) rolloutPlan {
	if !manual {
		return rolloutPlan{}
	}
	switch r.mode {
	case UpgradeNone:
		return rolloutPlan{reason: `upgrade_instances = "none": the instances keep their model until they are upgraded`}
	case UpgradeAll:
	default:
		if b := behind(ins); len(b) > 0 {
			return rolloutPlan{reason: fmt.Sprintf("%d of %d instances (%s) were not on the scale set's latest model before this change, "+
				`so they were not upgraded (that would also roll out the other staged model changes); set upgrade_instances = "all" to roll them`,
				len(b), len(ins), strings.Join(b, ", "))}
		}
		if flexible {
			return rolloutPlan{reason: "the VMs of a Flexible scale set do not report whether they run the latest model, so they were not " +
				`upgraded; set upgrade_instances = "all" to roll them`}
		}
	}
	if len(ins) == 0 {
		return rolloutPlan{}
	}
	ids := make([]string, 0, len(ins))
	for _, in := range ins {
		ids = append(ids, in.id)
	}
	size := len(ids)
	if r.batchPercent > 0 && r.batchPercent < 100 {
		size = max(len(ids)*int(r.batchPercent)/100, 1)
	}
	var out rolloutPlan
	for len(ids) > 0 {
		n := min(size, len(ids))
		out.batches = append(out.batches, ids[:n])
		ids = ids[n:]
	}
	return out
}

// notRolled remembers, per target, why the last write left the instances on their model, so
// that waiting for the install does not wait for instances that will not install.
var notRolled sync.Map // lower-cased target ID → reason

// isFlexible reports whether a scale set uses Flexible orchestration (its instances are VMs).
func (t *target) isFlexible() bool {
	return t.vmss != nil && t.vmss.Properties != nil && t.vmss.Properties.OrchestrationMode != nil &&
		*t.vmss.Properties.OrchestrationMode == armcompute.OrchestrationModeFlexible
}

// flexFilter is the VM list filter that selects a Flexible scale set's VMs.
func flexFilter(t *target) *string {
	return to.Ptr(fmt.Sprintf("'virtualMachineScaleSet/id' eq '%s'", t.id.String()))
}

// instanceModels lists a scale set's instances and whether each runs the latest model.
func (s targets) instanceModels(ctx context.Context, t *target) ([]instanceModel, error) {
	var out []instanceModel
	f, err := s.compute(t.id)
	if err != nil {
		return nil, err
	}
	if t.isFlexible() {
		pager := f.NewVirtualMachinesClient().NewListPager(t.id.ResourceGroup, &armcompute.VirtualMachinesClientListOptions{Filter: flexFilter(t)})
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, vm := range page.Value {
				out = append(out, instanceModel{id: deref(vm.Name)})
			}
		}
		return out, nil
	}
	pager := f.NewVirtualMachineScaleSetVMsClient().NewListPager(t.id.ResourceGroup, t.id.Name, nil)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, vm := range page.Value {
			in := instanceModel{id: deref(vm.InstanceID)}
			if vm.Properties != nil {
				in.latest = vm.Properties.LatestModelApplied
			}
			out = append(out, in)
		}
	}
	return out, nil
}

// rollOut asks the instances to take the new model, batch after batch.
func (s targets) rollOut(ctx context.Context, t *target, plan rolloutPlan) error {
	key := strings.ToLower(t.id.String())
	if plan.reason != "" {
		tflog.Info(ctx, "scale-set instances left on their model", map[string]any{"target": t.id.String(), "reason": plan.reason})
		notRolled.Store(key, plan.reason)
		return nil
	}
	notRolled.Delete(key)
	f, err := s.compute(t.id)
	if err != nil {
		return err
	}
	client := f.NewVirtualMachineScaleSetsClient()
	for i, ids := range plan.batches {
		tflog.Info(ctx, "updating scale-set instances to the new model", map[string]any{"target": t.id.String(), "batch": i + 1, "of": len(plan.batches), "instances": ids})
		req := armcompute.VirtualMachineScaleSetVMInstanceRequiredIDs{}
		for _, id := range ids {
			req.InstanceIDs = append(req.InstanceIDs, to.Ptr(id))
		}
		if _, err := wait.Operation(ctx, s.c.PollFrequency, func(ctx context.Context) (*runtime.Poller[armcompute.VirtualMachineScaleSetsClientUpdateInstancesResponse], error) {
			return client.BeginUpdateInstances(ctx, t.id.ResourceGroup, t.id.Name, req, nil)
		}); err != nil {
			return err
		}
	}
	return nil
}

// checkRollout warns at plan time what the write will do to a scale set's instances when
// that is not simply "roll out this change": instances behind the latest model (which
// upgrade_instances = "all" would roll out with their staged changes, and "auto" leaves
// alone), a Flexible scale set under "auto", a setting an Automatic or Rolling policy ignores.
func checkRollout(ctx context.Context, c *clients.Client, t *target, r rollout) diag.Diagnostics {
	var diags diag.Diagnostics
	if t.vmss == nil {
		return diags
	}
	mode := mergeRollouts([]rollout{r}).mode
	at := path.Root("upgrade_instances")
	if !t.manualUpgrade() {
		if mode == UpgradeNone {
			diags.AddAttributeWarning(at, "upgrade_instances has no effect on this scale set",
				fmt.Sprintf("%s has an %s upgrade policy: the service rolls every model change out to the instances itself, so "+
					`upgrade_instances = "none" does not keep them on their model.`, t.id, policyName(t)))
		}
		return diags
	}
	if mode == UpgradeNone {
		return diags
	}
	ins, err := clients.Shared(c.Reads, "instances|"+t.id.String(), func() ([]instanceModel, error) { return targets{c}.instanceModels(ctx, t) })
	if err != nil {
		tflog.Warn(ctx, "could not list the scale set's instances at plan", map[string]any{"target": t.id.String(), "error": clients.Redact(err.Error())})
		return diags
	}
	return rolloutWarnings(t, mode, ins)
}

// rolloutWarnings are checkRollout's warnings for a Manual scale set, from its instances.
func rolloutWarnings(t *target, mode string, ins []instanceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("upgrade_instances")
	b := behind(ins)
	switch {
	case len(b) > 0 && mode == UpgradeAll:
		diags.AddAttributeWarning(at, "Instances behind the scale set's latest model will be rolled",
			fmt.Sprintf("%d of %d instances of %s (%s) are not on the scale set's latest model. With upgrade_instances = \"all\" the "+
				"provider upgrades every instance after writing this assignment, which also rolls out the model changes staged on "+
				"the scale set before (image, extensions, ...).", len(b), len(ins), t.id, strings.Join(b, ", ")))
	case len(b) > 0:
		diags.AddAttributeWarning(at, "Instances behind the scale set's latest model: they will not get the application",
			fmt.Sprintf("%d of %d instances of %s (%s) are not on the scale set's latest model: other model changes are staged "+
				"on it. The provider will not upgrade the instances (that would roll those changes out too), so the application "+
				"reaches them only when they are upgraded. Upgrade them yourself, or set upgrade_instances = \"all\" to roll "+
				"everything out.", len(b), len(ins), t.id, strings.Join(b, ", ")))
	case t.isFlexible() && mode == UpgradeAuto:
		diags.AddAttributeWarning(at, "The VMs of this Flexible scale set will not be upgraded",
			fmt.Sprintf("%s uses Flexible orchestration with a Manual upgrade policy, and its VMs do not report whether they run "+
				"the latest model. The provider will not upgrade them, so the application reaches only VMs upgraded later; set "+
				"upgrade_instances = \"all\" to roll the scale set's model (with any other staged change) out to its %d VMs.", t.id, len(ins)))
	}
	return diags
}

func policyName(t *target) string {
	if p := t.vmss.Properties; p != nil && p.UpgradePolicy != nil && p.UpgradePolicy.Mode != nil {
		return string(*p.UpgradePolicy.Mode)
	}
	return string(armcompute.UpgradeModeManual)
}
