package natsio

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// subjectTemplate is a parsed [Config].Subject.
type subjectTemplate struct {
	parts []tmplPart
}

// tmplPart is a literal run of the template, or a placeholder.
type tmplPart struct {
	lit string
	ph  placeholder
}

type placeholder uint8

const (
	phNone placeholder = iota
	phTopic
	phPartition
)

// parseSubject checks a subject template: tokens separated by '.', none
// empty, printable ASCII without wildcards, braces only in {topic} and
// {partition}.
func parseSubject(s string) (subjectTemplate, error) {
	var t subjectTemplate
	if s == "" {
		return t, errors.New("empty")
	}
	lit := 0
	tokenStart := true
	for i := 0; i < len(s); {
		b := s[i]
		switch {
		case b == '.':
			if tokenStart {
				return t, fmt.Errorf("%q has an empty token at byte %d", s, i)
			}
			tokenStart = true
			i++
			continue
		case b == '{':
			var ph placeholder
			var n int
			switch {
			case strings.HasPrefix(s[i:], PlaceholderTopic):
				ph, n = phTopic, len(PlaceholderTopic)
			case strings.HasPrefix(s[i:], PlaceholderPartition):
				ph, n = phPartition, len(PlaceholderPartition)
			default:
				return t, fmt.Errorf("%q has an unknown placeholder at byte %d (known: %s, %s)", s, i, PlaceholderTopic, PlaceholderPartition)
			}
			if lit < i {
				t.parts = append(t.parts, tmplPart{lit: s[lit:i]})
			}
			t.parts = append(t.parts, tmplPart{ph: ph})
			i += n
			lit = i
		case b == '}':
			return t, fmt.Errorf("%q has a '}' outside a placeholder at byte %d", s, i)
		case b == '*' || b == '>':
			return t, fmt.Errorf("%q holds the wildcard %q; records are published to one subject each", s, b)
		case b <= ' ' || b >= 0x7f:
			return t, fmt.Errorf("%q holds a space, control or non-ASCII character at byte %d", s, i)
		default:
			i++
		}
		tokenStart = false
	}
	if tokenStart {
		return t, fmt.Errorf("%q ends with an empty token", s)
	}
	if lit < len(s) {
		t.parts = append(t.parts, tmplPart{lit: s[lit:]})
	}
	return t, nil
}

// append renders the subject of records from topic and partition onto dst.
func (t *subjectTemplate) append(dst []byte, topic string, partition int32) []byte {
	for _, p := range t.parts {
		switch p.ph {
		case phNone:
			dst = append(dst, p.lit...)
		case phTopic:
			dst = appendTopicToken(dst, topic)
		case phPartition:
			dst = strconv.AppendInt(dst, int64(partition), 10)
		}
	}
	return dst
}

// appendTopicToken writes topic as one subject token: bytes other than ASCII
// letters, digits, '-' and '_' become '_', and an empty topic is "_".
func appendTopicToken(dst []byte, topic string) []byte {
	if topic == "" {
		return append(dst, '_')
	}
	for i := 0; i < len(topic); i++ {
		b := topic[i]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' {
			dst = append(dst, b)
		} else {
			dst = append(dst, '_')
		}
	}
	return dst
}

// pattern is the template as a subject filter: each token holding a
// placeholder becomes '*'.
func (t *subjectTemplate) pattern() string {
	var b strings.Builder
	wild := false
	flush := func(tok string) {
		if wild {
			b.WriteByte('*')
		} else {
			b.WriteString(tok)
		}
		wild = false
	}
	var tok strings.Builder
	for _, p := range t.parts {
		if p.ph != phNone {
			wild = true
			continue
		}
		s := p.lit
		for {
			i := strings.IndexByte(s, '.')
			if i < 0 {
				tok.WriteString(s)
				break
			}
			tok.WriteString(s[:i])
			flush(tok.String())
			tok.Reset()
			b.WriteByte('.')
			s = s[i+1:]
		}
	}
	flush(tok.String())
	return b.String()
}

// checkFilter checks a stream subject: non-empty tokens, '*' only as a whole
// token, '>' only as the whole last token, no spaces or control characters.
func checkFilter(f string) error {
	if f == "" {
		return errors.New("empty subject")
	}
	toks := strings.Split(f, ".")
	for i, tok := range toks {
		if tok == "" {
			return fmt.Errorf("%q has an empty token", f)
		}
		for j := 0; j < len(tok); j++ {
			b := tok[j]
			switch {
			case b <= ' ' || b == 0x7f:
				return fmt.Errorf("%q holds a space or control character", f)
			case b == '*' && tok != "*":
				return fmt.Errorf("%q has '*' inside token %q (a wildcard is a whole token)", f, tok)
			case b == '>' && (tok != ">" || i != len(toks)-1):
				return fmt.Errorf("%q has '>' other than as its whole last token", f)
			}
		}
	}
	return nil
}

// covered reports whether every subject matching pattern (whose '*' tokens
// stand for any token) matches one of the filters.
func covered(pattern string, filters []string) bool {
	for _, f := range filters {
		if subsetMatch(pattern, f) {
			return true
		}
	}
	return false
}

// subsetMatch reports whether every subject matching pattern matches filter.
func subsetMatch(pattern, filter string) bool {
	pt, ft := strings.Split(pattern, "."), strings.Split(filter, ".")
	for i, f := range ft {
		if f == ">" {
			return len(pt) > i
		}
		if i >= len(pt) {
			return false
		}
		if f != "*" && (pt[i] == "*" || pt[i] != f) {
			return false
		}
	}
	return len(pt) == len(ft)
}
