package clients

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunCacheSharesReads(t *testing.T) {
	c := NewRunCache()
	var fetches atomic.Int32
	fetch := func() (string, error) {
		if fetches.Add(1) > 2 {
			return "", errors.New("fetched more than twice")
		}
		time.Sleep(20 * time.Millisecond)
		return "vm", nil
	}
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := Shared(c, "/VM/x", fetch); v != "vm" || err != nil {
				t.Errorf("got %q, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if _, _ = Shared(c, "/vm/X", fetch); fetches.Load() != 1 {
		t.Fatalf("%d fetches, want 1 for concurrent and later reads of one key", fetches.Load())
	}
	if _, _ = Shared(c, "/vm/x1", fetch); fetches.Load() != 2 {
		t.Fatal("another key is fetched")
	}
	c.Forget("/vm/x")
	if _, _ = Shared(c, "/vm/x1", fetch); fetches.Load() != 2 {
		t.Fatal("forgetting /vm/x dropped the read of /vm/x1, another VM")
	}
	fetches.Store(0)
	if _, _ = Shared(c, "/vm/x", fetch); fetches.Load() != 1 {
		t.Fatal("a forgotten key is read again")
	}
}

func TestRunCacheKeepsNoErrors(t *testing.T) {
	c := NewRunCache()
	calls := 0
	fail := func() (int, error) { calls++; return 0, errors.New("503") }
	_, _ = Shared(c, "k", fail)
	if _, err := Shared(c, "k", fail); err == nil || calls != 2 {
		t.Fatalf("an error must not be cached: %v after %d calls", err, calls)
	}
	if _, err := Shared(c, "k", func() (string, error) { return "", nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := Shared(c, "k", func() (int, error) { return 1, nil }); err == nil {
		t.Fatal("a value of another type under the same key must be an error, not a panic")
	}
	var none *RunCache
	if v, err := Shared(none, "k", func() (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Fatal("a nil cache fetches")
	}
}
