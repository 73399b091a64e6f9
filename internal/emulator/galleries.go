package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

var galleryNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._]{0,79}$`)

// galleryRoutesLocked routes everything under .../providers/Microsoft.Compute/galleries.
func (e *Emulator) galleryRoutesLocked(c *call) *armError {
	low := c.low
	n := len(low)
	if _, err := e.rgLocked(c); err != nil {
		return err
	}
	switch {
	case n == 7:
		if c.r.Method != http.MethodGet {
			return methodNotAllowed(c)
		}
		return e.listGalleriesLocked(c, e.rgKey(c))
	case n == 8:
		return e.galleryLocked(c)
	case n == 9 && low[8] == "share":
		return e.shareLocked(c)
	case n == 9 && low[8] == "applications":
		return e.listApplicationsLocked(c)
	case n == 10 && low[8] == "applications":
		return e.applicationLocked(c)
	case n == 11 && low[8] == "applications" && low[10] == "versions":
		return e.listVersionsLocked(c)
	case n == 12 && low[8] == "applications" && low[10] == "versions":
		return e.versionLocked(c)
	}
	return noRoute(c)
}

func galleryKey(c *call) string { return "/" + strings.Join(c.low[:8], "/") }

func (e *Emulator) renderGallery(c *call, g *galleryRecord) armcompute.Gallery {
	out := g.Gallery
	p := armcompute.GalleryProperties{}
	if out.Properties != nil {
		p = *out.Properties
	}
	p.ProvisioningState = to.Ptr(armcompute.GalleryProvisioningState(g.provisioningState(c.now)))
	if p.SharingProfile != nil {
		sp := *p.SharingProfile
		if !strings.EqualFold(c.q("$select"), "Permissions") && !strings.EqualFold(c.q("$expand"), "SharingProfile/Groups") {
			sp.Groups = nil
		}
		p.SharingProfile = &sp
	}
	out.Properties = &p
	return out
}

func (e *Emulator) listGalleriesLocked(c *call, rgKey string) *armError {
	var items []any
	for _, k := range sortedKeys(e.st.Galleries) {
		g := e.st.Galleries[k]
		if rgKey == "" || g.RG == rgKey {
			items = append(items, e.renderGallery(c, g))
		}
	}
	e.writePage(c, items)
	return nil
}

func (e *Emulator) galleryNotFound(c *call) *armError {
	return newErr(404, "ResourceNotFound", fmt.Sprintf("The Resource 'Microsoft.Compute/galleries/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", c.segs[7], c.segs[3]))
}

func (e *Emulator) galleryLocked(c *call) *armError {
	key := galleryKey(c)
	g := e.st.Galleries[key]
	switch c.r.Method {
	case http.MethodGet:
		if g == nil {
			return e.galleryNotFound(c)
		}
		writeJSON(c.w, 200, e.renderGallery(c, g))
		return nil
	case http.MethodPut:
		return e.putGalleryLocked(c, key, g)
	case http.MethodPatch:
		if g == nil {
			return e.galleryNotFound(c)
		}
		var body armcompute.GalleryUpdate
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		if g.deleting() {
			return newErr(409, "OperationNotAllowed", fmt.Sprintf("Operation 'Update' isn't allowed on gallery '%s' since it's marked for deletion.", c.segs[7]))
		}
		if body.Tags != nil {
			g.Gallery.Tags = body.Tags
		}
		if body.Identity != nil {
			g.Gallery.Identity = body.Identity
		}
		if bp := body.Properties; bp != nil {
			p := g.Gallery.Properties
			if bp.Description != nil {
				p.Description = bp.Description
			}
			if bp.SoftDeletePolicy != nil {
				p.SoftDeletePolicy = bp.SoftDeletePolicy
			}
			if bp.SharingProfile != nil {
				if err := validateSharing(bp.SharingProfile); err != nil {
					return err
				}
				p.SharingProfile = mergeSharing(p.SharingProfile, bp.SharingProfile)
			}
		}
		writeJSON(c.w, 200, e.renderGallery(c, g))
		return nil
	case http.MethodDelete:
		if g == nil {
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		if err := e.checkNoChildrenLocked(c, key); err != nil {
			return err
		}
		return e.startDeleteLocked(c, &g.lifecycle, *g.Gallery.Location, *g.Gallery.ID, e.cfg.OperationTime)
	}
	return methodNotAllowed(c)
}

func (e *Emulator) putGalleryLocked(c *call, key string, g *galleryRecord) *armError {
	name := c.segs[7]
	if !galleryNameRe.MatchString(name) || strings.HasSuffix(name, ".") {
		return badParam("galleryName", fmt.Sprintf("The gallery name '%s' is invalid. The gallery name can contain only uppercase or lowercase letters, digits, periods and underscores; it can't contain dashes, must start with a letter or digit, can't end with a period, and must be at most 80 characters long.", name))
	}
	var body armcompute.Gallery
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	loc, err := checkLocation(body.Location, "Microsoft.Compute/galleries")
	if err != nil {
		return err
	}
	if body.Name != nil && !strings.EqualFold(*body.Name, name) {
		return badParam("gallery.name", "Entity name doesn't match the name in the request URL.")
	}
	if body.Properties == nil {
		body.Properties = &armcompute.GalleryProperties{}
	}
	if sp := body.Properties.SharingProfile; sp != nil {
		if err := validateSharing(sp); err != nil {
			return err
		}
		sp.Groups = nil
		if sp.CommunityGalleryInfo != nil {
			sp.CommunityGalleryInfo.CommunityGalleryEnabled = nil
			sp.CommunityGalleryInfo.PublicNames = nil
		}
	}
	if g == nil {
		for _, other := range e.st.Galleries {
			if strings.EqualFold(*other.Gallery.Name, name) && other.RG != e.rgKey(c) && strings.EqualFold(strings.Split(*other.Gallery.ID, "/")[2], c.segs[1]) {
				return newErr(409, "Conflict", fmt.Sprintf("A gallery with the name '%s' already exists in resource group '%s' of subscription '%s'. Gallery names must be unique within a subscription.", name, strings.Split(*other.Gallery.ID, "/")[4], c.segs[1]))
			}
		}
		rg, _ := e.rgLocked(c)
		id := rg.ID + "/providers/Microsoft.Compute/galleries/" + name
		body.ID, body.Name, body.Type, body.Location = &id, to.Ptr(name), to.Ptr("Microsoft.Compute/galleries"), &loc
		body.Properties.Identifier = &armcompute.GalleryIdentifier{UniqueName: to.Ptr(c.segs[1] + "-" + strings.ToUpper(name))}
		body.Properties.ProvisioningState = nil
		body.Properties.SharingStatus = nil
		// No sharingProfile in the request → none in the answers: the service adds no default
		// (NOTES.md, "Gallery without sharingProfile").
		body.SystemData = nil
		g = &galleryRecord{RG: e.rgKey(c), Gallery: body}
		g.Created = c.now
		e.st.Galleries[key] = g
		return e.startCreateLocked(c, &g.lifecycle, loc, id, false, 201, func() any { return e.renderGallery(c, g) })
	}
	if g.deleting() {
		return newErr(409, "OperationNotAllowed", fmt.Sprintf("Operation 'CreateOrUpdate' isn't allowed on gallery '%s' since it's marked for deletion.", name))
	}
	if *g.Gallery.Location != loc {
		return newErr(409, "InvalidResourceLocation", fmt.Sprintf("The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be created in location '%s'. Please select a new resource name.", name, *g.Gallery.Location, c.segs[3], loc))
	}
	old := g.Gallery.Properties
	p := body.Properties
	p.Identifier, p.ProvisioningState, p.SharingStatus = old.Identifier, nil, nil
	if p.SharingProfile == nil {
		p.SharingProfile = old.SharingProfile
	} else {
		p.SharingProfile = mergeSharing(old.SharingProfile, p.SharingProfile)
	}
	g.Gallery.Properties = p
	g.Gallery.Tags = body.Tags
	g.Gallery.Identity = body.Identity
	return e.startCreateLocked(c, &g.lifecycle, loc, *g.Gallery.ID, true, 200, func() any { return e.renderGallery(c, g) })
}

func checkLocation(l *string, resourceType string) (string, *armError) {
	if l == nil || *l == "" {
		return "", newErr(400, "LocationRequired", "The location property is required for this definition.")
	}
	loc, ok := NormalizeRegion(*l)
	if !ok {
		return "", newErr(400, "LocationNotAvailableForResourceType", fmt.Sprintf("The provided location '%s' is not available for resource type '%s'. List of available regions for the resource type is '%s'.", *l, resourceType, strings.Join(regionKeys(), ",")))
	}
	return loc, nil
}

func validateSharing(sp *armcompute.SharingProfile) *armError {
	if sp.Permissions == nil {
		return nil
	}
	valid := []armcompute.GallerySharingPermissionTypes{armcompute.GallerySharingPermissionTypesPrivate, armcompute.GallerySharingPermissionTypesGroups, armcompute.GallerySharingPermissionTypesCommunity}
	for _, v := range valid {
		if strings.EqualFold(string(*sp.Permissions), string(v)) {
			sp.Permissions = to.Ptr(v)
			if v == armcompute.GallerySharingPermissionTypesCommunity && sp.CommunityGalleryInfo == nil {
				return badParam("gallery.properties.sharingProfile.communityGalleryInfo", "Required parameter 'gallery.properties.sharingProfile.communityGalleryInfo' is missing (null).")
			}
			return nil
		}
	}
	return badParam("gallery.properties.sharingProfile.permissions", fmt.Sprintf("The value '%s' of parameter 'gallery.properties.sharingProfile.permissions' is invalid. Allowed values are 'Private', 'Groups', 'Community'.", *sp.Permissions))
}

// mergeSharing keeps the server-managed groups of old and takes the rest from in. The
// community publication (communityGalleryEnabled, publicNames: read-only, set by the share
// action EnableCommunity) survives a PUT that keeps the Community permission, as on Azure.
func mergeSharing(old, in *armcompute.SharingProfile) *armcompute.SharingProfile {
	out := *in
	out.Groups = nil
	if old != nil {
		out.Groups = old.Groups
		if out.Permissions == nil {
			out.Permissions = old.Permissions
		}
		if oc, nc := old.CommunityGalleryInfo, out.CommunityGalleryInfo; oc != nil && nc != nil &&
			out.Permissions != nil && *out.Permissions == armcompute.GallerySharingPermissionTypesCommunity {
			ci := *nc
			ci.CommunityGalleryEnabled, ci.PublicNames = oc.CommunityGalleryEnabled, oc.PublicNames
			out.CommunityGalleryInfo = &ci
		}
	}
	return &out
}

// startCreateLocked marks a resource Creating/Updating for OperationTime and answers with async headers.
func (e *Emulator) startCreateLocked(c *call, l *lifecycle, region, id string, updating bool, status int, render func() any) *armError {
	return e.startCreateUntilLocked(c, l, region, id, updating, status, c.now.Add(e.cfg.OperationTime), render, nil)
}

// startCreateUntilLocked starts a create/update operation that ends at readyAt; onOp (optional)
// may make it fail before the answer is written.
func (e *Emulator) startCreateUntilLocked(c *call, l *lifecycle, region, id string, updating bool, status int, readyAt time.Time, render func() any, onOp func(*operation)) *armError {
	l.ReadyAt, l.Updating, l.Failed = readyAt, updating, false
	kind := "create"
	if updating {
		kind = "update"
	}
	op := e.newOperationLocked(c, region, kind, id, readyAt)
	if onOp != nil {
		onOp(op)
	}
	if op.Failed {
		l.Failed = true
	}
	e.setAsyncHeaders(c.w, op, false)
	writeJSON(c.w, status, render())
	return nil
}

// startDeleteLocked marks a resource Deleting and answers 202 with Azure-AsyncOperation and Location.
func (e *Emulator) startDeleteLocked(c *call, l *lifecycle, region, id string, took time.Duration) *armError {
	doneAt := c.now.Add(took)
	if l.deleting() {
		doneAt = l.DeleteAt
	}
	op := e.newOperationLocked(c, region, "delete", id, doneAt)
	if !op.Failed {
		l.DeleteAt = doneAt
	}
	e.setAsyncHeaders(c.w, op, true)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusAccepted)
	return nil
}

// checkNoChildrenLocked returns CannotDeleteResource when resources (or recently deleted ones) live under key.
func (e *Emulator) checkNoChildrenLocked(c *call, key string) *armError {
	var nested []string
	add := func(childID string) {
		// "Microsoft.Compute/galleries/g/applications/a" form, as the service lists them.
		if i := strings.Index(strings.ToLower(childID), "/providers/"); i >= 0 {
			childID = childID[i+len("/providers/"):]
		}
		nested = append(nested, childID)
	}
	for _, a := range e.st.Applications {
		if a.Parent == key {
			add(*a.App.ID)
		}
	}
	for _, v := range e.st.Versions {
		if v.Parent == key {
			add(*v.Version.ID)
		}
	}
	for _, t := range e.st.Tombstones {
		if t.Parent == key && c.now.Sub(t.At) <= e.cfg.DeleteLag {
			add(t.ID)
		}
	}
	if len(nested) == 0 {
		return nil
	}
	slices.Sort(nested)
	return newErr(409, "CannotDeleteResource", fmt.Sprintf("Cannot delete resource while nested resources exist. Some existing nested resource IDs include: '%s'. Please delete all nested resources before deleting this resource.", strings.Join(nested, ", ")))
}

// shareLocked answers POST .../galleries/{g}/share.
func (e *Emulator) shareLocked(c *call) *armError {
	if c.r.Method != http.MethodPost {
		return methodNotAllowed(c)
	}
	g := e.st.Galleries[galleryKey(c)]
	if g == nil || g.deleting() {
		return e.galleryNotFound(c)
	}
	var body armcompute.SharingUpdate
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	if body.OperationType == nil {
		return badParam("sharingUpdate.operationType", "Required parameter 'sharingUpdate.operationType' is missing (null).")
	}
	p := g.Gallery.Properties
	if p.SharingProfile == nil {
		p.SharingProfile = &armcompute.SharingProfile{Permissions: to.Ptr(armcompute.GallerySharingPermissionTypesPrivate)}
	}
	sp := p.SharingProfile
	switch strings.ToLower(string(*body.OperationType)) {
	case "add":
		for _, grp := range body.Groups {
			if err := checkGroup(grp); err != nil {
				return err
			}
			sp.Groups = addGroup(sp.Groups, grp)
		}
		sp.Permissions = to.Ptr(armcompute.GallerySharingPermissionTypesGroups)
	case "remove":
		for _, grp := range body.Groups {
			if err := checkGroup(grp); err != nil {
				return err
			}
			sp.Groups = removeGroup(sp.Groups, grp)
		}
		if len(sp.Groups) == 0 {
			sp.Permissions = to.Ptr(armcompute.GallerySharingPermissionTypesPrivate)
		}
	case "reset":
		sp.Groups = nil
		sp.Permissions = to.Ptr(armcompute.GallerySharingPermissionTypesPrivate)
		if sp.CommunityGalleryInfo != nil {
			sp.CommunityGalleryInfo.CommunityGalleryEnabled = to.Ptr(false)
		}
	case "enablecommunity":
		if sp.CommunityGalleryInfo == nil {
			return badParam("gallery.properties.sharingProfile.communityGalleryInfo", "Community gallery information is required to enable community sharing. Set 'sharingProfile.communityGalleryInfo' on the gallery first.")
		}
		sp.Permissions = to.Ptr(armcompute.GallerySharingPermissionTypesCommunity)
		sp.CommunityGalleryInfo.CommunityGalleryEnabled = to.Ptr(true)
		prefix := ""
		if sp.CommunityGalleryInfo.PublicNamePrefix != nil {
			prefix = *sp.CommunityGalleryInfo.PublicNamePrefix
		}
		sp.CommunityGalleryInfo.PublicNames = []*string{to.Ptr(prefix + "-" + e.st.SubscriptionID[:8])}
	default:
		return badParam("sharingUpdate.operationType", fmt.Sprintf("The value '%s' of parameter 'sharingUpdate.operationType' is invalid. Allowed values are 'Add', 'Remove', 'Reset', 'EnableCommunity'.", *body.OperationType))
	}
	result, _ := json.Marshal(armcompute.SharingUpdate{OperationType: body.OperationType, Groups: sp.Groups})
	op := e.newOperationLocked(c, *g.Gallery.Location, "share", *g.Gallery.ID, c.now.Add(e.cfg.OperationTime))
	op.Result = result
	e.setAsyncHeaders(c.w, op, true)
	writeJSON(c.w, http.StatusAccepted, json.RawMessage(result))
	return nil
}

func checkGroup(g *armcompute.SharingProfileGroup) *armError {
	if g == nil || g.Type == nil {
		return badParam("sharingUpdate.groups.type", "Required parameter 'sharingUpdate.groups.type' is missing (null).")
	}
	switch strings.ToLower(string(*g.Type)) {
	case "subscriptions":
		g.Type = to.Ptr(armcompute.SharingProfileGroupTypesSubscriptions)
	case "aadtenants":
		g.Type = to.Ptr(armcompute.SharingProfileGroupTypesAADTenants)
	default:
		return badParam("sharingUpdate.groups.type", fmt.Sprintf("The value '%s' of parameter 'sharingUpdate.groups.type' is invalid. Allowed values are 'Subscriptions', 'AADTenants'.", *g.Type))
	}
	return nil
}

func addGroup(groups []*armcompute.SharingProfileGroup, in *armcompute.SharingProfileGroup) []*armcompute.SharingProfileGroup {
	for _, g := range groups {
		if *g.Type == *in.Type {
			for _, id := range in.IDs {
				if !slices.ContainsFunc(g.IDs, func(x *string) bool { return strings.EqualFold(*x, *id) }) {
					g.IDs = append(g.IDs, id)
				}
			}
			return groups
		}
	}
	return append(groups, &armcompute.SharingProfileGroup{Type: in.Type, IDs: append([]*string(nil), in.IDs...)})
}

func removeGroup(groups []*armcompute.SharingProfileGroup, in *armcompute.SharingProfileGroup) []*armcompute.SharingProfileGroup {
	var out []*armcompute.SharingProfileGroup
	for _, g := range groups {
		if *g.Type == *in.Type {
			g.IDs = slices.DeleteFunc(g.IDs, func(x *string) bool {
				return slices.ContainsFunc(in.IDs, func(y *string) bool { return strings.EqualFold(*x, *y) })
			})
		}
		if len(g.IDs) > 0 {
			out = append(out, g)
		}
	}
	return out
}
