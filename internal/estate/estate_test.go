package estate_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
)

const (
	vm  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
	app = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/applications/"
)

// Planning the same assignment again (Terraform re-plans during apply) replaces its record.
func TestPlanAssignmentIsIdempotent(t *testing.T) {
	v := estate.New()
	a := estate.Assignment{TargetID: vm, ApplicationID: app + "a", VersionID: app + "a/versions/1.0.0"}
	v.PlanAssignment(a)
	a.TargetID, a.VersionID = "/SUBSCRIPTIONS/s/resourcegroups/RG/providers/Microsoft.Compute/virtualMachines/VM", app+"A/versions/1.0.0"
	got := v.PlanAssignment(a)
	if len(got.Adds) != 1 || len(got.Adds["/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/galleries/g/applications/a"]) != 1 {
		t.Fatalf("one assignment planned twice (IDs in another case): %+v", got.Adds)
	}
	// Another version of the same application is a second entry: two versions on one target.
	got = v.PlanAssignment(estate.Assignment{TargetID: vm, ApplicationID: app + "a", VersionID: app + "a/versions/2.0.0"})
	for _, as := range got.Adds {
		if len(as) != 2 {
			t.Fatalf("two versions: %+v", got.Adds)
		}
	}
}

// Of assignments planned at the same time, the last one to record sees all the others.
func TestPlanAssignmentSeesConcurrentPlans(t *testing.T) {
	v := estate.New()
	var wg sync.WaitGroup
	seen := make(chan int, 6)
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := app + string(rune('a'+i))
			seen <- len(v.PlanAssignment(estate.Assignment{TargetID: vm, ApplicationID: id, VersionID: id + "/versions/1.0.0"}).Adds)
		}()
	}
	wg.Wait()
	close(seen)
	most := 0
	for n := range seen {
		most = maxInt(most, n)
	}
	if most != 6 {
		t.Fatalf("the last planned assignment saw %d, want 6", most)
	}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func TestRemovalsUnknownsAndFailures(t *testing.T) {
	v := estate.New()
	v.PlanRemoval(vm, app+"x")
	v.PlanAssignment(estate.Assignment{TargetID: vm, Key: "k1"})
	v.PlanAssignment(estate.Assignment{TargetID: vm, Key: "k1"}) // the same unknown assignment again
	v.PlanAssignment(estate.Assignment{TargetID: vm, Key: "k2"})
	v.FailTarget(vm, "OS type")
	got := v.Target(vm)
	if !got.Removes[strings.ToLower(app+"x")] || got.Unknown != 2 || len(got.Failures) != 1 {
		t.Fatalf("got %+v", got)
	}
	if other := v.Target(vm + "2"); other.Unknown != 0 || len(other.Removes) != 0 || len(other.Failures) != 0 {
		t.Fatalf("another target: %+v", other)
	}
}

func TestPlannedObjects(t *testing.T) {
	v := estate.New()
	v.PlanApplication(estate.Application{ID: app + "a", OSType: "Linux"})
	v.PlanVersion(estate.Version{ID: app + "a/versions/1.0.0", Regions: []string{"eastus2"}, RegionsKnown: true})
	v.PlanVersionReplacement(app + "a/versions/0.9.0")
	if a, ok := v.Application(app + "A"); !ok || a.OSType != "Linux" {
		t.Fatalf("application: %+v %v", a, ok)
	}
	if ver, ok := v.Version(app + "a/versions/1.0.0/"); !ok || ver.Regions[0] != "eastus2" {
		t.Fatalf("version: %+v %v", ver, ok)
	}
	if !v.VersionReplaced(app+"a/versions/0.9.0") || v.VersionReplaced(app+"a/versions/1.0.0") {
		t.Fatal("replacement")
	}
	var nilView *estate.View // a provider that is not configured has no view
	if _, ok := nilView.Version(app); ok || nilView.VersionReplaced(app) || len(nilView.Target(vm).Adds) != 0 {
		t.Fatal("nil view")
	}
}

func TestSettle(t *testing.T) {
	v := estate.New()
	start := time.Now()
	go func() {
		for range 3 {
			time.Sleep(20 * time.Millisecond)
			v.PlanRemoval(vm, app+"x")
		}
	}()
	if !v.Settle(100*time.Millisecond, 2*time.Second) {
		t.Fatal("the view should go quiet")
	}
	if d := time.Since(start); d < 160*time.Millisecond {
		t.Fatalf("settled after %v, before the last change plus the quiet period", d)
	}
	v.PlanRemoval(vm, app+"x")
	go func() {
		for range 50 {
			time.Sleep(10 * time.Millisecond)
			v.PlanRemoval(vm, app+"x")
		}
	}()
	if v.Settle(100*time.Millisecond, 200*time.Millisecond) {
		t.Fatal("a view that keeps changing does not settle before max")
	}
}
