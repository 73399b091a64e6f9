// Package locks serialises writes to the same Azure resource within one provider process.
package locks

import (
	"sort"
	"strings"
	"sync"
)

var (
	mu    sync.Mutex
	byKey = map[string]*sync.Mutex{}
)

func lockFor(key string) *sync.Mutex {
	mu.Lock()
	defer mu.Unlock()
	k := strings.ToLower(key)
	l, ok := byKey[k]
	if !ok {
		l = &sync.Mutex{}
		byKey[k] = l
	}
	return l
}

// Lock takes the mutexes of the given ARM IDs (case-insensitive) in sorted order, so two
// callers locking overlapping sets cannot deadlock, and returns the function that releases them.
func Lock(ids ...string) (unlock func()) {
	keys := make([]string, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		k := strings.ToLower(id)
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	held := make([]*sync.Mutex, 0, len(keys))
	for _, k := range keys {
		l := lockFor(k)
		l.Lock()
		held = append(held, l)
	}
	return func() {
		for i := len(held) - 1; i >= 0; i-- {
			held[i].Unlock()
		}
	}
}
