package aggregate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash"
	"math/rand/v2"
)

// MinNoiseKeySize is the shortest noise key WithNoiseKey accepts, in bytes.
const MinNoiseKeySize = 32

// WithNoiseKey sets the secret that differential-privacy noise is derived
// from. Each published group's noise (its noisy contributor count, count,
// and metric values) is drawn from a ChaCha8 stream, a cryptographically
// strong generator, seeded with HMAC-SHA256 under this key of the window's
// bounds, the rollup level, the group's dimension values and a fingerprint
// of the configuration. A window published again after a crash therefore
// gets the very same noise: a replay is not a second release, and averaging
// the copies on the compacted topic learns nothing. The key must be secret
// (whoever holds it can subtract the noise) and at least MinNoiseKeySize
// bytes; share it between replicas and keep it across restarts. Without
// it, New draws a random key that lives only in memory, so a window
// re-published after a restart gets a fresh draw (a second release). Noise
// keys are ignored without Config.Privacy.
func WithNoiseKey(key []byte) Option {
	return func(o *options) { o.noiseKey = append([]byte(nil), key...) }
}

// noiseSource draws each group's noise from its own keyed stream.
type noiseSource struct {
	mac    hash.Hash // HMAC-SHA256 under the noise key
	cfgSum [sha256.Size]byte
	stream rand.ChaCha8
	rnd    random
	sum    []byte
	buf    []byte
}

func newNoiseSource(key []byte, cfg *Config) (*noiseSource, error) {
	if len(key) < MinNoiseKeySize {
		return nil, errors.New("aggregate: the noise key is shorter than 32 bytes")
	}
	// The fingerprint keeps two configurations from sharing noise: the same
	// cohort under another k, bounds or epsilon is another release.
	fp, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	n := &noiseSource{mac: hmac.New(sha256.New, key), cfgSum: sha256.Sum256(fp)}
	n.rnd.r = &n.stream
	return n, nil
}

// forGroup reseeds the stream for one group of one window at one rollup
// level and returns it. The draws made from it depend on nothing else.
func (n *noiseSource) forGroup(start, end int64, level int, groupKey string) *random {
	n.buf = append(n.buf[:0], "veil/aggregate-noise/v1"...)
	n.buf = append(n.buf, n.cfgSum[:]...)
	n.buf = binary.BigEndian.AppendUint64(n.buf, uint64(start))
	n.buf = binary.BigEndian.AppendUint64(n.buf, uint64(end))
	n.buf = binary.BigEndian.AppendUint32(n.buf, uint32(level))
	n.buf = append(n.buf, groupKey...)
	n.mac.Reset()
	n.mac.Write(n.buf)
	n.sum = n.mac.Sum(n.sum[:0])
	n.stream.Seed([32]byte(n.sum))
	clear(n.sum)
	n.rnd.err = nil
	return &n.rnd
}
