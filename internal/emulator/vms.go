package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

func vmKey(c *call) string { return "/" + strings.Join(c.low[:8], "/") }

func (e *Emulator) vmNotFound(c *call) *armError {
	return newErr(404, "ResourceNotFound", fmt.Sprintf("The Resource 'Microsoft.Compute/virtualMachines/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", c.segs[7], c.segs[3]))
}

// vmRoutesLocked routes .../providers/Microsoft.Compute/virtualMachines[/{vm}[/instanceView|/extensions[/{x}]]].
func (e *Emulator) vmRoutesLocked(c *call) *armError {
	if _, err := e.rgLocked(c); err != nil {
		return err
	}
	n := len(c.low)
	if n == 7 {
		return e.listVMsLocked(c, e.rgKey(c))
	}
	vm := e.st.VMs[vmKey(c)]
	if vm == nil {
		if ss, in := e.flexInstanceLocked(c); ss != nil {
			return e.flexVMRouteLocked(c, ss, in)
		}
	}
	switch {
	case n == 8:
		return e.vmLocked(c, vm)
	case n == 9 && c.low[8] == "instanceview" && c.r.Method == http.MethodGet:
		if vm == nil {
			return e.vmNotFound(c)
		}
		os, agent := vmOS(vm.VM.Properties)
		writeJSON(c.w, 200, vm.Host.instanceView(c.now, os, agent))
		return nil
	case (n == 9 || n == 10) && c.low[8] == "extensions":
		if vm == nil {
			return parentNotFound(c, 8, c.r.Method != http.MethodGet)
		}
		return e.vmExtensionLocked(c, vm)
	}
	return noRoute(c)
}

func (e *Emulator) listVMsLocked(c *call, rgKey string) *armError {
	if c.r.Method != http.MethodGet {
		return methodNotAllowed(c)
	}
	flex, only, err := e.flexVMsLocked(c, rgKey)
	if err != nil {
		return err
	}
	var items []any
	for _, k := range sortedKeys(e.st.VMs) {
		if vm := e.st.VMs[k]; !only && (rgKey == "" || vm.RG == rgKey) {
			items = append(items, e.renderVM(c, vm))
		}
	}
	items = append(items, flex...)
	e.writePage(c, items)
	return nil
}

func (e *Emulator) renderVM(c *call, vm *vmRecord) armcompute.VirtualMachine {
	out := vm.VM
	p := *out.Properties
	os, agent := vmOS(&p)
	st, _ := vm.Host.state(c.now)
	switch {
	case vm.deleting():
		st = "Deleting"
	case c.now.Before(vm.ReadyAt) && !vm.Updating:
		st = "Creating"
	case c.now.Before(vm.ReadyAt):
		st = "Updating" // until the write's operation ends, as the service answers a PUT/PATCH
	}
	p.ProvisioningState = to.Ptr(st)
	if strings.EqualFold(c.q("$expand"), "instanceView") {
		p.InstanceView = vm.Host.instanceView(c.now, os, agent)
	}
	out.Properties = &p
	out.Etag = to.Ptr(etagString(vm.Etag))
	out.Resources = nil
	if len(vm.Host.Apps) > 0 {
		out.Resources = append(out.Resources, &armcompute.VirtualMachineExtension{
			Name: to.Ptr("VMAppExtension"), Type: to.Ptr("Microsoft.Compute/virtualMachines/extensions"), Location: out.Location,
			ID: to.Ptr(*out.ID + "/extensions/VMAppExtension"),
			Properties: &armcompute.VirtualMachineExtensionProperties{Publisher: to.Ptr("Microsoft.CPlat.Core"), Type: to.Ptr(appExtensionType(os)),
				TypeHandlerVersion: to.Ptr("1.0"), AutoUpgradeMinorVersion: to.Ptr(true), ProvisioningState: to.Ptr("Succeeded")},
		})
	}
	for _, k := range sortedKeys(vm.Extensions) {
		out.Resources = append(out.Resources, vm.Extensions[k])
	}
	return out
}

func (e *Emulator) vmLocked(c *call, vm *vmRecord) *armError {
	switch c.r.Method {
	case http.MethodGet:
		if vm == nil {
			return e.vmNotFound(c)
		}
		c.w.Header().Set("ETag", etagString(vm.Etag))
		writeJSON(c.w, 200, e.renderVM(c, vm))
		return nil
	case http.MethodPut, http.MethodPatch:
		cur := 0
		if vm != nil {
			cur = vm.Etag
		}
		if err := checkPreconditions(c.r, cur); err != nil {
			return err
		}
		if c.r.Method == http.MethodPatch {
			if vm == nil {
				return e.vmNotFound(c)
			}
			var upd armcompute.VirtualMachineUpdate
			if err := decodeBody(c, &upd); err != nil {
				return err
			}
			body := vm.VM
			p := *body.Properties
			if upd.Tags != nil {
				body.Tags = upd.Tags
			}
			if up := upd.Properties; up != nil && up.ApplicationProfile != nil {
				p.ApplicationProfile = up.ApplicationProfile
			}
			body.Properties = &p
			return e.writeVMLocked(c, vm, body, false)
		}
		var body armcompute.VirtualMachine
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		return e.writeVMLocked(c, vm, body, true)
	case http.MethodDelete:
		if vm == nil {
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return e.startDeleteLocked(c, &vm.lifecycle, *vm.VM.Location, *vm.VM.ID, e.cfg.OperationTime)
	}
	return methodNotAllowed(c)
}

// writeVMLocked creates or updates a VM from a full body.
func (e *Emulator) writeVMLocked(c *call, vm *vmRecord, body armcompute.VirtualMachine, put bool) *armError {
	loc, err := checkLocation(body.Location, "Microsoft.Compute/virtualMachines")
	if err != nil {
		return err
	}
	if body.Properties == nil {
		body.Properties = &armcompute.VirtualMachineProperties{}
	}
	if vm != nil && vm.deleting() {
		return newErr(409, "OperationNotAllowed", "Operation on virtual machine isn't allowed since it's marked for deletion.")
	}
	if vm != nil && *vm.VM.Location != loc {
		return newErr(409, "InvalidResourceLocation", fmt.Sprintf("The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'. Please select a new resource name.", c.segs[7], *vm.VM.Location, c.segs[3], loc))
	}
	os, agent := vmOS(body.Properties)
	refs := appRefs(body.Properties.ApplicationProfile)
	if err := e.validateAppsLocked(c, refs, loc, os, agent, c.segs[7]); err != nil {
		return err
	}
	status := 200
	if vm == nil {
		rg, _ := e.rgLocked(c)
		vm = &vmRecord{RG: e.rgKey(c), Extensions: map[string]*armcompute.VirtualMachineExtension{}}
		vm.Created = c.now
		body.ID = to.Ptr(rg.ID + "/providers/Microsoft.Compute/virtualMachines/" + c.segs[7])
		body.Name = to.Ptr(c.segs[7])
		e.st.VMs[vmKey(c)] = vm
		status = 201
	} else {
		body.ID, body.Name = vm.VM.ID, vm.VM.Name
		vm.Updating = true
		if put {
			// The seed's documented bug: a PUT that omits existing extensions uninstalls them.
			kept := map[string]*armcompute.VirtualMachineExtension{}
			for _, x := range body.Resources {
				if x != nil && x.Name != nil {
					if old := vm.Extensions[strings.ToLower(*x.Name)]; old != nil {
						kept[strings.ToLower(*x.Name)] = old
					}
				}
			}
			vm.Extensions = kept
		}
	}
	body.Type, body.Location, body.Resources, body.Etag = to.Ptr("Microsoft.Compute/virtualMachines"), &loc, nil, nil
	body.Properties.ProvisioningState, body.Properties.InstanceView = nil, nil
	if body.Properties.VMID == nil {
		body.Properties.VMID = to.Ptr(newGUID())
	}
	vm.VM = body
	vm.Etag++
	started := e.applyAppsLocked(c, &vm.Host, refs)
	if len(started) > 0 && e.faults.draw(func(f Faults) float64 { return f.RateInstall }) {
		failInstalls(started)
	}
	ready := vm.Host.readyAt()
	if ready.Before(c.now) {
		ready = c.now
	}
	vm.ReadyAt = maxTime(ready, c.now.Add(e.cfg.OperationTime))
	op := e.newOperationLocked(c, loc, "update", *body.ID, vm.ReadyAt)
	if e.computeOutcomeLocked(op, vm.Host.Apps, os) {
		vm.Failed = true
	}
	e.setAsyncHeaders(c.w, op, false)
	c.w.Header().Set("ETag", etagString(vm.Etag))
	writeJSON(c.w, status, e.renderVM(c, vm))
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// vmExtensionLocked serves .../virtualMachines/{vm}/extensions[/{name}] (synchronous).
func (e *Emulator) vmExtensionLocked(c *call, vm *vmRecord) *armError {
	if len(c.low) == 9 {
		var items []any
		for _, k := range sortedKeys(vm.Extensions) {
			items = append(items, vm.Extensions[k])
		}
		if items == nil {
			items = []any{}
		}
		writeJSON(c.w, 200, map[string]any{"value": items})
		return nil
	}
	name, key := c.segs[9], c.low[9]
	x := vm.Extensions[key]
	switch c.r.Method {
	case http.MethodGet:
		if x == nil {
			return newErr(404, "NotFound", fmt.Sprintf("The entity was not found in this Azure location. Extension '%s' of virtual machine '%s'.", name, c.segs[7]))
		}
		writeJSON(c.w, 200, x)
		return nil
	case http.MethodPut:
		var body armcompute.VirtualMachineExtension
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		status := 200
		if x == nil {
			status = 201
		}
		body.ID, body.Name, body.Type, body.Location = to.Ptr(*vm.VM.ID+"/extensions/"+name), to.Ptr(name), to.Ptr("Microsoft.Compute/virtualMachines/extensions"), vm.VM.Location
		if body.Properties == nil {
			body.Properties = &armcompute.VirtualMachineExtensionProperties{}
		}
		body.Properties.ProvisioningState = to.Ptr("Succeeded")
		vm.Extensions[key] = &body
		writeJSON(c.w, status, body)
		return nil
	case http.MethodDelete:
		if x == nil {
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		delete(vm.Extensions, key)
		c.w.WriteHeader(http.StatusOK)
		return nil
	}
	return methodNotAllowed(c)
}
