package engine

import (
	"errors"
	"fmt"
	"time"

	"github.com/veilstream/veil/classifiers"
)

// Detector is a classifier that is not a regular expression, such as the
// PERSON dictionaries of package names. Its findings join the rules'
// findings in overlap resolution (they are not subject to validators or
// context words, only to the minimum score). Detect appends to dst and
// returns it; it must be safe for concurrent use and should not allocate
// in steady state.
type Detector interface {
	Detect(text string, dst []classifiers.Finding) []classifiers.Finding
}

// Hooks receives engine events for telemetry without the engine depending
// on a telemetry library. Implementations must be safe for concurrent use
// and fast: they run on the scan path.
type Hooks interface {
	// OnTimeout is called when a rule hit its match timeout or its
	// backtracking limit, making the value being scanned unclassifiable.
	OnTimeout(ruleID string)
}

// Option configures Compile, NewNaive and TestExamples.
type Option func(*config)

// Defaults of the options.
const (
	// DefaultMatchTimeout bounds each regexp2 search (see WithMatchTimeout).
	DefaultMatchTimeout = 50 * time.Millisecond
	// DefaultMinScore is the score below which findings are not reported.
	DefaultMinScore = 0.4
)

type config struct {
	lookup    func(name string) (func(string) bool, bool)
	detectors []Detector
	timeout   time.Duration
	minScore  float64
	hooks     Hooks
	re2Screen bool
}

func newConfig(opts []Option) config {
	c := config{timeout: DefaultMatchTimeout, minScore: DefaultMinScore}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

func (c *config) validate() error {
	if c.timeout <= 0 {
		return fmt.Errorf("match timeout %v: must be positive", c.timeout)
	}
	if c.minScore < 0 || c.minScore > 1 {
		return fmt.Errorf("minimum score %v: must be in [0, 1]", c.minScore)
	}
	for i, d := range c.detectors {
		if d == nil {
			return fmt.Errorf("detector %d is nil", i)
		}
	}
	return nil
}

// WithValidators sets how rules' validator names resolve to functions;
// pass validate.Lookup. Without it, a rule that names a validator fails to
// compile. The functions must be safe for concurrent use.
func WithValidators[F ~func(string) bool](lookup func(name string) (F, bool)) Option {
	return func(c *config) {
		if lookup == nil {
			c.lookup = nil
			return
		}
		c.lookup = func(name string) (func(string) bool, bool) {
			f, ok := lookup(name)
			if !ok || f == nil {
				return nil, false
			}
			return f, true
		}
	}
}

// WithDetectors adds detectors whose findings join overlap resolution.
func WithDetectors(d ...Detector) Option {
	return func(c *config) { c.detectors = append(c.detectors, d...) }
}

// WithMatchTimeout bounds each regexp2 search (DefaultMatchTimeout if not
// set). A search is one window of one rule, so a value's worst case is
// this bound times the windows that reach regexp2. regexp2 checks its
// clock about every 100ms, so short timeouts act late; each rule also has
// regexp2's backtracking limit, which usually stops runaway patterns
// first. Go's regexp runs in linear time and has no timeout.
func WithMatchTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithMinScore sets the score below which findings are dropped
// (DefaultMinScore if not set); it must be in [0, 1].
func WithMinScore(s float64) Option {
	return func(c *config) { c.minScore = s }
}

// WithHooks sets the telemetry hooks.
func WithHooks(h Hooks) Option {
	return func(c *config) { c.hooks = h }
}

// WithRE2Screen makes Go's regexp (RE2, linear time) screen each window
// of the rules it can run before regexp2 extracts the matches from the
// windows it accepted. Off by default: on windows this small, regexp2
// alone is measured faster (see the package documentation); the screen
// buys a linear-time bound on the windows that hold no match.
func WithRE2Screen(on bool) Option {
	return func(c *config) { c.re2Screen = on }
}

// ErrUnclassifiable is returned, wrapped in an *UnclassifiableError, when
// a rule could not finish on a value (match timeout or backtracking
// limit). The value's content is unknown: callers must fail closed and
// treat the whole value as personal data.
var ErrUnclassifiable = errors.New("value unclassifiable")

// UnclassifiableError names the rule that could not finish. It never
// carries the scanned text (regexp2's own timeout error quotes its input,
// which would leak personal data into logs, so it is not wrapped).
type UnclassifiableError struct {
	RuleID string
	// Source is where the rule was defined.
	Source string
	// Cause is "match timeout" or "backtracking limit".
	Cause string
}

// Error implements error.
func (e *UnclassifiableError) Error() string {
	return "engine: rule " + e.RuleID + " (" + e.Source + "): " + e.Cause + ": " + ErrUnclassifiable.Error()
}

// Unwrap makes errors.Is(err, ErrUnclassifiable) hold.
func (e *UnclassifiableError) Unwrap() error { return ErrUnclassifiable }
