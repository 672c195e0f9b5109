package actions

import (
	"testing"
	"time"

	"github.com/veilstream/veil/classifiers"
)

func BenchmarkIPPrefix(b *testing.B) {
	dst := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = IPPrefix(dst[:0], "203.0.113.45", 24, 48)
	}
}

func BenchmarkIPPrefixXFF(b *testing.B) {
	dst := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = IPPrefix(dst[:0], "203.0.113.45, [2001:db8::1]:443, 10.1.2.3", 24, 48)
	}
}

func BenchmarkPostalPrefix(b *testing.B) {
	dst := make([]byte, 0, 16)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = PostalPrefix(dst[:0], "SW1A 1AA", "GB")
	}
}

func BenchmarkTimeBucket(b *testing.B) {
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = TimeBucket(dst[:0], "2024-05-03T14:37:12.123+02:00", Hour)
	}
}

func BenchmarkURL(b *testing.B) {
	dst := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = URL(dst[:0], "https://app.example.com/users/1234567/orders/550e8400-e29b-41d4-a716-446655440000?email=jane@example.com", nil)
	}
}

func BenchmarkUserAgent(b *testing.B) {
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst, _ = UserAgent(dst[:0], "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91")
	}
}

func BenchmarkMask(b *testing.B) {
	dst := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		dst = Mask(dst[:0], "4111 1111 1111 1111", 4)
	}
}

func BenchmarkScrub(b *testing.B) {
	dst := make([]byte, 0, 128)
	fs := []classifiers.Finding{{Type: classifiers.EmailAddress, Start: 5, End: 14}, {Type: classifiers.PhoneNumber, Start: 23, End: 31}}
	b.ReportAllocs()
	for b.Loop() {
		dst = Scrub(dst[:0], "mail jane@x.io or call 555-0100 now", fs)
	}
}

func benchmarkPseudonym(b *testing.B, kr Keyring) {
	p := NewPseudonymizer(kr)
	dst := make([]byte, 0, 64)
	value := []byte("jane@example.com")
	at := time.Date(2024, 5, 3, 9, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = p.Append(dst[:0], "acme", value, at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPseudonymMemory(b *testing.B) {
	kr, _ := NewMemoryKeyring(RotateDay)
	benchmarkPseudonym(b, kr)
}

func BenchmarkPseudonymFile(b *testing.B) {
	dir := b.TempDir()
	if err := writeFile(dir, "acme", secretA); err != nil {
		b.Fatal(err)
	}
	kr, err := NewFileKeyring(dir, RotateDay)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPseudonym(b, kr)
}
