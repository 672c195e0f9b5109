package aggregate

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

// projectionVersion starts every projection record.
const projectionVersion = 1

// appendProjection appends the compact projection of ev that stage 1 writes
// to the repartition topic: version, event time (Unix ns, zigzag varint),
// contributor, dimension values (state byte, length, bytes), metrics (a
// presence byte, then 8 bytes of float64).
func appendProjection(dst []byte, ev *Event) []byte {
	dst = append(dst, projectionVersion)
	dst = binary.AppendVarint(dst, ev.Time.UnixNano())
	dst = binary.AppendUvarint(dst, uint64(len(ev.Contributor)))
	dst = append(dst, ev.Contributor...)
	dst = appendCohortKey(dst, ev.Dims)
	for _, m := range ev.Metrics {
		if math.IsNaN(m) {
			dst = append(dst, 0)
			continue
		}
		dst = append(dst, 1)
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(m))
	}
	return dst
}

var errProjection = errors.New("aggregate: malformed projection record")

// decodeProjection reads a projection into ev, whose Dims and Metrics must
// have the configured lengths; ev's slices then alias b.
func decodeProjection(b []byte, ev *Event) error {
	if len(b) < 1 || b[0] != projectionVersion {
		return errProjection
	}
	b = b[1:]
	t, n := binary.Varint(b)
	if n <= 0 {
		return errProjection
	}
	b = b[n:]
	ev.Time = time.Unix(0, t)
	l, n := binary.Uvarint(b)
	if n <= 0 || uint64(len(b)-n) < l {
		return errProjection
	}
	ev.Contributor = b[n : n+int(l) : n+int(l)]
	b = b[n+int(l):]
	for i := range ev.Dims {
		if len(b) == 0 {
			return errProjection
		}
		st := b[0]
		b = b[1:]
		switch st {
		case dimAbsent:
			ev.Dims[i] = nil
			continue
		case dimPresent:
		default:
			return errProjection
		}
		l, n := binary.Uvarint(b)
		if n <= 0 || uint64(len(b)-n) < l {
			return errProjection
		}
		ev.Dims[i] = b[n : n+int(l) : n+int(l)]
		b = b[n+int(l):]
	}
	for i := range ev.Metrics {
		if len(b) == 0 {
			return errProjection
		}
		if b[0] == 0 {
			ev.Metrics[i] = math.NaN()
			b = b[1:]
			continue
		}
		if b[0] != 1 || len(b) < 9 {
			return errProjection
		}
		ev.Metrics[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[1:9]))
		b = b[9:]
	}
	if len(b) != 0 {
		return errProjection
	}
	return nil
}
