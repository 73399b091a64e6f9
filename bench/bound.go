package main

import (
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// Latencies are the emulator's service-side durations the bounds are computed from.
type Latencies struct {
	Replication          time.Duration `json:"replication"`            // version create, first region
	ReplicationPerRegion time.Duration `json:"replication_per_region"` // each further region
	Operation            time.Duration `json:"operation"`              // gallery create/delete, VM write minimum
	Delete               time.Duration `json:"delete"`                 // version delete
	Install              time.Duration `json:"install"`                // VM application install
	DeleteLag            time.Duration `json:"delete_lag"`             // CannotDeleteResource lag after a child delete
	RetryAfter           time.Duration `json:"retry_after"`            // Retry-After of operations as the headers say it; ≤ 0: none
}

// LatenciesOf reads the latencies in force from an emulator configuration.
func LatenciesOf(c emulator.Config) Latencies {
	return Latencies{
		Replication:          c.ReplicationTime,
		ReplicationPerRegion: c.ReplicationTimePerRegion,
		Operation:            c.OperationTime,
		Delete:               c.DeleteTime,
		Install:              c.InstallTime,
		DeleteLag:            c.DeleteLag,
		RetryAfter:           emulator.AdvertisedRetryAfter(c.RetryAfter),
	}
}

// seen is when a client that honours Retry-After learns that an operation of duration d has
// ended: it polls at once, then every Retry-After, so at the first multiple of Retry-After at or
// after d. Without Retry-After an ideal client could poll at the very end.
func (l Latencies) seen(d time.Duration) time.Duration {
	if l.RetryAfter <= 0 || d <= 0 {
		return d
	}
	return times(int((d+l.RetryAfter-1)/l.RetryAfter), l.RetryAfter)
}

// waves is how many rounds n equal operations need with p of them in flight at once.
func waves(n, p int) int {
	if n <= 0 {
		return 0
	}
	p = max(p, 1)
	return (n + p - 1) / p
}

// times is n consecutive durations d.
func times(n int, d time.Duration) time.Duration { return d * time.Duration(n) }

// ApplyBound is the shortest time in which any client can create the estate from nothing, with
// at most p resource operations in flight (Terraform's -parallelism), along the dependency graph
//
//	gallery create → application create → version replication → one write per target (+ install)
//
// G = seen(Operation) for the gallery (an LRO); the application PUT is synchronous (0);
// R = seen(Replication) for each version (one target region); W = seen(max(Install, Operation))
// for each assignment: it waits for its target's write, whose operation ends when the install
// has (installs on one VM run side by side). Every assignment holds a Terraform slot for at
// least W and none can start before the first version is replicated; the last version wave
// ends at ceil(V/p)·R and its assignments still need W. So
//
//	bound = G + max(ceil(V/p)·R + W, R + ceil(A/p)·W)
//
// with V versions and A assignments. Terraform's own work (process start, plan, state) and the
// provider's (plan-time checks, polling, batching) are what the measured time adds.
func ApplyBound(e Estate, l Latencies, p int) time.Duration {
	g := l.seen(l.Operation)
	r := l.seen(l.Replication)
	w := l.seen(max(l.Install, l.Operation))
	v, a := e.Applications(), e.Assignments()
	return g + max(times(waves(v, p), r)+w, r+times(waves(a, p), w))
}

// DestroyBound is the shortest time in which any client can delete the estate with at most p
// operations in flight, along the reverse graph
//
//	one write per target (remove) → version delete → application delete → gallery delete
//
// Wr = seen(Operation) per assignment (its target's write; removing runs no install);
// D = seen(Delete) per version, whose last delete is seen done at
// L = max(ceil(A/p)·Wr + D, Wr + ceil(V/p)·D). The service refuses an application's delete until
// DeleteLag after its last version's delete ended (CannotDeleteResource), and that end is the
// service's (Delete), not when the client saw it: the application delete, which Terraform starts
// once it has seen the version gone, is accepted at L − D + max(D, Delete + DeleteLag). It is
// synchronous; the gallery's delete is accepted DeleteLag later and takes seen(Operation). So
//
//	bound = L − D + max(D, Delete + DeleteLag) + DeleteLag + seen(Operation)
func DestroyBound(e Estate, l Latencies, p int) time.Duration {
	wr := l.seen(l.Operation)
	d := l.seen(l.Delete)
	v, a := e.Applications(), e.Assignments()
	last := max(times(waves(a, p), wr)+d, wr+times(waves(v, p), d))
	return last - d + max(d, l.Delete+l.DeleteLag) + l.DeleteLag + l.seen(l.Operation)
}

// MinRequests is the fewest ARM requests a phase needs for the estate (G galleries = 1,
// V versions = K applications, T targets), as the design asks the provider to work:
//
//   - plan (no changes): one GET per Azure object it refreshes: the gallery, each application,
//     each version, each target (one read of a target serves all of its assignments):
//     1 + 2K + T.
//   - apply (from nothing): at plan, one gallery-name check and one read per target (the
//     applications-per-target and OS checks); at apply, one PUT each for the gallery, the
//     applications and the versions, and per target one read (read-modify-write with If-Match),
//     one write and one read of the instance view (install status); one status poll per
//     long-running operation (gallery, versions, target writes; the application PUT is
//     synchronous): (1 + T) + (1 + 2K) + 3T + (1 + K + T) = 3 + 3K + 5T.
//   - destroy: the refresh (1 + 2K + T); per target one read and one write; one DELETE each
//     for the versions, the applications and the gallery; one poll per long-running delete
//     (target writes, versions, gallery): (1 + 2K + T) + 2T + (1 + 2K) + (T + K + 1) = 3 + 5K + 4T.
func MinRequests(phase string, e Estate) int {
	k, t := e.Applications(), e.Targets
	switch phase {
	case PhasePlan:
		return 1 + 2*k + t
	case PhaseApply:
		return 3 + 3*k + 5*t
	case PhaseDestroy:
		return 3 + 5*k + 4*t
	}
	return 0
}

// Phases of one estate's run, in order.
const (
	PhaseApply   = "apply"
	PhasePlan    = "plan"
	PhaseDestroy = "destroy"
)

// Phases lists the phases in the order they run.
var Phases = []string{PhaseApply, PhasePlan, PhaseDestroy}
