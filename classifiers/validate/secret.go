package validate

import (
	"math"
	"strings"
)

// SecretEntropyThreshold is the lowest Shannon entropy, in bits per
// character, of a token without a known prefix that Secret accepts. Random
// base64 or base62 tokens of 20 characters or more score about 4 or higher;
// English words and most identifiers score below 3.5.
const SecretEntropyThreshold = 3.5

// SecretMinLength is the shortest token without a known prefix that Secret
// considers.
const SecretMinLength = 20

// secretMaxLength bounds the token length Secret inspects.
const secretMaxLength = 4096

// maxSecretRun is the longest run of characters of one class (lower-case
// letters, upper-case letters, digits, symbols) an unprefixed token may
// hold: longer runs are long words or numbers ("id_123456789012345678"),
// rarely random output.
const maxSecretRun = 16

// Character sets for secretPrefix bodies.
const (
	csAlnum    = iota // A–Z a–z 0–9
	csUpperNum        // A–Z 0–9
	csURL             // A–Z a–z 0–9 - _
	csSlack           // A–Z a–z 0–9 -
)

// secretPrefix describes a credential format that starts with a fixed
// prefix: the body after it is made of the given character set and has
// between minBody and maxBody characters (maxBody 0: no upper bound).
type secretPrefix struct {
	prefix           string
	charset          int
	minBody, maxBody int
}

// secretPrefixes lists the credential formats Secret recognizes by prefix,
// with body lengths from the issuers' documentation.
var secretPrefixes = [...]secretPrefix{
	{"AKIA", csUpperNum, 16, 16}, // AWS access key ID
	{"ASIA", csUpperNum, 16, 16}, // AWS temporary access key ID
	{"ghp_", csAlnum, 30, 255},   // GitHub personal access token
	{"gho_", csAlnum, 30, 255},   // GitHub OAuth token
	{"ghs_", csAlnum, 30, 255},   // GitHub app installation token
	{"ghu_", csAlnum, 30, 255},   // GitHub user-to-server token
	{"ghr_", csAlnum, 30, 255},   // GitHub refresh token
	{"github_pat_", csURL, 22, 255},
	{"xoxb-", csSlack, 10, 255},    // Slack bot token
	{"xoxa-", csSlack, 10, 255},    // Slack app token
	{"xoxp-", csSlack, 10, 255},    // Slack user token
	{"xoxr-", csSlack, 10, 255},    // Slack refresh token
	{"xoxs-", csSlack, 10, 255},    // Slack session token
	{"sk_live_", csAlnum, 16, 255}, // Stripe secret key
	{"pk_live_", csAlnum, 16, 255}, // Stripe publishable key
	{"rk_live_", csAlnum, 16, 255}, // Stripe restricted key
	{"sk_test_", csAlnum, 16, 255}, // Stripe test-mode secret key
	{"rk_test_", csAlnum, 16, 255}, // Stripe test-mode restricted key
	{"AIza", csURL, 35, 35},        // Google API key
	{"glpat-", csURL, 20, 255},     // GitLab personal access token
	{"npm_", csAlnum, 36, 36},      // npm access token
	{"hf_", csAlnum, 30, 40},       // Hugging Face access token
}

// inCharset reports whether c belongs to the secretPrefix character set cs.
func inCharset(c byte, cs int) bool {
	switch cs {
	case csUpperNum:
		return isUpper(c) || isDigit(c)
	case csAlnum:
		return isLetter(c) || isDigit(c)
	case csURL:
		return isLetter(c) || isDigit(c) || c == '-' || c == '_'
	case csSlack:
		return isLetter(c) || isDigit(c) || c == '-'
	}
	return false
}

// bodyOK reports whether body has between min and max characters (max 0:
// unbounded) all in charset cs.
func bodyOK(body string, cs, min, max int) bool {
	if len(body) < min || (max > 0 && len(body) > max) {
		return false
	}
	for i := 0; i < len(body); i++ {
		if !inCharset(body[i], cs) {
			return false
		}
	}
	return true
}

// Secret reports whether s looks like a credential. It accepts:
//
//   - known formats by prefix: AWS access key IDs (AKIA…, ASIA…), GitHub
//     tokens (ghp_, gho_, ghs_, ghu_, ghr_, github_pat_), Slack tokens
//     (xoxb-, xoxa-, xoxp-, xoxr-, xoxs-), Stripe keys (sk_live_, pk_live_,
//     rk_live_, sk_test_, rk_test_), OpenAI-style keys (sk-… with letters and
//     digits, incl. sk-proj-… and sk-ant-…), Google API keys (AIza…), GitLab
//     tokens (glpat-), npm tokens (npm_), Hugging Face tokens (hf_),
//     SendGrid keys (SG.xxx.yyy), PEM private keys ("-----BEGIN … PRIVATE
//     KEY-----", the header alone or the whole block), HTTP bearer
//     credentials ("Bearer " and a token of 16 or more characters with a
//     digit or letters of both cases) and JSON Web Tokens (see JWT);
//   - any other token of SecretMinLength or more characters from the
//     base64/base64url alphabet (letters, digits, + / - _, and up to two
//     trailing '='), holding both letters and digits, whose Shannon entropy
//     is at least SecretEntropyThreshold bits per character, with no run of
//     more than 16 characters of one class (lower case, upper case, digits,
//     symbols), and that does not read as words glued into an identifier
//     (see identifierLike: "getUserById2ForAdminPanel" has 4.2 bits per
//     character, as much as a random token of its length).
//
// Some high-entropy strings are identifiers, not secrets, and are rejected:
// UUIDs and strings of hexadecimal digits only (hashes, git commit ids,
// trace ids). A hex API key therefore needs a prefix or a rule whose context
// words (a key name such as "api_key" or "password") mark it as a secret.
func Secret(s string) bool {
	if len(s) < 8 || len(s) > secretMaxLength {
		return false
	}
	for _, p := range secretPrefixes {
		if strings.HasPrefix(s, p.prefix) {
			if bodyOK(s[len(p.prefix):], p.charset, p.minBody, p.maxBody) {
				return true
			}
		}
	}
	switch {
	case strings.HasPrefix(s, "sk-"):
		if openAIKey(s[3:]) {
			return true
		}
	case strings.HasPrefix(s, "SG."):
		if key, sec, ok := strings.Cut(s[3:], "."); ok &&
			bodyOK(key, csURL, 22, 22) && bodyOK(sec, csURL, 43, 43) {
			return true
		}
	case strings.HasPrefix(s, "-----BEGIN "):
		if pemPrivateKey(s) {
			return true
		}
	case len(s) > 7 && strings.EqualFold(s[:7], "bearer "):
		if bearerToken(s[7:]) {
			return true
		}
	case strings.HasPrefix(s, "eyJ"):
		if JWT(s) {
			return true
		}
	}
	return highEntropyToken(s)
}

// openAIKey reports whether body, the part of an "sk-" key after the
// prefix, has 20 or more characters of [A-Za-z0-9_-] including both
// letters and digits.
func openAIKey(body string) bool {
	if !bodyOK(body, csURL, 20, 0) {
		return false
	}
	letters, digits := false, false
	for i := 0; i < len(body); i++ {
		letters = letters || isLetter(body[i])
		digits = digits || isDigit(body[i])
	}
	return letters && digits
}

// pemPrivateKey reports whether s starts with a PEM header line whose label
// names a private key ("RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE
// KEY", "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK", …).
func pemPrivateKey(s string) bool {
	rest := s[len("-----BEGIN "):]
	end := strings.Index(rest, "-----")
	if end < 0 || end > 64 {
		return false
	}
	label := rest[:end]
	return strings.HasSuffix(label, "PRIVATE KEY") || strings.HasSuffix(label, "PRIVATE KEY BLOCK")
}

// bearerToken reports whether t, the credentials after "Bearer ", is an
// RFC 6750 token68 of 16 or more characters holding a digit or letters of
// both cases, which placeholders such as "undefined" or "YOUR_ACCESS_TOKEN"
// do not.
func bearerToken(t string) bool {
	if len(t) < 16 {
		return false
	}
	i := len(t)
	for i > 0 && t[i-1] == '=' {
		i--
	}
	digit, lower, upperSeen := false, false, false
	for k := 0; k < i; k++ {
		c := t[k]
		switch {
		case isLower(c):
			lower = true
		case isUpper(c):
			upperSeen = true
		case isDigit(c):
			digit = true
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return digit || (lower && upperSeen)
}

// charClass numbers the classes highEntropyToken counts runs of.
func charClass(c byte) int {
	switch {
	case isLower(c):
		return 0
	case isUpper(c):
		return 1
	case isDigit(c):
		return 2
	}
	return 3
}

// highEntropyToken implements Secret's fallback for tokens without a known
// prefix.
func highEntropyToken(s string) bool {
	if len(s) < SecretMinLength || isUUID(s) {
		return false
	}
	end := len(s)
	for pad := 0; pad < 2 && end > 0 && s[end-1] == '='; pad++ {
		end--
	}
	body := s[:end]
	letters, digits, allHex := false, false, true
	run, prevClass := 0, -1
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case isLetter(c):
			letters = true
		case isDigit(c):
			digits = true
		case c == '+', c == '/', c == '-', c == '_':
		default:
			return false
		}
		allHex = allHex && isHex(c)
		if cl := charClass(c); cl == prevClass {
			run++
		} else {
			run, prevClass = 1, cl
		}
		if run > maxSecretRun {
			return false
		}
	}
	if !letters || !digits || allHex || body[0] == '/' || identifierLike(body) {
		return false
	}
	return Entropy(s) >= SecretEntropyThreshold
}

// identifierLike reports whether s reads as words glued into an identifier
// ("getUserById2ForAdminPanel", "checkout_step_3_payment_page"): its
// letters split into words (lower-case runs, Capitalized runs, ALL-CAPS
// runs) of which at most one has a single letter, and at least 30% of its
// letters (six or more) are vowels, as in English and most European words
// (about 40%) but not in random strings (about 19%). Random base62 tokens
// of 20 characters read as identifiers about 2.5% of the time, of 32
// characters under 0.5%.
func identifierLike(s string) bool {
	words, singles := 0, 0
	word := func(n int) {
		words++
		if n == 1 {
			singles++
		}
	}
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case isUpper(c):
			j := i
			for j < len(s) && isUpper(s[j]) {
				j++
			}
			if j < len(s) && isLower(s[j]) {
				// "HTTPServer": the last capital starts the next word.
				if j-i > 1 {
					word(j - 1 - i)
					i = j - 1
				}
				for j < len(s) && isLower(s[j]) {
					j++
				}
			}
			word(j - i)
			i = j
		case isLower(c):
			j := i
			for j < len(s) && isLower(s[j]) {
				j++
			}
			word(j - i)
			i = j
		default:
			i++
		}
	}
	if words == 0 || singles > 1 {
		return false
	}
	vowels, letters := 0, 0
	for i := 0; i < len(s); i++ {
		if isLetter(s[i]) {
			letters++
			switch s[i] | 0x20 {
			case 'a', 'e', 'i', 'o', 'u':
				vowels++
			}
		}
	}
	return letters >= 6 && vowels*10 >= letters*3
}

// isUUID reports whether s is a UUID in its canonical 8-4-4-4-12 hex form,
// optionally in braces.
func isUUID(s string) bool {
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	return UUID(s)
}

// UUID reports whether s is a UUID in its canonical form: 36 characters,
// hex digits (either case) in groups of 8-4-4-4-12 joined by '-'.
func UUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// Entropy returns the Shannon entropy of s in bits per byte, computed from
// the frequencies of its bytes: 0 for the empty string or one repeated
// byte, log2(k) for k distinct bytes in equal numbers.
func Entropy(s string) float64 {
	if s == "" {
		return 0
	}
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n := float64(len(s))
	h := 0.0
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}
