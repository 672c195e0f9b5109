package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/veilstream/veil/pipeline/kafkaio"
	"github.com/veilstream/veil/pipeline/runner"
	"github.com/veilstream/veil/pipeline/telemetry"
)

// runRun implements `veil run`: a stream processor from a config file, or
// for the simple case from flags (default policy, one output).
func runRun(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("run", std.err)
	config := fs.String("config", "", "configuration file (veil.yaml)")
	brokers := fs.String("brokers", "", "without --config: bootstrap brokers, host:port[,host:port]")
	input := fs.String("input", "", "without --config: input topics, comma-separated")
	output := fs.String("output", "", "without --config: the clean output topic")
	group := fs.String("group", "veil", "without --config: consumer group")
	dlq := fs.String("dlq", "", "without --config: dead-letter topic")
	purpose := fs.String("purpose", "product_improvement", "without --config: purpose of the output")
	metrics := fs.String("metrics-addr", "", "without --config: address of /metrics, /healthz and /readyz (default :9464)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// SIGHUP reloads rules, schemas and policy. Caught from the start: its
	// default action would end the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	var cfg *runner.Config
	switch {
	case *config != "":
		if *brokers != "" || *input != "" || *output != "" || *dlq != "" {
			return errors.New("--config and --brokers/--input/--output/--dlq exclude each other")
		}
		c, err := runner.LoadConfig(*config)
		if err != nil {
			return err
		}
		cfg = c
	default:
		var missing []string
		for _, f := range []struct{ name, v string }{{"--brokers", *brokers}, {"--input", *input}, {"--output", *output}, {"--dlq", *dlq}} {
			if f.v == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("want --config FILE, or all of --brokers --input --output --dlq (missing %s)", strings.Join(missing, " "))
		}
		cfg = &runner.Config{
			Kafka: kafkaio.Config{
				Brokers: strings.Split(*brokers, ","), GroupID: *group, Inputs: strings.Split(*input, ","),
				Outputs:    []kafkaio.OutputConfig{{Name: "clean", Topic: *output}},
				DeadLetter: kafkaio.OutputConfig{Topic: *dlq},
			},
			Outputs:   []runner.OutputConfig{{Name: "clean", Purpose: *purpose}},
			Telemetry: telemetry.Config{MetricsAddr: *metrics},
		}
		if err := cfg.Validate(); err != nil {
			return err
		}
	}
	log := slog.New(slog.NewJSONHandler(std.err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if cfg.Telemetry.ServiceVersion == "" {
		cfg.Telemetry.ServiceVersion = version
	}
	tel, err := telemetry.New(cfg.Telemetry, telemetry.WithLogger(log))
	if err != nil {
		return err
	}
	r, err := runner.New(cfg, runner.WithLogger(log), runner.WithHooks(tel.StreamHooks()),
		runner.WithEngineHooks(tel.EngineHooks()), runner.WithObserver(tel.ObserveApplied),
		runner.WithAggregateHooks(tel.AggregateHooks),
		runner.WithReloadHook(func(res runner.ReloadResult) {
			// The runner logs each reload with its reason; count it here.
			if res.Err != nil || res.Changed() {
				tel.ObserveConfigReload(res.Err)
			}
			tel.SetConfigVersion(res.Version, res.Err != nil)
		}))
	if err != nil {
		return err
	}
	tel.SetConfigVersion(r.PolicyVersion(), false)
	hupDone := make(chan struct{})
	defer close(hupDone)
	go func() {
		for {
			select {
			case <-hup:
				log.Info("SIGHUP: reloading rules, schemas and policy")
				_ = r.Reload() // logged and counted through the hook
			case <-hupDone:
				return
			}
		}
	}()
	serveCtx, stopServe := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- tel.Serve(serveCtx) }()
	var aggs []string
	for _, a := range cfg.Aggregates {
		aggs = append(aggs, a.Name+" → "+a.AggregateTopic)
	}
	log.Info("veil running", "inputs", cfg.Kafka.Inputs, "group", cfg.Kafka.GroupID, "policy", r.PolicyVersion(), "aggregates", aggs)
	// Ready once the consumer group is joined (telemetry follows the
	// joins through kafkaio.GroupHooks): a broker veil cannot reach, or
	// whose certificate it refuses, keeps the pod out of service, with
	// the reason on /readyz.
	tel.SetNotReady("joining the consumer group")
	err = r.Run(ctx)
	tel.SetNotReady(telemetry.ReasonShuttingDown)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	stopServe()
	if serr := <-served; err == nil && serr != nil {
		err = fmt.Errorf("telemetry: %w", serr)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if terr := tel.Shutdown(sctx); err == nil && terr != nil {
		err = fmt.Errorf("telemetry: %w", terr)
	}
	if err == nil {
		log.Info("veil stopped")
	}
	return err
}
