package actions

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"sync"
	"time"
)

// PseudonymPrefix starts every pseudonym and names its format version.
const PseudonymPrefix = "p1."

// PseudonymDigestLen is the number of base64url characters of the HMAC a
// pseudonym keeps (132 bits).
const PseudonymDigestLen = 22

// maxCachedKeys bounds the Pseudonymizer's cache of keyed HMAC states; when
// it is full the cache starts over.
const maxCachedKeys = 4096

// Pseudonymizer turns values into keyed pseudonyms:
//
//	"p1." + keyID + "." + base64url(HMAC-SHA256(key, value))[:22]
//
// where key and keyID come from the Keyring for the customer and the time
// of the event. The same value gives the same pseudonym within a key period
// of one customer, and unrelated pseudonyms across periods and customers;
// once the keyring destroys a customer's keys its pseudonyms can neither be
// made nor recomputed. The keyID tells which key (customer and period) a
// pseudonym was made under without revealing the customer, so consumers
// can tell that pseudonyms of different periods are not comparable.
//
// A Pseudonymizer caches one HMAC state per key, so only the first value
// of each customer and period costs a key derivation; the state of a
// customer's earlier period is erased when its next period's key is first
// used. It is safe for
// concurrent use, though one per processor avoids contention.
type Pseudonymizer struct {
	kr Keyring

	mu    sync.Mutex
	cache map[string]*macState // by key id
	sum   [sha256.Size]byte
}

type macState struct {
	customer string
	key      []byte
	mac      hash.Hash
}

// NewPseudonymizer returns a Pseudonymizer drawing keys from kr.
func NewPseudonymizer(kr Keyring) *Pseudonymizer {
	return &Pseudonymizer{kr: kr, cache: make(map[string]*macState)}
}

// Append appends the pseudonym of value for customer at time at. On error
// (the customer's key was destroyed or cannot be had) dst is returned
// unchanged and the caller must drop the value.
func (p *Pseudonymizer) Append(dst []byte, customer string, value []byte, at time.Time) ([]byte, error) {
	keyID, key, err := p.kr.Key(customer, at)
	if err != nil {
		if errors.Is(err, ErrKeyDestroyed) {
			p.Forget(customer)
		}
		return dst, err
	}
	p.mu.Lock()
	st := p.cache[keyID]
	if st == nil || st.customer != customer || !bytes.Equal(st.key, key) {
		if len(p.cache) >= maxCachedKeys {
			p.reset()
		}
		// A new key of a customer starts a new period: the keyed states of
		// its earlier periods are erased, so that a key the keyring has
		// destroyed (MemoryKeyring.Prune) does not live on in this cache.
		for id, old := range p.cache {
			if old.customer == customer {
				clear(old.key)
				old.mac.Reset()
				delete(p.cache, id)
			}
		}
		st = &macState{customer: customer, key: append([]byte(nil), key...), mac: hmac.New(sha256.New, key)}
		p.cache[keyID] = st
	}
	st.mac.Reset()
	st.mac.Write(value)
	sum := st.mac.Sum(p.sum[:0])
	dst = append(dst, PseudonymPrefix...)
	dst = append(dst, keyID...)
	dst = append(dst, '.')
	n := len(dst)
	// 18 bytes encode to 24 characters, a prefix of the full encoding.
	dst = base64.RawURLEncoding.AppendEncode(dst, sum[:18])
	dst = dst[:n+PseudonymDigestLen]
	p.mu.Unlock()
	return dst, nil
}

// Forget erases the cached keyed state of customer, as after its keys were
// destroyed.
func (p *Pseudonymizer) Forget(customer string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, st := range p.cache {
		if st.customer == customer {
			clear(st.key)
			st.mac.Reset()
			delete(p.cache, id)
		}
	}
}

// reset empties the cache; p.mu must be held.
func (p *Pseudonymizer) reset() {
	for id, st := range p.cache {
		clear(st.key)
		delete(p.cache, id)
	}
}
