package aggregate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// ErrLate is returned (wrapped) by Add for an event whose window already
// closed: the event was counted as late and dropped. It is not a failure.
var ErrLate = errors.New("aggregate: event later than the allowed lateness")

// Event is one event as the aggregator sees it: its time, its cohort's
// dimension values, its contributor and its metric values. Slices are only
// read during Add.
type Event struct {
	// Time is the event time.
	Time time.Time
	// Dims has one value per configured dimension, in order; nil means
	// absent. Values must come from the sanitized event (already
	// generalized); derived dimensions are computed by Add and their
	// entries ignored.
	Dims [][]byte
	// Contributor identifies the end-user (see Extractor). It is hashed
	// with the window's key and forgotten. Required.
	Contributor []byte
	// Metrics has one value per configured metric, in order; NaN means
	// absent.
	Metrics []float64
}

// Option configures an Aggregator.
type Option func(*options)

type options struct {
	hooks    hooks
	rand     io.Reader
	noOther  bool
	noiseKey []byte
}

// WithHooks sends telemetry to every hook given (see Hook).
func WithHooks(hs ...Hook) Option {
	return func(o *options) {
		for _, h := range hs {
			if h != nil {
				o.hooks.add(h)
			}
		}
	}
}

// WithRand sets the source of randomness for window keys and, without
// WithNoiseKey, for the noise key (crypto/rand by default). For tests only:
// a predictable source makes the hashes recomputable and the noise
// removable.
func WithRand(r io.Reader) Option {
	return func(o *options) { o.rand = r }
}

// withoutOther disables the "other" bucket (the Kafka runtime does, when
// several aggregators share a window).
func withoutOther() Option {
	return func(o *options) { o.noOther = true }
}

// Aggregator windows events by event time and publishes, per closed window,
// the cohorts that have at least k distinct contributors (see the package
// documentation). It holds the state of one stream partition: one watermark.
// It is not safe for concurrent use.
type Aggregator struct {
	cfg   Config
	opts  options
	size  int64 // window length, ns
	late  int64 // allowed lateness, ns
	sp    setParams
	rnd   *random
	nm    int // metrics
	nh    int // histogram buckets over all metrics
	histO []int
	m     int // bound slots per contributor (0: unbounded)

	maxTime   int64 // newest event time seen
	watermark int64
	started   bool
	windows   []*window // open, by start
	ready     []Record
	scratch   []byte
	hourBuf   [2]byte
	dimBuf    [][]byte

	zeroVals []float64
	zeroHist []uint64

	levels []level
	dp     *dpParams
	noise  *noiseSource
	dimOf  map[string]int
	err    error
}

// New validates cfg and returns an Aggregator for it.
func New(cfg Config, opts ...Option) (*Aggregator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	a := &Aggregator{
		cfg:       cfg,
		size:      int64(cfg.Window),
		late:      int64(cfg.AllowedLateness),
		sp:        setParams{limit: cfg.ExactLimit, precision: cfg.Precision},
		nm:        len(cfg.Metrics),
		maxTime:   math.MinInt64,
		watermark: math.MinInt64,
		dimOf:     map[string]int{},
	}
	for _, o := range opts {
		o(&a.opts)
	}
	a.rnd = newRandom(a.opts.rand)
	for i, d := range cfg.Dimensions {
		a.dimOf[d.Name] = i
	}
	for _, m := range cfg.Metrics {
		a.histO = append(a.histO, a.nh)
		if len(m.Histogram) > 0 {
			a.nh += len(m.Histogram) + 1
		}
	}
	a.zeroVals = make([]float64, 2*a.nm)
	a.zeroHist = make([]uint64, a.nh)
	a.dimBuf = make([][]byte, len(cfg.Dimensions))
	if cfg.Bounds.enabled() {
		a.m = cfg.Bounds.MaxCohortsPerWindow
	}
	a.levels = a.makeLevels()
	if cfg.Privacy != nil {
		dp, err := newDPParams(&a.cfg, len(a.levels))
		if err != nil {
			return nil, err
		}
		a.dp = dp
		key := a.opts.noiseKey
		if key == nil {
			key = make([]byte, MinNoiseKeySize)
			for i := 0; i < len(key); i += 8 {
				binary.LittleEndian.PutUint64(key[i:], a.rnd.uint64())
			}
			if a.rnd.err != nil {
				return nil, a.rnd.err
			}
		}
		if a.noise, err = newNoiseSource(key, &a.cfg); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// WindowOf returns the bounds of the window containing t.
func (a *Aggregator) WindowOf(t time.Time) (start, end time.Time) {
	s := floorDiv(t.UnixNano(), a.size) * a.size
	return time.Unix(0, s).UTC(), time.Unix(0, s+a.size).UTC()
}

// Watermark returns the newest event time seen minus the allowed lateness:
// every window ending at or before it is closed. The zero Time before any
// event.
func (a *Aggregator) Watermark() time.Time {
	if !a.started {
		return time.Time{}
	}
	return time.Unix(0, a.watermark).UTC()
}

// Restore sets the watermark of an aggregator that resumes a partition
// (from a checkpoint): windows ending at or before wm count as closed, so
// replayed events of windows already published are dropped, not published
// again in part. It must be called before the first Add.
func (a *Aggregator) Restore(wm time.Time) error {
	if a.started || len(a.windows) > 0 {
		return errors.New("aggregate: Restore after events were added")
	}
	a.watermark = wm.UnixNano()
	a.maxTime = a.watermark + a.late
	a.started = true
	return nil
}

// OpenWindows returns the number of open windows.
func (a *Aggregator) OpenWindows() int { return len(a.windows) }

// Err returns the first failure of the random source (nil with
// crypto/rand); records are not published after one.
func (a *Aggregator) Err() error { return a.err }

// Add adds one event. It returns an error wrapping ErrLate for an event
// whose window is closed, and another error for an event that does not
// match the configuration (wrong number of dimensions or metrics, no
// contributor). Adding may close windows: their records are then ready for
// Drain. Add does not allocate for an event of an existing cohort (with
// bounds: of a known contributor).
func (a *Aggregator) Add(ev Event) error {
	if len(ev.Dims) != len(a.cfg.Dimensions) || len(ev.Metrics) != a.nm {
		return fmt.Errorf("aggregate: event has %d dimensions and %d metrics, want %d and %d",
			len(ev.Dims), len(ev.Metrics), len(a.cfg.Dimensions), a.nm)
	}
	if len(ev.Contributor) == 0 {
		return ErrNoContributor
	}
	t := ev.Time.UnixNano()
	if t > a.maxTime || !a.started {
		a.maxTime, a.started = t, true
		if wm := t - a.late; wm > a.watermark {
			a.watermark = wm
			a.closeThrough(wm)
		}
	}
	start := floorDiv(t, a.size) * a.size
	if start+a.size <= a.watermark {
		for _, h := range a.opts.hooks.late {
			h.OnLateEvent(ev.Time, time.Unix(0, a.watermark).UTC())
		}
		return ErrLate
	}
	w := a.window(start)

	dims := a.dimBuf
	copy(dims, ev.Dims)
	for i := range a.cfg.Dimensions {
		if a.cfg.Dimensions[i].Derive == DeriveHour {
			h := time.Unix(0, t).UTC().Hour()
			a.hourBuf = [2]byte{byte('0' + h/10), byte('0' + h%10)}
			dims[i] = a.hourBuf[:]
		}
	}
	a.scratch = appendCohortKey(a.scratch[:0], dims)
	ci := w.cohortFor(a.scratch, a)
	clear(dims)
	h := w.key.sum64(ev.Contributor)
	c := &w.cohorts[ci]
	if a.m > 0 {
		keep, fresh := w.bound(h, ci, a.cfg.Bounds, a.m)
		if !keep {
			return nil
		}
		if fresh {
			c.distinct++
		}
	} else {
		c.set.add(h, &a.sp)
	}
	c.count++
	w.events++
	if a.nm > 0 {
		a.addMetrics(w, ci, ev.Metrics)
	}
	return nil
}

// ErrNoContributor is returned by Add and Extract for an event that names
// no contributor: it cannot be counted towards k, so it is not counted.
var ErrNoContributor = errors.New("aggregate: event has no contributor")

func (a *Aggregator) addMetrics(w *window, ci int32, ms []float64) {
	vals := w.vals[int(ci)*2*a.nm : int(ci+1)*2*a.nm]
	hist := w.hist[int(ci)*a.nh : int(ci+1)*a.nh]
	for i, v := range ms {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		m := &a.cfg.Metrics[i]
		if m.Lower != nil {
			v = min(max(v, *m.Lower), *m.Upper)
		}
		if a.dp != nil {
			v = math.Round(v)
		}
		vals[2*i] += v
		vals[2*i+1]++
		if len(m.Histogram) > 0 {
			b := 0
			for b < len(m.Histogram) && v >= m.Histogram[b] {
				b++
			}
			hist[a.histO[i]+b]++
		}
	}
}

// window returns the open window starting at start, opening it.
func (a *Aggregator) window(start int64) *window {
	for _, w := range a.windows {
		if w.start == start {
			return w
		}
	}
	w := &window{start: start, end: start + a.size, index: map[string]int32{}}
	w.key = hashKey{a.rnd.uint64(), a.rnd.uint64()}
	if a.m > 0 {
		w.contribIdx = map[uint64]int32{}
	}
	a.windows = append(a.windows, w)
	sortWindows(a.windows)
	return w
}

// closeThrough closes every window ending at or before wm, oldest first.
func (a *Aggregator) closeThrough(wm int64) {
	n := 0
	for _, w := range a.windows {
		if w.end > wm {
			break
		}
		a.closeWindow(w)
		n++
	}
	if n > 0 {
		clear(a.windows[:n])
		a.windows = append(a.windows[:0], a.windows[n:]...)
	}
}

// Flush closes every open window now, whatever the watermark (for a demo
// or a test at the end of its input). Events for those windows arriving
// later are late. A Kafka runtime does not flush on shutdown: the open
// windows are rebuilt from the uncommitted input instead.
func (a *Aggregator) Flush() {
	if len(a.windows) == 0 {
		return
	}
	last := a.windows[len(a.windows)-1].end
	if last > a.watermark {
		a.watermark = last
		if a.maxTime < last+a.late {
			a.maxTime = last + a.late
		}
	}
	a.closeThrough(a.watermark)
}

// Drain appends the records of the windows closed since the last Drain to
// dst, window by window in start order, and returns it.
func (a *Aggregator) Drain(dst []Record) []Record {
	dst = append(dst, a.ready...)
	clear(a.ready)
	a.ready = a.ready[:0]
	return dst
}

// Close erases the state of every open window (keys, hashes, sketches)
// without publishing it.
func (a *Aggregator) Close() {
	for _, w := range a.windows {
		w.zero()
	}
	clear(a.windows)
	a.windows = nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
