package actions

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var pseudonymFormat = regexp.MustCompile(`^p1\.[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{22}$`)

var (
	day1     = time.Date(2024, 5, 3, 9, 0, 0, 0, time.UTC)
	day1Late = time.Date(2024, 5, 3, 23, 59, 59, 0, time.UTC)
	day2     = time.Date(2024, 5, 4, 0, 0, 0, 0, time.UTC)
)

func pseudonym(t *testing.T, p *Pseudonymizer, customer, value string, at time.Time) string {
	t.Helper()
	out, err := p.Append(nil, customer, []byte(value), at)
	if err != nil {
		t.Fatalf("Append(%s, %q, %v): %v", customer, value, at, err)
	}
	if !pseudonymFormat.Match(out) {
		t.Fatalf("pseudonym %q does not have the documented format", out)
	}
	return string(out)
}

func newMemory(t *testing.T, rot Rotation) *MemoryKeyring {
	t.Helper()
	kr, err := NewMemoryKeyring(rot)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func TestRotationPeriods(t *testing.T) {
	tests := []struct {
		rot  Rotation
		at   time.Time
		want string
	}{
		{RotateDay, day1, "2024-05-03"},
		{RotateDay, time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), "1969-12-31"},
		{RotateDay, time.Date(2024, 5, 3, 23, 30, 0, 0, time.FixedZone("", -2*3600)), "2024-05-04"}, // UTC day
		{RotateWeek, day1, "2024-W18"},                                                              // a Friday
		{RotateWeek, time.Date(2024, 5, 5, 23, 0, 0, 0, time.UTC), "2024-W18"},                      // Sunday
		{RotateWeek, time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), "2024-W19"},                       // Monday
		{RotateWeek, time.Date(2021, 1, 3, 0, 0, 0, 0, time.UTC), "2020-W53"},
		{RotateWeek, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), "1970-W01"},
		{RotateMonth, day1, "2024-05"},
		{RotateMonth, time.Date(1969, 12, 1, 0, 0, 0, 0, time.UTC), "1969-12"},
	}
	for _, tc := range tests {
		if got := tc.rot.Label(tc.at); got != tc.want {
			t.Errorf("%s.Label(%v) = %q, want %q", tc.rot, tc.at, got, tc.want)
		}
	}
}

func TestPseudonymRotation(t *testing.T) {
	for _, tc := range []struct {
		rot            Rotation
		same, differ   time.Time
		sameLabel, off string
	}{
		{RotateDay, day1Late, day2, "same day", "next day"},
		{RotateWeek, time.Date(2024, 5, 5, 23, 0, 0, 0, time.UTC), time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), "same week", "next week"},
		{RotateMonth, time.Date(2024, 5, 31, 23, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), "same month", "next month"},
	} {
		p := NewPseudonymizer(newMemory(t, tc.rot))
		a := pseudonym(t, p, "acme", "user-42", day1)
		if b := pseudonym(t, p, "acme", "user-42", tc.same); a != b {
			t.Errorf("%s rotation, %s: %q != %q", tc.rot, tc.sameLabel, a, b)
		}
		if c := pseudonym(t, p, "acme", "user-42", tc.differ); a == c || a[:16] == c[:16] {
			t.Errorf("%s rotation, %s: pseudonym or key id unchanged: %q, %q", tc.rot, tc.off, a, c)
		}
		if d := pseudonym(t, p, "acme", "user-43", day1); a == d {
			t.Errorf("%s rotation: different values give the same pseudonym %q", tc.rot, a)
		}
		if e := pseudonym(t, p, "globex", "user-42", day1); a == e || a[:16] == e[:16] {
			t.Errorf("%s rotation: different customers share a pseudonym or key id: %q, %q", tc.rot, a, e)
		}
	}
}

func TestPseudonymHidesCustomerAndValue(t *testing.T) {
	p := NewPseudonymizer(newMemory(t, RotateDay))
	out := pseudonym(t, p, "acme-corporation", "jane@example.com", day1)
	for _, s := range []string{"acme", "jane", "example"} {
		if strings.Contains(strings.ToLower(out), s) {
			t.Errorf("pseudonym %q reveals %q", out, s)
		}
	}
}

func TestCryptoShreddingMemory(t *testing.T) {
	kr := newMemory(t, RotateDay)
	p := NewPseudonymizer(kr)
	before := pseudonym(t, p, "acme", "user-42", day1)
	other := pseudonym(t, p, "globex", "user-42", day1)

	kr.Destroy("acme")
	dst := []byte("keep")
	out, err := p.Append(dst, "acme", []byte("user-42"), day1)
	if !errors.Is(err, ErrKeyDestroyed) || string(out) != "keep" {
		t.Fatalf("after Destroy: %q, %v; want dst unchanged and ErrKeyDestroyed", out, err)
	}
	if _, err := p.Append(nil, "acme", []byte("user-42"), day2); !errors.Is(err, ErrKeyDestroyed) {
		t.Fatalf("after Destroy, another period: %v, want ErrKeyDestroyed", err)
	}
	if _, _, err := kr.Key("acme", day1); !errors.Is(err, ErrKeyDestroyed) {
		t.Fatalf("keyring after Destroy: %v", err)
	}
	p.mu.Lock()
	for _, st := range p.cache {
		if st.customer == "acme" {
			t.Error("pseudonymizer still caches the destroyed customer's key")
		}
	}
	p.mu.Unlock()
	// other customers are untouched
	if got := pseudonym(t, p, "globex", "user-42", day1); got != other {
		t.Errorf("other customer's pseudonym changed: %q != %q", got, other)
	}
	// a new key after destruction gives unrelated pseudonyms
	kr.Reinstate("acme")
	after := pseudonym(t, p, "acme", "user-42", day1)
	if after == before || after[:16] == before[:16] {
		t.Errorf("after Reinstate the old pseudonym or key id came back: %q", after)
	}
}

func TestMemoryKeyringPrune(t *testing.T) {
	kr := newMemory(t, RotateDay)
	id1, _, err := kr.Key("acme", day1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := kr.Key("acme", day2); err != nil {
		t.Fatal(err)
	}
	if n := kr.Prune(day2); n != 1 {
		t.Errorf("Prune erased %d keys, want 1", n)
	}
	if _, _, err := kr.Key("acme", day1); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("pruned period: %v, want ErrKeyExpired", err)
	}
	if _, _, err := kr.Key("newcomer", day1); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("pruned period for a new customer: %v, want ErrKeyExpired (no key minted for the past)", err)
	}
	if id, _, err := kr.Key("acme", day2); err != nil || id == id1 {
		t.Errorf("current period after Prune: %q, %v", id, err)
	}
	if _, err := NewMemoryKeyring("hourly"); err == nil {
		t.Error("NewMemoryKeyring accepted an unknown rotation")
	}
	if _, _, err := kr.Key("", day1); !errors.Is(err, ErrNoCustomer) {
		t.Errorf("empty customer: %v", err)
	}
	if s := kr.String(); strings.Contains(s, "acme") {
		t.Errorf("String() reveals customers: %q", s)
	}
}

func writeFile(dir, customer, secret string) error {
	return os.WriteFile(filepath.Join(dir, customer), []byte(secret), 0o600)
}

func writeSecret(t *testing.T, dir, customer, secret string) {
	t.Helper()
	if err := writeFile(dir, customer, secret); err != nil {
		t.Fatal(err)
	}
}

func newFile(t *testing.T, dir string, rot Rotation) *FileKeyring {
	t.Helper()
	kr, err := NewFileKeyring(dir, rot)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

const secretA = "0123456789abcdef0123456789abcdef-acme"

func TestFileKeyringFormat(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "acme", secretA+"\n")
	p := NewPseudonymizer(newFile(t, dir, RotateDay))
	got := pseudonym(t, p, "acme", "user-42", day1)

	// Recompute by the documented derivation.
	salt := []byte("veil/pseudonym-keyring/v1")
	key, _ := hkdf.Key(sha256.New, []byte(secretA), salt, "key day 2024-05-03", 32)
	id, _ := hkdf.Key(sha256.New, []byte(secretA), salt, "key-id day 2024-05-03", 9)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("user-42"))
	want := "p1." + base64.RawURLEncoding.EncodeToString(id) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:22]
	if got != want {
		t.Errorf("pseudonym = %q, want %q by the documented derivation", got, want)
	}
}

func TestFileKeyringReplicasAgree(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "acme", secretA)
	writeSecret(t, dir, "globex", "another secret that is long enough, 32+ bytes")
	a := NewPseudonymizer(newFile(t, dir, RotateDay))
	b := NewPseudonymizer(newFile(t, dir, RotateDay))
	if x, y := pseudonym(t, a, "acme", "v", day1), pseudonym(t, b, "acme", "v", day1Late); x != y {
		t.Errorf("replicas disagree: %q vs %q", x, y)
	}
	if x, y := pseudonym(t, a, "acme", "v", day1), pseudonym(t, a, "acme", "v", day2); x == y {
		t.Errorf("file keyring does not rotate: %q", x)
	}
	if x, y := pseudonym(t, a, "acme", "v", day1), pseudonym(t, a, "globex", "v", day1); x == y {
		t.Errorf("customers share pseudonyms: %q", x)
	}
	// a week keyring over the same secrets never shares keys with the day one
	w := NewPseudonymizer(newFile(t, dir, RotateWeek))
	monday := time.Date(2024, 4, 29, 12, 0, 0, 0, time.UTC)
	if x, y := pseudonym(t, a, "acme", "v", monday), pseudonym(t, w, "acme", "v", monday); x == y {
		t.Errorf("day and week rotations share a key: %q", x)
	}
	// many periods: the slot cache evicts and re-derives the same keys
	first := pseudonym(t, a, "acme", "v", day1)
	for d := 0; d < 5; d++ {
		pseudonym(t, a, "acme", "v", day1.AddDate(0, 0, d))
	}
	if again := pseudonym(t, a, "acme", "v", day1); again != first {
		t.Errorf("re-derived key differs: %q vs %q", again, first)
	}
}

func TestCryptoShreddingFile(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "acme", secretA)
	writeSecret(t, dir, "globex", "another secret that is long enough, 32+ bytes")
	kr := newFile(t, dir, RotateDay)
	p := NewPseudonymizer(kr)
	before := pseudonym(t, p, "acme", "user-42", day1)
	pseudonym(t, p, "globex", "user-42", day1)

	// Deleting the file (as removing a key from a mounted Secret does) takes
	// effect at the next Refresh.
	if err := os.Remove(filepath.Join(dir, "acme")); err != nil {
		t.Fatal(err)
	}
	if err := kr.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Append(nil, "acme", []byte("user-42"), day1); !errors.Is(err, ErrKeyDestroyed) {
		t.Fatalf("after deleting the secret: %v, want ErrKeyDestroyed", err)
	}
	pseudonym(t, p, "globex", "user-42", day1)

	// A new secret file is found after Refresh and gives new pseudonyms.
	writeSecret(t, dir, "acme", "a completely new secret for acme, long enough")
	if _, err := p.Append(nil, "acme", []byte("user-42"), day1); !errors.Is(err, ErrKeyDestroyed) {
		t.Fatalf("before Refresh the missing customer stays missing: %v", err)
	}
	if err := kr.Refresh(); err != nil {
		t.Fatal(err)
	}
	after := pseudonym(t, p, "acme", "user-42", day1)
	if after == before || after[:16] == before[:16] {
		t.Errorf("new secret gives the old pseudonym or key id: %q", after)
	}

	// A changed secret is picked up by Refresh too.
	writeSecret(t, dir, "acme", "yet another secret for acme, long enough too")
	if err := kr.Refresh(); err != nil {
		t.Fatal(err)
	}
	if changed := pseudonym(t, p, "acme", "user-42", day1); changed == after {
		t.Errorf("rotated secret still gives %q", changed)
	}

	// Destroy deletes the file and takes effect at once.
	if err := kr.Destroy("acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "acme")); !os.IsNotExist(err) {
		t.Errorf("Destroy left the secret file: %v", err)
	}
	if _, err := p.Append(nil, "acme", []byte("user-42"), day2); !errors.Is(err, ErrKeyDestroyed) {
		t.Fatalf("after Destroy: %v, want ErrKeyDestroyed", err)
	}
}

func TestFileKeyringErrors(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "short", "too short")
	kr := newFile(t, dir, RotateDay)
	for _, c := range []string{"../etc/passwd", ".hidden", "a/b", "with space"} {
		if _, _, err := kr.Key(c, day1); err == nil || errors.Is(err, ErrKeyDestroyed) {
			t.Errorf("Key(%q) = %v, want an invalid-name error", c, err)
		}
	}
	if _, _, err := kr.Key("short", day1); err == nil || !strings.Contains(err.Error(), "at least 32") {
		t.Errorf("short secret: %v", err)
	}
	if _, _, err := kr.Key("nobody", day1); !errors.Is(err, ErrKeyDestroyed) {
		t.Errorf("missing secret: %v, want ErrKeyDestroyed", err)
	}
	if _, _, err := kr.Key("", day1); !errors.Is(err, ErrNoCustomer) {
		t.Errorf("empty customer: %v", err)
	}
	if _, err := NewFileKeyring(filepath.Join(dir, "short"), RotateDay); err == nil {
		t.Error("NewFileKeyring accepted a file as directory")
	}
	if _, err := NewFileKeyring(dir, ""); err == nil {
		t.Error("NewFileKeyring accepted an empty rotation")
	}
}

func TestPseudonymizerConcurrent(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "acme", secretA)
	for _, kr := range []Keyring{newMemory(t, RotateDay), newFile(t, dir, RotateDay)} {
		p := NewPseudonymizer(kr)
		want := pseudonym(t, p, "acme", "v", day1)
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				buf := make([]byte, 0, 64)
				for i := 0; i < 200; i++ {
					at := day1.AddDate(0, 0, i%3)
					out, err := p.Append(buf[:0], "acme", []byte("v"), at)
					if err != nil {
						t.Error(err)
						return
					}
					if i%3 == 0 && !bytes.Equal(out, []byte(want)) {
						t.Errorf("concurrent pseudonym %q != %q", out, want)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
}

func TestPseudonymizerDoesNotAllocate(t *testing.T) {
	dir := t.TempDir()
	writeSecret(t, dir, "acme", secretA)
	for _, kr := range []Keyring{newMemory(t, RotateDay), newFile(t, dir, RotateDay)} {
		p := NewPseudonymizer(kr)
		dst := make([]byte, 0, 64)
		value := []byte("jane@example.com")
		pseudonym(t, p, "acme", "warm up", day1)
		allocs := testing.AllocsPerRun(500, func() {
			if _, err := p.Append(dst[:0], "acme", value, day1Late); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%T: Append allocates %v times per call once the key is cached", kr, allocs)
		}
	}
}

// TestPseudonymizerErasesPastPeriods: once a customer's next period is
// used, the cached keyed state of the earlier one is gone, so a pruned
// day key survives nowhere; the pruned day's values are then refused.
func TestPseudonymizerErasesPastPeriods(t *testing.T) {
	kr := newMemory(t, RotateDay)
	p := NewPseudonymizer(kr)
	a1, err := p.Append(nil, "acme", []byte("user-1"), day1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Append(nil, "other", []byte("user-1"), day1); err != nil {
		t.Fatal(err)
	}
	var old *macState
	for _, st := range p.cache {
		if st.customer == "acme" {
			old = st
		}
	}
	if _, err := p.Append(nil, "acme", []byte("user-1"), day2); err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, st := range p.cache {
		states[st.customer]++
	}
	if states["acme"] != 1 || states["other"] != 1 {
		t.Errorf("cached states per customer %v, want one each", states)
	}
	if old == nil || !bytes.Equal(old.key, make([]byte, len(old.key))) {
		t.Error("the earlier period's key was not cleared")
	}
	kr.Prune(day2)
	if _, err := p.Append(nil, "acme", []byte("user-1"), day1); !errors.Is(err, ErrKeyExpired) {
		t.Errorf("pruned day: %v, want ErrKeyExpired", err)
	}
	if a2, err := p.Append(nil, "acme", []byte("user-1"), day2); err != nil || string(a2) == string(a1) {
		t.Errorf("day 2 pseudonym %q (err %v) equals day 1's %q", a2, err, a1)
	}
}
