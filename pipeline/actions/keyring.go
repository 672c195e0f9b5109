package actions

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// Rotation is how often a keyring changes a customer's key. Pseudonyms
// made under different keys cannot be linked. The values match the policy
// package's rotations.
type Rotation string

// The rotations. Periods are computed in UTC; weeks start on Monday.
const (
	RotateDay   Rotation = "day"
	RotateWeek  Rotation = "week"
	RotateMonth Rotation = "month"
)

// Valid reports whether r is a known rotation.
func (r Rotation) Valid() bool {
	return r == RotateDay || r == RotateWeek || r == RotateMonth
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// period numbers the rotation period containing t.
func (r Rotation) period(t time.Time) int64 {
	switch r {
	case RotateDay:
		return floorDiv(t.Unix(), 86400)
	case RotateWeek:
		// 1970-01-01 was a Thursday; weeks start on Monday 1969-12-29.
		return floorDiv(floorDiv(t.Unix(), 86400)+3, 7)
	default:
		y, m, _ := t.UTC().Date()
		return int64(y)*12 + int64(m-1)
	}
}

// Label returns the name of the rotation period containing t, as used in
// key derivation: "2024-05-03" for a day, "2024-W18" for an ISO week,
// "2024-05" for a month.
func (r Rotation) Label(t time.Time) string {
	return r.label(r.period(t))
}

func (r Rotation) label(p int64) string {
	switch r {
	case RotateDay:
		return time.Unix(p*86400, 0).UTC().Format("2006-01-02")
	case RotateWeek:
		y, w := time.Unix((p*7-3)*86400, 0).UTC().ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	default:
		return fmt.Sprintf("%04d-%02d", floorDiv(p, 12), p-floorDiv(p, 12)*12+1)
	}
}

// Keyring hands out per-customer keys that rotate by period.
type Keyring interface {
	// Key returns the key in force for customer at time at, and its id.
	// The id names the key in pseudonyms: it must not reveal the customer,
	// must contain only base64url characters, and must be the same string
	// on every call for the same key. Neither the caller nor the keyring
	// may modify the key bytes once returned: a keyring that erases a key
	// drops its reference instead of overwriting bytes that a lookup in
	// flight may still be using.
	// Once a customer's keys are destroyed, Key fails with an error
	// wrapping ErrKeyDestroyed, for every period.
	Key(customer string, at time.Time) (keyID string, key []byte, err error)
}

// Errors of keyrings.
var (
	// ErrKeyDestroyed means the customer's key material was destroyed (or
	// never provisioned): no pseudonym can be made or recomputed.
	ErrKeyDestroyed = errors.New("actions: customer key destroyed")
	// ErrKeyExpired means the period's key was pruned: pseudonyms of that
	// period can no longer be made.
	ErrKeyExpired = errors.New("actions: key period pruned")
	// ErrNoCustomer means an empty customer id was given.
	ErrNoCustomer = errors.New("actions: empty customer id")
)

// KeySize is the length of pseudonym keys, in bytes.
const KeySize = 32

// keyIDBytes is the length of key ids before base64url encoding (12
// characters once encoded).
const keyIDBytes = 9

// MemoryKeyring keeps random per-customer, per-period keys in memory. Keys
// come from crypto/rand on first use and are lost with the process, so it
// suits single-process deployments, demos and tests; replicas that must
// agree on pseudonyms use a FileKeyring. It is safe for concurrent use.
type MemoryKeyring struct {
	rot  Rotation
	rand io.Reader

	mu        sync.RWMutex
	keys      map[memKey]memEntry
	destroyed map[string]struct{}
	pruned    bool
	watermark int64 // periods below it were pruned
}

type memKey struct {
	customer string
	period   int64
}

type memEntry struct {
	id  string
	key []byte
}

// NewMemoryKeyring returns an empty in-memory keyring rotating keys every
// rot.
func NewMemoryKeyring(rot Rotation) (*MemoryKeyring, error) {
	if !rot.Valid() {
		return nil, fmt.Errorf("memory keyring: unknown rotation %q (day, week or month)", rot)
	}
	return &MemoryKeyring{
		rot:       rot,
		rand:      rand.Reader,
		keys:      make(map[memKey]memEntry),
		destroyed: make(map[string]struct{}),
	}, nil
}

// Rotation returns how often the keyring changes keys.
func (k *MemoryKeyring) Rotation() Rotation { return k.rot }

// Key returns the customer's key for the period containing at, creating a
// random one on first use. It does not allocate once the key exists.
func (k *MemoryKeyring) Key(customer string, at time.Time) (string, []byte, error) {
	if customer == "" {
		return "", nil, ErrNoCustomer
	}
	mk := memKey{customer, k.rot.period(at)}
	k.mu.RLock()
	e, ok := k.keys[mk]
	_, gone := k.destroyed[customer]
	expired := k.pruned && mk.period < k.watermark
	k.mu.RUnlock()
	switch {
	case gone:
		return "", nil, ErrKeyDestroyed
	case ok:
		return e.id, e.key, nil
	case expired:
		return "", nil, ErrKeyExpired
	}
	var buf [KeySize + keyIDBytes]byte
	if _, err := io.ReadFull(k.rand, buf[:]); err != nil {
		return "", nil, fmt.Errorf("memory keyring: generating key: %w", err)
	}
	fresh := memEntry{
		id:  base64.RawURLEncoding.EncodeToString(buf[KeySize:]),
		key: append([]byte(nil), buf[:KeySize]...),
	}
	clear(buf[:])
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, gone := k.destroyed[customer]; gone {
		return "", nil, ErrKeyDestroyed
	}
	if k.pruned && mk.period < k.watermark {
		return "", nil, ErrKeyExpired
	}
	if e, ok := k.keys[mk]; ok { // another goroutine won the race
		return e.id, e.key, nil
	}
	k.keys[mk] = fresh
	return fresh.id, fresh.key, nil
}

// Destroy drops every key of customer and refuses it keys from now on, so
// that its pseudonyms can never be recomputed or linked (crypto-shredding).
// Pseudonymizers drop their cached state for the customer on their next
// use of it; call Pseudonymizer.Forget to drop it at once.
func (k *MemoryKeyring) Destroy(customer string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for mk := range k.keys {
		if mk.customer == customer {
			delete(k.keys, mk)
		}
	}
	k.destroyed[customer] = struct{}{}
}

// Reinstate lets a destroyed customer have keys again. The new keys are
// fresh random keys, unrelated to the destroyed ones, so the customer's old
// pseudonyms stay unlinkable.
func (k *MemoryKeyring) Reinstate(customer string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.destroyed, customer)
}

// Prune drops the keys of every period that ended before before, so that
// their pseudonyms can no longer be recomputed, and refuses keys for those
// periods from now on (ErrKeyExpired) rather than minting new ones. It
// returns how many keys it dropped.
func (k *MemoryKeyring) Prune(before time.Time) int {
	wm := k.rot.period(before)
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for mk := range k.keys {
		if mk.period < wm {
			delete(k.keys, mk)
			n++
		}
	}
	if !k.pruned || wm > k.watermark {
		k.pruned, k.watermark = true, wm
	}
	return n
}

// String describes the keyring without revealing keys.
func (k *MemoryKeyring) String() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return "memory keyring (" + string(k.rot) + " rotation, " + strconv.Itoa(len(k.keys)) + " keys)"
}
