// Package ids parses and formats the ARM IDs of everything the provider handles: galleries,
// VM applications and their versions, the VMs and VM scale sets applications are assigned to,
// and the import ID of an assignment. Each ID carries its subscription, so that a resource is
// read and written in the subscription its ID names (a central gallery in a platform
// subscription, VMs in workload subscriptions), not in the provider's.
//
// Parsing follows ARM: segment keywords ("resourceGroups", "Microsoft.Compute", "galleries")
// match in any letter case, names keep the case they were written in, a trailing slash is
// ignored. String formats the canonical spelling of the keywords. A parse error quotes the ID
// and shows the expected format.
package ids

import (
	"fmt"
	"strings"
)

// ID is what every typed ID offers: its canonical spelling and the subscription it lives in
// (which picks the client it is read and written with).
type ID interface {
	String() string
	Subscription() string
}

// The expected formats, as the parse errors show them.
const (
	GalleryFormat     = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/galleries/{galleryName}"
	ApplicationFormat = GalleryFormat + "/applications/{applicationName}"
	VersionFormat     = ApplicationFormat + "/versions/{versionName}"
	VMFormat          = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}"
	ScaleSetFormat    = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachineScaleSets/{scaleSetName}"
	TargetFormat      = VMFormat + " or .../virtualMachineScaleSets/{scaleSetName}"
	AssignmentFormat  = "<target_id>|<application_id>, e.g. " + VMFormat + "|" + ApplicationFormat
)

const provider = "Microsoft.Compute"

// Gallery is the ID of an Azure Compute Gallery.
type Gallery struct {
	SubscriptionID, ResourceGroup, Name string
}

// NewGallery builds a gallery ID.
func NewGallery(subscriptionID, resourceGroup, name string) Gallery {
	return Gallery{SubscriptionID: subscriptionID, ResourceGroup: resourceGroup, Name: name}
}

// ParseGallery parses a gallery ID.
func ParseGallery(id string) (Gallery, error) {
	p, ok := parse(id, "galleries")
	if !ok {
		return Gallery{}, fmt.Errorf("%q is not a gallery ID; expected %s", id, GalleryFormat)
	}
	return Gallery{SubscriptionID: p.sub, ResourceGroup: p.rg, Name: p.names[0]}, nil
}

func (g Gallery) String() string {
	return format(g.SubscriptionID, g.ResourceGroup, "galleries", g.Name)
}

// Subscription returns the subscription the gallery lives in.
func (g Gallery) Subscription() string { return g.SubscriptionID }

// Application returns the ID of the gallery's application named name.
func (g Gallery) Application(name string) Application {
	return Application{SubscriptionID: g.SubscriptionID, ResourceGroup: g.ResourceGroup, Gallery: g.Name, Name: name}
}

// Application is the ID of a VM application definition in a gallery.
type Application struct {
	SubscriptionID, ResourceGroup, Gallery, Name string
}

// ParseApplication parses a VM application ID.
func ParseApplication(id string) (Application, error) {
	p, ok := parse(id, "galleries", "applications")
	if !ok {
		return Application{}, fmt.Errorf("%q is not a VM application ID; expected %s", id, ApplicationFormat)
	}
	return Application{SubscriptionID: p.sub, ResourceGroup: p.rg, Gallery: p.names[0], Name: p.names[1]}, nil
}

func (a Application) String() string {
	return a.Parent().String() + "/applications/" + a.Name
}

// Subscription returns the subscription the application lives in (its gallery's).
func (a Application) Subscription() string { return a.SubscriptionID }

// Parent returns the ID of the application's gallery.
func (a Application) Parent() Gallery {
	return Gallery{SubscriptionID: a.SubscriptionID, ResourceGroup: a.ResourceGroup, Name: a.Gallery}
}

// Version returns the ID of the application's version named name.
func (a Application) Version(name string) Version {
	return Version{SubscriptionID: a.SubscriptionID, ResourceGroup: a.ResourceGroup, Gallery: a.Gallery, Application: a.Name, Name: name}
}

// Version is the ID of a VM application version.
type Version struct {
	SubscriptionID, ResourceGroup, Gallery, Application, Name string
}

// ParseVersion parses a VM application version ID.
func ParseVersion(id string) (Version, error) {
	p, ok := parse(id, "galleries", "applications", "versions")
	if !ok {
		return Version{}, fmt.Errorf("%q is not an application version ID; expected %s", id, VersionFormat)
	}
	return Version{SubscriptionID: p.sub, ResourceGroup: p.rg, Gallery: p.names[0], Application: p.names[1], Name: p.names[2]}, nil
}

func (v Version) String() string {
	return v.Parent().String() + "/versions/" + v.Name
}

// Subscription returns the subscription the version lives in (its gallery's).
func (v Version) Subscription() string { return v.SubscriptionID }

// Parent returns the ID of the version's application.
func (v Version) Parent() Application {
	return Application{SubscriptionID: v.SubscriptionID, ResourceGroup: v.ResourceGroup, Gallery: v.Gallery, Name: v.Application}
}

// TargetKind tells a virtual machine from a VM scale set. Whether a scale set is orchestrated
// Uniform or Flexible is a property of the scale set, not of its ID.
type TargetKind int

// The kinds of target an application is assigned to.
const (
	VM TargetKind = iota
	ScaleSet
)

func (k TargetKind) resourceType() string {
	if k == ScaleSet {
		return "virtualMachineScaleSets"
	}
	return "virtualMachines"
}

// Target is the ID of what an application is assigned to: a VM or a VM scale set.
type Target struct {
	Kind                                TargetKind
	SubscriptionID, ResourceGroup, Name string
}

// ParseTarget parses the ID of a virtual machine or a VM scale set.
func ParseTarget(id string) (Target, error) {
	for _, k := range []TargetKind{VM, ScaleSet} {
		if p, ok := parse(id, k.resourceType()); ok {
			return Target{Kind: k, SubscriptionID: p.sub, ResourceGroup: p.rg, Name: p.names[0]}, nil
		}
	}
	return Target{}, fmt.Errorf("%q is not the ID of a virtual machine or a VM scale set; expected %s", id, TargetFormat)
}

func (t Target) String() string {
	return format(t.SubscriptionID, t.ResourceGroup, t.Kind.resourceType(), t.Name)
}

// Subscription returns the subscription the target lives in.
func (t Target) Subscription() string { return t.SubscriptionID }

// IsScaleSet reports whether the target is a VM scale set.
func (t Target) IsScaleSet() bool { return t.Kind == ScaleSet }

// Assignment is the ID of an application assigned to a target: one application per target,
// so the pair identifies it. It is the import ID of an assignment.
type Assignment struct {
	Target      Target
	Application Application
}

// ParseAssignment parses an assignment ID, <target_id>|<application_id>.
func ParseAssignment(id string) (Assignment, error) {
	parts := strings.Split(id, "|")
	if len(parts) != 2 {
		return Assignment{}, fmt.Errorf("%q is not an assignment ID; expected %s", id, AssignmentFormat)
	}
	t, err := ParseTarget(parts[0])
	if err != nil {
		return Assignment{}, fmt.Errorf("the target part of %q: %w (the ID format is %s)", id, err, AssignmentFormat)
	}
	a, err := ParseApplication(parts[1])
	if err != nil {
		return Assignment{}, fmt.Errorf("the application part of %q: %w (the ID format is %s)", id, err, AssignmentFormat)
	}
	return Assignment{Target: t, Application: a}, nil
}

func (a Assignment) String() string { return a.Target.String() + "|" + a.Application.String() }

// Subscription returns the target's subscription, where the assignment is written.
func (a Assignment) Subscription() string { return a.Target.SubscriptionID }

// parsed holds the parts of an ID: subscription, resource group and the names of the
// Microsoft.Compute resource types, outermost first.
type parsed struct {
	sub, rg string
	names   []string
}

// parse splits id as
// /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/{types[0]}/{name}/{types[1]}/{name}...
// and reports whether it has exactly that shape, with no part empty.
func parse(id string, types ...string) (parsed, bool) {
	segs := strings.Split(strings.TrimSuffix(id, "/"), "/")
	if len(segs) != 7+2*len(types) || segs[0] != "" {
		return parsed{}, false
	}
	segs = segs[1:]
	if !strings.EqualFold(segs[0], "subscriptions") || !strings.EqualFold(segs[2], "resourceGroups") ||
		!strings.EqualFold(segs[4], "providers") || !strings.EqualFold(segs[5], provider) {
		return parsed{}, false
	}
	p := parsed{sub: segs[1], rg: segs[3]}
	for i, t := range types {
		if !strings.EqualFold(segs[6+2*i], t) {
			return parsed{}, false
		}
		p.names = append(p.names, segs[7+2*i])
	}
	for _, v := range append([]string{p.sub, p.rg}, p.names...) {
		if v == "" {
			return parsed{}, false
		}
	}
	return p, true
}

func format(sub, rg, resourceType, name string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + provider + "/" + resourceType + "/" + name
}
