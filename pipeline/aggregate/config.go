package aggregate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Limits and defaults of [Config].
const (
	MinWindow = time.Minute
	MaxWindow = 24 * time.Hour
	// MaxLateness bounds AllowedLateness: windows stay in memory that long
	// after their end.
	MaxLateness = 7 * 24 * time.Hour
	// DefaultK is the k threshold when Config.K is zero.
	DefaultK = 10
	// DefaultExactLimit is how many distinct contributors a cohort counts
	// exactly before it switches to a HyperLogLog sketch.
	DefaultExactLimit = 1024
	// DefaultPrecision is the HyperLogLog precision p (2^p registers of one
	// byte: 16 KiB, a relative standard error of 1.04/sqrt(2^p) = 0.81%).
	DefaultPrecision = 14
	// MinPrecision and MaxPrecision bound the HyperLogLog precision.
	MinPrecision = 4
	MaxPrecision = 18
	// MaxDimensions bounds the number of dimensions of a cohort.
	MaxDimensions = 16
	// MaxCohortsBound bounds Bounds.MaxCohortsPerWindow.
	MaxCohortsBound = 64
)

// Derived dimension sources: values computed from the event time rather than
// read from the event.
const (
	// DeriveHour is the UTC hour of day of the event time, "00" to "23".
	DeriveHour = "hour"
)

// Config says how an aggregate output windows, groups and counts events and
// what it may publish. Field names in errors are the yaml keys.
type Config struct {
	// Window is the length of the tumbling windows, from 1m to 24h. It must
	// divide a day evenly (windows are aligned on UTC midnight) and be a
	// whole number of seconds.
	Window time.Duration `yaml:"window"`
	// AllowedLateness is how far behind the newest event time seen an event
	// may be and still join its window. A window closes, and is published,
	// once the watermark (newest event time minus AllowedLateness) reaches
	// its end; later events for it are counted as late and dropped. 0 to
	// MaxLateness.
	AllowedLateness time.Duration `yaml:"allowed_lateness"`
	// K is the least number of distinct contributors of a published record.
	// Default DefaultK; at least 1 (1 disables the threshold in effect).
	K int `yaml:"k"`
	// Dimensions are the cohort dimensions, in order. Their values are read
	// from the sanitized event, so a dimension the output's purpose does not
	// allow is absent (null) in every cohort. At least one, at most
	// MaxDimensions.
	Dimensions []Dimension `yaml:"dimensions"`
	// Rollup names the dimensions a cohort below K may be rolled up over,
	// finest first: such a cohort's counts move to the cohort without
	// Rollup[0], then without Rollup[0] and Rollup[1], and so on, and last
	// to the "other" bucket, which has no dimension at all. Dimensions not
	// named are kept at every level. Default: every dimension, last first.
	Rollup []string `yaml:"rollup"`
	// Metrics are numeric fields summed, averaged and bucketed per cohort.
	Metrics []Metric `yaml:"metrics"`
	// TimePaths are the paths of the event time in the raw event, first
	// present wins: an RFC 3339 string or a Unix epoch number (seconds, or
	// milliseconds when above 1e11). An event with none uses its record
	// timestamp. Default DefaultTimePaths.
	TimePaths []string `yaml:"time_paths"`
	// Contributor says what identifies the end-user of an event.
	Contributor ContributorConfig `yaml:"contributor"`
	// ExactLimit is how many distinct contributors a cohort counts exactly
	// (as keyed 64-bit hashes) before switching to a HyperLogLog sketch.
	// Default DefaultExactLimit; at least K.
	ExactLimit int `yaml:"exact_limit"`
	// Precision is the HyperLogLog precision p. Default DefaultPrecision;
	// MinPrecision to MaxPrecision.
	Precision int `yaml:"sketch_precision"`
	// Bounds caps what one contributor adds to a window. Optional without
	// Privacy, required with it.
	Bounds Bounds `yaml:"bounds"`
	// Privacy turns differential privacy on. Nil: counts are exact.
	Privacy *Privacy `yaml:"differential_privacy"`
}

// Dimension is one cohort dimension.
type Dimension struct {
	// Name is the dimension's name in published records. Required, unique.
	Name string `yaml:"name"`
	// Paths are dotted paths ("context.locale") of the value in the
	// sanitized event, first present wins. Required unless Derive is set
	// or Name is one of StandardDimension's names, whose default paths (or
	// derivation, for hour) an entry with neither takes.
	// Strings, numbers and booleans are read; objects and arrays are not.
	Paths []string `yaml:"paths"`
	// Derive computes the value instead: DeriveHour.
	Derive string `yaml:"derive"`
}

// Metric is one numeric field aggregated per cohort: the number of events
// carrying it, their sum and mean, and optionally a histogram.
type Metric struct {
	// Name is the metric's name in published records. Required, unique.
	Name string `yaml:"name"`
	// Paths are dotted paths of the number in the sanitized event, first
	// present wins. Required.
	Paths []string `yaml:"paths"`
	// Lower and Upper clamp values before they are added. Required with
	// Privacy (they bound what one event adds to a sum); optional
	// otherwise (both or neither).
	Lower *float64 `yaml:"lower"`
	Upper *float64 `yaml:"upper"`
	// Histogram are bucket bounds, strictly increasing: the buckets are
	// (-inf, b0), [b0, b1), ..., [bn-1, +inf). Empty: no histogram.
	Histogram []float64 `yaml:"histogram"`
}

// ContributorConfig says which raw-event fields identify the end-user an
// event comes from. The value is hashed with the window's in-memory key at
// once and never kept or published.
type ContributorConfig struct {
	// IDPaths are paths of an anonymous or user id; the first present is
	// the contributor. Default DefaultIDPaths.
	IDPaths []string `yaml:"id_paths"`
	// Without an id, the IP address, the user agent and the customer
	// together identify the contributor (the IP address is required for
	// that). Defaults DefaultIPPaths, DefaultUserAgentPaths,
	// DefaultCustomerPaths.
	IPPaths        []string `yaml:"ip_paths"`
	UserAgentPaths []string `yaml:"user_agent_paths"`
	CustomerPaths  []string `yaml:"customer_paths"`
}

// Bounds caps one contributor's contribution to a window. Contributions
// over a cap are dropped in arrival order (the first ones are kept) and
// counted. Both or neither; required with Privacy. With bounds, distinct
// contributors are counted exactly from the per-window table of each
// contributor's cohorts (no sketch).
type Bounds struct {
	// MaxEventsPerCohort is the most events one contributor adds to one
	// cohort in a window.
	MaxEventsPerCohort int `yaml:"max_events_per_cohort"`
	// MaxCohortsPerWindow is the most cohorts one contributor adds to in a
	// window, at most MaxCohortsBound.
	MaxCohortsPerWindow int `yaml:"max_cohorts_per_window"`
}

func (b Bounds) enabled() bool { return b.MaxEventsPerCohort > 0 || b.MaxCohortsPerWindow > 0 }

// Privacy configures differential privacy: two-sided geometric noise on
// every published count and sum, and a noisy threshold for publishing a
// cohort (see the package documentation for the exact mechanism).
type Privacy struct {
	// Epsilon is the privacy budget per window and contributor, (0, 20].
	// It is used to 6 decimal places, rounded down.
	Epsilon float64 `yaml:"epsilon"`
	// Delta bounds the probability that a cohort whose presence depends on
	// one contributor is published at all, (0, 1e-3].
	Delta float64 `yaml:"delta"`
}

// Defaults of the paths.
var (
	DefaultTimePaths      = []string{"timestamp", "ts", "sent_at", "occurred_at", "received_at", "originalTimestamp", "time"}
	DefaultIDPaths        = []string{"anonymousId", "anonymous_id", "user.anonymous_id", "visitor_id", "visitor.id"}
	DefaultIPPaths        = []string{"context.ip", "ip", "user.ip", "visitor.ip", "context.ip_address", "signup.ip"}
	DefaultUserAgentPaths = []string{"context.userAgent", "context.user_agent", "user_agent", "client.user_agent", "signup.user_agent"}
	DefaultCustomerPaths  = []string{"workspace_id", "customer_id", "tenant_id", "bot_id"}
)

// StandardDimension returns the dimension name with its default paths, for
// the names the analytics statement allows: event_type, country, region,
// device_os, language, page_path and hour.
func StandardDimension(name string) (Dimension, bool) {
	switch name {
	case "event_type":
		return Dimension{Name: name, Paths: []string{"event_type", "type", "event"}}, true
	case "country":
		return Dimension{Name: name, Paths: []string{"context.location.country", "user.country", "geo.country", "visitor.country", "country"}}, true
	case "region":
		return Dimension{Name: name, Paths: []string{"context.location.region", "user.state", "geo.region", "visitor.region", "region"}}, true
	case "device_os":
		return Dimension{Name: name, Paths: []string{"context.os.name", "client.os", "device.os", "os"}}, true
	case "language":
		return Dimension{Name: name, Paths: []string{"context.locale", "client.locale", "device.language", "locale", "language"}}, true
	case "page_path":
		return Dimension{Name: name, Paths: []string{"properties.path", "page.path", "context.page.path"}}, true
	case "hour":
		return Dimension{Name: name, Derive: DeriveHour}, true
	}
	return Dimension{}, false
}

// Validate fills defaults into zero fields and reports every invalid field,
// naming its key.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	switch {
	case c.Window < MinWindow || c.Window > MaxWindow:
		bad("window", "%s is not in [%s, %s]", c.Window, MinWindow, MaxWindow)
	case c.Window%time.Second != 0:
		bad("window", "%s is not a whole number of seconds", c.Window)
	case (24*time.Hour)%c.Window != 0:
		bad("window", "%s does not divide a day evenly (windows are aligned on UTC midnight)", c.Window)
	}
	if c.AllowedLateness < 0 || c.AllowedLateness > MaxLateness {
		bad("allowed_lateness", "%s is not in [0, %s]", c.AllowedLateness, MaxLateness)
	}
	if c.K == 0 {
		c.K = DefaultK
	}
	if c.K < 1 {
		bad("k", "%d is not positive", c.K)
	}
	if len(c.Dimensions) == 0 {
		bad("dimensions", "at least one dimension is required")
	}
	if len(c.Dimensions) > MaxDimensions {
		bad("dimensions", "%d dimensions, at most %d", len(c.Dimensions), MaxDimensions)
	}
	defaulted := false
	names := map[string]string{}
	name := func(key, n string) {
		if n == "" {
			bad(key+".name", "required")
			return
		}
		if prev, ok := names[n]; ok {
			bad(key+".name", "%q is also the name of %s", n, prev)
		}
		names[n] = key
	}
	for i, d := range c.Dimensions {
		key := fmt.Sprintf("dimensions[%d]", i)
		if d.Derive == "" && len(d.Paths) == 0 {
			if sd, ok := StandardDimension(d.Name); ok {
				// A standard name alone takes its default paths; copy
				// first, the caller's slice is not ours to change.
				if !defaulted {
					c.Dimensions = slices.Clone(c.Dimensions)
					defaulted = true
				}
				c.Dimensions[i], d = sd, sd
			}
		}
		name(key, d.Name)
		switch d.Derive {
		case "":
			checkPaths(bad, key+".paths", d.Paths, true)
		case DeriveHour:
			if len(d.Paths) > 0 {
				bad(key+".paths", "set with derive %q; use one or the other", d.Derive)
			}
		default:
			bad(key+".derive", "%q is not %q", d.Derive, DeriveHour)
		}
	}
	if c.Rollup == nil {
		for i := len(c.Dimensions) - 1; i >= 0; i-- {
			c.Rollup = append(c.Rollup, c.Dimensions[i].Name)
		}
	}
	for i, r := range c.Rollup {
		key := fmt.Sprintf("rollup[%d]", i)
		if !slices.ContainsFunc(c.Dimensions, func(d Dimension) bool { return d.Name == r }) {
			bad(key, "%q is not a dimension", r)
		}
		if slices.Index(c.Rollup, r) != i {
			bad(key, "%q listed twice", r)
		}
	}
	for i := range c.Metrics {
		m := &c.Metrics[i]
		key := fmt.Sprintf("metrics[%d]", i)
		name(key, m.Name)
		checkPaths(bad, key+".paths", m.Paths, true)
		if (m.Lower == nil) != (m.Upper == nil) {
			bad(key+".lower", "lower and upper go together")
		}
		if m.Lower != nil && m.Upper != nil {
			if !finite(*m.Lower) || !finite(*m.Upper) || *m.Lower > *m.Upper {
				bad(key+".lower", "[%g, %g] is not a finite interval", *m.Lower, *m.Upper)
			}
		}
		for j, b := range m.Histogram {
			if !finite(b) || j > 0 && b <= m.Histogram[j-1] {
				bad(fmt.Sprintf("%s.histogram[%d]", key, j), "bounds must be finite and strictly increasing")
				break
			}
		}
	}
	if c.TimePaths == nil {
		c.TimePaths = DefaultTimePaths
	}
	checkPaths(bad, "time_paths", c.TimePaths, false)
	cc := &c.Contributor
	if cc.IDPaths == nil {
		cc.IDPaths = DefaultIDPaths
	}
	if cc.IPPaths == nil {
		cc.IPPaths = DefaultIPPaths
	}
	if cc.UserAgentPaths == nil {
		cc.UserAgentPaths = DefaultUserAgentPaths
	}
	if cc.CustomerPaths == nil {
		cc.CustomerPaths = DefaultCustomerPaths
	}
	if len(cc.IDPaths) == 0 && len(cc.IPPaths) == 0 {
		bad("contributor", "id_paths and ip_paths are both empty: no event could name its contributor")
	}
	checkPaths(bad, "contributor.id_paths", cc.IDPaths, false)
	checkPaths(bad, "contributor.ip_paths", cc.IPPaths, false)
	checkPaths(bad, "contributor.user_agent_paths", cc.UserAgentPaths, false)
	checkPaths(bad, "contributor.customer_paths", cc.CustomerPaths, false)
	if c.ExactLimit == 0 {
		c.ExactLimit = max(DefaultExactLimit, c.K)
	}
	if c.ExactLimit < c.K || c.ExactLimit > 1<<20 {
		bad("exact_limit", "%d is not in [k=%d, %d]", c.ExactLimit, c.K, 1<<20)
	}
	if c.Precision == 0 {
		c.Precision = DefaultPrecision
	}
	if c.Precision < MinPrecision || c.Precision > MaxPrecision {
		bad("sketch_precision", "%d is not in [%d, %d]", c.Precision, MinPrecision, MaxPrecision)
	}
	if c.Bounds.MaxEventsPerCohort < 0 || c.Bounds.MaxEventsPerCohort > 1<<30 {
		bad("bounds.max_events_per_cohort", "%d is not in [0, 2^30]", c.Bounds.MaxEventsPerCohort)
	}
	if c.Bounds.MaxCohortsPerWindow < 0 || c.Bounds.MaxCohortsPerWindow > MaxCohortsBound {
		bad("bounds.max_cohorts_per_window", "%d is not in [0, %d]", c.Bounds.MaxCohortsPerWindow, MaxCohortsBound)
	}
	if (c.Bounds.MaxEventsPerCohort == 0) != (c.Bounds.MaxCohortsPerWindow == 0) {
		bad("bounds", "max_events_per_cohort and max_cohorts_per_window go together")
	}
	if p := c.Privacy; p != nil {
		if !(p.Epsilon > 0 && p.Epsilon <= 20) || math.Floor(p.Epsilon*epsilonDen) < 1 {
			bad("differential_privacy.epsilon", "%g is not in [1e-6, 20]", p.Epsilon)
		}
		if !(p.Delta > 0 && p.Delta <= 1e-3) {
			bad("differential_privacy.delta", "%g is not in (0, 1e-3]", p.Delta)
		}
		if c.Bounds.MaxEventsPerCohort == 0 || c.Bounds.MaxCohortsPerWindow == 0 {
			bad("bounds", "max_events_per_cohort and max_cohorts_per_window are required with differential_privacy (they bound the sensitivity)")
		}
		for i, m := range c.Metrics {
			if m.Lower == nil {
				bad(fmt.Sprintf("metrics[%d].lower", i), "lower and upper are required with differential_privacy (they bound the sensitivity of sums)")
			} else if math.Max(math.Abs(*m.Lower), math.Abs(*m.Upper)) > 1e9 {
				bad(fmt.Sprintf("metrics[%d].upper", i), "bounds beyond ±1e9 are not supported with differential_privacy")
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("aggregate config: %w", err)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// checkPaths reports empty or malformed dotted paths.
func checkPaths(bad func(string, string, ...any), key string, paths []string, required bool) {
	if required && len(paths) == 0 {
		bad(key, "at least one path is required")
	}
	for i, p := range paths {
		if p == "" || strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, "..") {
			bad(fmt.Sprintf("%s[%d]", key, i), "%q is not a dotted path of keys", p)
		}
	}
}
