package jsonwalk

import (
	"bytes"
	"encoding/json"
	"testing"
)

// benchEvent returns a compact analytics event of about 1 KB, nested the way
// veil's input events are, with escapes and non-ASCII text in it.
func benchEvent() []byte {
	const ev = `{
  "type": "track",
  "event": "Conversation Ended",
  "messageId": "ajs-next-6f1c2d9e8b7a4c3d2e1f0a9b8c7d6e5f",
  "timestamp": "2024-05-17T09:41:27.512Z",
  "userId": "usr_01HXYZ8K2M3N4P5Q6R7S8T9V0W",
  "anonymousId": "0b6e2f4a-9c1d-4e8b-a7f3-5d2c1b0a9e8f",
  "context": {
    "ip": "203.0.113.42",
    "locale": "de-DE",
    "timezone": "Europe/Berlin",
    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "location": {"country": "DE", "region": "BY", "city": "M\u00fcnchen", "postalCode": "80331", "latitude": 48.1374, "longitude": 11.5755},
    "page": {"path": "/bots/42/inbox", "referrer": "https://example.com/pricing?utm_source=newsletter", "title": "Inbox \u2014 Bots"},
    "device": {"type": "desktop", "os": {"name": "macOS", "version": "14.4.1"}},
    "traits": {"name": "Jürgen Weiß", "email": "j.weiss@example.de", "plan": "pro", "age": 41}
  },
  "properties": {
    "botId": 42,
    "durationMs": 183512,
    "messages": 17,
    "resolved": true,
    "rating": null,
    "tags": ["billing", "refund", "priority:high"],
    "transcript": [
      {"role": "user", "text": "Hi, I was charged twice \u2013 card ending 4242. Can you help?"},
      {"role": "bot", "text": "Sorry about that! I've opened ticket #55120 for you.\nAnything else?"}
    ],
    "scores": [0.91, 0.07, 1.5e-3]
  }
}`
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(ev)); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func BenchmarkRewriteKeepAll(b *testing.B) {
	in := benchEvent()
	var r Rewriter
	dst := make([]byte, 0, len(in))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = r.Rewrite(dst[:0], in, keepAll); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewriteSanitize builds every path and drops or replaces a few
// members, the way a policy-driven sanitizer calls Rewrite.
func BenchmarkRewriteSanitize(b *testing.B) {
	in := benchEvent()
	var r Rewriter
	dst := make([]byte, 0, len(in))
	var path []byte
	ip, null := []byte(`"203.0.113.0"`), []byte(`null`)
	fn := func(p *Path, v *Value) (Decision, []byte) {
		path = p.AppendTo(path[:0])
		switch string(path) {
		case "context.traits", "properties.transcript", "userId", "anonymousId":
			return Drop, nil
		case "context.ip":
			return Replace, ip
		case "context.location.city", "context.location.postalCode":
			return Replace, null
		}
		return Keep, nil
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if dst, err = r.Rewrite(dst[:0], in, fn); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalk(b *testing.B) {
	in := benchEvent()
	var r Rewriter
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Walk(in, keepAll); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingJSONRoundTrip is the baseline: decode into any, encode.
func BenchmarkEncodingJSONRoundTrip(b *testing.B) {
	in := benchEvent()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(in, &v); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodingJSONCompact is the closest encoding/json operation to a
// keep-all rewrite: validate and copy without whitespace.
func BenchmarkEncodingJSONCompact(b *testing.B) {
	in := benchEvent()
	var buf bytes.Buffer
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := json.Compact(&buf, in); err != nil {
			b.Fatal(err)
		}
	}
}
