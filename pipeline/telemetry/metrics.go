package telemetry

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/veilstream/veil/classifiers"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// Instrument names. The Prometheus exporter adds unit and _total suffixes
// and turns dots into underscores (veil.events.in → veil_events_in_total).
const (
	// MetricEventsIn counts input events processed, per input topic.
	MetricEventsIn = "veil.events.in"
	// MetricEventsOut counts records written, per output.
	MetricEventsOut = "veil.events.out"
	// MetricEventsSkipped counts events an output's transform filtered out
	// (not an error), per output.
	MetricEventsSkipped = "veil.events.skipped"
	// MetricEventsDeadLettered counts events sent to the dead-letter sink,
	// per output and reason class.
	MetricEventsDeadLettered = "veil.events.dead_lettered"
	// MetricEventsInFlight is the number of fetched events not yet committed
	// or released, per input topic.
	MetricEventsInFlight = "veil.events.in_flight"
	// MetricFindings counts members a sanitizer acted on, per output and the
	// entity type that decided the action.
	MetricFindings = "veil.findings"
	// MetricActions counts actions taken, per output, data category and
	// action.
	MetricActions = "veil.actions"
	// MetricBatchDuration is the time from the start of a batch's
	// processing to the last output's acknowledgement, per input topic.
	MetricBatchDuration = "veil.batch.duration"
	// MetricConsumerLag is the high-water mark minus the next offset at the
	// last fetch, per input topic and partition.
	MetricConsumerLag = "veil.consumer.lag"
	// MetricCommits counts offset commits, per input topic and result.
	MetricCommits = "veil.commits"
	// MetricClassifyTimeouts counts rule matches that hit their time or
	// backtracking limit, per rule.
	MetricClassifyTimeouts = "veil.classify.timeouts"
	// MetricConfigReloads counts configuration reloads (rules, schemas and
	// policy), per result: ok when a new version was put in force, refused
	// when it was not (the running one stays).
	MetricConfigReloads = "veil.config.reloads"
	// MetricConfigActive is 1 for the configuration version in force (the
	// policy version output records carry), as its version attribute.
	MetricConfigActive = "veil.config.active"
	// MetricConfigRefused is 1 while the newest configuration files were
	// refused, so that an older version than the files hold is in force,
	// and 0 otherwise.
	MetricConfigRefused = "veil.config.refused"
	// MetricPartitionsAssigned is the number of input partitions this
	// process holds, per input topic.
	MetricPartitionsAssigned = "veil.partitions.assigned"
	// MetricAggregateLate counts events an aggregate output dropped because
	// they arrived after their window closed (beyond the allowed
	// lateness), per output.
	MetricAggregateLate = "veil.aggregate.late"
	// MetricAggregateWindows counts windows an aggregate output closed, per
	// output.
	MetricAggregateWindows = "veil.aggregate.windows"
	// MetricAggregateRecords counts aggregate records published, per output
	// and kind (cohort, or rolled_up for a coarser cohort made of cohorts
	// below k).
	MetricAggregateRecords = "veil.aggregate.records"
	// MetricAggregateSuppressed counts events in no published record (their
	// cohorts stayed below k at every rollup level), per output.
	MetricAggregateSuppressed = "veil.aggregate.suppressed"
	// MetricAggregateBounded counts events dropped by contribution bounds,
	// per output and reason (events_per_cohort or cohorts_per_window).
	MetricAggregateBounded = "veil.aggregate.bounded"
)

// Attribute keys on veil's metrics. Short names keep PromQL readable;
// spans use the OpenTelemetry messaging conventions instead.
const (
	// AttrTopic is the input topic.
	AttrTopic = "topic"
	// AttrPartition is the input partition, in decimal.
	AttrPartition = "partition"
	// AttrOutput is the output's configured name.
	AttrOutput = "output"
	// AttrReason is a dead letter's reason class (ReasonRejected,
	// ReasonTooLarge), never the reason text.
	AttrReason = "reason"
	// AttrEntityType is a taxonomy entity type or field kind.
	AttrEntityType = "entity_type"
	// AttrCategory is a taxonomy data category.
	AttrCategory = "category"
	// AttrAction is a policy action kind.
	AttrAction = "action"
	// AttrResult is ResultOK, ResultError or ResultRefused.
	AttrResult = "result"
	// AttrRule is a classifier rule id.
	AttrRule = "rule"
	// AttrVersion is a configuration version (see MetricConfigActive).
	AttrVersion = "version"
)

// Values of AttrResult and AttrReason.
const (
	// ResultOK marks a commit or reload that succeeded.
	ResultOK = "ok"
	// ResultError marks a commit that failed.
	ResultError = "error"
	// ResultRefused marks a configuration reload that was refused.
	ResultRefused = "refused"
	// ReasonRejected marks events an output's transform rejected (malformed,
	// schema violation, unclassifiable, or an output form over the size
	// limit).
	ReasonRejected = "rejected"
	// ReasonTooLarge marks events over the size limit before any output saw
	// them; they carry no output attribute.
	ReasonTooLarge = "too_large"
	// EntityTypeNone is the entity_type of actions decided by category
	// alone.
	EntityTypeNone = "none"
)

// batchBuckets are the batch latency histogram's bounds, in seconds: from
// half a millisecond (a small batch, passthrough) to 10 s (a stalled sink).
var batchBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// instruments are the synchronous instruments and the observables the
// callback reports.
type instruments struct {
	in, out, skipped, dead, commits, timeouts, reloads metric.Int64Counter
	aggLate, aggWindows, aggRecords, aggSuppressed     metric.Int64Counter
	aggBounded                                         metric.Int64Counter
	inFlight, assigned                                 metric.Int64UpDownCounter
	duration                                           metric.Float64Histogram
	findings, actions                                  metric.Int64ObservableCounter
	lag, configActive, configRefused                   metric.Int64ObservableGauge
}

func newInstruments(m metric.Meter) (*instruments, error) {
	var ins instruments
	var err error
	counter := func(dst *metric.Int64Counter, name, unit, desc string) {
		if err == nil {
			*dst, err = m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
			if err != nil {
				err = fmt.Errorf("telemetry: creating %s: %w", name, err)
			}
		}
	}
	updown := func(dst *metric.Int64UpDownCounter, name, unit, desc string) {
		if err == nil {
			*dst, err = m.Int64UpDownCounter(name, metric.WithUnit(unit), metric.WithDescription(desc))
			if err != nil {
				err = fmt.Errorf("telemetry: creating %s: %w", name, err)
			}
		}
	}
	counter(&ins.in, MetricEventsIn, "{event}", "Input events processed, per input topic.")
	counter(&ins.out, MetricEventsOut, "{event}", "Records written, per output.")
	counter(&ins.skipped, MetricEventsSkipped, "{event}", "Events an output's transform filtered out, per output.")
	counter(&ins.dead, MetricEventsDeadLettered, "{event}", "Events sent to the dead-letter sink, per output and reason class.")
	counter(&ins.commits, MetricCommits, "{commit}", "Offset commits, per input topic and result.")
	counter(&ins.timeouts, MetricClassifyTimeouts, "{timeout}", "Rule matches that hit their time or backtracking limit, per rule.")
	counter(&ins.reloads, MetricConfigReloads, "{reload}", "Configuration reloads, per result (ok or refused).")
	counter(&ins.aggLate, MetricAggregateLate, "{event}", "Events an aggregate output dropped as later than its window's allowed lateness, per output.")
	counter(&ins.aggWindows, MetricAggregateWindows, "{window}", "Windows an aggregate output closed, per output.")
	counter(&ins.aggRecords, MetricAggregateRecords, "{record}", "Aggregate records published, per output and kind (cohort or rolled_up).")
	counter(&ins.aggSuppressed, MetricAggregateSuppressed, "{event}", "Events in no published aggregate record (cohorts below k at every level), per output.")
	counter(&ins.aggBounded, MetricAggregateBounded, "{event}", "Events dropped by contribution bounds, per output and reason.")
	updown(&ins.inFlight, MetricEventsInFlight, "{event}", "Fetched events not yet committed or released, per input topic.")
	updown(&ins.assigned, MetricPartitionsAssigned, "{partition}", "Input partitions held by this process, per input topic.")
	if err != nil {
		return nil, err
	}
	if ins.duration, err = m.Float64Histogram(MetricBatchDuration, metric.WithUnit("s"),
		metric.WithDescription("Time from the start of a batch's processing to the last output's acknowledgement, per input topic."),
		metric.WithExplicitBucketBoundaries(batchBuckets...)); err != nil {
		return nil, fmt.Errorf("telemetry: creating %s: %w", MetricBatchDuration, err)
	}
	if ins.findings, err = m.Int64ObservableCounter(MetricFindings, metric.WithUnit("{finding}"),
		metric.WithDescription("Members a sanitizer acted on, per output and entity type.")); err != nil {
		return nil, fmt.Errorf("telemetry: creating %s: %w", MetricFindings, err)
	}
	if ins.actions, err = m.Int64ObservableCounter(MetricActions, metric.WithUnit("{action}"),
		metric.WithDescription("Actions taken on members, per output, data category and action.")); err != nil {
		return nil, fmt.Errorf("telemetry: creating %s: %w", MetricActions, err)
	}
	if ins.lag, err = m.Int64ObservableGauge(MetricConsumerLag, metric.WithUnit("{message}"),
		metric.WithDescription("High-water mark minus the next offset at the last fetch, per input topic and partition.")); err != nil {
		return nil, fmt.Errorf("telemetry: creating %s: %w", MetricConsumerLag, err)
	}
	if ins.configActive, err = m.Int64ObservableGauge(MetricConfigActive,
		metric.WithDescription("1 for the configuration version in force (rules, schemas and policy), as its version attribute.")); err != nil {
		return nil, fmt.Errorf("telemetry: creating %s: %w", MetricConfigActive, err)
	}
	if ins.configRefused, err = m.Int64ObservableGauge(MetricConfigRefused,
		metric.WithDescription("1 while the newest configuration files were refused and an older version is in force, 0 otherwise.")); err != nil {
		return nil, fmt.Errorf("telemetry: creating %s: %w", MetricConfigRefused, err)
	}
	return &ins, nil
}

// addOpt and obsOpt pre-build the option slices measurements take, so that
// recording does not allocate.
func addOpt(kv ...attribute.KeyValue) []metric.AddOption {
	return []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(kv...))}
}

func obsOpt(kv ...attribute.KeyValue) []metric.ObserveOption {
	return []metric.ObserveOption{metric.WithAttributeSet(attribute.NewSet(kv...))}
}

func orOverflow(s string, overflow bool) string {
	if overflow {
		return OverflowValue
	}
	return s
}

// topicAttrs holds the pre-built attribute sets of one input topic.
type topicAttrs struct {
	name               string
	overflow           bool
	in                 []metric.AddOption
	commitOK, commitEr []metric.AddOption
	duration           []metric.RecordOption
}

func newTopicAttrs(name string, overflow bool) *topicAttrs {
	name = orOverflow(name, overflow)
	set := attribute.NewSet(attribute.String(AttrTopic, name))
	return &topicAttrs{
		name:     name,
		overflow: overflow,
		in:       []metric.AddOption{metric.WithAttributeSet(set)},
		commitOK: addOpt(attribute.String(AttrTopic, name), attribute.String(AttrResult, ResultOK)),
		commitEr: addOpt(attribute.String(AttrTopic, name), attribute.String(AttrResult, ResultError)),
		duration: []metric.RecordOption{metric.WithAttributeSet(set)},
	}
}

// slot is a counter kept by veil and reported through an observable
// instrument: adding to it is one atomic operation.
type slot struct {
	n   atomic.Int64
	obs []metric.ObserveOption
}

// actionKey is a category × action pair.
type actionKey struct {
	c classifiers.Category
	a policy.ActionKind
}

// outputAttrs holds the pre-built attribute sets and counters of one output.
type outputAttrs struct {
	name     string
	out      []metric.AddOption
	skipped  []metric.AddOption
	rejected []metric.AddOption
	// knownT holds the slots of typeOrder; findings those of other types.
	knownT   [len(typeOrder)]*slot
	findings *cache[classifiers.EntityType, *slot]
	// known holds the slots of the taxonomy's categories × action kinds,
	// reached without hashing; actions holds the others.
	known   [len(categoryOrder)][len(actionOrder)]*slot
	actions *cache[actionKey, *slot]
}

// categoryOrder and actionOrder index outputAttrs.known; categoryIndex and
// actionIndex must agree with them (a test checks).
var (
	categoryOrder = [...]classifiers.Category{
		classifiers.Identity, classifiers.Contact, classifiers.NetworkIdentifier,
		classifiers.PreciseLocation, classifiers.CoarseLocation, classifiers.Device,
		classifiers.Navigation, classifiers.Conversation, classifiers.BotContent,
		classifiers.Credentials, classifiers.Demographics, classifiers.Financial,
		classifiers.GovernmentID, classifiers.Pseudonymous, classifiers.NonPersonal,
		classifiers.Unknown,
	}
	actionOrder = [...]policy.ActionKind{
		policy.Keep, policy.Drop, policy.Redact, policy.Mask, policy.Hash,
		policy.Generalize, policy.Scrub,
	}
)

func categoryIndex(c classifiers.Category) int {
	switch c {
	case classifiers.Identity:
		return 0
	case classifiers.Contact:
		return 1
	case classifiers.NetworkIdentifier:
		return 2
	case classifiers.PreciseLocation:
		return 3
	case classifiers.CoarseLocation:
		return 4
	case classifiers.Device:
		return 5
	case classifiers.Navigation:
		return 6
	case classifiers.Conversation:
		return 7
	case classifiers.BotContent:
		return 8
	case classifiers.Credentials:
		return 9
	case classifiers.Demographics:
		return 10
	case classifiers.Financial:
		return 11
	case classifiers.GovernmentID:
		return 12
	case classifiers.Pseudonymous:
		return 13
	case classifiers.NonPersonal:
		return 14
	case classifiers.Unknown:
		return 15
	}
	return -1
}

func actionIndex(a policy.ActionKind) int {
	switch a {
	case policy.Keep:
		return 0
	case policy.Drop:
		return 1
	case policy.Redact:
		return 2
	case policy.Mask:
		return 3
	case policy.Hash:
		return 4
	case policy.Generalize:
		return 5
	case policy.Scrub:
		return 6
	}
	return -1
}

// action returns the slot of a category × action pair.
func (o *outputAttrs) action(c classifiers.Category, a policy.ActionKind) *slot {
	if ci, ai := categoryIndex(c), actionIndex(a); ci >= 0 && ai >= 0 {
		return o.known[ci][ai]
	}
	return o.actions.get(actionKey{c, a})
}

// typeOrder lists the entity types and field kinds a sanitizer reports
// ("" first: only the category was known); typeIndex must agree with it (a
// test checks). Their slots are reached without hashing.
var typeOrder = [...]classifiers.EntityType{
	"",
	classifiers.EmailAddress, classifiers.PhoneNumber, classifiers.IPAddress,
	classifiers.CreditCard, classifiers.IBANCode, classifiers.USSSN,
	classifiers.CASIN, classifiers.UKNINO, classifiers.PostalCode,
	classifiers.Person, classifiers.StreetAddress, classifiers.GeoCoordinate,
	classifiers.MACAddress, classifiers.URL, classifiers.Crypto,
	classifiers.Secret, classifiers.DateOfBirth,
	policy.UserAgent, policy.Age, policy.Timestamp, policy.Region,
	sanitize.Unclassifiable, sanitize.LinkingID,
}

func typeIndex(t classifiers.EntityType) int {
	switch t {
	case "":
		return 0
	case classifiers.EmailAddress:
		return 1
	case classifiers.PhoneNumber:
		return 2
	case classifiers.IPAddress:
		return 3
	case classifiers.CreditCard:
		return 4
	case classifiers.IBANCode:
		return 5
	case classifiers.USSSN:
		return 6
	case classifiers.CASIN:
		return 7
	case classifiers.UKNINO:
		return 8
	case classifiers.PostalCode:
		return 9
	case classifiers.Person:
		return 10
	case classifiers.StreetAddress:
		return 11
	case classifiers.GeoCoordinate:
		return 12
	case classifiers.MACAddress:
		return 13
	case classifiers.URL:
		return 14
	case classifiers.Crypto:
		return 15
	case classifiers.Secret:
		return 16
	case classifiers.DateOfBirth:
		return 17
	case policy.UserAgent:
		return 18
	case policy.Age:
		return 19
	case policy.Timestamp:
		return 20
	case policy.Region:
		return 21
	case sanitize.Unclassifiable:
		return 22
	case sanitize.LinkingID:
		return 23
	}
	return -1
}

// finding returns the slot of an entity type.
func (o *outputAttrs) finding(t classifiers.EntityType) *slot {
	if i := typeIndex(t); i >= 0 {
		return o.knownT[i]
	}
	return o.findings.get(t)
}

func newOutputAttrs(name string, overflow bool) *outputAttrs {
	name = orOverflow(name, overflow)
	out := attribute.String(AttrOutput, name)
	o := &outputAttrs{
		name:     name,
		out:      addOpt(out),
		skipped:  addOpt(out), // same set, different instrument
		rejected: addOpt(out, attribute.String(AttrReason, ReasonRejected)),
	}
	o.findings = newCache(MaxAttributeValues,
		func(t classifiers.EntityType) classifiers.EntityType {
			return classifiers.EntityType(ownString(string(t)))
		},
		func(t classifiers.EntityType, overflow bool) *slot {
			v := string(t)
			if v == "" {
				v = EntityTypeNone
			}
			return &slot{obs: obsOpt(out, attribute.String(AttrEntityType, orOverflow(v, overflow)))}
		})
	o.actions = newCache(MaxAttributeValues,
		func(k actionKey) actionKey {
			return actionKey{classifiers.Category(ownString(string(k.c))), policy.ActionKind(ownString(string(k.a)))}
		},
		func(k actionKey, overflow bool) *slot {
			c, a := string(k.c), string(k.a)
			if overflow {
				c, a = OverflowValue, OverflowValue
			}
			return &slot{obs: obsOpt(out, attribute.String(AttrCategory, c), attribute.String(AttrAction, a))}
		})
	for i, t := range typeOrder {
		v := string(t)
		if v == "" {
			v = EntityTypeNone
		}
		o.knownT[i] = &slot{obs: obsOpt(out, attribute.String(AttrEntityType, v))}
	}
	for ci, c := range categoryOrder {
		for ai, a := range actionOrder {
			o.known[ci][ai] = &slot{obs: obsOpt(out, attribute.String(AttrCategory, string(c)), attribute.String(AttrAction, string(a)))}
		}
	}
	return o
}

// configState is the configuration version in force, as SetConfigVersion
// last reported it.
type configState struct {
	version []metric.ObserveOption
	refused bool
}

// partition is the state of one claimed input partition.
type partition struct {
	topic   *topicAttrs
	lagObs  []metric.ObserveOption
	lag     atomic.Int64
	lagSeen atomic.Bool

	mu   sync.Mutex
	span batchSpan // the processed batch awaiting its commit
}

func newPartition(tp stream.TopicPartition, topic *topicAttrs) *partition {
	return &partition{
		topic: topic,
		lagObs: obsOpt(attribute.String(AttrTopic, topic.name),
			attribute.String(AttrPartition, strconv.FormatInt(int64(tp.Partition), 10))),
	}
}

// observe reports the observable instruments: consumer lag per partition,
// findings and actions per output. Slots that never counted anything are
// left out rather than exported as zeros.
func (t *Telemetry) observe(_ context.Context, o metric.Observer) error {
	t.partMu.RLock()
	for _, p := range t.parts {
		if p.lagSeen.Load() && !p.topic.overflow {
			o.ObserveInt64(t.ins.lag, p.lag.Load(), p.lagObs...)
		}
	}
	t.partMu.RUnlock()
	if c := t.config.Load(); c != nil {
		o.ObserveInt64(t.ins.configActive, 1, c.version...)
		var refused int64
		if c.refused {
			refused = 1
		}
		o.ObserveInt64(t.ins.configRefused, refused)
	}
	for _, out := range t.outputs.all() {
		for _, s := range out.knownT {
			if n := s.n.Load(); n > 0 {
				o.ObserveInt64(t.ins.findings, n, s.obs...)
			}
		}
		for _, s := range out.findings.all() {
			if n := s.n.Load(); n > 0 {
				o.ObserveInt64(t.ins.findings, n, s.obs...)
			}
		}
		for ci := range out.known {
			for _, s := range out.known[ci] {
				if n := s.n.Load(); n > 0 {
					o.ObserveInt64(t.ins.actions, n, s.obs...)
				}
			}
		}
		for _, s := range out.actions.all() {
			if n := s.n.Load(); n > 0 {
				o.ObserveInt64(t.ins.actions, n, s.obs...)
			}
		}
	}
	return nil
}
