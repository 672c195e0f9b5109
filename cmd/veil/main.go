// Command veil classifies and strips personal data from analytics events.
//
// Usage:
//
//	veil demo                  run the pipeline on an in-process broker with generated events and show what it does
//	veil run --config FILE     run stream processors (Kafka / NATS)
//	veil detect                free text in (JSON Lines {id, text}), findings out
//	veil redact                events in (JSON Lines), sanitized events out
//	veil rules test [DIR]      check every rule's examples
//	veil rules list            show the loaded rules
//	veil tail --brokers --topic print a topic's records
//	veil version               print the version
//
// Run `veil COMMAND -h` for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command is one subcommand of veil.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdio stdio) error
}

// stdio bundles the streams a command reads and writes, so tests can drive
// commands in-process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// exitError carries a process exit status out of a command whose output
// already explained the failure.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func commands() []command {
	return []command{
		{"demo", "run the pipeline on an embedded default and show what it does", runDemo},
		{"run", "run a stream processor: --config veil.yaml, or --brokers --input --output --dlq", runRun},
		{"detect", "read JSON Lines {id, text} on stdin, write findings", runDetect},
		{"redact", "read JSON Lines events on stdin, write sanitized events", runRedact},
		{"rules", "rules test [DIR] | rules list: check or show classifier rules", runRules},
		{"tail", "print the records of a topic: --brokers --topic [--follow] [--headers]", runTail},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := mainCode(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

func mainCode(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(std.err)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], std)
		var ee exitError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ee):
			return ee.code
		default:
			fmt.Fprintf(std.err, "veil %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(std.err, "veil: unknown command %q\n\n", args[0])
	usage(std.err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "veil classifies and strips personal data from analytics events.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: veil COMMAND [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'veil COMMAND -h' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("veil "+name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}
