package actions

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// MinSecretSize is the shortest customer secret a FileKeyring accepts, in
// bytes (after trimming surrounding white space).
const MinSecretSize = 32

// hkdfSalt separates veil's key derivation from any other use of the same
// customer secrets.
var hkdfSalt = []byte("veil/pseudonym-keyring/v1")

// FileKeyring derives per-customer, per-period keys from customer secrets
// kept as files in a directory, one file per customer, named by the
// customer id: typically a Kubernetes Secret mounted as a volume. Every
// replica reading the same files derives the same keys, so pseudonyms agree
// across replicas and restarts.
//
// The key for a period is HKDF-SHA256(secret, salt, "key <rotation>
// <label>") and its id the first 9 bytes of HKDF-SHA256(secret, salt,
// "key-id <rotation> <label>"), base64url-encoded, where label names the
// period ("2024-05-03", "2024-W18", "2024-05"). The id reveals neither the
// customer nor the key.
//
// Destroying a customer is deleting its file (Destroy does, or remove the
// key from the mounted Secret). The keyring caches secrets and keys, and
// notices files that disappeared or changed when Refresh runs (Run calls it
// periodically); until then, lookups of a destroyed customer still succeed
// from the cache. A new file for the customer gives new, unrelated keys.
// Customer ids must be valid file names: 1 to 253 of A-Z a-z 0-9 . _ -,
// not starting with a dot. It is safe for concurrent use.
type FileKeyring struct {
	dir string
	rot Rotation

	mu        sync.RWMutex
	customers map[string]*fileCustomer
	failed    map[string]error // negative cache, cleared by Refresh
}

type fileCustomer struct {
	secret []byte
	slots  [2]fileSlot // the two most recently derived periods
}

type fileSlot struct {
	valid  bool
	period int64
	id     string
	key    []byte
}

// NewFileKeyring returns a keyring reading customer secrets from dir and
// rotating keys every rot.
func NewFileKeyring(dir string, rot Rotation) (*FileKeyring, error) {
	if !rot.Valid() {
		return nil, fmt.Errorf("file keyring %s: unknown rotation %q (day, week or month)", dir, rot)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("file keyring: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("file keyring: %s is not a directory", dir)
	}
	return &FileKeyring{
		dir:       dir,
		rot:       rot,
		customers: make(map[string]*fileCustomer),
		failed:    make(map[string]error),
	}, nil
}

// Rotation returns how often the keyring changes keys.
func (k *FileKeyring) Rotation() Rotation { return k.rot }

// validCustomerFile reports whether c can name a secret file.
func validCustomerFile(c string) bool {
	if c == "" || len(c) > 253 || c[0] == '.' {
		return false
	}
	for i := 0; i < len(c); i++ {
		ch := c[i]
		if !isLetter(ch) && !isDigit(ch) && ch != '.' && ch != '_' && ch != '-' {
			return false
		}
	}
	return true
}

// Key returns the customer's key for the period containing at. Once the
// customer's secret and the period's key are cached it does not allocate.
func (k *FileKeyring) Key(customer string, at time.Time) (string, []byte, error) {
	if customer == "" {
		return "", nil, ErrNoCustomer
	}
	p := k.rot.period(at)
	k.mu.RLock()
	c := k.customers[customer]
	if c != nil {
		for i := range c.slots {
			if s := &c.slots[i]; s.valid && s.period == p {
				id, key := s.id, s.key
				k.mu.RUnlock()
				return id, key, nil
			}
		}
	}
	failure := k.failed[customer]
	k.mu.RUnlock()
	if failure != nil {
		return "", nil, failure
	}
	if c == nil {
		if !validCustomerFile(customer) {
			return "", nil, fmt.Errorf("file keyring %s: customer id %q is not a valid file name", k.dir, customer)
		}
		secret, err := k.readSecret(customer)
		if err != nil {
			k.mu.Lock()
			k.failed[customer] = err
			k.mu.Unlock()
			return "", nil, err
		}
		k.mu.Lock()
		if c = k.customers[customer]; c == nil {
			c = &fileCustomer{secret: secret}
			k.customers[customer] = c
		}
		k.mu.Unlock()
	}
	slot, err := derive(c.secretCopy(&k.mu), k.rot, p)
	if err != nil {
		return "", nil, fmt.Errorf("file keyring %s: deriving key for customer %q: %w", k.dir, customer, err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.customers[customer] != c { // destroyed or refreshed meanwhile
		return "", nil, fmt.Errorf("file keyring %s: customer %q: %w", k.dir, customer, ErrKeyDestroyed)
	}
	for i := range c.slots {
		if s := &c.slots[i]; s.valid && s.period == p {
			return s.id, s.key, nil
		}
	}
	// replace the empty slot or the one with the older period
	victim := 0
	if c.slots[0].valid && (!c.slots[1].valid || c.slots[1].period < c.slots[0].period) {
		victim = 1
	}
	c.slots[victim] = slot // the old key is dropped, not overwritten: it may be in use
	return slot.id, slot.key, nil
}

// secretCopy returns the secret under the read lock; the slice is never
// modified in place while the customer is cached, only cleared on eviction,
// so deriving from it outside the lock is checked by the caller.
func (c *fileCustomer) secretCopy(mu *sync.RWMutex) []byte {
	mu.RLock()
	defer mu.RUnlock()
	return append([]byte(nil), c.secret...)
}

// derive computes the key and id of period p.
func derive(secret []byte, rot Rotation, p int64) (fileSlot, error) {
	defer clear(secret)
	label := string(rot) + " " + rot.label(p)
	key, err := hkdf.Key(sha256.New, secret, hkdfSalt, "key "+label, KeySize)
	if err != nil {
		return fileSlot{}, err
	}
	id, err := hkdf.Key(sha256.New, secret, hkdfSalt, "key-id "+label, keyIDBytes)
	if err != nil {
		return fileSlot{}, err
	}
	return fileSlot{valid: true, period: p, id: base64.RawURLEncoding.EncodeToString(id), key: key}, nil
}

// readSecret loads the secret file of customer.
func (k *FileKeyring) readSecret(customer string) ([]byte, error) {
	path := filepath.Join(k.dir, customer)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("file keyring: no secret %s for customer %q: %w", path, customer, ErrKeyDestroyed)
	}
	if err != nil {
		return nil, fmt.Errorf("file keyring: reading secret of customer %q: %w", customer, err)
	}
	secret := bytes.TrimSpace(b)
	if len(secret) < MinSecretSize {
		clear(b)
		return nil, fmt.Errorf("file keyring: secret %s of customer %q is %d bytes, want at least %d", path, customer, len(secret), MinSecretSize)
	}
	out := append([]byte(nil), secret...)
	clear(b)
	return out, nil
}

// Destroy deletes the customer's secret file and erases its cached secret
// and keys: from now on Key fails with ErrKeyDestroyed for the customer
// and its pseudonyms can never be recomputed. Replicas that share the
// directory notice on their next Refresh.
func (k *FileKeyring) Destroy(customer string) error {
	if !validCustomerFile(customer) {
		return fmt.Errorf("file keyring %s: customer id %q is not a valid file name", k.dir, customer)
	}
	k.mu.Lock()
	k.forget(customer)
	k.failed[customer] = fmt.Errorf("file keyring %s: customer %q: %w", k.dir, customer, ErrKeyDestroyed)
	k.mu.Unlock()
	err := os.Remove(filepath.Join(k.dir, customer))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file keyring: destroying secret of customer %q: %w", customer, err)
	}
	return nil
}

// forget erases the cached state of customer; k.mu must be held.
func (k *FileKeyring) forget(customer string) {
	c := k.customers[customer]
	if c == nil {
		return
	}
	clear(c.secret) // only ever read under k.mu
	delete(k.customers, customer)
}

// Refresh re-reads the secret of every cached customer: a customer whose
// file is gone is destroyed, one whose file changed gets keys from the new
// secret. It also forgets which customers had no (readable) file, so that
// newly provisioned ones are found. It returns the errors of files it could not
// read (those customers are erased from the cache too, failing closed).
func (k *FileKeyring) Refresh() error {
	k.mu.RLock()
	names := make([]string, 0, len(k.customers))
	for c := range k.customers {
		names = append(names, c)
	}
	k.mu.RUnlock()
	var errs []error
	for _, name := range names {
		secret, err := k.readSecret(name)
		k.mu.Lock()
		c := k.customers[name]
		switch {
		case c == nil:
		case err != nil:
			k.forget(name)
			if !errors.Is(err, ErrKeyDestroyed) {
				errs = append(errs, err)
			}
		case !bytes.Equal(secret, c.secret):
			k.forget(name)
		}
		k.mu.Unlock()
		clear(secret)
	}
	k.mu.Lock()
	clear(k.failed)
	k.mu.Unlock()
	return errors.Join(errs...)
}

// Run calls Refresh every interval until ctx is done, and returns the
// context's error. Refresh errors are passed to report when it is not nil.
func (k *FileKeyring) Run(ctx context.Context, every time.Duration, report func(error)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := k.Refresh(); err != nil && report != nil {
				report(err)
			}
		}
	}
}
