package acctest

import (
	"context"
	"testing"
	"time"

	"github.com/azvmapps/terraform-provider-azvmapps/internal/emulator"
)

// FaultOnce injects a fault into the emulator until it has struck a request once, then turns
// faults off again; the test's end turns them off in any case. (A failed install is no request
// fault: it lasts until the test turns faults off.) It skips the test against real Azure.
func FaultOnce(t *testing.T, f emulator.Faults) {
	t.Helper()
	FaultUntil(t, f, func(r emulator.Request) bool { return r.Fault != "" })
}

// FaultUntil injects a fault into the emulator until a request matching done was logged (done
// sees the requests logged since, each maybe more than once). It skips the test against real
// Azure.
func FaultUntil(t *testing.T, f emulator.Faults, done func(emulator.Request) bool) {
	t.Helper()
	if emu == nil {
		t.Skip("fault injection needs the emulator")
	}
	since := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	emu.SetFaults(f)
	go func() {
		for ctx.Err() == nil {
			for _, r := range emu.Requests() {
				if !r.Time.Before(since) && done(r) {
					emu.SetFaults(emulator.Faults{})
					return
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	t.Cleanup(func() {
		cancel()
		emu.SetFaults(emulator.Faults{})
	})
}
