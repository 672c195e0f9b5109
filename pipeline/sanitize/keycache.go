package sanitize

// keyCache remembers the key classifier's answers per (parent, key): field
// names repeat from event to event, and the classifier's normalization is
// the costliest step of a member's visit. It is bounded and starts afresh
// when full, so that events with random keys cannot grow it.
type keyCache struct {
	m   map[string]cachedClass
	buf []byte
}

type cachedClass struct {
	class KeyClass
	known bool
}

// maxCachedKeys bounds the cache.
const maxCachedKeys = 8192

func (c *keyCache) classify(f KeyClassifier, parent, key []byte) (KeyClass, bool) {
	c.buf = append(append(append(c.buf[:0], parent...), 0), key...)
	if e, ok := c.m[string(c.buf)]; ok {
		return e.class, e.known
	}
	cls, known := f(parent, key)
	if c.m == nil || len(c.m) >= maxCachedKeys {
		c.m = make(map[string]cachedClass, 256)
	}
	c.m[string(c.buf)] = cachedClass{cls, known}
	return cls, known
}
