package aggregate

import (
	"math"
	"strconv"
	"time"

	"github.com/veilstream/veil/pipeline/jsonwalk"
)

// SchemaID names the format of published records; it is the $id of
// schemas/records/aggregate.schema.json.
const SchemaID = "urn:veil:record:aggregate:v1"

// Record is one published aggregate: a cohort of one window. It carries no
// identifier, hash or sketch, only the window, the cohort's dimension values
// (taken from sanitized events) and counts.
type Record struct {
	// Start and End bound the window, End exclusive.
	Start, End time.Time
	// Dimensions are the cohort's kept dimensions, in configuration order.
	Dimensions []DimensionValue
	// RolledUp names the dimensions this record was rolled up over, in
	// rollup order: its counts are those of finer cohorts that stayed
	// below k. Empty for a cohort published as such.
	RolledUp []string
	// Level is the number of rollup steps: 0 for a cohort published as
	// such, len(rollup) for one without any rollup dimension, and one more
	// for the "other" bucket when some dimensions are never rolled up.
	Level int
	// Other marks the "other" bucket: every dimension rolled up.
	Other bool
	// Count is the number of events.
	Count int64
	// Contributors is the number of distinct contributors.
	Contributors int64
	// ContributorsEstimated is true when Contributors is a HyperLogLog
	// estimate (the cohort had more than exact_limit contributors).
	ContributorsEstimated bool
	// Metrics has one entry per configured metric, in order.
	Metrics []MetricValue
	// K is the threshold the record was published under.
	K int
	// Privacy says whether and how noise was added.
	Privacy PrivacyInfo
}

// DimensionValue is one dimension of a cohort.
type DimensionValue struct {
	Name string
	// Value is the dimension's value; meaningless when !Present.
	Value string
	// Present is false when the events had no value for the dimension
	// (published as null).
	Present bool
}

// MetricValue is one metric of a cohort.
type MetricValue struct {
	Name string
	// N is the number of events carrying the metric.
	N int64
	// Sum is the sum of their values (clamped to the metric's bounds when
	// it has any).
	Sum float64
	// Histogram are the bucket counts, len(Bounds)+1 of them; nil without
	// a histogram.
	Histogram []int64
	// Bounds are the histogram's bucket bounds (shared, do not modify).
	Bounds []float64
}

// Mean returns Sum/N, or NaN when N is 0.
func (m MetricValue) Mean() float64 {
	if m.N <= 0 {
		return math.NaN()
	}
	return m.Sum / float64(m.N)
}

// PrivacyInfo describes the noise of a record.
type PrivacyInfo struct {
	// Mechanism is MechanismNone or MechanismGeometric.
	Mechanism string
	// Epsilon and Delta are the per-window budget (0 without noise).
	Epsilon, Delta float64
	// MaxEventsPerCohort and MaxCohortsPerWindow are the contribution
	// bounds in force (0: none).
	MaxEventsPerCohort, MaxCohortsPerWindow int
}

// AppendKey appends the record's Kafka key: the compact JSON of its
// identity, {"start","end","dimensions","rolled_up"}. Records of the same
// window and cohort have the same key, so a compacted topic keeps the last.
func (r *Record) AppendKey(dst []byte) []byte {
	dst = append(dst, `{"start":`...)
	dst = appendTime(dst, r.Start)
	dst = append(dst, `,"end":`...)
	dst = appendTime(dst, r.End)
	dst = append(dst, `,"dimensions":`...)
	dst = r.appendDims(dst)
	dst = append(dst, `,"rolled_up":`...)
	dst = appendStrings(dst, r.RolledUp)
	return append(dst, '}')
}

// AppendJSON appends the record as one line of compact JSON, in the form
// schemas/records/aggregate.schema.json documents.
func (r *Record) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"schema":`...)
	dst = jsonwalk.AppendString(dst, []byte(SchemaID))
	dst = append(dst, `,"window":{"start":`...)
	dst = appendTime(dst, r.Start)
	dst = append(dst, `,"end":`...)
	dst = appendTime(dst, r.End)
	dst = append(dst, `},"dimensions":`...)
	dst = r.appendDims(dst)
	dst = append(dst, `,"rolled_up":`...)
	dst = appendStrings(dst, r.RolledUp)
	dst = append(dst, `,"level":`...)
	dst = strconv.AppendInt(dst, int64(r.Level), 10)
	dst = append(dst, `,"other":`...)
	dst = strconv.AppendBool(dst, r.Other)
	dst = append(dst, `,"count":`...)
	dst = strconv.AppendInt(dst, r.Count, 10)
	dst = append(dst, `,"contributors":`...)
	dst = strconv.AppendInt(dst, r.Contributors, 10)
	dst = append(dst, `,"contributors_estimated":`...)
	dst = strconv.AppendBool(dst, r.ContributorsEstimated)
	dst = append(dst, `,"metrics":{`...)
	for i, m := range r.Metrics {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonwalk.AppendString(dst, []byte(m.Name))
		dst = append(dst, `:{"n":`...)
		dst = strconv.AppendInt(dst, m.N, 10)
		dst = append(dst, `,"sum":`...)
		dst = appendFloat(dst, m.Sum)
		dst = append(dst, `,"mean":`...)
		dst = appendFloat(dst, m.Mean())
		if m.Histogram != nil {
			dst = append(dst, `,"histogram":{"bounds":[`...)
			for j, b := range m.Bounds {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = appendFloat(dst, b)
			}
			dst = append(dst, `],"counts":[`...)
			for j, c := range m.Histogram {
				if j > 0 {
					dst = append(dst, ',')
				}
				dst = strconv.AppendInt(dst, c, 10)
			}
			dst = append(dst, "]}"...)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `},"k":`...)
	dst = strconv.AppendInt(dst, int64(r.K), 10)
	dst = append(dst, `,"privacy":{"mechanism":`...)
	dst = jsonwalk.AppendString(dst, []byte(r.Privacy.Mechanism))
	if r.Privacy.Mechanism != MechanismNone {
		dst = append(dst, `,"epsilon":`...)
		dst = appendFloat(dst, r.Privacy.Epsilon)
		dst = append(dst, `,"delta":`...)
		dst = appendFloat(dst, r.Privacy.Delta)
	}
	if r.Privacy.MaxEventsPerCohort > 0 {
		dst = append(dst, `,"max_events_per_cohort":`...)
		dst = strconv.AppendInt(dst, int64(r.Privacy.MaxEventsPerCohort), 10)
	}
	if r.Privacy.MaxCohortsPerWindow > 0 {
		dst = append(dst, `,"max_cohorts_per_window":`...)
		dst = strconv.AppendInt(dst, int64(r.Privacy.MaxCohortsPerWindow), 10)
	}
	return append(dst, "}}"...)
}

func (r *Record) appendDims(dst []byte) []byte {
	dst = append(dst, '{')
	for i, d := range r.Dimensions {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonwalk.AppendString(dst, []byte(d.Name))
		dst = append(dst, ':')
		if d.Present {
			dst = jsonwalk.AppendString(dst, []byte(d.Value))
		} else {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, '}')
}

func appendStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonwalk.AppendString(dst, []byte(s))
	}
	return append(dst, ']')
}

func appendTime(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.UTC().AppendFormat(dst, time.RFC3339)
	return append(dst, '"')
}

// appendFloat writes f as a JSON number, or null when it is not finite.
func appendFloat(dst []byte, f float64) []byte {
	if !finite(f) {
		return append(dst, "null"...)
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}
