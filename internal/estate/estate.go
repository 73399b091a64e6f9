// Package estate is the provider's view of what one Terraform run plans. Each resource's
// ModifyPlan records its planned object here (an application's OS type, a version's target
// regions, each assignment's target and application), so that the checks of the resources
// planned after it see the whole planned estate and not only what Azure already has: Terraform
// plans a resource after the resources it references, so when an assignment is planned, the
// version and application it points to are already recorded.
//
// One View lives as long as one configured provider, that is one Terraform graph walk (a plan,
// or the apply that follows it). Records are keyed by ARM ID, so planning the same object again
// (Terraform re-plans every resource during apply) replaces its record instead of adding one.
//
// What it cannot see: objects planned by another Terraform workspace or configuration, or
// applied outside Terraform after this run read Azure; those are only seen once they exist in
// Azure, at the next plan or at apply.
package estate

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// Application is a planned application definition.
type Application struct {
	ID string
	// OSType is "Windows" or "Linux"; "" while unknown at plan time.
	OSType string
}

// Version is a planned application version.
type Version struct {
	ID            string
	ApplicationID string
	// Regions are the target regions as written; RegionsKnown is false while any is unknown.
	Regions      []string
	RegionsKnown bool
	// Install and Update are the version's scripts ("" when unknown or not set).
	Install, Update string
}

// Assignment is a planned assignment of a version to a VM or scale set.
type Assignment struct {
	TargetID      string
	ApplicationID string // "" while unknown at plan time
	VersionID     string // "" while unknown at plan time
	// Update is true when the assignment already exists and is changed (or kept) in place.
	Update bool
	// Order is the planned install order (nil: unordered, installed last).
	Order *int32
	// Key identifies an assignment whose application is not known yet (it has no ID at plan
	// time); ignored otherwise.
	Key string
}

// Target is what this run plans for one VM or scale set.
type Target struct {
	// Adds holds the planned assignments by lower-cased application ID, one entry per
	// planned version (two entries mean two versions of one application).
	Adds map[string][]Assignment
	// Removes holds the lower-cased application IDs whose assignments this run removes.
	Removes map[string]bool
	// Unknown counts the planned assignments whose application is not known yet.
	Unknown int
	// Failures are the checks that failed for assignments to this target in this run.
	Failures []string
}

// View is the planned estate of one run. The zero value is not usable: use New.
type View struct {
	mu       sync.Mutex
	changed  time.Time
	apps     map[string]Application
	versions map[string]Version
	replaced map[string]bool
	adds     map[string]map[string]map[string]Assignment // target → application → version → record
	removes  map[string]map[string]bool                  // target → application
	unknown  map[string]map[string]bool                  // target → key
	failures map[string][]string                         // target → failed checks
	active   map[string]time.Time                        // target → last record for it
}

// New returns an empty view.
func New() *View {
	return &View{
		apps:     map[string]Application{},
		versions: map[string]Version{},
		replaced: map[string]bool{},
		adds:     map[string]map[string]map[string]Assignment{},
		removes:  map[string]map[string]bool{},
		unknown:  map[string]map[string]bool{},
		failures: map[string][]string{},
		active:   map[string]time.Time{},
		changed:  time.Now(),
	}
}

func key(id string) string { return strings.ToLower(strings.TrimSuffix(id, "/")) }

// touch records that the view changed; the caller holds mu.
func (v *View) touch() { v.changed = time.Now() }

// touchTarget records that something was planned for a target; the caller holds mu.
func (v *View) touchTarget(t string) {
	v.touch()
	v.active[t] = v.changed
}

// PlanApplication records a planned application.
func (v *View) PlanApplication(a Application) {
	if v == nil || a.ID == "" {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.apps[key(a.ID)] = a
	v.touch()
}

// Application returns the planned application with this ID.
func (v *View) Application(id string) (Application, bool) {
	if v == nil {
		return Application{}, false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	a, ok := v.apps[key(id)]
	return a, ok
}

// PlanVersion records a planned application version (created, replaced or updated).
func (v *View) PlanVersion(ver Version) {
	if v == nil || ver.ID == "" {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	ver.Regions = append([]string(nil), ver.Regions...)
	v.versions[key(ver.ID)] = ver
	v.touch()
}

// Version returns the planned version with this ID.
func (v *View) Version(id string) (Version, bool) {
	if v == nil {
		return Version{}, false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	ver, ok := v.versions[key(id)]
	return ver, ok
}

// PlanVersionReplacement records that this run replaces (destroys and creates again) the
// version that has this ID in the state.
func (v *View) PlanVersionReplacement(id string) {
	if v == nil || id == "" {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.replaced[key(id)] = true
	v.touch()
}

// VersionReplaced reports whether this run replaces the version with this ID.
func (v *View) VersionReplaced(id string) bool {
	if v == nil {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.replaced[key(id)]
}

// PlanAssignment records a planned assignment and returns what the run now plans for its
// target, this assignment included. Recording and reading happen in one step, so that of
// several assignments planned at the same time the last one sees all the others.
func (v *View) PlanAssignment(a Assignment) Target {
	if v == nil {
		return Target{}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	t := key(a.TargetID)
	if a.ApplicationID == "" || a.VersionID == "" {
		if v.unknown[t] == nil {
			v.unknown[t] = map[string]bool{}
		}
		v.unknown[t][a.Key] = true
	} else {
		app := key(a.ApplicationID)
		if v.adds[t] == nil {
			v.adds[t] = map[string]map[string]Assignment{}
		}
		if v.adds[t][app] == nil {
			v.adds[t][app] = map[string]Assignment{}
		}
		v.adds[t][app][key(a.VersionID)] = a
	}
	v.touchTarget(t)
	return v.target(t)
}

// PlanRemoval records that this run removes the application's assignment from the target
// (the assignment is destroyed, or replaced by one to another target or application).
func (v *View) PlanRemoval(targetID, applicationID string) {
	if v == nil || targetID == "" || applicationID == "" {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	t := key(targetID)
	if v.removes[t] == nil {
		v.removes[t] = map[string]bool{}
	}
	v.removes[t][key(applicationID)] = true
	v.touchTarget(t)
}

// FailTarget records that a check of an assignment to the target failed in this run, so
// that nothing of this run is written to the target (all or nothing per target).
func (v *View) FailTarget(targetID, failure string) {
	if v == nil || targetID == "" {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	t := key(targetID)
	v.failures[t] = append(v.failures[t], failure)
	v.touchTarget(t)
}

// LastActivity returns when something was last recorded for the target (zero if never).
func (v *View) LastActivity(targetID string) time.Time {
	if v == nil {
		return time.Time{}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.active[key(targetID)]
}

// Target returns what the run plans for a target.
func (v *View) Target(targetID string) Target {
	if v == nil {
		return Target{}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.target(key(targetID))
}

func (v *View) target(t string) Target {
	out := Target{Adds: map[string][]Assignment{}, Removes: map[string]bool{}, Unknown: len(v.unknown[t]),
		Failures: append([]string(nil), v.failures[t]...)}
	for app, byVersion := range v.adds[t] {
		versions := make([]string, 0, len(byVersion))
		for ver := range byVersion {
			versions = append(versions, ver)
		}
		sort.Strings(versions)
		for _, ver := range versions {
			out.Adds[app] = append(out.Adds[app], byVersion[ver])
		}
	}
	for app := range v.removes[t] {
		out.Removes[app] = true
	}
	return out
}

// Settle waits until nothing has been recorded for quiet, or until longest has passed, and
// reports whether the view went quiet. Terraform plans unrelated resources concurrently, so
// a check about to fail because of what Azure has waits for the rest of the plan (an
// assignment being removed, for example) before it decides.
func (v *View) Settle(quiet, longest time.Duration) bool {
	if v == nil {
		return true
	}
	deadline := time.Now().Add(longest)
	for {
		v.mu.Lock()
		since := time.Since(v.changed)
		v.mu.Unlock()
		if since >= quiet {
			return true
		}
		if time.Now().Add(quiet - since).After(deadline) {
			return false
		}
		time.Sleep(quiet - since)
	}
}
