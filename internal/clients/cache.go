package clients

import (
	"fmt"
	"strings"
	"sync"
)

// RunCache shares reads within one run (one plan, or one apply): concurrent and later reads of
// the same key make one request. Errors are not kept. Forget drops a key after the provider
// wrote to what it names, so a read after our own write sees the write.
type RunCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	val  any
	err  error
}

// NewRunCache returns an empty cache.
func NewRunCache() *RunCache { return &RunCache{entries: map[string]*cacheEntry{}} }

// Shared returns the value cached under key, or fetches it once for every concurrent caller.
// A nil cache always fetches.
func Shared[T any](c *RunCache, key string, fetch func() (T, error)) (T, error) {
	if c == nil {
		return fetch()
	}
	key = strings.ToLower(key)
	c.mu.Lock()
	e, ok := c.entries[key]
	if !ok {
		e = &cacheEntry{done: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.val, e.err = fetch()
		close(e.done)
		if e.err != nil {
			c.mu.Lock()
			if c.entries[key] == e {
				delete(c.entries, key)
			}
			c.mu.Unlock()
		}
	} else {
		c.mu.Unlock()
		<-e.done
	}
	if e.err != nil {
		var zero T
		return zero, e.err
	}
	v, ok := e.val.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("run cache: %s holds a %T, not a %T", key, e.val, zero)
	}
	return v, nil
}

// Forget drops the key and the keys under it as a path (key + "/…"), compared without case: a
// read of vm-1 is forgotten with it, one of vm-10 is not.
func (c *RunCache) Forget(key string) {
	if c == nil {
		return
	}
	key = strings.ToLower(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if k == key || strings.HasPrefix(k, key+"/") {
			delete(c.entries, k)
		}
	}
}
