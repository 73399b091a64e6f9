package assignment

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8/fake"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
)

// fakeVM serves one VM through the armcompute fakes: Get returns its application list and
// ETag; an update replaces the list (the first failNext updates answer 412 after another
// writer added application b).
type fakeVM struct {
	mu       sync.Mutex
	etag     int
	current  []*armcompute.VMGalleryApplication
	sent     []string // If-Match of each update
	writes   int
	failNext int
}

func (f *fakeVM) client(t *testing.T) *clients.Client {
	srv := fake.VirtualMachinesServer{
		Get: func(_ context.Context, _, name string, _ *armcompute.VirtualMachinesClientGetOptions) (resp azfake.Responder[armcompute.VirtualMachinesClientGetResponse], errResp azfake.ErrorResponder) {
			f.mu.Lock()
			defer f.mu.Unlock()
			resp.SetResponse(http.StatusOK, armcompute.VirtualMachinesClientGetResponse{VirtualMachine: armcompute.VirtualMachine{
				Name: to.Ptr(name), Location: to.Ptr("eastus2"), Etag: to.Ptr(`"` + strconv.Itoa(f.etag) + `"`),
				Properties: &armcompute.VirtualMachineProperties{ApplicationProfile: &armcompute.ApplicationProfile{GalleryApplications: f.current}},
			}}, nil)
			return
		},
		BeginUpdate: func(_ context.Context, _, _ string, body armcompute.VirtualMachineUpdate, opts *armcompute.VirtualMachinesClientBeginUpdateOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientUpdateResponse], errResp azfake.ErrorResponder) {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.sent = append(f.sent, *opts.IfMatch)
			if f.failNext > 0 {
				f.failNext--
				// Another writer got there first: it added application b.
				f.current = append(f.current, ref(appB, "1.0.0", nil))
				f.etag++
				errResp.SetResponseError(http.StatusPreconditionFailed, "PreconditionFailed")
				return
			}
			if body.Properties.StorageProfile != nil || body.Properties.OSProfile != nil {
				t.Error("the VM PATCH must carry only the application profile (extensions and the rest stay)")
			}
			f.writes++
			f.current = body.Properties.ApplicationProfile.GalleryApplications
			f.etag++
			resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientUpdateResponse{}, nil)
			return
		},
	}
	factory, err := armcompute.NewClientFactory("sub", &azfake.TokenCredential{}, &arm.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: fake.NewServerFactoryTransport(&fake.ServerFactory{VirtualMachinesServer: srv})}})
	if err != nil {
		t.Fatal(err)
	}
	return &clients.Client{Compute: factory, PollFrequency: time.Millisecond, Estate: estate.New(), Limits: clients.DefaultServiceLimits()}
}

func testBatcher(c *clients.Client) *batcher {
	b := newBatcher(targets{c}, c.Estate, c.Limits.MaxApplicationsPerVM)
	b.quiet, b.max = 50*time.Millisecond, 2*time.Second
	return b
}

func create(app string) *op {
	return &op{kind: opCreate, appID: app, entry: ref(app, "1.0.0", nil)}
}

// A write that loses the ETag race (412) reads the target again and re-applies the changes on
// top of what the other writer added, with the new ETag: no assignment is lost.
func TestBatchRetriesOnPreconditionFailed(t *testing.T) {
	vm := &fakeVM{etag: 1, current: []*armcompute.VMGalleryApplication{ref(appA, "1.0.0", nil)}, failNext: 1}
	b := testBatcher(vm.client(t))
	id, _ := ids.ParseTarget(vmID)
	if d := b.submit(context.Background(), id, create(apps+"c")); d.HasError() {
		t.Fatal(d)
	}
	if strings.Join(vm.sent, ",") != `"1","2"` {
		t.Fatalf("If-Match sent: %v, want the first ETag, then the re-read one", vm.sent)
	}
	if got := refIDs(vm.current); len(got) != 3 {
		t.Fatalf("the other writer's application was lost: %v", got)
	}
}

// Changes that reach a target together are written in one write that carries all of them.
func TestBatchGroupsConcurrentChanges(t *testing.T) {
	vm := &fakeVM{etag: 1, current: []*armcompute.VMGalleryApplication{ref(appA, "1.0.0", nil)}}
	b := testBatcher(vm.client(t))
	id, _ := ids.ParseTarget(vmID)
	var wg sync.WaitGroup
	errs := make([]diag.Diagnostics, 4)
	changes := []*op{create(apps + "c"), create(apps + "d"), create(apps + "e"), {kind: opRemove, appID: appA}}
	for i, o := range changes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.submit(context.Background(), id, o)
		}()
	}
	wg.Wait()
	for i, d := range errs {
		if d.HasError() {
			t.Fatalf("change %d: %v", i, d)
		}
	}
	if vm.writes != 1 {
		t.Fatalf("%d writes to the VM, want 1 carrying every change", vm.writes)
	}
	if got := strings.Join(refIDs(vm.current), " "); strings.Count(got, "/versions/") != 3 || strings.Contains(got, "applications/a/") {
		t.Fatalf("the VM has %v, want c, d and e", got)
	}
	if !b.siblings {
		t.Fatal("four changes to one target, and the run does not count them as siblings (see gatherAlign)")
	}
}

// One change that breaks a rule refuses the whole batch: nothing is written, every resource of
// the batch gets an error, the failing one its own.
func TestBatchIsAllOrNothing(t *testing.T) {
	vm := &fakeVM{etag: 1, current: []*armcompute.VMGalleryApplication{ref(appA, "1.0.0", nil)}}
	b := testBatcher(vm.client(t))
	id, _ := ids.ParseTarget(vmID)
	second := &op{kind: opCreate, appID: appA, entry: ref(appA, "2.0.0", nil)} // another version of a
	var wg sync.WaitGroup
	results := map[*op]diag.Diagnostics{}
	var mu sync.Mutex
	for _, o := range []*op{create(apps + "c"), second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := b.submit(context.Background(), id, o)
			mu.Lock()
			results[o] = d
			mu.Unlock()
		}()
	}
	wg.Wait()
	if vm.writes != 0 {
		t.Fatalf("%d writes, want none", vm.writes)
	}
	if d := results[second]; !d.HasError() || !strings.Contains(d[0].Summary(), "Another version of this application") {
		t.Fatalf("the failing change: %v", d)
	}
	for o, d := range results {
		if o != second && (!d.HasError() || !strings.Contains(d[0].Detail(), "Nothing of this apply was written")) {
			t.Fatalf("the other change: %v", d)
		}
	}
	// Over the limit of applications per VM: refused as a whole.
	b.limit = 2
	if d := b.submit(context.Background(), id, create(apps+"c")); d.HasError() {
		t.Fatalf("two applications are within the limit: %v", d)
	}
	d := b.submit(context.Background(), id, create(apps+"d"))
	if !d.HasError() || !strings.Contains(d[0].Detail(), "would have 3 applications") || vm.writes != 1 {
		t.Fatalf("the third application: %v (%d writes)", d, vm.writes)
	}
}

// A check of another assignment to the target that failed in this apply (for a value only
// known at apply) keeps the batch from being written.
func TestBatchRefusedAfterAFailedCheck(t *testing.T) {
	vm := &fakeVM{etag: 1}
	c := vm.client(t)
	b := testBatcher(c)
	id, _ := ids.ParseTarget(vmID)
	c.Estate.FailTarget(vmID, "Application OS type does not match the target")
	d := b.submit(context.Background(), id, create(apps+"c"))
	if !d.HasError() || !strings.Contains(d[0].Detail(), "Application OS type does not match the target") || vm.writes != 0 {
		t.Fatalf("got %v with %d writes", d, vm.writes)
	}
}

// A change whose context ends while it waits for its batch is dropped, and not written later.
func TestBatchDropsAbandonedChanges(t *testing.T) {
	vm := &fakeVM{etag: 1}
	b := testBatcher(vm.client(t))
	b.quiet = time.Second
	id, _ := ids.ParseTarget(vmID)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if d := b.submit(ctx, id, create(apps+"c")); !d.HasError() || !strings.Contains(d[0].Detail(), "Nothing was written for it") {
		t.Fatalf("got %v", d)
	}
	time.Sleep(1500 * time.Millisecond)
	if vm.writes != 0 {
		t.Fatalf("the abandoned change was written (%d writes)", vm.writes)
	}
}

// Once every change the run planned for the target has arrived, the batch is written without
// waiting for the quiet period: here an hour, so only the planned set can end the gathering
// (without it both changes time out unwritten).
func TestBatchWritesOnceEveryPlannedChangeArrived(t *testing.T) {
	vm := &fakeVM{etag: 1}
	c := vm.client(t)
	b := testBatcher(c)
	b.quiet, b.max, b.settle = time.Hour, time.Hour, 0
	id, _ := ids.ParseTarget(vmID)
	changes := []*op{create(apps + "c"), create(apps + "d")}
	for _, o := range changes {
		c.Estate.PlanAssignment(estate.Assignment{TargetID: vmID, ApplicationID: o.appID, VersionID: o.appID + "/versions/1.0.0"})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]diag.Diagnostics, len(changes))
	for i, o := range changes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.submit(ctx, id, o)
		}()
	}
	wg.Wait()
	for i, d := range errs {
		if d.HasError() {
			t.Fatalf("change %d: %v", i, d)
		}
	}
	if vm.writes != 1 || len(vm.current) != 2 {
		t.Fatalf("%d writes leaving %v, want one write carrying c and d", vm.writes, refIDs(vm.current))
	}
}

// The batch counts as complete only when every planned change arrived, and never while an
// assignment to the target has an application not known yet or the run planned nothing for it.
func TestBatchCompleteness(t *testing.T) {
	view := estate.New()
	b := newBatcher(targets{}, view, 5)
	id, _ := ids.ParseTarget(vmID)
	q := &targetQueue{id: id, arrived: map[string]bool{}}
	if b.complete(q) {
		t.Fatal("complete with nothing planned")
	}
	view.PlanAssignment(estate.Assignment{TargetID: vmID, ApplicationID: apps + "c", VersionID: apps + "c/versions/1.0.0"})
	view.PlanRemoval(vmID, appA)
	q.arrived[appKey(apps+"C")] = true
	if b.complete(q) {
		t.Fatal("complete while the removal of a has not arrived")
	}
	q.arrived[appKey(appA)] = true
	if !b.complete(q) {
		t.Fatal("not complete although every planned change arrived")
	}
	view.PlanAssignment(estate.Assignment{TargetID: vmID, Key: "unknown-1"})
	if b.complete(q) {
		t.Fatal("complete while an assignment's application is unknown")
	}
}

// Once the run has siblings (two changes for one target), a complete batch settles on the
// arrivals to other targets too (Terraform's slots free and refill as a wave), so a late sibling
// of the same wave joins its VM's write; but never longer than align from its start, however
// long the other arrivals go on. Without siblings it does not wait for them.
func TestBatchSettlesOnTheWaveOfArrivals(t *testing.T) {
	view := estate.New()
	b := newBatcher(targets{}, view, 5)
	b.settle, b.align = 30*time.Millisecond, 10*time.Second
	id, _ := ids.ParseTarget(vmID)
	view.PlanAssignment(estate.Assignment{TargetID: vmID, ApplicationID: apps + "c", VersionID: apps + "c/versions/1.0.0"})
	gather := func(others time.Duration) time.Duration {
		q := &targetQueue{id: id, arrived: map[string]bool{appKey(apps + "c"): true}, last: time.Now(), wake: make(chan struct{}, 1)}
		start := time.Now()
		done := make(chan struct{})
		go func() { // another VM's changes arrive every 10 ms
			for time.Since(start) < others {
				b.mu.Lock()
				b.lastArrival = time.Now()
				b.mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
			close(done)
		}()
		b.gather(q)
		took := time.Since(start)
		<-done
		return took
	}
	if took := gather(3 * time.Second); took > 2*time.Second {
		t.Errorf("without siblings the batch waited %v for other targets' arrivals", took)
	}
	b.siblings, b.align = true, 300*time.Millisecond
	if took := gather(150 * time.Millisecond); took < 150*time.Millisecond {
		t.Errorf("the batch was written after %v, while other targets' changes were still arriving (for 150 ms)", took)
	}
	if took := gather(3 * time.Second); took > 2*time.Second {
		t.Errorf("the batch waited %v for other targets' arrivals, want at most align (300 ms) and its settle", took)
	}
}
