package emulator

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
)

var appNameRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,117}$`)

func appKey(c *call) string { return "/" + strings.Join(c.low[:10], "/") }

// parentGalleryLocked returns the gallery of a nested request or ParentResourceNotFound.
func (e *Emulator) parentGalleryLocked(c *call, write bool) (*galleryRecord, *armError) {
	g := e.st.Galleries[galleryKey(c)]
	if g == nil || (write && g.deleting()) {
		return nil, parentNotFound(c, 8, write)
	}
	return g, nil
}

func parentNotFound(c *call, parentLen int, write bool) *armError {
	parentID := "/" + strings.Join(c.segs[:parentLen], "/")
	if write {
		names := []string{}
		for i := 7; i < parentLen; i += 2 {
			names = append(names, c.segs[i])
		}
		return newErr(404, "ParentResourceNotFound", fmt.Sprintf("Can not perform requested operation on nested resource. Parent resource '%s' not found.", strings.Join(names, "/")))
	}
	types := []string{}
	for i := 6; i < len(c.segs); i += 2 {
		types = append(types, c.segs[i])
	}
	return newErr(404, "ParentResourceNotFound", fmt.Sprintf("Failed to perform 'read' on resource(s) of type '%s', because the parent resource '%s' could not be found.", strings.Join(types, "/"), parentID))
}

func (e *Emulator) renderApp(a *appRecord) armcompute.GalleryApplication {
	return a.App
}

func (e *Emulator) listApplicationsLocked(c *call) *armError {
	if c.r.Method != http.MethodGet {
		return methodNotAllowed(c)
	}
	if _, err := e.parentGalleryLocked(c, false); err != nil {
		return err
	}
	key := galleryKey(c)
	var items []any
	for _, k := range sortedKeys(e.st.Applications) {
		if a := e.st.Applications[k]; a.Parent == key {
			items = append(items, e.renderApp(a))
		}
	}
	e.writePage(c, items)
	return nil
}

func (e *Emulator) appNotFound(c *call) *armError {
	return newErr(404, "ResourceNotFound", fmt.Sprintf("The Resource 'Microsoft.Compute/galleries/%s/applications/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", c.segs[7], c.segs[9], c.segs[3]))
}

func (e *Emulator) applicationLocked(c *call) *armError {
	key := appKey(c)
	a := e.st.Applications[key]
	switch c.r.Method {
	case http.MethodGet:
		if _, err := e.parentGalleryLocked(c, false); err != nil {
			return err
		}
		if a == nil {
			return e.appNotFound(c)
		}
		writeJSON(c.w, 200, e.renderApp(a))
		return nil
	case http.MethodPut:
		return e.putApplicationLocked(c, key, a)
	case http.MethodPatch:
		if a == nil {
			return e.appNotFound(c)
		}
		var body armcompute.GalleryApplicationUpdate
		if err := decodeBody(c, &body); err != nil {
			return err
		}
		if body.Tags != nil {
			a.App.Tags = body.Tags
		}
		if bp := body.Properties; bp != nil {
			if bp.SupportedOSType != nil && !strings.EqualFold(string(*bp.SupportedOSType), string(*a.App.Properties.SupportedOSType)) {
				return immutable("galleryApplication.properties.supportedOSType")
			}
			p := a.App.Properties
			if bp.Description != nil {
				p.Description = bp.Description
			}
			if bp.Eula != nil {
				p.Eula = bp.Eula
			}
			if bp.PrivacyStatementURI != nil {
				p.PrivacyStatementURI = bp.PrivacyStatementURI
			}
			if bp.ReleaseNoteURI != nil {
				p.ReleaseNoteURI = bp.ReleaseNoteURI
			}
			if bp.EndOfLifeDate != nil {
				p.EndOfLifeDate = bp.EndOfLifeDate
			}
			if bp.CustomActions != nil {
				p.CustomActions = bp.CustomActions
			}
		}
		writeJSON(c.w, 200, e.renderApp(a))
		return nil
	case http.MethodDelete:
		if a == nil {
			if _, err := e.parentGalleryLocked(c, false); err != nil {
				return err
			}
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
		if err := e.checkNoChildrenLocked(c, key); err != nil {
			return err
		}
		// Synchronous: 200, empty body, no operation headers (NOTES.md, "Application delete").
		delete(e.st.Applications, key)
		e.st.Tombstones[key] = tombstone{ID: *a.App.ID, Parent: a.Parent, At: c.now}
		c.w.Header().Set("Content-Length", "0")
		c.w.WriteHeader(http.StatusOK)
		return nil
	}
	return methodNotAllowed(c)
}

func immutable(target string) *armError {
	return &armError{status: 409, Code: "PropertyChangeNotAllowed", Target: target, Message: fmt.Sprintf("Changing property '%s' is not allowed.", target)}
}

func (e *Emulator) putApplicationLocked(c *call, key string, a *appRecord) *armError {
	name := c.segs[9]
	if !appNameRe.MatchString(name) || strings.HasSuffix(name, ".") {
		return badParam("galleryApplicationName", fmt.Sprintf("The gallery application name '%s' is invalid. Max length of 117 characters. Allowed characters are uppercase or lowercase letters, digits, hyphen(-), period (.), underscore (_). Names not allowed to end with period(.).", name))
	}
	g, err := e.parentGalleryLocked(c, true)
	if err != nil {
		return err
	}
	var body armcompute.GalleryApplication
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	loc, err := checkLocation(body.Location, "Microsoft.Compute/galleries/applications")
	if err != nil {
		return err
	}
	if body.Name != nil && !strings.EqualFold(*body.Name, name) {
		return badParam("galleryApplication.name", "Entity name doesn't match the name in the request URL.")
	}
	if body.Properties == nil || body.Properties.SupportedOSType == nil {
		return badParam("galleryApplication.properties.supportedOSType", "Required parameter 'galleryApplication.properties.supportedOSType' is missing (null).")
	}
	switch strings.ToLower(string(*body.Properties.SupportedOSType)) {
	case "windows":
		body.Properties.SupportedOSType = to.Ptr(armcompute.OperatingSystemTypesWindows)
	case "linux":
		body.Properties.SupportedOSType = to.Ptr(armcompute.OperatingSystemTypesLinux)
	default:
		return badParam("galleryApplication.properties.supportedOSType", fmt.Sprintf("The value '%s' of parameter 'galleryApplication.properties.supportedOSType' is invalid. Allowed values are 'Windows', 'Linux'.", *body.Properties.SupportedOSType))
	}
	if err := checkCustomActions(body.Properties.CustomActions, "galleryApplication.properties.customActions"); err != nil {
		return err
	}
	body.SystemData = nil
	if a == nil {
		id := *g.Gallery.ID + "/applications/" + name
		body.ID, body.Name, body.Type, body.Location = &id, to.Ptr(name), to.Ptr("Microsoft.Compute/galleries/applications"), &loc
		a = &appRecord{Parent: galleryKey(c), App: body}
		a.Created, a.ReadyAt = c.now, c.now
		e.st.Applications[key] = a
		writeJSON(c.w, 201, e.renderApp(a))
		return nil
	}
	if a.deleting() {
		return newErr(409, "OperationNotAllowed", fmt.Sprintf("Operation 'CreateOrUpdate' isn't allowed on application '%s' since it's marked for deletion.", name))
	}
	if *a.App.Location != loc {
		return immutable("galleryApplication.location")
	}
	if *a.App.Properties.SupportedOSType != *body.Properties.SupportedOSType {
		return immutable("galleryApplication.properties.supportedOSType")
	}
	body.ID, body.Name, body.Type, body.Location = a.App.ID, a.App.Name, a.App.Type, a.App.Location
	a.App = body
	writeJSON(c.w, 200, e.renderApp(a))
	return nil
}

func checkCustomActions(actions []*armcompute.GalleryApplicationCustomAction, target string) *armError {
	seen := map[string]bool{}
	for i, ca := range actions {
		t := fmt.Sprintf("%s[%d]", target, i)
		if ca == nil || ca.Name == nil || *ca.Name == "" {
			return badParam(t+".name", fmt.Sprintf("Required parameter '%s.name' is missing (null).", t))
		}
		if ca.Script == nil || *ca.Script == "" {
			return badParam(t+".script", fmt.Sprintf("Required parameter '%s.script' is missing (null).", t))
		}
		if seen[strings.ToLower(*ca.Name)] {
			return badParam(t+".name", fmt.Sprintf("Custom action name '%s' must be unique.", *ca.Name))
		}
		seen[strings.ToLower(*ca.Name)] = true
	}
	return nil
}
