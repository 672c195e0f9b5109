package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/veilstream/veil/bench/corpus"
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
	)
	if err != nil {
		return err
	}
	defer cl.Close()
	fmt.Fprintf(std.out, "veil demo: in-process Kafka broker at %s\n", cl.Addr)
	fmt.Fprintf(std.out, "  %s (4 partitions) → veil → %s (product_improvement), %s (security); rejects → %s\n\n", demoRaw, demoAnalytics, demoSecurity, demoDLQ)

	cfg := &runner.Config{
		Kafka: kafkaio.Config{
			Brokers: []string{cl.Addr}, GroupID: "veil-demo", Inputs: []string{demoRaw},
			Outputs:    []kafkaio.OutputConfig{{Name: "analytics", Topic: demoAnalytics}, {Name: "security", Topic: demoSecurity}},
			DeadLetter: kafkaio.OutputConfig{Topic: demoDLQ},
		},
		Outputs:      []runner.OutputConfig{{Name: "analytics", Purpose: "product_improvement"}, {Name: "security", Purpose: "security"}},
		CustomerKeys: []string{"workspace_id", "bot_id"},
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
	fmt.Fprintf(std.out, "Read the clean stream:  kcat -b %s -C -t %s -e\n", cl.Addr, demoAnalytics)
	fmt.Fprintf(std.out, "                   or:  go run ./cmd/veil tail --brokers %s --topic %s\n", cl.Addr, demoAnalytics)
	if !*serve {
		fmt.Fprintln(std.out, "(the broker stops with this demo; run `veil demo --serve` to keep it up)")
		stop()
		<-done
		return r.Close()
	}
	fmt.Fprintln(std.out, "Broker and pipeline keep running; Ctrl-C stops.")
	<-ctx.Done()
	stop()
	<-done
	return r.Close()
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
