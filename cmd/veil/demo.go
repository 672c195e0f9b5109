package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/pipeline/aggregate"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/runner"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/pipeline/stream"
)

// Demo topics.
const (
	demoRaw       = "events.raw"
	demoAnalytics = "events.analytics"
	demoSecurity  = "events.security"
	demoDLQ       = "events.dlq"
	// The aggregate output's topics.
	demoRepartition = "traffic.repartition"
	demoAggregates  = "traffic.aggregates"
	demoCheckpoints = "traffic.checkpoints"
	demoAggDLQ      = "traffic.dlq"
)

// runDemo starts an in-process Kafka-protocol broker on 127.0.0.1, produces
// a realistic stream of the platform's event families to it, runs the veil
// pipeline with the default policy (an analytics output and a security
// output, and a dead-letter topic), and shows what happened.
func runDemo(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("demo", std.err)
	n := fs.Int("n", 5000, "events to produce")
	show := fs.Int("show", 2, "events to show before and after")
	seed := fs.Uint64("seed", 1, "seed of the generated stream")
	serve := fs.Bool("serve", false, "keep the broker running after the summary, so the clean stream can be read (Ctrl-C stops)")
	epsilon := fs.Float64("dp-epsilon", 0, "publish the aggregates with differential privacy at this epsilon per window (0: exact counts)")
	aggRows := fs.Int("agg-windows", 3, "windows of aggregates to show")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("-n %d: want at least one event", *n)
	}
	cl, err := kafkalocal.Start(
		kafkalocal.Topic{Name: demoRaw, Partitions: 4},
		kafkalocal.Topic{Name: demoAnalytics, Partitions: 4},
		kafkalocal.Topic{Name: demoSecurity, Partitions: 4},
		kafkalocal.Topic{Name: demoDLQ, Partitions: 4},
		kafkalocal.Topic{Name: demoRepartition, Partitions: 2},
		kafkalocal.Topic{Name: demoAggregates, Partitions: 2},
		kafkalocal.Topic{Name: demoCheckpoints, Partitions: 1},
		kafkalocal.Topic{Name: demoAggDLQ, Partitions: 4},
	)
	if err != nil {
		return err
	}
	defer cl.Close()
	fmt.Fprintf(std.out, "veil demo: in-process Kafka broker at %s\n", cl.Addr)
	fmt.Fprintf(std.out, "  %s (4 partitions) → veil → %s (product_improvement), %s (security); rejects → %s\n", demoRaw, demoAnalytics, demoSecurity, demoDLQ)
	fmt.Fprintf(std.out, "  %s → veil → %s: people per minute by event type, country and OS, k=%d\n\n", demoRaw, demoAggregates, demoK)

	cfg := &runner.Config{
		Kafka: kafkaio.Config{
			Brokers: []string{cl.Addr}, GroupID: "veil-demo", Inputs: []string{demoRaw},
			Outputs:    []kafkaio.OutputConfig{{Name: "analytics", Topic: demoAnalytics}, {Name: "security", Topic: demoSecurity}},
			DeadLetter: kafkaio.OutputConfig{Topic: demoDLQ},
		},
		Outputs:      []runner.OutputConfig{{Name: "analytics", Purpose: "product_improvement"}, {Name: "security", Purpose: "security"}},
		CustomerKeys: []string{"workspace_id", "bot_id"},
		Aggregates:   []runner.AggregateConfig{demoAggregate(*epsilon)},
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	counts := newCounter()
	r, err := runner.New(cfg, runner.WithObserver(func(out string, applied []sanitize.Applied) {
		if out == "analytics" {
			counts.observe(applied)
		}
	}))
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- r.Run(runCtx) }()

	// Produce the stream, with one malformed event in 500.
	gen := corpus.New(*seed)
	recs := make([]corpus.Record, *n)
	prod := cl.NewProducer(demoRaw)
	bad := 0
	start := time.Now()
	var batch []kafkalocal.Message
	for i := range recs {
		recs[i] = gen.Next()
		batch = append(batch, kafkalocal.Message{Key: userKey(recs[i].Event, i), Value: recs[i].Event})
		if i%500 == 250 {
			batch = append(batch, kafkalocal.Message{Value: []byte(`{"event":"signup","email":"ana@example.com","name":`)})
			bad++
		}
		if len(batch) >= 500 || i == len(recs)-1 {
			if err := prod.Write(ctx, batch...); err != nil {
				return fmt.Errorf("producing: %w", err)
			}
			batch = batch[:0]
		}
	}
	prod.Close()

	// Progress until both outputs and the dead-letter topic hold everything:
	// one line rewritten in place on a terminal, a line a second elsewhere.
	tty := isTerminal(std.out)
	period := time.Second
	if tty {
		period = 300 * time.Millisecond
	}
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		a, _ := cl.Count(ctx, demoAnalytics)
		s, _ := cl.Count(ctx, demoSecurity)
		d, _ := cl.Count(ctx, demoDLQ)
		el := time.Since(start).Seconds()
		line := fmt.Sprintf("  %6d/%d events clean · %6.0f events/s · %d dead-lettered · found %s", min(a, s), *n, float64(min(a, s))/el, d, counts.top(5))
		if tty {
			fmt.Fprintf(std.out, "\r%s   ", line)
		} else {
			fmt.Fprintln(std.out, line)
		}
		if a >= int64(*n) && s >= int64(*n) && d >= int64(bad) {
			break
		}
		select {
		case err := <-done:
			return fmt.Errorf("pipeline stopped: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	elapsed := time.Since(start)
	if tty {
		fmt.Fprintln(std.out)
	}
	fmt.Fprintln(std.out)

	out, err := cl.ReadAll(ctx, demoAnalytics)
	if err != nil {
		return err
	}
	raw, err := cl.ReadAll(ctx, demoRaw)
	if err != nil {
		return err
	}
	rawAt := map[[2]int64][]byte{}
	for _, rr := range raw {
		rawAt[[2]int64{int64(rr.Partition), rr.Offset}] = rr.Value
	}
	byEvent := map[string]corpus.Record{}
	for _, rec := range recs {
		byEvent[string(rec.Event)] = rec
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SourceOffset < out[j].SourceOffset })
	shown := 0
	kinds := map[string]bool{}
	leaked, total := 0, 0
	for _, o := range out {
		rv := rawAt[[2]int64{int64(o.SourcePartition), o.SourceOffset}]
		rec, ok := byEvent[string(rv)]
		if !ok {
			continue
		}
		if shown < *show && !kinds[rec.Kind] {
			kinds[rec.Kind] = true
			shown++
			showEvent(std.out, rec, o.Value, o.Headers[stream.HeaderActions])
		}
		l, t := leakCount(rec, o.Value)
		leaked, total = leaked+l, total+t
	}
	dlq, _ := cl.ReadAll(ctx, demoDLQ)
	fmt.Fprintf(std.out, "%d events through veil in %v (%.0f events/s, produce to both outputs acknowledged).\n", *n, elapsed.Round(time.Millisecond), float64(*n)/elapsed.Seconds())
	fmt.Fprintln(std.out, "What veil found and did on the analytics output, by entity type or category:")
	counts.print(std.out)
	if len(dlq) > 0 {
		fmt.Fprintf(std.out, "\n%d malformed events went to %s only, e.g. reason %q\n", len(dlq), demoDLQ, dlq[0].Headers[stream.HeaderDLQReason])
	}
	fmt.Fprintf(std.out, "Labelled personal values surviving verbatim on %s: %d of %d.\n\n", demoAnalytics, leaked, total)
	// Stop the pipeline: the aggregate output catches up with the input
	// and publishes its open windows (flush_on_stop), then the table.
	stop()
	if err := <-done; err != nil {
		r.Close()
		return fmt.Errorf("pipeline: %w", err)
	}
	if err := r.Close(); err != nil {
		return err
	}
	if err := printAggregates(ctx, std.out, cl, *aggRows); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "Read the clean stream:  kcat -b %s -C -t %s -e\n", cl.Addr, demoAnalytics)
	fmt.Fprintf(std.out, "                   or:  go run ./cmd/veil tail --brokers %s --topic %s\n", cl.Addr, demoAnalytics)
	fmt.Fprintf(std.out, "Read the aggregates:    go run ./cmd/veil tail --brokers %s --topic %s\n", cl.Addr, demoAggregates)
	if !*serve {
		fmt.Fprintln(std.out, "(the broker stops with this demo; run `veil demo --serve` to keep it up)")
		return nil
	}
	// Keep serving: a new runner resumes the same consumer groups.
	r, err = runner.New(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(std.out, "Broker and pipeline keep running; Ctrl-C stops.")
	err = r.Run(ctx)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	return err
}

// userKey keys a demo event by its user, as producers usually do.
func userKey(ev []byte, i int) []byte {
	var k struct {
		UserID      string `json:"userId"`
		AnonymousID string `json:"anonymousId"`
	}
	json.Unmarshal(ev, &k)
	switch {
	case k.UserID != "":
		return []byte(k.UserID)
	case k.AnonymousID != "":
		return []byte(k.AnonymousID)
	}
	return []byte(fmt.Sprintf("session-%d", i%97))
}

// counter tallies what the sanitizer did, for the progress line.
type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func newCounter() *counter { return &counter{m: map[string]int{}} }

func (c *counter) observe(applied []sanitize.Applied) {
	c.mu.Lock()
	for _, a := range applied {
		what := string(a.Type)
		if what == "" {
			what = string(a.Category)
		}
		c.m[what+" "+string(a.Action)]++
	}
	c.mu.Unlock()
}

func (c *counter) sorted() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return c.m[keys[i]] > c.m[keys[j]] || c.m[keys[i]] == c.m[keys[j]] && keys[i] < keys[j]
	})
	return keys
}

func (c *counter) top(k int) string {
	keys := c.sorted()
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for i, key := range keys {
		if i == k {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", strings.Fields(key)[0], c.m[key]))
	}
	return strings.Join(parts, ", ")
}

func (c *counter) print(w io.Writer) {
	keys := c.sorted()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		f := strings.Fields(k)
		fmt.Fprintf(w, "  %7d  %-20s → %s\n", c.m[k], f[0], f[1])
	}
}

// showEvent prints one event's leaves before and after, side by side, with
// what the actions header says was done to each.
func showEvent(w io.Writer, r corpus.Record, out []byte, tags string) {
	before := flatten(r.Event)
	after := flatten(out)
	done := map[string]string{}
	for _, t := range strings.Split(tags, ",") {
		if i := strings.LastIndexByte(t, '='); i > 0 {
			done[t[:i]] = t[i+1:]
		}
	}
	av := map[string]string{}
	for _, kv := range after {
		av[kv[0]] = kv[1]
	}
	width := 0
	for _, kv := range before {
		width = max(width, len(kv[0]))
	}
	width = min(width, 30)
	fmt.Fprintf(w, "── %s (%s): before → after ──\n", r.ID, r.Kind)
	for _, kv := range before {
		path, was := kv[0], kv[1]
		now, ok := av[path]
		if !ok {
			now = "—"
		}
		note := done[path]
		if note == "" && !ok {
			note = "removed with its parent"
		}
		if note != "" {
			note = "  (" + note + ")"
		}
		fmt.Fprintf(w, "  %-*s  %-34s → %s%s\n", width, clip(path, width), clip(was, 34), clip(now, 30), note)
	}
	fmt.Fprintln(w)
}

// flatten lists an event's scalar leaves as (path, value) pairs in the
// order they appear.
func flatten(event []byte) [][2]string {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var out [][2]string
	var path []string
	var walk func() bool
	join := func() string {
		var b strings.Builder
		for i, p := range path {
			if i > 0 && !strings.HasPrefix(p, "[") {
				b.WriteByte('.')
			}
			b.WriteString(p)
		}
		return b.String()
	}
	walk = func() bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						return false
					}
					path = append(path, fmt.Sprint(k))
					ok := walk()
					path = path[:len(path)-1]
					if !ok {
						return false
					}
				}
				dec.Token()
			case '[':
				for i := 0; dec.More(); i++ {
					path = append(path, fmt.Sprintf("[%d]", i))
					ok := walk()
					path = path[:len(path)-1]
					if !ok {
						return false
					}
				}
				dec.Token()
			}
		case string:
			out = append(out, [2]string{join(), t})
		default:
			out = append(out, [2]string{join(), fmt.Sprint(t)})
		}
		return true
	}
	walk()
	return out
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// leakCount counts the record's labelled personal values that appear
// verbatim (case-folded) in the sanitized event.
func leakCount(rec corpus.Record, out []byte) (leaked, total int) {
	hay := strings.ToLower(string(out))
	for _, p := range rec.PII {
		total++
		if s := strings.ToLower(fmt.Sprint(p.Value)); s != "" && strings.Contains(hay, s) {
			leaked++
		}
	}
	return leaked, total
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// demoK is the k threshold of the demo's aggregate output.
const demoK = 5

// demoAggregate is the demo's aggregate output: people per one-minute
// window of event time by event type, country and device OS, with the mean
// session duration. The generated stream is replayed as fast as it can be
// produced, and its four partitions are consumed side by side, so event
// times arrive far out of order: the allowed lateness covers the whole
// stream, and the windows are published when the demo stops
// (flush_on_stop). With epsilon > 0 the counts get differential privacy.
func demoAggregate(epsilon float64) runner.AggregateConfig {
	lo, hi := 0.0, 7200.0
	a := runner.AggregateConfig{
		Name: "traffic", Purpose: "product_improvement",
		RepartitionTopic: demoRepartition, AggregateTopic: demoAggregates,
		CheckpointTopic: demoCheckpoints, DeadLetterTopic: demoAggDLQ,
		FlushOnStop: true,
		Config: aggregate.Config{
			Window: time.Minute, AllowedLateness: 24 * time.Hour, K: demoK,
			Dimensions: []aggregate.Dimension{{Name: "event_type"}, {Name: "country"}, {Name: "device_os"}},
			Rollup:     []string{"device_os", "country", "event_type"},
			Metrics:    []aggregate.Metric{{Name: "session_duration", Paths: []string{"session.duration_s"}, Lower: &lo, Upper: &hi}},
			// The generated families' own time fields: an event without one
			// would be counted at its record's timestamp (now), far ahead
			// of the generated clock.
			TimePaths: append(slices.Clone(aggregate.DefaultTimePaths), "submitted_at", "ended_at", "recorded_at", "requested_at",
				"shipped_at", "synced_at", "generated_at", "checked_at", "horodatage", "createdAtMs"),
		},
	}
	if epsilon > 0 {
		a.Bounds = aggregate.Bounds{MaxEventsPerCohort: 3, MaxCohortsPerWindow: 3}
		a.Privacy = &aggregate.Privacy{Epsilon: epsilon, Delta: 1e-6}
	}
	return a
}

// aggRecord is what the demo reads of an aggregate record
// (schemas/records/aggregate.schema.json).
type aggRecord struct {
	Window struct {
		Start time.Time `json:"start"`
		End   time.Time `json:"end"`
	} `json:"window"`
	Dimensions   map[string]*string `json:"dimensions"`
	RolledUp     []string           `json:"rolled_up"`
	Level        int                `json:"level"`
	Other        bool               `json:"other"`
	Count        int64              `json:"count"`
	Contributors int64              `json:"contributors"`
	Metrics      map[string]struct {
		N    int64    `json:"n"`
		Mean *float64 `json:"mean"`
	} `json:"metrics"`
	Privacy struct {
		Mechanism string  `json:"mechanism"`
		Epsilon   float64 `json:"epsilon"`
	} `json:"privacy"`
}

// printAggregates reads the aggregate topic (last value per key, as a
// consumer of a compacted topic does) and prints the records of the first
// windows as a table, with totals over all windows.
func printAggregates(ctx context.Context, w io.Writer, cl *kafkalocal.Cluster, windows int) error {
	raw, err := cl.ReadAll(ctx, demoAggregates)
	if err != nil {
		return fmt.Errorf("reading %s: %w", demoAggregates, err)
	}
	last := map[string][]byte{}
	for _, r := range raw {
		last[string(r.Key)] = r.Value
	}
	recs := make([]aggRecord, 0, len(last))
	var events int64
	starts := map[time.Time]bool{}
	for _, v := range last {
		var r aggRecord
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("%s: %w", demoAggregates, err)
		}
		recs = append(recs, r)
		events += r.Count
		starts[r.Window.Start] = true
	}
	dims := []string{"event_type", "country", "device_os"}
	cell := func(r *aggRecord, d string) string {
		if r.Other {
			return "(other)"
		}
		v, ok := r.Dimensions[d]
		switch {
		case !ok:
			return "*" // rolled up
		case v == nil:
			return "—" // absent from the events
		}
		return clip(*v, 16)
	}
	sort.Slice(recs, func(i, j int) bool {
		a, b := &recs[i], &recs[j]
		if !a.Window.Start.Equal(b.Window.Start) {
			return a.Window.Start.Before(b.Window.Start)
		}
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		for _, d := range dims {
			if x, y := cell(a, d), cell(b, d); x != y {
				return x < y
			}
		}
		return false
	})
	fmt.Fprintf(w, "Aggregates on %s: %d records over %d one-minute windows, counting %d events (cohorts under k=%d people roll up: * = all values).\n",
		demoAggregates, len(recs), len(starts), events, demoK)
	if len(recs) == 0 {
		fmt.Fprintln(w, "  no cohort reached the threshold (with differential privacy, a cohort needs many more people than k).")
		fmt.Fprintln(w)
		return nil
	}
	if recs[0].Privacy.Mechanism != "none" {
		fmt.Fprintf(w, "Counts carry %s noise, epsilon %g per window.\n", recs[0].Privacy.Mechanism, recs[0].Privacy.Epsilon)
	}
	rows := [][]string{{"window (UTC)", "event_type", "country", "device_os", "events", "people", "mean session"}}
	shown := map[time.Time]bool{}
	for i := range recs {
		r := &recs[i]
		if !shown[r.Window.Start] && len(shown) == windows {
			break
		}
		shown[r.Window.Start] = true
		mean := "—"
		if m, ok := r.Metrics["session_duration"]; ok && m.N > 0 && m.Mean != nil {
			mean = (time.Duration(*m.Mean) * time.Second).Round(time.Second).String()
		}
		rows = append(rows, []string{
			r.Window.Start.Format("15:04") + "–" + r.Window.End.Format("15:04"),
			cell(r, dims[0]), cell(r, dims[1]), cell(r, dims[2]),
			fmt.Sprint(r.Count), fmt.Sprint(r.Contributors), mean,
		})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for j, c := range row {
			width[j] = max(width[j], len([]rune(c)))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for j, c := range row {
			pad := strings.Repeat(" ", width[j]-len([]rune(c)))
			if j >= 4 && j < 6 { // numbers right-aligned
				b.WriteString("  " + pad + c)
			} else {
				b.WriteString("  " + c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	if n := len(starts) - len(shown); n > 0 {
		fmt.Fprintf(w, "  … and %d more windows\n", n)
	}
	fmt.Fprintln(w)
	return nil
}
