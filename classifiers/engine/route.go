package engine

import (
	"regexp"
	"regexp/syntax"
)

// goRoute decides whether a pattern that regexp2 accepts may also run on
// Go's regexp with the same meaning. It returns the Go program and its
// parse tree, or nil when the rule must stay on regexp2 alone.
//
// A pattern goes to Go only when Go's parser accepts it (which already
// excludes lookarounds, backreferences, atomic groups, possessive
// quantifiers, conditionals, comments, \Z and \G) and it avoids the
// constructs that both parsers accept with different meanings:
//
//   - \1-\9 escapes: octal in Go, backreferences in regexp2;
//   - "-[" inside a class: a literal in Go, class subtraction in regexp2;
//   - the U (ungreedy) flag, which regexp2 ignores.
//
// The one remaining difference is \b and \B: Go's word characters are
// ASCII, regexp2's are Unicode letters and digits. The engine therefore
// skips Go for a rule with word-boundary assertions on any window that
// holds a non-ASCII byte (see wordSensitive). TestGoRegexp2Agree and
// FuzzGoRegexp2Agree check this list against both engines.
func goRoute(pattern string) (*regexp.Regexp, *syntax.Regexp) {
	if !textRoutable(pattern) {
		return nil, nil
	}
	tree, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, nil
	}
	return re, tree
}

// textRoutable scans the pattern text for the constructs goRoute excludes.
func textRoutable(p string) bool {
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			if n >= '1' && n <= '9' {
				return false
			}
			if n == 'Q' {
				// \Q...\E quotes everything up to \E (or the end).
				end := indexFrom(p, `\E`, i+2)
				if end < 0 {
					return true
				}
				i = end + 1
				continue
			}
			i++
		case inClass && c == '[':
			if i > 0 && p[i-1] == '-' {
				return false
			}
			if i+1 < len(p) && p[i+1] == ':' {
				// a named ASCII class such as [:alpha:]
				if end := indexFrom(p, ":]", i+2); end >= 0 {
					i = end + 1
				}
			}
		case inClass && c == ']':
			inClass = false
		case !inClass && c == '[':
			inClass = true
			// A ']' right after '[' or '[^' is a literal member.
			if i+1 < len(p) && p[i+1] == '^' {
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				i++
			}
		case !inClass && c == '(' && i+1 < len(p) && p[i+1] == '?':
			for j := i + 2; j < len(p) && p[j] != ')' && p[j] != ':'; j++ {
				if p[j] == 'U' {
					return false
				}
			}
		}
	}
	return true
}

func indexFrom(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// wordSensitive reports whether a Go-parsed pattern contains \b or \B.
func wordSensitive(re *syntax.Regexp) bool {
	if re.Op == syntax.OpWordBoundary || re.Op == syntax.OpNoWordBoundary {
		return true
	}
	for _, s := range re.Sub {
		if wordSensitive(s) {
			return true
		}
	}
	return false
}
