package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

// appInstall is one VM application on a VM or scale-set instance.
type appInstall struct {
	AppKey  string    `json:"appKey"` // lower-cased application ID
	Name    string    `json:"name"`
	Version string    `json:"version"`
	Ref     string    `json:"ref"`
	Treat   bool      `json:"treat"`
	Result  string    `json:"result"`
	Failed  bool      `json:"failed"`
	DoneAt  time.Time `json:"doneAt"`
}

// appHost is the installed application set of a VM or an instance.
type appHost struct {
	Apps []*appInstall `json:"apps"`
}

type vmRecord struct {
	lifecycle
	RG         string                                         `json:"rg"`
	VM         armcompute.VirtualMachine                      `json:"vm"`
	Etag       int                                            `json:"etag"`
	Host       appHost                                        `json:"host"`
	Extensions map[string]*armcompute.VirtualMachineExtension `json:"extensions"`
}

type vmssInstance struct {
	ID           string  `json:"id"`
	Host         appHost `json:"host"`
	ModelVersion int     `json:"modelVersion"`
}

type vmssRecord struct {
	lifecycle
	RG           string                            `json:"rg"`
	SS           armcompute.VirtualMachineScaleSet `json:"vmss"`
	Etag         int                               `json:"etag"`
	ModelVersion int                               `json:"modelVersion"`
	Instances    []*vmssInstance                   `json:"instances"`
}

var exitRe = regexp.MustCompile(`\bexit\s+([1-9][0-9]*)\b`)

// scriptOutcome simulates running a script: a non-zero `exit N` fails.
func scriptOutcome(action, script string) (string, bool) {
	if m := exitRe.FindStringSubmatch(script); m != nil {
		return fmt.Sprintf("%s FAILED Error executing command '%s': command terminated with exit status=%s", action, script, m[1]), true
	}
	return action + " SUCCESS", false
}

func etagString(n int) string { return `"` + strconv.Itoa(n) + `"` }

// checkPreconditions applies If-Match / If-None-Match against the current etag (0: resource absent).
func checkPreconditions(r *http.Request, current int) *armError {
	if im := strings.TrimSpace(r.Header.Get("If-Match")); im != "" {
		want := strings.TrimPrefix(im, "W/")
		if im == "*" {
			if current == 0 {
				return newErr(412, "PreconditionFailed", "Etag provided in if-match header \"*\" does not match: the resource does not exist.")
			}
		} else if want != etagString(current) {
			return newErr(412, "PreconditionFailed", fmt.Sprintf("Etag provided in if-match header %s does not match etag %s of resource.", want, etagString(current)))
		}
	}
	if inm := strings.TrimSpace(r.Header.Get("If-None-Match")); inm != "" {
		if inm != "*" {
			return newErr(400, "InvalidParameter", "Only '*' is supported in the if-none-match header.")
		}
		if current != 0 {
			return newErr(412, "PreconditionFailed", fmt.Sprintf("Etag provided in if-none-match header \"*\" does not allow updating the existing resource with etag %s.", etagString(current)))
		}
	}
	return nil
}

// validateApps checks an application profile against the service rules.
func (e *Emulator) validateAppsLocked(c *call, refs []*armcompute.VMGalleryApplication, region, osType string, agent bool, target string) *armError {
	if len(refs) == 0 {
		return nil
	}
	if !agent {
		return newErr(409, "OperationNotAllowed", fmt.Sprintf("VM Applications require the VM agent, but the VM agent of '%s' is not provisioned (osProfile.*Configuration.provisionVMAgent is false).", target))
	}
	if limit := e.limits.MaxApplicationsPerVM; len(refs) > limit {
		return badParam("properties.applicationProfile.galleryApplications", fmt.Sprintf("The number of gallery applications (%d) exceeds the maximum allowed (max=%d) for a virtual machine.", len(refs), limit))
	}
	seen := map[string]bool{}
	for i, ref := range refs {
		t := fmt.Sprintf("properties.applicationProfile.galleryApplications[%d].packageReferenceId", i)
		if ref == nil || ref.PackageReferenceID == nil || *ref.PackageReferenceID == "" {
			return badParam(t, fmt.Sprintf("Required parameter '%s' is missing (null).", t))
		}
		v, appKey, err := e.resolveRefLocked(*ref.PackageReferenceID)
		if err != "" {
			return badParam(t, err)
		}
		if seen[appKey] {
			return badParam(t, fmt.Sprintf("Only one version of a given application can be deployed to a VM; application '%s' is referenced more than once.", appKey[strings.LastIndex(appKey, "/")+1:]))
		}
		seen[appKey] = true
		app := e.st.Applications[appKey]
		if !strings.EqualFold(string(*app.App.Properties.SupportedOSType), osType) {
			return badParam(t, fmt.Sprintf("The gallery application '%s' supports OS type '%s', but the target '%s' runs '%s'.", *app.App.Name, *app.App.Properties.SupportedOSType, target, osType))
		}
		if !v.regionReplicated(region, c.now) {
			return badParam(t, fmt.Sprintf("The gallery application version '%s' is not available in %s region. Replicate it to the region (targetRegions) and wait for replication to complete.", *v.Version.ID, region))
		}
	}
	return nil
}

// resolveRefLocked resolves a packageReferenceId (…/versions/{v} or …/versions/latest).
func (e *Emulator) resolveRefLocked(ref string) (*versionRecord, string, string) {
	id, err := arm.ParseResourceID(ref)
	if err != nil || !strings.EqualFold(id.ResourceType.String(), "Microsoft.Compute/galleries/applications/versions") {
		return nil, "", fmt.Sprintf("The packageReferenceId '%s' is not a gallery application version ID.", ref)
	}
	appKey := strings.ToLower(id.Parent.String())
	if e.st.Applications[appKey] == nil {
		return nil, "", fmt.Sprintf("The gallery application '%s' could not be found.", id.Parent.String())
	}
	if strings.EqualFold(id.Name, "latest") {
		var best *versionRecord
		var bestKey [3]int64
		for _, v := range e.st.Versions {
			if v.Parent != appKey || v.deleting() || *v.Version.Properties.PublishingProfile.ExcludeFromLatest {
				continue
			}
			var k [3]int64
			for i, p := range strings.Split(*v.Version.Name, ".") {
				k[i], _ = strconv.ParseInt(p, 10, 64)
			}
			if best == nil || k[0] > bestKey[0] || (k[0] == bestKey[0] && (k[1] > bestKey[1] || (k[1] == bestKey[1] && k[2] > bestKey[2]))) {
				best, bestKey = v, k
			}
		}
		if best == nil {
			return nil, "", fmt.Sprintf("No version of gallery application '%s' is available as latest.", id.Parent.String())
		}
		return best, appKey, ""
	}
	v := e.st.Versions[strings.ToLower(ref)]
	if v == nil || v.deleting() {
		return nil, "", fmt.Sprintf("The gallery application version '%s' could not be found.", ref)
	}
	return v, appKey, ""
}

// applyAppsLocked updates a host's installed applications to match refs and simulates the
// scripts; it returns the installs (and updates) it started.
func (e *Emulator) applyAppsLocked(c *call, h *appHost, refs []*armcompute.VMGalleryApplication) []*appInstall {
	var started []*appInstall
	old := map[string]*appInstall{}
	for _, a := range h.Apps {
		old[a.AppKey] = a
	}
	var next []*appInstall
	for _, ref := range refs {
		v, appKey, _ := e.resolveRefLocked(*ref.PackageReferenceID)
		if v == nil {
			continue
		}
		ma := v.Version.Properties.PublishingProfile.ManageActions
		treat := ref.TreatFailureAsDeploymentFailure != nil && *ref.TreatFailureAsDeploymentFailure
		prev := old[appKey]
		if prev != nil && prev.Version == *v.Version.Name && prev.Ref == *ref.PackageReferenceID {
			prev.Treat = treat
			next = append(next, prev)
			continue
		}
		in := &appInstall{AppKey: appKey, Name: *e.st.Applications[appKey].App.Name, Version: *v.Version.Name, Ref: *ref.PackageReferenceID, Treat: treat, DoneAt: c.now.Add(e.cfg.InstallTime)}
		switch {
		case prev == nil:
			in.Result, in.Failed = scriptOutcome("Install", *ma.Install)
		case ma.Update != nil && *ma.Update != "":
			in.Result, in.Failed = scriptOutcome("Update", *ma.Update)
		default:
			in.Result, in.Failed = scriptOutcome("Install", *ma.Install)
		}
		next = append(next, in)
		started = append(started, in)
	}
	h.Apps = next
	return started
}

// failInstalls makes the given installs fail (the installfail fault).
func failInstalls(ins []*appInstall) {
	for _, in := range ins {
		action, _, _ := strings.Cut(in.Result, " ")
		in.Result = action + " FAILED Error executing command: command terminated with exit status=1 (fault injected by the azvmapps emulator)"
		in.Failed = true
	}
}

// hostState summarises a host: provisioning state ("Succeeded", "Updating", "Failed") and the extension status.
func (h *appHost) state(now time.Time) (string, *armcompute.InstanceViewStatus) {
	type current struct {
		ApplicationName string `json:"applicationName"`
		Version         string `json:"version"`
		Result          string `json:"result"`
	}
	var cur []current
	busy, failed := false, false
	for _, a := range h.Apps {
		if now.Before(a.DoneAt) {
			busy = true
			continue
		}
		cur = append(cur, current{a.Name, a.Version, a.Result})
		if a.Failed && a.Treat {
			failed = true
		}
	}
	if cur == nil {
		cur = []current{}
	}
	b, _ := json.MarshalIndent(map[string]any{"CurrentState": cur, "ActionsPerformed": []any{}}, "", " ")
	switch {
	case busy:
		return "Updating", &armcompute.InstanceViewStatus{Code: to.Ptr("ProvisioningState/transitioning"), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr("Transitioning"), Message: to.Ptr("Enable in progress")}
	case failed:
		return "Failed", &armcompute.InstanceViewStatus{Code: to.Ptr("ProvisioningState/failed"), Level: to.Ptr(armcompute.StatusLevelTypesError), DisplayStatus: to.Ptr("Provisioning failed"), Message: to.Ptr("Enable failed: " + string(b))}
	}
	return "Succeeded", &armcompute.InstanceViewStatus{Code: to.Ptr("ProvisioningState/succeeded"), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr("Provisioning succeeded"), Message: to.Ptr("Enable succeeded: " + string(b))}
}

func (h *appHost) readyAt() time.Time {
	var t time.Time
	for _, a := range h.Apps {
		if a.DoneAt.After(t) {
			t = a.DoneAt
		}
	}
	return t
}

func appExtensionType(os string) string {
	if strings.EqualFold(os, "Windows") {
		return "VMApplicationManagerWindows"
	}
	return "VMApplicationManagerLinux"
}

func (h *appHost) instanceView(now time.Time, osType string, agent bool) *armcompute.VirtualMachineInstanceView {
	st, ext := h.state(now)
	iv := &armcompute.VirtualMachineInstanceView{
		Statuses: []*armcompute.InstanceViewStatus{
			{Code: to.Ptr("ProvisioningState/" + strings.ToLower(st)), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr("Provisioning " + strings.ToLower(st))},
			{Code: to.Ptr("PowerState/running"), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr("VM running")},
		},
	}
	if agent {
		iv.VMAgent = &armcompute.VirtualMachineAgentInstanceView{VMAgentVersion: to.Ptr("2.12.0.2"), Statuses: []*armcompute.InstanceViewStatus{{Code: to.Ptr("ProvisioningState/succeeded"), Level: to.Ptr(armcompute.StatusLevelTypesInfo), DisplayStatus: to.Ptr("Ready"), Message: to.Ptr("Guest Agent is running")}}}
	}
	if len(h.Apps) > 0 {
		iv.Extensions = []*armcompute.VirtualMachineExtensionInstanceView{{Name: to.Ptr("VMAppExtension"), Type: to.Ptr("Microsoft.CPlat.Core." + appExtensionType(osType)), TypeHandlerVersion: to.Ptr("1.0.9"), Statuses: []*armcompute.InstanceViewStatus{ext}}}
	}
	return iv
}

func vmOS(p *armcompute.VirtualMachineProperties) (string, bool) {
	os, agent := "Linux", true
	if p != nil && p.StorageProfile != nil {
		os = imageOS(p.StorageProfile.ImageReference, os)
		if p.StorageProfile.OSDisk != nil && p.StorageProfile.OSDisk.OSType != nil {
			os = string(*p.StorageProfile.OSDisk.OSType)
		}
	}
	if p != nil && p.OSProfile != nil {
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
	return os, agent
}

func appRefs(p *armcompute.ApplicationProfile) []*armcompute.VMGalleryApplication {
	if p == nil {
		return nil
	}
	return p.GalleryApplications
}

// imageOS infers the OS from a marketplace image reference (publisher/offer naming Windows).
func imageOS(ref *armcompute.ImageReference, def string) string {
	if ref == nil {
		return def
	}
	for _, s := range []*string{ref.Publisher, ref.Offer} {
		if s != nil && strings.Contains(strings.ToLower(*s), "windows") {
			return "Windows"
		}
	}
	return def
}
