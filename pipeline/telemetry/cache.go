package telemetry

import (
	"sync"
	"sync/atomic"
)

// MaxAttributeValues is how many distinct values one attribute (a topic, an
// output, an entity type, a rule id, …) may take per instrument. Values past
// it are counted under OverflowValue, so a misconfiguration (thousands of
// topics, a generated rule pack) cannot blow up the series count.
const MaxAttributeValues = 256

// OverflowValue is the attribute value that stands for every value past
// MaxAttributeValues.
const OverflowValue = "_other"

// cache maps attribute values to pre-built per-value state (attribute sets
// and counters). Reads are lock-free and allocation-free: the map is
// replaced whole, under a mutex, when a value is added, which happens a
// bounded number of times. (A sync.Map would box every string key into an
// interface on each lookup, which allocates.)
type cache[K comparable, V any] struct {
	snap  atomic.Pointer[cacheSnap[K, V]]
	mu    sync.Mutex
	limit int
	// build makes the value for k; overflow is true for the value that
	// stands for every key past the limit.
	build func(k K, overflow bool) V
	// own returns a copy of k that shares no memory with the caller's (keys
	// may alias buffers that are reused).
	own     func(K) K
	regular int // values built for keys, at most limit
	over    V
	hasO    bool
}

type cacheSnap[K comparable, V any] struct {
	m    map[K]V
	list []V // distinct values, in creation order
}

func newCache[K comparable, V any](limit int, own func(K) K, build func(K, bool) V) *cache[K, V] {
	c := &cache[K, V]{limit: limit, own: own, build: build}
	c.snap.Store(&cacheSnap[K, V]{m: map[K]V{}})
	return c
}

// get returns k's value, building it on first use.
func (c *cache[K, V]) get(k K) V {
	if v, ok := c.snap.Load().m[k]; ok {
		return v
	}
	return c.add(k)
}

func (c *cache[K, V]) add(k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.snap.Load()
	if v, ok := old.m[k]; ok {
		return v
	}
	var v V
	built := true
	switch {
	case c.regular < c.limit:
		v = c.build(c.own(k), false)
		c.regular++
	case !c.hasO:
		var zero K
		c.over, c.hasO = c.build(zero, true), true
		v = c.over
	default:
		v, built = c.over, false
	}
	if !built && len(old.m) >= 4*c.limit {
		// Past the limit, a bounded number of overflowing keys are
		// remembered so that they, too, take the lock-free path; the rest
		// take the lock each time.
		return v
	}
	n := &cacheSnap[K, V]{m: make(map[K]V, len(old.m)+1), list: old.list}
	for kk, vv := range old.m {
		n.m[kk] = vv
	}
	n.m[c.own(k)] = v
	if built {
		n.list = append(old.list[:len(old.list):len(old.list)], v)
	}
	c.snap.Store(n)
	return v
}

// all returns the distinct values (the overflow value once, if used). The
// slice must not be modified.
func (c *cache[K, V]) all() []V {
	return c.snap.Load().list
}

func ownString(s string) string { return string(append([]byte(nil), s...)) }
