// Command pipebench measures the whole veil pipeline end to end on an
// in-process Kafka-protocol broker (kfake over loopback TCP): events/s and
// MB/s of the pipeline with the full built-in pack and the default policy,
// next to a passthrough with the same kafka-go consumer and producer
// settings and no classification, in one run; then end-to-end latency
// (produce → clean record readable) at a paced rate, as p50 and p99.
//
// Each throughput figure is the median of -runs runs with its spread; the
// ratio is the median of per-run ratios. The broker runs in the same
// process and takes a share of the same cores, as it would on a node.
// Each run first passes -warm events of another seed through the processor
// untimed, so that the figures are those of a processor that has been
// running (its sanitizers have met the stream's field names, user agents
// and repeated values), as veilbench's steady state is; -warm 0 times a
// processor from its first record. Only the records that reach the clean
// topic inside the timed window count: the window opens at the first poll
// that finds the warm-up (or the first record) through, and whatever is
// already there then is left out.
//
// Next to them it prints the aggregate output's own cost, measured in
// process at GOMAXPROCS=1 on the same events: extraction and aggregation
// (package pipeline/aggregate's Extractor and Aggregator, one-minute
// windows, five dimensions, one metric with a histogram) of each event and
// its product_improvement sanitized form, in events/s per core; and the
// heap per million live cohorts (package bench's LiveCohorts, as
// bench/cmd/aggbench prints it).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/veilstream/veil/bench"
	"github.com/veilstream/veil/bench/corpus"
	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/runner"
	"github.com/veilstream/veil/pipeline/stream"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "pipebench:", err)
		os.Exit(1)
	}
}

func run() error {
	n := flag.Int("n", 40000, "timed events per throughput run")
	runs := flag.Int("runs", 3, "throughput runs per mode")
	partitions := flag.Int("partitions", 4, "partitions of each topic")
	rate := flag.Int("rate", 2000, "events/s during the latency phase")
	latSecs := flag.Int("latency-seconds", 5, "length of the latency phase")
	warmN := flag.Int("warm", 20000, "events of another seed each processor passes, untimed, before the timed events (0: time from the first record)")
	cohorts := flag.Int("cohorts", 1_000_000, "live cohorts for the aggregate memory figure (0 skips it)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the pipeline runs (not the passthrough) to this file")
	flag.Parse()

	if *n < 1 || *runs < 1 || *partitions < 1 || *warmN < 0 {
		return errors.New("-n, -runs and -partitions must be positive, -warm not negative")
	}
	gen := corpus.New(7)
	events := make([][]byte, *n)
	size := 0
	for i := range events {
		events[i] = gen.Next().Event
		size += len(events[i])
	}
	warmGen := corpus.New(8)
	warm := make([][]byte, *warmN)
	for i := range warm {
		warm[i] = warmGen.Next().Event
	}
	fmt.Printf("pipebench: %d events per run, %.1f MB (mean %d B), %d partitions, kfake in-process on 127.0.0.1\n",
		*n, float64(size)/1e6, size / *n, *partitions)
	if *warmN > 0 {
		fmt.Printf("steady state: each processor first passes %d events of another seed, untimed\n\n", *warmN)
	} else {
		fmt.Printf("cold start: each processor is timed from its first record\n\n")
	}

	var pipe, pass, ratio []float64
	for i := 0; i < *runs; i++ {
		p, err := throughput(warm, events, *partitions, false)
		if err != nil {
			return fmt.Errorf("passthrough: %w", err)
		}
		if *cpuProfile != "" && i == 0 {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		v, err := throughput(warm, events, *partitions, true)
		if *cpuProfile != "" && i == *runs-1 {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return fmt.Errorf("pipeline: %w", err)
		}
		pass, pipe, ratio = append(pass, p), append(pipe, v), append(ratio, v/p)
	}
	mb := float64(size) / 1e6 / float64(*n)
	row := func(name string, xs []float64) {
		lo, med, hi := stats(xs)
		fmt.Printf("%-34s %9.0f events/s %7.1f MB/s   (spread %.0f–%.0f events/s)\n", name, med, med*mb, lo, hi)
	}
	row("passthrough (no classification)", pass)
	row("veil pipeline (default policy)", pipe)
	lo, med, hi := stats(ratio)
	fmt.Printf("pipeline / passthrough: %.2f (spread %.2f–%.2f; target ≥ 0.70)\n", med, lo, hi)
	_, pc, _ := stats(lastCores.pass)
	_, vc, _ := stats(lastCores.pipe)
	fmt.Printf("cores in use while timed (process, broker included; median): passthrough %.2f, pipeline %.2f of %d\n\n", pc, vc, runtime.NumCPU())

	if err := aggregateFigures(events, *runs, *cohorts, mb); err != nil {
		return fmt.Errorf("aggregate: %w", err)
	}

	p50, p99, count, err := latency(events, *partitions, *rate, time.Duration(*latSecs)*time.Second)
	if err != nil {
		return fmt.Errorf("latency: %w", err)
	}
	fmt.Printf("end-to-end latency at %d events/s (%d events): p50 %v, p99 %v\n", *rate, count, p50.Round(100*time.Microsecond), p99.Round(100*time.Microsecond))
	return nil
}

// aggregateFigures prints the aggregate output's throughput per core on
// the same events and its heap per million live cohorts.
func aggregateFigures(events [][]byte, runs, cohorts int, mb float64) error {
	s, err := bench.NewSetup(0)
	if err != nil {
		return err
	}
	san, err := s.NewSanitizer()
	if err != nil {
		return err
	}
	ac := bench.NewAggregateCorpus(events, san)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	var rates []float64
	counted, records := 0, 0
	for range runs {
		n := 0
		start := time.Now()
		for n == 0 || time.Since(start) < 500*time.Millisecond {
			if counted, records, err = ac.AggregatePass(bench.AggregateConfig(false)); err != nil {
				return err
			}
			n++
		}
		rates = append(rates, float64(n*len(ac.Raw))/time.Since(start).Seconds())
	}
	lo, med, hi := stats(rates)
	fmt.Printf("%-34s %9.0f events/s %7.1f MB/s   (spread %.0f–%.0f events/s; GOMAXPROCS=1)\n", "aggregate: extract + aggregate", med, med*mb, lo, hi)
	fmt.Printf("%-34s %d of %d events counted (the others name no contributor or no time), %d records with k=10\n", "", counted, len(ac.Raw), records)
	if cohorts > 0 {
		for _, bounds := range []bool{false, true} {
			per, took, err := bench.LiveCohorts(cohorts, bounds)
			if err != nil {
				return err
			}
			name := "aggregate: heap per 1M live cohorts"
			if bounds {
				name = "  same, with contribution bounds"
			}
			fmt.Printf("%-34s %9.0f MiB (%.0f B per cohort; closing %d cohorts took %v)\n", name, per*1e6/(1<<20), per, cohorts, took.Round(time.Millisecond))
		}
	}
	fmt.Println()
	return nil
}

// setup starts a broker with raw, clean and dead-letter topics and a
// processor over them: the veil pipeline, or a passthrough.
func setup(partitions int, pipeline bool) (*kafkalocal.Cluster, func(context.Context) error, func() error, error) {
	p := int32(partitions)
	cl, err := kafkalocal.Start(kafkalocal.Topic{Name: "raw", Partitions: p}, kafkalocal.Topic{Name: "clean", Partitions: p}, kafkalocal.Topic{Name: "dlq", Partitions: p})
	if err != nil {
		return nil, nil, nil, err
	}
	kc := kafkaio.Config{Brokers: []string{cl.Addr}, GroupID: "bench", Inputs: []string{"raw"},
		Outputs: []kafkaio.OutputConfig{{Name: "clean", Topic: "clean"}}, DeadLetter: kafkaio.OutputConfig{Topic: "dlq"}}
	if pipeline {
		cfg := &runner.Config{Kafka: kc, Outputs: []runner.OutputConfig{{Name: "clean", Purpose: "product_improvement"}}}
		if err := cfg.Validate(); err != nil {
			cl.Close()
			return nil, nil, nil, err
		}
		r, err := runner.New(cfg)
		if err != nil {
			cl.Close()
			return nil, nil, nil, err
		}
		return cl, r.Run, r.Close, nil
	}
	proc, err := kafkaio.NewProcessor(kc, stream.Config{})
	if err != nil {
		cl.Close()
		return nil, nil, nil, err
	}
	return cl, proc.Run, proc.Close, nil
}

// throughput preloads the warm-up events and then the timed ones, starts
// the processor, and times from the moment the clean topic holds every
// warm-up event (or its first record, without warm-up) until it holds them
// all: group join time and the warm-up are excluded.
func throughput(warm, events [][]byte, partitions int, pipeline bool) (float64, error) {
	cl, runFn, closeFn, err := setup(partitions, pipeline)
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := produceAll(ctx, cl, append(warm[:len(warm):len(warm)], events...)); err != nil {
		return 0, err
	}
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- runFn(rctx) }()
	var first time.Time
	var cpu0 time.Duration
	var from int64
	start := max(int64(len(warm)), 1)
	want := int64(len(warm) + len(events))
	for {
		c, err := cl.Count(ctx, "clean")
		if err != nil {
			stop()
			return 0, err
		}
		if c >= start && first.IsZero() {
			first, from = time.Now(), c
			cpu0 = cpuTime()
		}
		if c >= want {
			break
		}
		select {
		case err := <-done:
			return 0, fmt.Errorf("processor stopped: %v", err)
		case <-time.After(2 * time.Millisecond):
		}
	}
	el := time.Since(first)
	cores := float64(cpuTime()-cpu0) / float64(el)
	stop()
	<-done
	closeFn()
	if pipeline {
		lastCores.pipe = append(lastCores.pipe, cores)
	} else {
		lastCores.pass = append(lastCores.pass, cores)
	}
	if want-from < max(int64(len(events))/10, 1) {
		return 0, fmt.Errorf("only %d of %d timed events fell in the timed window: raise -n", want-from, len(events))
	}
	return float64(want-from) / el.Seconds(), nil
}

// lastCores collects the cores the process used (broker included) during
// each timed throughput run.
var lastCores struct{ pipe, pass []float64 }

// cpuTime is the CPU time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func produceAll(ctx context.Context, cl *kafkalocal.Cluster, events [][]byte) error {
	p := cl.NewProducer("raw")
	defer p.Close()
	batch := make([]kafkalocal.Message, 0, 1000)
	for i, ev := range events {
		batch = append(batch, kafkalocal.Message{Key: []byte("k" + strconv.Itoa(i%101)), Value: ev})
		if len(batch) == cap(batch) || i == len(events)-1 {
			if err := p.Write(ctx, batch...); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// latency runs the pipeline, produces at a paced rate, and tails the clean
// topic: latency is the time from the producer stamping an event to the
// moment its clean record is read (Kafka timestamps have millisecond
// resolution).
func latency(events [][]byte, partitions, rate int, d time.Duration) (p50, p99 time.Duration, count int, err error) {
	cl, runFn, closeFn, err := setup(partitions, true)
	if err != nil {
		return 0, 0, 0, err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), d+2*time.Minute)
	defer cancel()
	rctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runFn(rctx) }()
	defer func() { stop(); <-done; closeFn() }()

	// Warm up: wait until the group has its partitions.
	if err := produceAll(ctx, cl, events[:10]); err != nil {
		return 0, 0, 0, err
	}
	for c, _ := cl.Count(ctx, "clean"); c < 10; c, _ = cl.Count(ctx, "clean") {
		time.Sleep(10 * time.Millisecond)
	}

	var mu sync.Mutex
	var lat []time.Duration
	tctx, tstop := context.WithCancel(ctx)
	defer tstop()
	var wg sync.WaitGroup
	for p := 0; p < partitions; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			// kafka-go's Reader sleeps ReadBackoffMin (default 100ms) after
			// an empty fetch: left at that, the reader, not veil, would set
			// the tail of the latency.
			r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{cl.Addr}, Topic: "clean", Partition: p, MinBytes: 1, MaxBytes: 4 << 20,
				MaxWait: 5 * time.Millisecond, ReadBackoffMin: time.Millisecond, ReadBackoffMax: 5 * time.Millisecond})
			defer r.Close()
			r.SetOffset(kafka.LastOffset)
			for {
				m, err := r.ReadMessage(tctx)
				if err != nil {
					return
				}
				// Clean records carry their input record's timestamp, which
				// the producer set when it wrote the event.
				if hdr(m.Headers, stream.HeaderSourceTopic) != "raw" {
					continue
				}
				d := time.Since(m.Time)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}
		}(p)
	}
	time.Sleep(200 * time.Millisecond) // readers positioned at the end

	// Produce in 10 ms ticks.
	w := &kafka.Writer{Addr: kafka.TCP(cl.Addr), Topic: "raw", Balancer: &kafka.Murmur2Balancer{}, BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	per := max(1, rate/100)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	end := time.Now().Add(d)
	i := 0
	for time.Now().Before(end) {
		<-tick.C
		msgs := make([]kafka.Message, per)
		for j := range msgs {
			msgs[j] = kafka.Message{Key: []byte("k" + strconv.Itoa(i%101)), Value: events[i%len(events)]}
			i++
		}
		if err := w.WriteMessages(ctx, msgs...); err != nil {
			return 0, 0, 0, err
		}
	}
	time.Sleep(2 * time.Second)
	tstop()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(lat) == 0 {
		return 0, 0, 0, errors.New("no clean record read back")
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	return lat[len(lat)/2], lat[len(lat)*99/100], len(lat), nil
}

func hdr(hs []kafka.Header, k string) string {
	for _, h := range hs {
		if h.Key == k {
			return string(h.Value)
		}
	}
	return ""
}

func stats(xs []float64) (lo, med, hi float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[0], s[len(s)/2], s[len(s)-1]
}
