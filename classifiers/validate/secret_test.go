package validate

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// token returns n pseudo-random characters from alphabet, deterministically
// for a seed, so that no credential-shaped literal lives in the source.
func token(seed uint64, alphabet string, n int) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

const (
	alnum     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperNum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	base64URL = alnum + "-_"
)

func TestSecret(t *testing.T) {
	check(t, "Secret", Secret, []struct {
		in   string
		want bool
		why  string
	}{
		{"AKIAIOSFODNN7EXAMPLE", true, "AWS documentation key id"},
		{"ASIA" + token(1, upperNum, 16), true, "AWS temporary key id"},
		{"ghp_" + token(2, alnum, 36), true, "GitHub PAT"},
		{"github_pat_" + token(3, alnum, 22) + "_" + token(4, alnum, 59), true, "GitHub fine-grained PAT"},
		{"xoxb-" + token(5, "0123456789", 12) + "-" + token(6, alnum, 24), true, "Slack bot token"},
		{"sk_live_" + token(7, alnum, 24), true, "Stripe live secret key"},
		{"pk_live_" + token(8, alnum, 24), true, "Stripe publishable key"},
		{"sk-proj-" + token(9, base64URL, 48), true, "OpenAI project key"},
		{"sk-" + token(10, alnum, 48), true, "OpenAI legacy key"},
		{"AIza" + token(11, base64URL, 35), true, "Google API key"},
		{"glpat-" + token(12, base64URL, 20), true, "GitLab PAT"},
		{"SG." + token(13, base64URL, 22) + "." + token(14, base64URL, 43), true, "SendGrid key"},
		{"-----BEGIN RSA PRIVATE KEY-----", true, "PEM header"},
		{"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", true, "PEM block"},
		{"-----BEGIN PGP PRIVATE KEY BLOCK-----", true, "PGP key block"},
		{"Bearer " + token(15, base64URL, 32), true, "bearer token"},
		{"bearer " + token(16, alnum, 20) + "==", true, "bearer token, lower-case scheme, padding"},
		{"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", true, "JWT"},
		{token(17, alnum, 32), true, "random base62, 32 chars"},
		{token(18, alnum+"+/", 40) + "=", true, "random base64 with padding"},
		{"password", false, "a word"},
		{"correcthorsebatterystaple", false, "a passphrase of words, no digits"},
		{"550e8400-e29b-41d4-a716-446655440000", false, "UUID"},
		{"{550E8400-E29B-41D4-A716-446655440000}", false, "braced UUID"},
		{"da39a3ee5e6b4b0d3255bfef95601890afd80709", false, "SHA-1 hex digest"},
		{"d41d8cd98f00b204e9800998ecf8427e", false, "MD5 hex digest"},
		{"user_id_12345678901234", false, "identifier glued to a long number"},
		{"ThisIsMyLongVariableName", false, "camel-case identifier, no digits"},
		{"getUserById2ForAdminPanel", false, "camel-case identifier with a digit"},
		{"checkout_step_3_payment_page", false, "snake-case identifier"},
		{"order_2024_ABCD_1234", false, "identifier with upper-case code"},
		{"Win64_x64_AppleWebKit537", false, "user-agent fragment"},
		{"aaaaaaaaaaaaaaaaaaaa1111", false, "low entropy"},
		{"id_123456789012345678", false, "long digit run"},
		{"Bearer undefined", false, "placeholder bearer"},
		{"Bearer " + "YOUR_ACCESS_TOKEN", false, "placeholder bearer: letters and underscores only"},
		{"-----BEGIN PUBLIC KEY-----", false, "public key"},
		{"-----BEGIN CERTIFICATE-----", false, "certificate"},
		{"AKIA1234", false, "AWS prefix, too short"},
		{"AKIAexamplekeyidabcd", false, "AWS key ids are upper case and digits"},
		{"com.example.app2.MainActivity", false, "dotted name"},
		{"2024-01-15T10:30:00.000Z", false, "timestamp"},
		{"/api/v1/users/12345/orders", false, "URL path"},
		{"sk-this-is-not-a-real-key-at-all", false, "sk- prefix without digits"},
		{"", false, "empty"},
	})
}

func TestSecretRandomTokens(t *testing.T) {
	// Random tokens from common alphabets should mostly pass; the run and
	// class rules may reject a few short ones by chance.
	for _, c := range []struct {
		alphabet string
		n        int
		min      float64 // lowest acceptable pass rate
	}{
		{alnum, 20, 0.90},
		{alnum, 32, 0.97},
		{alnum, 40, 0.98},
		{base64URL, 43, 0.98},
		{"abcdefghijklmnopqrstuvwxyz0123456789", 32, 0.88},
	} {
		pass := 0
		const trials = 500
		for i := range trials {
			if Secret(token(uint64(1000+i), c.alphabet, c.n)) {
				pass++
			}
		}
		if rate := float64(pass) / trials; rate < c.min {
			t.Errorf("alphabet of %d, length %d: %.2f pass, want ≥ %.2f", len(c.alphabet), c.n, rate, c.min)
		}
	}
}

func TestEntropy(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"", 0},
		{"aaaa", 0},
		{"ab", 1},
		{"abcd", 2},
		{"aabb", 1},
		{"0123456789abcdef", 4},
	} {
		if got := Entropy(c.in); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Entropy(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}
