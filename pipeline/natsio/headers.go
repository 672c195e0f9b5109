package natsio

import (
	"encoding/base64"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// EncodedHeaderPrefix starts the name of a header that could not be carried
// as it was; see [DecodeHeader].
const EncodedHeaderPrefix = "Veil-B64-"

// appendHeader writes one record header's value onto arena and returns the
// name to publish it under. A header is carried verbatim when NATS can carry
// it unchanged and JetStream gives it no meaning: a name of printable ASCII
// without the characters nats.go refuses, not starting with "Nats-"
// (JetStream's control headers: an input header must never set a message ID
// or an expected stream), and a value without control characters or
// surrounding spaces (which the header encoding would rewrite or trim). Any
// other header (in practice an input header carried on a dead letter) is
// written as EncodedHeaderPrefix plus the unpadded URL-safe base64 of the
// name, with the standard base64 of the value.
func appendHeader(arena []byte, key string, value []byte) (string, []byte) {
	if plainKey(key) && plainValue(value) {
		return key, append(arena, value...)
	}
	return EncodedHeaderPrefix + base64.RawURLEncoding.EncodeToString([]byte(key)), base64.StdEncoding.AppendEncode(arena, value)
}

// addHeader adds one record header to h, as appendHeader writes it.
func addHeader(h nats.Header, key string, value []byte) {
	k, v := appendHeader(nil, key, value)
	h[k] = append(h[k], string(v))
}

// DecodeHeader turns a header read from a stream back into the record header
// veil was given: a name starting with EncodedHeaderPrefix and its value are
// base64-decoded, any other header is returned as it is. ok is false for an
// encoded header that does not decode.
func DecodeHeader(key, value string) (k string, v []byte, ok bool) {
	rest, found := strings.CutPrefix(key, EncodedHeaderPrefix)
	if !found {
		return key, []byte(value), true
	}
	kb, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return "", nil, false
	}
	vb, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return "", nil, false
	}
	return string(kb), vb, true
}

// plainKey reports whether a header name goes out verbatim: non-empty,
// printable ASCII other than the separators nats.go refuses, and neither a
// JetStream control header nor something that looks encoded.
func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		b := k[i]
		if b <= ' ' || b >= 0x7f {
			return false
		}
		switch b {
		case '"', '(', ')', '/', ',', ':', ';', '<', '=', '>', '?', '@', '[', '\\', ']', '{', '}':
			return false
		}
	}
	return !hasPrefixFold(k, "nats-") && !hasPrefixFold(k, EncodedHeaderPrefix)
}

// plainValue reports whether a header value survives the NATS header
// encoding unchanged: no control characters (CR and LF would be replaced)
// and no leading or trailing space or tab (which is trimmed).
func plainValue(v []byte) bool {
	for _, b := range v {
		if b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	if len(v) > 0 {
		if f, l := v[0], v[len(v)-1]; f == ' ' || f == '\t' || l == ' ' || l == '\t' {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// msgIDHeader and expectStreamHeader are the JetStream control headers every
// publish carries.
const (
	msgIDHeader        = jetstream.MsgIDHeader
	expectStreamHeader = jetstream.ExpectedStreamHeader
)
