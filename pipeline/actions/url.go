package actions

import (
	"net/netip"
	"strings"

	"github.com/veilstream/veil/classifiers/validate"
)

// IDPlaceholder replaces URL path segments that identify something or
// someone.
const IDPlaceholder = ":id"

// URL appends raw without its userinfo, query and fragment, and with every
// path segment that identifies replaced by IDPlaceholder. It keeps the
// scheme, host and port: a host names a site, not a person, except an
// IP-literal host, which is replaced by its network prefix in brackets
// ("http://[203.0.113.0/24]:8080/"), deliberately not a resolvable host.
// Relative references ("/pricing?email=x" → "/pricing") and scheme-relative
// ones ("//host/path") work too.
//
// A path segment is replaced when personalSegment (which may be nil)
// reports true for it, or when it looks like an identifier: it contains a
// run of 6 or more digits, a UUID, a run of 16 or more hex digits, an '@'
// (an email or a handle), or it is a token of 16 or more letters, digits,
// '-' and '_' mixing digits with upper- and lower-case letters. Matrix
// parameters (";jsessionid=…") are dropped with their segment's tail.
//
// An empty raw (a same-document reference) gives an empty result. URL
// reports false, leaving dst unchanged, when raw contains white space or
// control characters (it is not a URL) or a malformed authority.
func URL(dst []byte, raw string, personalSegment func(seg string) bool) ([]byte, bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] <= ' ' || raw[i] == 0x7f {
			return dst, false
		}
	}
	orig := len(dst)
	s := raw
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if n := schemeLen(s); n > 0 && !identifierSegment(s[:n]) {
		dst = append(dst, s[:n+1]...)
		s = s[n+1:]
	}
	authority := strings.HasPrefix(s, "//")
	if authority {
		dst = append(dst, "//"...)
		s = s[2:]
		end := authorityEnd(s)
		var ok bool
		if dst, ok = appendHost(dst, s[:end]); !ok {
			return dst[:orig], false
		}
		s = s[end:]
	}
	// path: segments separated by '/'
	pathStart := len(dst)
	for len(s) > 0 {
		seg := s
		next := ""
		if i := strings.IndexByte(s, '/'); i >= 0 {
			seg, next = s[:i], s[i:]
		}
		if i := strings.IndexByte(seg, ';'); i >= 0 {
			seg = seg[:i]
		}
		if seg != "" && (identifierSegment(seg) || (personalSegment != nil && personalSegment(seg))) {
			dst = append(dst, IDPlaceholder...)
		} else {
			dst = append(dst, seg...)
		}
		if next == "" {
			break
		}
		dst = append(dst, '/')
		s = next[1:]
	}
	if !authority && len(dst) >= pathStart+2 && dst[pathStart] == '/' && dst[pathStart+1] == '/' {
		// A segment emptied of its matrix parameters left a path that
		// would read as an authority: prefix "/." as RFC 3986 (5.3) does.
		dst = append(dst, 0, 0)
		copy(dst[pathStart+2:], dst[pathStart:])
		dst[pathStart], dst[pathStart+1] = '/', '.'
	}
	return dst, true
}

// authorityEnd returns where the authority at the start of s ends: at the
// first '/' outside brackets (a generalized host "[203.0.113.0/24]" has one
// inside).
func authorityEnd(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '/':
			if depth <= 0 {
				return i
			}
		}
	}
	return len(s)
}

// schemeLen returns the length of the scheme at the start of s (before its
// ':'), or 0 when s has none.
func schemeLen(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isLetter(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case c == ':' && i > 0:
			return i
		default:
			return 0
		}
	}
	return 0
}

// appendHost writes an authority without its userinfo, replacing an
// IP-literal host by its bracketed network prefix.
func appendHost(dst []byte, auth string) ([]byte, bool) {
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	host, port := auth, ""
	if strings.HasPrefix(auth, "[") {
		end := strings.IndexByte(auth, ']')
		if end < 0 {
			return dst, false
		}
		host, port = auth[:end+1], auth[end+1:]
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i:]
	}
	if port != "" && port != ":" && !validPort(port, false) {
		return dst, false
	}
	var addr netip.Addr
	ok := false
	if ipLiteral(host) {
		addr, ok = parseHostAddr(host)
	}
	maxBits := 128
	if !ok && len(host) > 2 && host[0] == '[' {
		// an already generalized host: "[203.0.113.0/24]"
		if p, err := netip.ParsePrefix(host[1 : len(host)-1]); err == nil && !p.Addr().Is4In6() {
			p = p.Masked()
			addr, maxBits, ok = p.Addr(), p.Bits(), true
		}
	}
	if ok {
		bits := defaultURLv6Bits
		if addr.Is4() {
			bits = defaultURLv4Bits
		}
		p, _ := addr.Prefix(min(bits, maxBits))
		dst = append(dst, '[')
		dst = p.AppendTo(dst)
		dst = append(dst, ']')
	} else {
		for i := 0; i < len(host); i++ {
			c := host[i]
			if !isLetter(c) && !isDigit(c) && c != '-' && c != '.' && c != '_' && c != '~' && c != '%' && c < 0x80 {
				return dst, false // not a host name
			}
		}
		dst = append(dst, host...)
	}
	return append(dst, port...), true
}

// ipLiteral reports whether a URL host can be an IP address: bracketed, or
// digits and dots only. Other hosts are names, and skipping the parse keeps
// their common case free of allocated parse errors.
func ipLiteral(host string) bool {
	if host == "" {
		return false
	}
	if host[0] == '[' {
		return true
	}
	for i := 0; i < len(host); i++ {
		if !isDigit(host[i]) && host[i] != '.' {
			return false
		}
	}
	return true
}

// Prefix lengths URL uses for IP-literal hosts.
const (
	defaultURLv4Bits = 24
	defaultURLv6Bits = 48
)

// identifierSegment reports whether a path segment looks like an identifier.
func identifierSegment(seg string) bool {
	digits, hex := 0, 0
	var hasDigit, hasUpper, hasLower bool
	token := true
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '@' {
			return true
		}
		if c == '%' && i+2 < len(seg) && seg[i+1] == '4' && seg[i+2] == '0' {
			return true // %40, an escaped '@'
		}
		if isDigit(c) {
			digits++
			if digits >= 6 {
				return true
			}
			hasDigit = true
		} else {
			digits = 0
		}
		if isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') {
			hex++
			if hex >= 16 {
				return true
			}
		} else {
			hex = 0
		}
		switch {
		case c >= 'A' && c <= 'Z':
			hasUpper = true
		case c >= 'a' && c <= 'z':
			hasLower = true
		case isDigit(c), c == '-', c == '_':
		default:
			token = false
		}
		if c == '-' && isUUIDAt(seg, i-8) {
			return true
		}
	}
	return token && len(seg) >= 16 && hasDigit && hasUpper && hasLower
}

// isUUIDAt reports whether seg holds a UUID (8-4-4-4-12 hex) starting at i.
func isUUIDAt(seg string, i int) bool {
	return i >= 0 && i+36 <= len(seg) && validate.UUID(seg[i:i+36])
}
