package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

func vmssKey(c *call) string { return "/" + strings.Join(c.low[:8], "/") }

func (e *Emulator) vmssNotFound(c *call) *armError {
	return newErr(404, "ResourceNotFound", fmt.Sprintf("The Resource 'Microsoft.Compute/virtualMachineScaleSets/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", c.segs[7], c.segs[3]))
}

func vmssOS(ss *armcompute.VirtualMachineScaleSet) (string, bool, []*armcompute.VMGalleryApplication) {
	os, agent := "Linux", true
	if ss.Properties == nil || ss.Properties.VirtualMachineProfile == nil {
		return os, agent, nil
	}
	p := ss.Properties.VirtualMachineProfile
	if p.StorageProfile != nil {
		os = imageOS(p.StorageProfile.ImageReference, os)
		if p.StorageProfile.OSDisk != nil && p.StorageProfile.OSDisk.OSType != nil {
			os = string(*p.StorageProfile.OSDisk.OSType)
		}
	}
	if p.OSProfile != nil {
		if w := p.OSProfile.WindowsConfiguration; w != nil {
			os = "Windows"
			if w.ProvisionVMAgent != nil {
				agent = *w.ProvisionVMAgent
			}
		}
		if l := p.OSProfile.LinuxConfiguration; l != nil && l.ProvisionVMAgent != nil {
			agent = *l.ProvisionVMAgent
		}
	}
	return os, agent, appRefs(p.ApplicationProfile)
}

// rollingBatch is how many instances a model change updates at once: all of them, unless
// the upgrade policy is Rolling (maxBatchInstancePercent of them, at least one).
func (ss *vmssRecord) rollingBatch() int {
	n := len(ss.Instances)
	p := ss.SS.Properties
	if n == 0 || p.UpgradePolicy == nil || p.UpgradePolicy.Mode == nil || *p.UpgradePolicy.Mode != armcompute.UpgradeModeRolling {
		return max(n, 1)
	}
	pct := int32(20) // the service's default maxBatchInstancePercent
	if r := p.UpgradePolicy.RollingUpgradePolicy; r != nil && r.MaxBatchInstancePercent != nil {
		pct = *r.MaxBatchInstancePercent
	}
	return max(n*int(pct)/100, 1)
}

func (ss *vmssRecord) manual() bool {
	p := ss.SS.Properties
	if p.UpgradePolicy == nil || p.UpgradePolicy.Mode == nil {
		return true
	}
	return *p.UpgradePolicy.Mode == armcompute.UpgradeModeManual
}

// vmssRoutesLocked routes .../virtualMachineScaleSets[/{ss}[/instanceView|/updateInstances|/virtualMachines[/{id}[/instanceView]]]].
func (e *Emulator) vmssRoutesLocked(c *call) *armError {
	if _, err := e.rgLocked(c); err != nil {
		return err
	}
	n := len(c.low)
	if n == 7 {
		return e.listScaleSetsLocked(c, e.rgKey(c))
	}
	ss := e.st.ScaleSets[vmssKey(c)]
	if n == 8 {
		return e.vmssLocked(c, ss)
	}
	if ss == nil {
		return e.vmssNotFound(c)
	}
	os, agent, _ := vmssOS(&ss.SS)
	switch {
	case n == 9 && c.low[8] == "instanceview" && c.r.Method == http.MethodGet:
		st := "Succeeded"
		for _, in := range ss.Instances {
			if s, _ := in.Host.state(c.now); s != "Succeeded" {
				st = s
			}
		}
		writeJSON(c.w, 200, map[string]any{"statuses": []any{map[string]any{"code": "ProvisioningState/" + strings.ToLower(st), "level": "Info", "displayStatus": "Provisioning " + strings.ToLower(st)}}})
		return nil
	case n == 9 && (c.low[8] == "updateinstances" || c.low[8] == "manualupgrade") && c.r.Method == http.MethodPost:
		var body armcompute.VirtualMachineScaleSetVMInstanceRequiredIDs
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		if len(body.InstanceIDs) == 0 {
			return badParam("vmInstanceIDs.instanceIds", "Required parameter 'vmInstanceIDs.instanceIds' is missing (null).")
		}
		// Flexible: the instance IDs are the instances' VM names (docs: perform manual upgrades).
		ids := map[string]bool{}
		for _, id := range body.InstanceIDs {
			ids[strings.ToLower(*id)] = true
		}
		_, _, refs := vmssOS(&ss.SS)
		ready := c.now
		var started [][]*appInstall
		for _, in := range ss.Instances {
			if ids["*"] || (!ss.flexible() && ids[strings.ToLower(in.ID)]) || (ss.flexible() && ids[strings.ToLower(flexName(ss, in))]) {
				started = append(started, e.applyAppsLocked(c, &in.Host, refs))
				in.ModelVersion = ss.ModelVersion
				ready = maxTime(ready, in.Host.readyAt())
			}
		}
		op := e.newOperationLocked(c, *ss.SS.Location, "update", *ss.SS.ID, ready)
		e.failOneInstanceLocked(started)
		if e.computeOutcomeLocked(op, ss.allApps(), os) {
			ss.Failed = true
		}
		e.setAsyncHeaders(c.w, op, true)
		c.w.WriteHeader(http.StatusAccepted)
		return nil
	case n >= 9 && c.low[8] == "virtualmachines" && ss.flexible():
		return flexNotSupported(c)
	case n == 9 && c.low[8] == "virtualmachines" && c.r.Method == http.MethodGet:
		var items []any
		for _, in := range ss.Instances {
			items = append(items, e.renderInstance(c, ss, in, os, agent))
		}
		e.writePage(c, items)
		return nil
	case (n == 10 || n == 11) && c.low[8] == "virtualmachines" && c.r.Method == http.MethodGet:
		i := slices.IndexFunc(ss.Instances, func(in *vmssInstance) bool { return in.ID == c.segs[9] })
		if i < 0 {
			return newErr(404, "NotFound", fmt.Sprintf("The entity was not found in this Azure location. Instance '%s' of scale set '%s'.", c.segs[9], c.segs[7]))
		}
		in := ss.Instances[i]
		if n == 11 && c.low[10] == "instanceview" {
			writeJSON(c.w, 200, in.Host.instanceView(c.now, os, agent))
			return nil
		}
		if n == 10 {
			writeJSON(c.w, 200, e.renderInstance(c, ss, in, os, agent))
			return nil
		}
	}
	return noRoute(c)
}

func (e *Emulator) renderInstance(c *call, ss *vmssRecord, in *vmssInstance, os string, agent bool) armcompute.VirtualMachineScaleSetVM {
	st, _ := in.Host.state(c.now)
	out := armcompute.VirtualMachineScaleSetVM{
		ID: to.Ptr(*ss.SS.ID + "/virtualMachines/" + in.ID), InstanceID: to.Ptr(in.ID), Name: to.Ptr(*ss.SS.Name + "_" + in.ID),
		Type: to.Ptr("Microsoft.Compute/virtualMachineScaleSets/virtualMachines"), Location: ss.SS.Location,
		Properties: &armcompute.VirtualMachineScaleSetVMProperties{ProvisioningState: to.Ptr(st), LatestModelApplied: to.Ptr(in.ModelVersion == ss.ModelVersion)},
	}
	if strings.EqualFold(c.q("$expand"), "instanceView") {
		iv := in.Host.instanceView(c.now, os, agent)
		out.Properties.InstanceView = &armcompute.VirtualMachineScaleSetVMInstanceView{Statuses: iv.Statuses, VMAgent: iv.VMAgent, Extensions: iv.Extensions}
	}
	return out
}

func (e *Emulator) listScaleSetsLocked(c *call, rgKey string) *armError {
	if c.r.Method != http.MethodGet {
		return methodNotAllowed(c)
	}
	var items []any
	for _, k := range sortedKeys(e.st.ScaleSets) {
		if ss := e.st.ScaleSets[k]; rgKey == "" || ss.RG == rgKey {
			items = append(items, e.renderVMSS(c, ss))
		}
	}
	e.writePage(c, items)
	return nil
}

func (e *Emulator) renderVMSS(c *call, ss *vmssRecord) armcompute.VirtualMachineScaleSet {
	out := ss.SS
	p := *out.Properties
	st := "Succeeded"
	switch {
	case ss.deleting():
		st = "Deleting"
	case c.now.Before(ss.ReadyAt):
		st = "Updating"
	case ss.Failed:
		st = "Failed"
	}
	p.ProvisioningState = to.Ptr(st)
	out.Properties = &p
	out.Etag = to.Ptr(etagString(ss.Etag))
	return out
}

func (e *Emulator) vmssLocked(c *call, ss *vmssRecord) *armError {
	switch c.r.Method {
	case http.MethodGet:
		if ss == nil {
			return e.vmssNotFound(c)
		}
		c.w.Header().Set("ETag", etagString(ss.Etag))
		writeJSON(c.w, 200, e.renderVMSS(c, ss))
		return nil
	case http.MethodPut, http.MethodPatch:
		cur := 0
		if ss != nil {
			cur = ss.Etag
		}
		if err := checkPreconditions(c.r, cur); err != nil {
			return err
		}
		if c.r.Method == http.MethodPatch {
			if ss == nil {
				return e.vmssNotFound(c)
			}
			var upd armcompute.VirtualMachineScaleSetUpdate
			var raw struct {
				Properties *struct {
					VirtualMachineProfile *struct {
						ApplicationProfile *armcompute.ApplicationProfile `json:"applicationProfile"`
					} `json:"virtualMachineProfile"`
				} `json:"properties"`
			}
			if err := decodeBodyTwice(c, &upd, &raw); err != nil {
				return err
			}
			body := copySS(ss.SS)
			if upd.Tags != nil {
				body.Tags = upd.Tags
			}
			if upd.SKU != nil {
				body.SKU = upd.SKU
			}
			var newApps *armcompute.ApplicationProfile
			if up := upd.Properties; up != nil {
				if up.UpgradePolicy != nil {
					body.Properties.UpgradePolicy = up.UpgradePolicy
				}
				if vp := up.VirtualMachineProfile; vp != nil {
					if raw.Properties != nil && raw.Properties.VirtualMachineProfile != nil {
						newApps = raw.Properties.VirtualMachineProfile.ApplicationProfile
					}
					if vp.ExtensionProfile != nil {
						body.Properties.VirtualMachineProfile.ExtensionProfile = vp.ExtensionProfile
					}
				}
			}
			// The seed's documented bug: an update without a non-empty application profile drops the applications.
			if newApps == nil || len(newApps.GalleryApplications) == 0 {
				newApps = nil
			}
			body.Properties.VirtualMachineProfile.ApplicationProfile = newApps
			return e.writeVMSSLocked(c, ss, body)
		}
		var body armcompute.VirtualMachineScaleSet
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		return e.writeVMSSLocked(c, ss, body)
	case http.MethodDelete:
		if ss == nil {
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return e.startDeleteLocked(c, &ss.lifecycle, *ss.SS.Location, *ss.SS.ID, e.cfg.OperationTime)
	}
	return methodNotAllowed(c)
}

func copySS(in armcompute.VirtualMachineScaleSet) armcompute.VirtualMachineScaleSet {
	b, _ := in.MarshalJSON()
	var out armcompute.VirtualMachineScaleSet
	_ = out.UnmarshalJSON(b)
	if out.Properties == nil {
		out.Properties = &armcompute.VirtualMachineScaleSetProperties{}
	}
	if out.Properties.VirtualMachineProfile == nil {
		out.Properties.VirtualMachineProfile = &armcompute.VirtualMachineScaleSetVMProfile{}
	}
	return out
}

func (e *Emulator) writeVMSSLocked(c *call, ss *vmssRecord, body armcompute.VirtualMachineScaleSet) *armError {
	loc, err := checkLocation(body.Location, "Microsoft.Compute/virtualMachineScaleSets")
	if err != nil {
		return err
	}
	if ss != nil && *ss.SS.Location != loc {
		return newErr(409, "InvalidResourceLocation", fmt.Sprintf("The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'. Please select a new resource name.", c.segs[7], *ss.SS.Location, c.segs[3], loc))
	}
	if body.Properties == nil {
		body.Properties = &armcompute.VirtualMachineScaleSetProperties{}
	}
	if body.Properties.VirtualMachineProfile == nil {
		body.Properties.VirtualMachineProfile = &armcompute.VirtualMachineScaleSetVMProfile{}
	}
	os, agent, refs := vmssOS(&body)
	if err := e.validateAppsLocked(c, refs, loc, os, agent, c.segs[7]); err != nil {
		return err
	}
	status := 200
	if ss == nil {
		rg, _ := e.rgLocked(c)
		ss = &vmssRecord{RG: e.rgKey(c)}
		ss.Created = c.now
		body.ID, body.Name = to.Ptr(rg.ID+"/providers/Microsoft.Compute/virtualMachineScaleSets/"+c.segs[7]), to.Ptr(c.segs[7])
		capacity := int64(2)
		if body.SKU != nil && body.SKU.Capacity != nil {
			capacity = *body.SKU.Capacity
		}
		for i := int64(0); i < capacity; i++ {
			ss.Instances = append(ss.Instances, &vmssInstance{ID: strconv.FormatInt(i, 10)})
		}
		e.st.ScaleSets[vmssKey(c)] = ss
		status = 201
	} else {
		body.ID, body.Name = ss.SS.ID, ss.SS.Name
	}
	body.Type, body.Location, body.Etag = to.Ptr("Microsoft.Compute/virtualMachineScaleSets"), &loc, nil
	body.Properties.ProvisioningState = nil
	ss.SS = body
	ss.Etag++
	ss.ModelVersion++
	ready := c.now
	var started [][]*appInstall
	// Manual: the instances keep their model until updateInstances (a new scale set's first
	// instances are built from its model). Automatic: every instance at once. Rolling: in
	// batches of maxBatchInstancePercent (default 20 %), one batch after the other.
	if !ss.manual() || status == 201 {
		batch := ss.rollingBatch()
		for i, in := range ss.Instances {
			s := e.applyAppsLocked(c, &in.Host, refs)
			for _, a := range s {
				a.DoneAt = a.DoneAt.Add(time.Duration(i/batch) * e.cfg.InstallTime)
			}
			started = append(started, s)
			in.ModelVersion = ss.ModelVersion
			ready = maxTime(ready, in.Host.readyAt())
		}
	}
	ss.ReadyAt = maxTime(ready, c.now.Add(e.cfg.OperationTime))
	op := e.newOperationLocked(c, loc, "update", *body.ID, ss.ReadyAt)
	e.failOneInstanceLocked(started)
	ss.Failed = e.computeOutcomeLocked(op, ss.allApps(), os)
	e.setAsyncHeaders(c.w, op, false)
	c.w.Header().Set("ETag", etagString(ss.Etag))
	writeJSON(c.w, status, e.renderVMSS(c, ss))
	return nil
}

// failOneInstanceLocked applies the installfail fault to a scale-set rollout: when drawn, the
// installs of one instance (a seeded choice among those that install something) fail while the
// others succeed.
func (e *Emulator) failOneInstanceLocked(started [][]*appInstall) {
	var candidates [][]*appInstall
	for _, s := range started {
		if len(s) > 0 {
			candidates = append(candidates, s)
		}
	}
	if len(candidates) > 0 && e.faults.draw(func(f Faults) float64 { return f.RateInstall }) {
		failInstalls(candidates[e.faults.pick(len(candidates))])
	}
}

// allApps returns the applications of every instance.
func (ss *vmssRecord) allApps() []*appInstall {
	var all []*appInstall
	for _, in := range ss.Instances {
		all = append(all, in.Host.Apps...)
	}
	return all
}
