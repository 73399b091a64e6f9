package assignment

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v8"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/azure"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/clients"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/estate"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/ids"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/locks"
	"github.com/azvmapps/terraform-provider-azvmapps/internal/wait"
)

// maxWriteAttempts bounds the read-modify-write retries on 412 PreconditionFailed (another
// writer changed the target between our read and our write).
const maxWriteAttempts = 5

// How long a target's batch collects changes before it is written. Terraform starts the
// assignments of one apply as their dependencies complete, usually within milliseconds of each
// other, but it does not say how many will come. Once every change this run planned for the
// target (the estate view) has arrived, the batch is written when nothing new has arrived for
// gatherSettle; otherwise (changes planned but not arrived, or a change the view does not know)
// it waits until nothing new has arrived for gatherQuiet, and never longer than gatherMax.
//
// gatherSettle is paid by every write while it holds one of Terraform's -parallelism slots, so
// it is kept short: measured with make bench, the five assignments of one VM arrive within
// 15–20 ms of each other (consecutive arrivals ≤ 6 ms apart), and each arrival restarts it.
//
// Once the run has seen two changes for one target (siblings: several applications per VM),
// within gatherAlign of its start a complete batch also settles on arrivals to other targets.
// Terraform starts an assignment only when one of its slots frees, and a slot frees when an
// earlier write is done; its order is arbitrary, so a VM's next assignment often comes among
// the arrivals that other VMs' completions set off, a few tens of ms after its own VM's write
// went out, and then holds a slot for that whole write and its own. Settling on the whole wave
// of arrivals takes such late siblings into the same write, and writes that start together end
// together, so the next wave's arrivals come close together as well (measured with make bench:
// a wave's arrivals spread over 17, 44, 107 and 130 ms in four waves without it). With one
// change per target there is no sibling to wait for, and the wave would only cost time.
const (
	gatherSettle = 50 * time.Millisecond
	gatherAlign  = 250 * time.Millisecond
	gatherQuiet  = 750 * time.Millisecond
	gatherMax    = 10 * time.Second
)

// opKind says what a change does to the target's application list.
type opKind int

const (
	opCreate opKind = iota // add a new assignment's entry
	opUpdate               // replace this resource's own entry
	opRemove               // take the application off the target
)

// op is one resource's change to a target's application list.
type op struct {
	ctx   context.Context
	kind  opKind
	appID string
	entry *armcompute.VMGalleryApplication // nil for opRemove
	done  chan diag.Diagnostics
	// attempted is set once a write carrying this change was sent: from then on, a failure
	// does not prove that the change did not land.
	attempted atomic.Bool

	// rollout is what the assignment asks for a scale set's instances (see mergeRollouts).
	rollout rollout
}

// batcher merges the changes that the assignments of one apply make to the same VM or scale
// set into one read-modify-write of its application profile (group commit): a change waits
// briefly for the others of the same apply, the batch is checked as a whole (all or nothing:
// when one change breaks a rule, nothing of the batch is written) and written once with
// If-Match; what arrives while a write is in flight goes into the next write.
type batcher struct {
	s            targets
	view         *estate.View
	limit        int64
	quiet, max   time.Duration
	settle       time.Duration
	align        time.Duration
	mu           sync.Mutex
	queues       map[string]*targetQueue
	lastArrival  time.Time // when a change last arrived, for any target
	siblings     bool      // some target has had two changes in this run
	afterGather  func()    // tests
	writeTargetF func(ctx context.Context, t *target, apps []*armcompute.VMGalleryApplication) error
}

// targetQueue holds the changes waiting for one target.
type targetQueue struct {
	id      ids.Target
	pending []*op
	last    time.Time // when the last change arrived
	busy    bool
	// arrived holds the (lower-cased) application IDs of every change submitted to the target
	// in this run, written or not: what the batch compares with what the run planned.
	arrived map[string]bool
	wake    chan struct{} // a change arrived while the batch gathers
}

// batchers holds one batcher per configured provider (one apply).
var (
	batchersMu sync.Mutex
	batchers   = map[*clients.Client]*batcher{}
)

// batcherFor returns the batcher of a configured provider.
func batcherFor(c *clients.Client) *batcher {
	batchersMu.Lock()
	defer batchersMu.Unlock()
	b := batchers[c]
	if b == nil {
		b = newBatcher(targets{c}, c.Estate, c.Limits.MaxApplicationsPerVM)
		batchers[c] = b
	}
	return b
}

func newBatcher(s targets, view *estate.View, limit int64) *batcher {
	b := &batcher{s: s, view: view, limit: limit, quiet: gatherQuiet, settle: gatherSettle, align: gatherAlign, max: gatherMax, queues: map[string]*targetQueue{}}
	b.writeTargetF = s.write
	return b
}

// submit queues a change to the target and waits until it is written, refused or abandoned
// (the context ended before the change was taken into a write).
func (b *batcher) submit(ctx context.Context, id ids.Target, o *op) diag.Diagnostics {
	o.ctx, o.done = ctx, make(chan diag.Diagnostics, 1)
	key := strings.ToLower(id.String())
	b.mu.Lock()
	q := b.queues[key]
	if q == nil {
		q = &targetQueue{id: id, arrived: map[string]bool{}, wake: make(chan struct{}, 1)}
		b.queues[key] = q
	}
	q.pending = append(q.pending, o)
	q.arrived[appKey(o.appID)] = true
	q.last = time.Now()
	b.lastArrival = q.last
	b.siblings = b.siblings || len(q.arrived) > 1
	select {
	case q.wake <- struct{}{}:
	default:
	}
	if !q.busy {
		q.busy = true
		go b.run(q)
	}
	b.mu.Unlock()

	select {
	case d := <-o.done:
		return d
	case <-ctx.Done():
	}
	b.mu.Lock()
	for i, p := range q.pending {
		if p == o {
			q.pending = append(q.pending[:i], q.pending[i+1:]...)
			b.mu.Unlock()
			var diags diag.Diagnostics
			diags.AddError("Timed out waiting to write to the target",
				fmt.Sprintf("The change to %s was not written before the timeout: %v. Nothing was written for it; apply again.", id, ctx.Err()))
			return diags
		}
	}
	b.mu.Unlock()
	// Already part of a write: its outcome decides what happened (the write gives up once
	// every change in it has timed out).
	return <-o.done
}

// run writes the target's batches until nothing is pending.
func (b *batcher) run(q *targetQueue) {
	for {
		b.gather(q)
		b.mu.Lock()
		ops := q.pending
		q.pending = nil
		if len(ops) == 0 {
			q.busy = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.write(q.id, ops)
	}
}

// gather waits until the batch is complete and settled, or quiet, or max has passed (see
// gatherSettle). Activity is a change arriving, or an assignment of this run being planned for
// the target; when the run has siblings, within align of the start, a change arriving for any
// target.
func (b *batcher) gather(q *targetQueue) {
	start := time.Now()
	for {
		b.mu.Lock()
		last, complete, anyLast, siblings := q.last, b.complete(q), b.lastArrival, b.siblings
		b.mu.Unlock()
		if a := b.view.LastActivity(q.id.String()); a.After(last) {
			last = a
		}
		quiet := b.quiet
		if complete {
			quiet = b.settle
			if siblings && anyLast.After(last) && anyLast.Sub(start) < b.align {
				last = anyLast
			}
		}
		wait := min(quiet-time.Since(last), b.max-time.Since(start))
		if wait <= 0 {
			break
		}
		timer := time.NewTimer(wait)
		select {
		case <-q.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
	if b.afterGather != nil {
		b.afterGather()
	}
}

// complete reports whether every change the run planned for the target (the estate view) has
// arrived; the caller holds b.mu. A planned assignment whose application is not known yet, or
// a target the run planned nothing for, is never complete.
func (b *batcher) complete(q *targetQueue) bool {
	t := b.view.Target(q.id.String())
	if t.Unknown > 0 || len(t.Adds)+len(t.Removes) == 0 {
		return false
	}
	for app := range t.Adds {
		if !q.arrived[app] {
			return false
		}
	}
	for app := range t.Removes {
		if !q.arrived[app] {
			return false
		}
	}
	return true
}

// appKey is how the estate view keys an application ID.
func appKey(id string) string { return strings.ToLower(strings.TrimSuffix(id, "/")) }

// write checks the batch against the freshly read target and writes it, retrying on 412.
func (b *batcher) write(id ids.Target, ops []*op) {
	ctx, cancel := mergedContext(ops)
	defer cancel()
	defer locks.Lock(id.String())()
	for attempt := 1; ; attempt++ {
		t, err := b.s.get(ctx, id)
		if err != nil {
			var diags diag.Diagnostics
			diags.AddError("Error reading the assignment target", azure.Describe("reading", id.String(), err))
			deliver(ops, diags)
			return
		}
		// After a write that may have landed (its response lost, then 412 on the retry), an
		// entry that is already there as planned is this batch's own, not someone else's.
		apps, failed := checkBatch(t, ops, b.view.Target(id.String()).Failures, b.limit, attempt > 1)
		if failed != nil {
			for _, o := range ops {
				o.done <- failed[o]
			}
			return
		}
		if sameApps(apps, t.apps()) {
			deliver(ops, nil)
			return
		}
		tflog.Info(ctx, "writing the application profile of the target", map[string]any{"target": id.String(), "changes": len(ops), "applications": len(apps)})
		for _, o := range ops {
			o.attempted.Store(true)
		}
		err = b.writeTargetF(withRollout(ctx, ops), t, apps)
		b.s.forget(id) // whatever happened, what was read before is stale
		if err == nil {
			deliver(ops, nil)
			return
		}
		// 412: another writer changed the target since our read. OperationPreempted: the service
		// applied the write, then cancelled its operation for another one. Either way read the
		// target again: entries already there as planned count as written (retrying).
		if (azure.IsStatus(err, http.StatusPreconditionFailed) || azure.ErrorCode(err) == "OperationPreempted") && attempt < maxWriteAttempts {
			tflog.Info(ctx, "target changed or the write was preempted, reading it again", map[string]any{"target": id.String(), "attempt": attempt})
			if !wait.Sleep(ctx, wait.Default.Jittered(attempt)) {
				deliver(ops, diag.Diagnostics{diag.NewErrorDiagnostic("Error updating the applications of the target",
					azure.Describe("updating the applications of", id.String(), err))})
				return
			}
			continue
		}
		detail := azure.Describe("updating the applications of", id.String(), err)
		if azure.IsStatus(err, http.StatusPreconditionFailed) {
			detail += fmt.Sprintf("\n\nThe target kept changing while the provider wrote to it (%d attempts). Apply again.", maxWriteAttempts)
		}
		var diags diag.Diagnostics
		diags.AddError("Error updating the applications of the target", detail)
		deliver(ops, diags)
		return
	}
}

// checkBatch applies the batch's changes to the target's list and checks the result: each new
// assignment against what the target has, the limit of applications per VM, and the checks of
// this apply's other assignments to the target that failed before reaching the batch. It
// returns the new list, or for every change the diagnostics that refuse the whole batch.
func checkBatch(t *target, ops []*op, failures []string, limit int64, retrying bool) ([]*armcompute.VMGalleryApplication, map[*op]diag.Diagnostics) {
	apps := t.apps()
	own := map[*op]diag.Diagnostics{}
	var problems []string
	for _, o := range ops {
		switch o.kind {
		case opRemove:
			apps = withoutApp(apps, o.appID)
			continue
		case opCreate:
			i := findApp(apps, o.appID)
			if i >= 0 && retrying && sameEntry(apps[i], o.entry) {
				continue // our own earlier write landed: nothing left to write for it
			}
			if i >= 0 {
				if d := checkExistingEntry(apps[i], t, o.appID, deref(o.entry.PackageReferenceID), modeCreate); d.HasError() {
					own[o] = d
					problems = append(problems, fmt.Sprintf("%s: %s", nameOf(o.appID), d.Errors()[0].Summary()))
					continue
				}
			}
		}
		apps = withApp(apps, o.entry)
	}
	if n := int64(len(apps)); n > limit {
		kept, added := batchApps(t, ops)
		var d diag.Diagnostics
		d.AddError("Too many applications on the target", tooManyDetail(t, kept, added, 0, n, limit)+" Nothing was written to the target.")
		problems = append(problems, "too many applications")
		for _, o := range ops {
			if o.kind != opRemove && !own[o].HasError() {
				own[o] = d
			}
		}
	}
	if len(problems) == 0 && len(failures) == 0 {
		return apps, nil
	}
	reasons := strings.Join(append(append([]string(nil), failures...), problems...), "; ")
	out := map[*op]diag.Diagnostics{}
	for _, o := range ops {
		if own[o].HasError() {
			out[o] = own[o]
			continue
		}
		var d diag.Diagnostics
		d.AddError("Change to the target not written",
			fmt.Sprintf("Nothing of this apply was written to %s, so that its configuration is not left partly installed: "+
				"another assignment to the same target failed (%s). Fix that assignment and apply again.", t.id, reasons))
		out[o] = d
	}
	return nil, out
}

// batchApps names the applications the target keeps and those the batch adds.
func batchApps(t *target, ops []*op) (kept, added []string) {
	changed := map[string]bool{}
	for _, o := range ops {
		changed[strings.ToLower(o.appID)] = true
		if o.kind == opCreate {
			added = append(added, nameOf(o.appID))
		}
	}
	for _, a := range t.apps() {
		if id := refApplicationID(a); !changed[strings.ToLower(id)] {
			kept = append(kept, nameOf(orDefault(id, deref(a.PackageReferenceID))))
		}
	}
	return kept, added
}

// sameEntry reports whether a profile entry is the one a change writes.
func sameEntry(a, b *armcompute.VMGalleryApplication) bool {
	return strings.EqualFold(deref(a.PackageReferenceID), deref(b.PackageReferenceID)) &&
		effectiveOrder(a.Order) == effectiveOrder(b.Order) && deref(a.ConfigurationReference) == deref(b.ConfigurationReference) &&
		deref(a.Tags) == deref(b.Tags)
}

// sameApps reports whether two application lists would write the same profile.
func sameApps(a, b []*armcompute.VMGalleryApplication) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// deliver gives every change of a batch the same outcome.
func deliver(ops []*op, d diag.Diagnostics) {
	for _, o := range ops {
		o.done <- d
	}
}

// mergedContext is the context of a batch's write: it carries the first change's values (the
// provider's logger) and ends when every change's context has ended.
func mergedContext(ops []*op) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ops[0].ctx))
	go func() {
		for _, o := range ops {
			select {
			case <-o.ctx.Done():
			case <-ctx.Done():
				return
			}
		}
		cancel()
	}()
	return ctx, cancel
}
