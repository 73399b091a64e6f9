package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

const vpp = "galleryApplicationVersion.properties.publishingProfile"

var versionNameRe = regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)$`)

func versionKey(c *call) string { return "/" + strings.Join(c.low[:12], "/") }

// validVersionName reports whether name is Major.Minor.Patch with int32 parts.
func validVersionName(name string) bool {
	m := versionNameRe.FindStringSubmatch(name)
	if m == nil {
		return false
	}
	for _, p := range m[1:] {
		if n, err := strconv.ParseInt(p, 10, 64); err != nil || n > math.MaxInt32 {
			return false
		}
	}
	return true
}

func (e *Emulator) parentAppLocked(c *call, write bool) (*appRecord, *armError) {
	if _, err := e.parentGalleryLocked(c, write); err != nil {
		return nil, err
	}
	a := e.st.Applications[appKey(c)]
	if a == nil || (write && a.deleting()) {
		return nil, parentNotFound(c, 10, write)
	}
	return a, nil
}

func (e *Emulator) versionNotFound(c *call) *armError {
	return newErr(404, "ResourceNotFound", fmt.Sprintf("The Resource 'Microsoft.Compute/galleries/%s/applications/%s/versions/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", c.segs[7], c.segs[9], c.segs[11], c.segs[3]))
}

func (e *Emulator) listVersionsLocked(c *call) *armError {
	if c.r.Method != http.MethodGet {
		return methodNotAllowed(c)
	}
	if _, err := e.parentAppLocked(c, false); err != nil {
		return err
	}
	key := appKey(c)
	var items []any
	for _, k := range sortedKeys(e.st.Versions) {
		if v := e.st.Versions[k]; v.Parent == key {
			items = append(items, e.renderVersion(c, v))
		}
	}
	e.writePage(c, items)
	return nil
}

func (e *Emulator) versionLocked(c *call) *armError {
	key := versionKey(c)
	v := e.st.Versions[key]
	switch c.r.Method {
	case http.MethodGet:
		if _, err := e.parentAppLocked(c, false); err != nil {
			return err
		}
		if v == nil {
			return e.versionNotFound(c)
		}
		writeJSON(c.w, 200, e.renderVersion(c, v))
		return nil
	case http.MethodPut:
		return e.putVersionLocked(c, key, v)
	case http.MethodPatch:
		if _, err := e.parentAppLocked(c, false); err != nil {
			return err
		}
		if v == nil {
			return e.versionNotFound(c)
		}
		var upd armcompute.GalleryApplicationVersionUpdate
		if err := decodeBody(c, &upd); err != nil {
			return err
		}
		if v.deleting() {
			return newErr(409, "OperationNotAllowed", fmt.Sprintf("Operation 'Update' isn't allowed on application version '%s' since it's marked for deletion.", c.segs[11]))
		}
		body := copyVersion(v.Version)
		mergeVersionUpdate(&body, &upd)
		return e.updateVersionLocked(c, v, body)
	case http.MethodDelete:
		if v == nil {
			if _, err := e.parentAppLocked(c, false); err != nil {
				return err
			}
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return e.startDeleteLocked(c, &v.lifecycle, *v.Version.Location, *v.Version.ID, e.cfg.DeleteTime)
	}
	return methodNotAllowed(c)
}

func copyVersion(v armcompute.GalleryApplicationVersion) armcompute.GalleryApplicationVersion {
	b, _ := json.Marshal(v)
	var out armcompute.GalleryApplicationVersion
	_ = json.Unmarshal(b, &out)
	return out
}

// mergeVersionUpdate overlays the non-nil fields of a PATCH body.
func mergeVersionUpdate(dst *armcompute.GalleryApplicationVersion, u *armcompute.GalleryApplicationVersionUpdate) {
	if u.Tags != nil {
		dst.Tags = u.Tags
	}
	if u.Properties == nil {
		return
	}
	if u.Properties.SafetyProfile != nil {
		dst.Properties.SafetyProfile = u.Properties.SafetyProfile
	}
	up := u.Properties.PublishingProfile
	if up == nil {
		return
	}
	pp := dst.Properties.PublishingProfile
	if up.Source != nil {
		if up.Source.MediaLink != nil {
			pp.Source.MediaLink = up.Source.MediaLink
		}
		if up.Source.DefaultConfigurationLink != nil {
			pp.Source.DefaultConfigurationLink = up.Source.DefaultConfigurationLink
		}
	}
	if up.ManageActions != nil {
		pp.ManageActions = up.ManageActions
	}
	if up.Settings != nil {
		pp.Settings = up.Settings
	}
	if up.AdvancedSettings != nil {
		pp.AdvancedSettings = up.AdvancedSettings
	}
	if up.EnableHealthCheck != nil {
		pp.EnableHealthCheck = up.EnableHealthCheck
	}
	if up.CustomActions != nil {
		pp.CustomActions = up.CustomActions
	}
	if up.TargetRegions != nil {
		pp.TargetRegions = up.TargetRegions
	}
	if up.ReplicaCount != nil {
		pp.ReplicaCount = up.ReplicaCount
	}
	if up.ExcludeFromLatest != nil {
		pp.ExcludeFromLatest = up.ExcludeFromLatest
	}
	if up.EndOfLifeDate != nil {
		pp.EndOfLifeDate = up.EndOfLifeDate
	}
	if up.StorageAccountType != nil {
		pp.StorageAccountType = up.StorageAccountType
	}
	if up.ReplicationMode != nil {
		pp.ReplicationMode = up.ReplicationMode
	}
	if up.TargetExtendedLocations != nil {
		pp.TargetExtendedLocations = up.TargetExtendedLocations
	}
}

func (e *Emulator) putVersionLocked(c *call, key string, v *versionRecord) *armError {
	name := c.segs[11]
	if !validVersionName(name) {
		return badParam("galleryApplicationVersionName", fmt.Sprintf("The gallery application version name '%s' is invalid. It should follow Major(int32).Minor(int32).Patch(int32) format, where int is between 0 and 2,147,483,647 (inclusive).", name))
	}
	a, err := e.parentAppLocked(c, true)
	if err != nil {
		return err
	}
	var body armcompute.GalleryApplicationVersion
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	if body.Name != nil && !strings.EqualFold(*body.Name, name) {
		return badParam("galleryApplicationVersion.name", "Entity name doesn't match the name in the request URL.")
	}
	if v != nil {
		if v.deleting() {
			return newErr(409, "OperationNotAllowed", fmt.Sprintf("Operation 'CreateOrUpdate' isn't allowed on application version '%s' since it's marked for deletion.", name))
		}
		return e.updateVersionLocked(c, v, body)
	}
	loc, aerr := checkLocation(body.Location, "Microsoft.Compute/galleries/applications/versions")
	if aerr != nil {
		return aerr
	}
	if aerr := e.normalizeVersion(&body, loc); aerr != nil {
		return aerr
	}
	pp := body.Properties.PublishingProfile
	if aerr := e.checkBlob(*pp.Source.MediaLink, vpp+".source.mediaLink"); aerr != nil {
		return aerr
	}
	if l := pp.Source.DefaultConfigurationLink; l != nil && *l != "" {
		if aerr := e.checkBlob(*l, vpp+".source.defaultConfigurationLink"); aerr != nil {
			return aerr
		}
	}
	id := *a.App.ID + "/versions/" + name
	body.ID, body.Name, body.Type, body.Location = &id, to.Ptr(name), to.Ptr("Microsoft.Compute/galleries/applications/versions"), &loc
	pp.PublishedDate = to.Ptr(c.now.UTC())
	body.SystemData = nil
	v = &versionRecord{Parent: appKey(c), Version: body}
	v.Created = c.now
	fresh := e.replan(v, c.now)
	e.st.Versions[key] = v
	return e.startCreateUntilLocked(c, &v.lifecycle, loc, id, false, 201, v.ReadyAt, func() any { return e.renderVersion(c, v) }, e.replicationFault(v, fresh))
}

// updateVersionLocked applies a full new body (PUT, or PATCH merged into the stored body).
func (e *Emulator) updateVersionLocked(c *call, v *versionRecord, body armcompute.GalleryApplicationVersion) *armError {
	loc, aerr := checkLocation(body.Location, "Microsoft.Compute/galleries/applications/versions")
	if aerr != nil {
		return aerr
	}
	if loc != *v.Version.Location {
		return immutable("galleryApplicationVersion.location")
	}
	if aerr := e.normalizeVersion(&body, loc); aerr != nil {
		return aerr
	}
	old, pp := v.Version.Properties.PublishingProfile, body.Properties.PublishingProfile
	if aerr := checkVersionImmutables(old, pp); aerr != nil {
		return aerr
	}
	if *old.Source.MediaLink != *pp.Source.MediaLink {
		if aerr := e.checkBlob(*pp.Source.MediaLink, vpp+".source.mediaLink"); aerr != nil {
			return aerr
		}
	}
	if l := pp.Source.DefaultConfigurationLink; l != nil && *l != "" && (old.Source.DefaultConfigurationLink == nil || *old.Source.DefaultConfigurationLink != *l) {
		if aerr := e.checkBlob(*l, vpp+".source.defaultConfigurationLink"); aerr != nil {
			return aerr
		}
	}
	var removed []string
	for _, tr := range old.TargetRegions {
		if !hasRegion(pp.TargetRegions, *tr.Name) {
			removed = append(removed, *tr.Name)
		}
	}
	if len(removed) > 0 {
		sp := body.Properties.SafetyProfile
		if sp == nil || sp.AllowDeletionOfReplicatedLocations == nil || !*sp.AllowDeletionOfReplicatedLocations {
			return badParam("galleryApplicationVersion.properties.safetyProfile.allowDeletionOfReplicatedLocations", fmt.Sprintf("Removing replicated regions '%s' isn't allowed unless 'safetyProfile.allowDeletionOfReplicatedLocations' is set to true.", strings.Join(removed, ", ")))
		}
	}
	body.ID, body.Name, body.Type, body.Location = v.Version.ID, v.Version.Name, v.Version.Type, v.Version.Location
	pp.PublishedDate = old.PublishedDate
	body.SystemData = nil
	changed := !sameJSON(v.Version, body)
	v.Version = body
	if !changed && !v.Failed {
		// Nothing to do: answered at once with the current state.
		writeJSON(c.w, 200, e.renderVersion(c, v))
		return nil
	}
	// Any change (tags included) is a long-running operation: 200 Updating with
	// Azure-AsyncOperation, Succeeded after UpdateTime or when new replicas are done,
	// whichever is later (NOTES.md, "Version update"). PATCH and PUT alike.
	fresh := e.replan(v, c.now)
	readyAt := maxTime(v.ReadyAt, c.now.Add(e.cfg.UpdateTime))
	return e.startCreateUntilLocked(c, &v.lifecycle, loc, *v.Version.ID, true, 200, readyAt, func() any { return e.renderVersion(c, v) }, e.replicationFault(v, fresh))
}

// sameJSON reports whether a and b serialise identically.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func hasRegion(trs []*armcompute.TargetRegion, name string) bool {
	n, _ := NormalizeRegion(name)
	for _, tr := range trs {
		if m, _ := NormalizeRegion(*tr.Name); m == n {
			return true
		}
	}
	return false
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func withoutQuery(u string) string { return redactURL(u) }

func checkVersionImmutables(old, pp *armcompute.GalleryApplicationVersionPublishingProfile) *armError {
	type pair struct {
		target   string
		from, to string
	}
	oldMA, newMA := old.ManageActions, pp.ManageActions
	oldS, newS := old.Settings, pp.Settings
	if oldS == nil {
		oldS = &armcompute.UserArtifactSettings{}
	}
	if newS == nil {
		newS = &armcompute.UserArtifactSettings{}
	}
	sbar := func(s *armcompute.UserArtifactSettings) string {
		if s.ScriptBehaviorAfterReboot == nil {
			return ""
		}
		return strings.ToLower(string(*s.ScriptBehaviorAfterReboot))
	}
	rm := func(p *armcompute.GalleryApplicationVersionPublishingProfile) string {
		if p.ReplicationMode == nil {
			return "full"
		}
		return strings.ToLower(string(*p.ReplicationMode))
	}
	checks := []pair{
		{vpp + ".manageActions.install", str(oldMA.Install), str(newMA.Install)},
		{vpp + ".manageActions.remove", str(oldMA.Remove), str(newMA.Remove)},
		{vpp + ".manageActions.update", str(oldMA.Update), str(newMA.Update)},
		{vpp + ".settings.packageFileName", str(oldS.PackageFileName), str(newS.PackageFileName)},
		{vpp + ".settings.configFileName", str(oldS.ConfigFileName), str(newS.ConfigFileName)},
		{vpp + ".settings.scriptBehaviorAfterReboot", sbar(oldS), sbar(newS)},
		{vpp + ".storageAccountType", strings.ToLower(string(*old.StorageAccountType)), strings.ToLower(string(*pp.StorageAccountType))},
		{vpp + ".replicationMode", rm(old), rm(pp)},
		{vpp + ".source.mediaLink", withoutQuery(*old.Source.MediaLink), withoutQuery(*pp.Source.MediaLink)},
		{vpp + ".source.defaultConfigurationLink", withoutQuery(str(old.Source.DefaultConfigurationLink)), withoutQuery(str(pp.Source.DefaultConfigurationLink))},
	}
	for _, ch := range checks {
		if ch.from != ch.to {
			return immutable(ch.target)
		}
	}
	return nil
}

// normalizeVersion validates a version body and fills the service defaults.
func (e *Emulator) normalizeVersion(v *armcompute.GalleryApplicationVersion, loc string) *armError {
	missing := func(t string) *armError {
		return badParam(t, fmt.Sprintf("Required parameter '%s' is missing (null).", t))
	}
	if v.Properties == nil {
		return missing("galleryApplicationVersion.properties")
	}
	v.Properties.ProvisioningState, v.Properties.ReplicationStatus = nil, nil
	pp := v.Properties.PublishingProfile
	if pp == nil {
		return missing("galleryApplicationVersion.properties.publishingProfile")
	}
	if pp.Source == nil || pp.Source.MediaLink == nil || *pp.Source.MediaLink == "" {
		return missing(vpp + ".source.mediaLink")
	}
	for t, l := range map[string]*string{vpp + ".source.mediaLink": pp.Source.MediaLink, vpp + ".source.defaultConfigurationLink": pp.Source.DefaultConfigurationLink} {
		if l == nil || *l == "" {
			continue
		}
		if u, err := url.Parse(*l); err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return badParam(t, fmt.Sprintf("Source uri '%s' must be an absolute uri.", redactURL(*l)))
		}
	}
	if pp.ManageActions == nil {
		return missing(vpp + ".manageActions")
	}
	for t, s := range map[string]*string{"install": pp.ManageActions.Install, "remove": pp.ManageActions.Remove} {
		if s == nil || *s == "" {
			return missing(vpp + ".manageActions." + t)
		}
	}
	for t, s := range map[string]*string{"install": pp.ManageActions.Install, "remove": pp.ManageActions.Remove, "update": pp.ManageActions.Update} {
		if s != nil && len(*s) > 4096 {
			return badParam(vpp+".manageActions."+t, fmt.Sprintf("The length of '%s' is %d characters; it must be at most 4096 characters.", vpp+".manageActions."+t, len(*s)))
		}
	}
	if st := pp.Settings; st != nil {
		for t, s := range map[string]*string{"packageFileName": st.PackageFileName, "configFileName": st.ConfigFileName} {
			if s != nil && len(*s) > 4096 {
				return badParam(vpp+".settings."+t, fmt.Sprintf("The length of '%s' must be at most 4096 characters.", vpp+".settings."+t))
			}
		}
	}
	if err := checkCustomActions(pp.CustomActions, vpp+".customActions"); err != nil {
		return err
	}
	maxReplicas := int32(e.limits.MaxReplicasPerRegion)
	if pp.ReplicaCount == nil {
		pp.ReplicaCount = to.Ptr[int32](1)
	} else if *pp.ReplicaCount < 1 || *pp.ReplicaCount > maxReplicas {
		return outOfRange(vpp+".replicaCount", maxReplicas)
	}
	if pp.StorageAccountType == nil {
		pp.StorageAccountType = to.Ptr(armcompute.StorageAccountTypeStandardLRS)
	}
	if pp.ExcludeFromLatest == nil {
		pp.ExcludeFromLatest = to.Ptr(false)
	}
	if pp.EnableHealthCheck == nil {
		pp.EnableHealthCheck = to.Ptr(false)
	}
	if len(pp.TargetRegions) == 0 {
		pp.TargetRegions = []*armcompute.TargetRegion{{Name: to.Ptr(RegionDisplayName(loc))}}
	}
	seen := map[string]bool{}
	var names []string
	for i, tr := range pp.TargetRegions {
		t := fmt.Sprintf("%s.targetRegions[%d]", vpp, i)
		if tr == nil || tr.Name == nil || *tr.Name == "" {
			return missing(t + ".name")
		}
		n, ok := NormalizeRegion(*tr.Name)
		if !ok {
			return badParam(t+".name", fmt.Sprintf("The region '%s' is not a valid Azure region. Supported regions are '%s'.", *tr.Name, strings.Join(regionNames(), ", ")))
		}
		if seen[n] {
			return badParam(vpp+".targetRegions", "Duplicate regions aren't allowed in target publishing regions.")
		}
		seen[n] = true
		if tr.Encryption != nil {
			return badParam(t+".encryption", "Gallery application version resources currently don't support encryption.")
		}
		if tr.RegionalReplicaCount == nil {
			tr.RegionalReplicaCount = to.Ptr(*pp.ReplicaCount)
		} else if *tr.RegionalReplicaCount < 1 || *tr.RegionalReplicaCount > maxReplicas {
			return outOfRange(t+".regionalReplicaCount", maxReplicas)
		}
		if tr.StorageAccountType == nil {
			tr.StorageAccountType = to.Ptr(*pp.StorageAccountType)
		}
		tr.Name = to.Ptr(regions[n])
		names = append(names, regions[n])
	}
	if !seen[loc] {
		return badParam(vpp+".targetRegions", fmt.Sprintf("The target publishing regions '%s' must contain the location of application version '%s'.", strings.Join(names, ", "), RegionDisplayName(loc)))
	}
	return nil
}

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

func outOfRange(target string, upper int32) *armError {
	hi := strconv.Itoa(int(upper))
	if int(upper) < len(numberWords) {
		hi = numberWords[upper]
	}
	return badParam(target, fmt.Sprintf("The value of parameter '%s' is out of range. The value must be between one and %s, inclusive.", target, hi))
}

// replicationFault returns the operation hook of the replfail fault: when drawn, one of the
// regions this operation replicates to (a seeded choice) fails while the others complete, and
// the operation ends Failed when they are done.
func (e *Emulator) replicationFault(v *versionRecord, fresh []string) func(*operation) {
	return func(op *operation) {
		if len(fresh) == 0 || op.Failed || !e.faults.draw(func(f Faults) float64 { return f.RateReplFail }) {
			return
		}
		n := fresh[e.faults.pick(len(fresh))]
		r := v.Replication[n]
		r.Failed = true
		// The service's texts quote the source uri as given, SAS token included (as in "The SAS
		// isn't valid for source uri {uri}."): clients must not pass them on unredacted.
		r.Details = fmt.Sprintf("Failed to copy the application package from source uri '%s' to region '%s'. (fault injected by the azvmapps emulator)",
			str(v.Version.Properties.PublishingProfile.Source.MediaLink), regions[n])
		v.Replication[n] = r
		op.fail("ReplicationFailed", fmt.Sprintf("Replication of gallery application version '%s' failed in region '%s'; the other target regions completed. Retry the operation or remove the region. Details: %s", *v.Version.Name, regions[n], r.Details))
		op.Injected = true
	}
}

// replan updates the per-region replication plan after a create or update; it returns the
// regions (normalised) that this operation (re)replicates.
func (e *Emulator) replan(v *versionRecord, now time.Time) []string {
	old := v.Replication
	v.Replication = map[string]replication{}
	ready := now
	var fresh []string
	for _, tr := range v.Version.Properties.PublishingProfile.TargetRegions {
		n, _ := NormalizeRegion(*tr.Name)
		r, ok := old[n]
		if !ok || r.Failed || r.Replicas != int(*tr.RegionalReplicaCount) {
			// Each further region replicated by this operation adds ReplicationTimePerRegion.
			took := e.cfg.ReplicationTime + time.Duration(len(fresh))*e.cfg.ReplicationTimePerRegion
			r = replication{Start: now, Done: now.Add(took), Replicas: int(*tr.RegionalReplicaCount)}
			fresh = append(fresh, n)
		}
		v.Replication[n] = r
		if r.Done.After(ready) {
			ready = r.Done
		}
	}
	v.ReadyAt = ready
	return fresh
}

// partlyFailed reports whether replication failed in some regions only.
func (v *versionRecord) partlyFailed() bool {
	for _, r := range v.Replication {
		if r.Failed {
			return true
		}
	}
	return false
}

// regionReplicated reports whether the version is fully replicated to region.
func (v *versionRecord) regionReplicated(region string, now time.Time) bool {
	n, _ := NormalizeRegion(region)
	r, ok := v.Replication[n]
	return ok && !now.Before(r.Done) && !r.Failed && (!v.Failed || v.partlyFailed())
}

func (e *Emulator) renderVersion(c *call, v *versionRecord) armcompute.GalleryApplicationVersion {
	out := v.Version
	p := *out.Properties
	p.ProvisioningState = to.Ptr(armcompute.GalleryProvisioningState(v.provisioningState(c.now)))
	p.ReplicationStatus = nil
	if strings.EqualFold(c.q("$expand"), "ReplicationStatus") {
		rs := &armcompute.ReplicationStatus{AggregatedState: to.Ptr(armcompute.AggregatedReplicationStateCompleted)}
		for _, tr := range p.PublishingProfile.TargetRegions {
			n, _ := NormalizeRegion(*tr.Name)
			r := v.Replication[n]
			s := armcompute.RegionalReplicationStatus{Region: to.Ptr(regions[n]), Details: to.Ptr("")}
			switch {
			case r.Failed && !c.now.Before(r.Done), v.Failed && !v.partlyFailed():
				details := "Replication failed."
				if r.Details != "" {
					details = r.Details
				}
				s.State, s.Progress, s.Details = to.Ptr(armcompute.ReplicationStateFailed), to.Ptr[int32](0), to.Ptr(details)
				rs.AggregatedState = to.Ptr(armcompute.AggregatedReplicationStateFailed)
			case c.now.Before(r.Done):
				prog := int32(0)
				if total := r.Done.Sub(r.Start); total > 0 {
					prog = int32(100 * c.now.Sub(r.Start) / total)
				}
				s.State, s.Progress = to.Ptr(armcompute.ReplicationStateReplicating), to.Ptr(prog)
				if *rs.AggregatedState != armcompute.AggregatedReplicationStateFailed {
					rs.AggregatedState = to.Ptr(armcompute.AggregatedReplicationStateInProgress)
				}
			default:
				s.State, s.Progress = to.Ptr(armcompute.ReplicationStateCompleted), to.Ptr[int32](100)
			}
			rs.Summary = append(rs.Summary, &s)
		}
		p.ReplicationStatus = rs
	}
	out.Properties = &p
	return out
}
