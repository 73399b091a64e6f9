package locks

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestLock_serialisesSameIDAcrossCase(t *testing.T) {
	var inside, maxInside int32
	var wg sync.WaitGroup
	ids := []string{"/subscriptions/S/vm/A", "/SUBSCRIPTIONS/s/VM/a"}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			unlock := Lock(id)
			defer unlock()
			n := atomic.AddInt32(&inside, 1)
			for {
				m := atomic.LoadInt32(&maxInside)
				if n <= m || atomic.CompareAndSwapInt32(&maxInside, m, n) {
					break
				}
			}
			atomic.AddInt32(&inside, -1)
		}(ids[i%2])
	}
	wg.Wait()
	if maxInside != 1 {
		t.Fatalf("%d holders at once; one ID differing only in case must share a lock", maxInside)
	}
}

func TestLock_overlappingSetsDoNotDeadlock(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(2)
		go func() { defer wg.Done(); Lock("a", "b", "c")() }()
		go func() { defer wg.Done(); Lock("c", "b", "a", "a")() }()
	}
	wg.Wait()
}
