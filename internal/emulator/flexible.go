package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// Flexible orchestration: the instances of a Flexible scale set are standalone virtual machines
// (Microsoft.Compute/virtualMachines, named <scale set>_<instance>, with
// properties.virtualMachineScaleSet naming the set). They are read through the VM API (GET,
// instanceView, list with $filter=virtualMachineScaleSet/id eq '…'), not through the scale
// set's VM API, and updateInstances / manualUpgrade name them by VM name. See NOTES.md.

func (ss *vmssRecord) flexible() bool {
	p := ss.SS.Properties
	return p != nil && p.OrchestrationMode != nil && *p.OrchestrationMode == armcompute.OrchestrationModeFlexible
}

// flexName is the VM name of a Flexible scale set's instance.
func flexName(ss *vmssRecord, in *vmssInstance) string { return *ss.SS.Name + "_" + in.ID }

// flexInstanceLocked finds the Flexible scale-set instance the VM route names.
func (e *Emulator) flexInstanceLocked(c *call) (*vmssRecord, *vmssInstance) {
	rg := e.rgKey(c)
	for _, k := range sortedKeys(e.st.ScaleSets) {
		ss := e.st.ScaleSets[k]
		if ss.RG != rg || !ss.flexible() || ss.deleting() {
			continue
		}
		for _, in := range ss.Instances {
			if strings.EqualFold(flexName(ss, in), c.segs[7]) {
				return ss, in
			}
		}
	}
	return nil, nil
}

// flexVMRouteLocked serves GET of a Flexible instance as a VM and its instance view.
func (e *Emulator) flexVMRouteLocked(c *call, ss *vmssRecord, in *vmssInstance) *armError {
	os, agent, _ := vmssOS(&ss.SS)
	switch {
	case len(c.low) == 8 && c.r.Method == http.MethodGet:
		writeJSON(c.w, 200, e.renderFlexVM(c, ss, in))
		return nil
	case len(c.low) == 9 && c.low[8] == "instanceview" && c.r.Method == http.MethodGet:
		writeJSON(c.w, 200, in.Host.instanceView(c.now, os, agent))
		return nil
	case len(c.low) == 8:
		// Writes to the instance VMs are not simulated: the provider writes the scale set.
		return newErr(409, "OperationNotAllowed", fmt.Sprintf("The azvmapps emulator does not simulate %s on the Flexible scale-set instance '%s'; update the scale set '%s' instead.", c.r.Method, c.segs[7], *ss.SS.Name))
	}
	return noRoute(c)
}

// renderFlexVM renders a Flexible scale set's instance as the VM the service lists.
func (e *Emulator) renderFlexVM(c *call, ss *vmssRecord, in *vmssInstance) armcompute.VirtualMachine {
	os, agent, _ := vmssOS(&ss.SS)
	st, _ := in.Host.state(c.now)
	rgID := (*ss.SS.ID)[:strings.Index(strings.ToLower(*ss.SS.ID), "/providers/")]
	p := &armcompute.VirtualMachineProperties{
		ProvisioningState:      to.Ptr(st),
		VirtualMachineScaleSet: &armcompute.SubResource{ID: ss.SS.ID},
		StorageProfile:         &armcompute.StorageProfile{OSDisk: &armcompute.OSDisk{OSType: to.Ptr(armcompute.OperatingSystemTypes(os))}},
	}
	if strings.EqualFold(c.q("$expand"), "instanceView") {
		p.InstanceView = in.Host.instanceView(c.now, os, agent)
	}
	name := flexName(ss, in)
	return armcompute.VirtualMachine{ID: to.Ptr(rgID + "/providers/Microsoft.Compute/virtualMachines/" + name), Name: to.Ptr(name),
		Type: to.Ptr("Microsoft.Compute/virtualMachines"), Location: ss.SS.Location, Properties: p}
}

var vmssFilterRe = regexp.MustCompile(`(?i)^\s*'?virtualMachineScaleSet/id'?\s+eq\s+'([^']+)'\s*$`)

// flexVMsLocked returns the Flexible instances listed with the VMs of rgKey ("" for the
// subscription), limited by a virtualMachineScaleSet/id $filter; only is true when the filter
// names a scale set (then the standalone VMs are left out).
func (e *Emulator) flexVMsLocked(c *call, rgKey string) (items []any, only bool, err *armError) {
	want := ""
	if f := c.q("$filter"); f != "" {
		m := vmssFilterRe.FindStringSubmatch(f)
		if m == nil {
			return nil, false, badParam("$filter", fmt.Sprintf("The $filter '%s' is not supported. Allowed value is 'virtualMachineScaleSet/id' eq '/subscriptions/{subId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmssName}'.", f))
		}
		want, only = strings.ToLower(m[1]), true
	}
	for _, k := range sortedKeys(e.st.ScaleSets) {
		ss := e.st.ScaleSets[k]
		if (rgKey != "" && ss.RG != rgKey) || !ss.flexible() || (want != "" && strings.ToLower(*ss.SS.ID) != want) {
			continue
		}
		for _, in := range ss.Instances {
			items = append(items, e.renderFlexVM(c, ss, in))
		}
	}
	return items, only, nil
}

// flexNotSupported answers the scale-set VM API for a Flexible scale set, whose instances are
// read through the VM API.
func flexNotSupported(c *call) *armError {
	return newErr(400, "OperationNotAllowed", fmt.Sprintf("The scale set '%s' uses Flexible orchestration: its instances are virtual machines. "+
		"Use the virtual machine API (Microsoft.Compute/virtualMachines, $filter=virtualMachineScaleSet/id eq '<scale set ID>') instead.", c.segs[7]))
}
