package sanitize

import "github.com/veilstream/veil/schemas/policy"

// keyInfo is everything a member's key (and its parent's) says, computed
// once per (parent, key) and cached: field names repeat from event to
// event, and this is the costliest part of a member's visit apart from
// content scans.
type keyInfo struct {
	// cls and known are the key table's answer, after inheritance from a
	// message, prompt or secret container.
	cls   KeyClass
	known bool
	// byName is true when the key table knows the key itself.
	byName bool
	// action is the policy's action for cls (when known).
	action policy.Action
	// pairName, country and plain are shape facts about the key.
	pairName, country, plain bool
}

// keyCache maps parent\x00key to its keyInfo. It is bounded and starts
// afresh when full, so that events with random keys cannot grow it.
type keyCache struct {
	idx   map[string]int32
	infos []keyInfo
	buf   []byte
}

// maxCachedKeys bounds the cache.
const maxCachedKeys = 8192

// info returns the keyInfo of key under parent; the pointer is valid until
// the next call.
func (s *Sanitizer) info(parent, key []byte) *keyInfo {
	c := &s.keys
	c.buf = append(append(append(c.buf[:0], parent...), 0), key...)
	if i, ok := c.idx[string(c.buf)]; ok {
		return &c.infos[i]
	}
	ki := keyInfo{pairName: isPairNameKey(key), country: isCountryKey(key), plain: plainKey(key)}
	ki.cls, ki.known = s.cfg.Keys(parent, key)
	ki.byName = ki.known
	if !ki.known && parent != nil {
		// Members of a message, a prompt or a secret that the key table
		// does not know are of their container's kind.
		if pc, ok := s.cfg.Keys(nil, parent); ok && textCategory(pc.Category) {
			ki.cls, ki.known = pc, true
		}
	}
	if ki.known {
		ki.action = s.action(ki.cls.Category, ki.cls.Type)
	}
	if c.idx == nil || len(c.infos) >= maxCachedKeys {
		c.idx = make(map[string]int32, 256)
		c.infos = c.infos[:0]
	}
	c.idx[string(c.buf)] = int32(len(c.infos))
	c.infos = append(c.infos, ki)
	return &c.infos[len(c.infos)-1]
}

// classOf returns the key table's class of key under parent, cached.
func (s *Sanitizer) classOf(parent, key []byte) (KeyClass, bool) {
	ki := s.info(parent, key)
	return ki.cls, ki.byName
}
