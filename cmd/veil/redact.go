package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/pipeline/actions"
	"github.com/veilstream/veil/pipeline/jsonwalk"
	"github.com/veilstream/veil/pipeline/runner"
	"github.com/veilstream/veil/pipeline/sanitize"
	"github.com/veilstream/veil/schemas/policy"
)

// redactOptions are the flags of `veil redact` that shape the sanitizer.
type redactOptions struct {
	pack             pack.Config
	policyFile       string
	schemaDir        string
	rejectViolations bool
	purpose          string
	tagOnly          bool
	dlq              string
	maxDepth         int
	maxBytes         int
}

func (o *redactOptions) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	IntVar(*int, string, int, string)
}) {
	fs.StringVar(&o.pack.RulesDir, "rules", "", "directory of user rule files laid over the built-in pack")
	fs.StringVar(&o.policyFile, "policy", "", "policy file (default: the embedded default policy)")
	fs.StringVar(&o.schemaDir, "schemas", "", "directory of event schemas laid over the built-in ones")
	fs.BoolVar(&o.rejectViolations, "reject-violations", false, "treat an event that violates its schema as malformed (default: schemas only classify)")
	fs.StringVar(&o.purpose, "purpose", string(policy.ProductImprovement), "purpose of the output: product_improvement, security, marketing or service")
	fs.BoolVar(&o.tagOnly, "tag-only", false, "classify and report, change nothing (writes the actions taken to stderr)")
	fs.StringVar(&o.dlq, "dlq", "", "file to append malformed events to, one JSON line with the reason each (dead letters)")
	fs.IntVar(&o.maxDepth, "max-depth", 0, "nesting limit per event (0: 128)")
	fs.IntVar(&o.maxBytes, "max-bytes", 0, "size limit per event in bytes (0: unlimited)")
}

// newSanitizer builds the sanitizer the options describe.
func (o *redactOptions) newSanitizer() (*sanitize.Sanitizer, error) {
	eng, _, err := pack.Load(o.pack)
	if err != nil {
		return nil, err
	}
	pol := policy.Default()
	if o.policyFile != "" {
		data, err := os.ReadFile(o.policyFile)
		if err != nil {
			return nil, fmt.Errorf("policy: %w", err)
		}
		if pol, err = policy.Parse(o.policyFile, data); err != nil {
			return nil, err
		}
	}
	reg, err := runner.LoadSchemas(o.schemaDir)
	if err != nil {
		return nil, err
	}
	purpose, err := policy.ParsePurpose(o.purpose)
	if err != nil {
		return nil, fmt.Errorf("--purpose: %w", err)
	}
	// Pseudonyms from `veil redact` use keys that live only in this process
	// and rotate daily: they link nothing across runs or days.
	kr, err := actions.NewMemoryKeyring(actions.RotateDay)
	if err != nil {
		return nil, err
	}
	return sanitize.New(sanitize.Config{
		Purpose:          purpose,
		Policy:           pol,
		Scanner:          eng,
		Keys:             sanitize.KeyNames,
		Schemas:          reg,
		RejectViolations: o.rejectViolations,
		Pseudonyms:       actions.NewPseudonymizer(kr),
		TagOnly:          o.tagOnly,
		DiscardApplied:   !o.tagOnly, // only --tag-only reports what was done
		MaxDepth:         o.maxDepth,
		MaxBytes:         o.maxBytes,
	})
}

// runRedact implements `veil redact`: one JSON event per stdin line, one
// sanitized event per stdout line, same order. A line that is not a valid
// event yields {"veil_error": "..."} in its place (so lines stay aligned),
// never any of its content; it is reported on stderr, appended to --dlq
// when given, and makes the command exit 1.
func runRedact(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("redact", std.err)
	var o redactOptions
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q: redact reads stdin", fs.Arg(0))
	}
	san, err := o.newSanitizer()
	if err != nil {
		return err
	}
	var dlq *os.File
	if o.dlq != "" {
		if dlq, err = os.OpenFile(o.dlq, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err != nil {
			return fmt.Errorf("--dlq: %w", err)
		}
		defer dlq.Close()
	}
	var dw io.Writer
	if dlq != nil {
		dw = dlq
	}
	return redactStream(ctx, std, san, dw, o.tagOnly)
}

func redactStream(ctx context.Context, std stdio, san *sanitize.Sanitizer, dlq io.Writer, tagOnly bool) error {
	var (
		out, msg  []byte
		bad, seen int
	)
	err := eachLine(ctx, std.in, std.out, func(n int, line []byte, w *bufio.Writer) error {
		seen = n
		var err error
		out, err = san.Sanitize(out[:0], line)
		if err != nil {
			bad++
			reason := fmt.Sprintf("line %d: %v", n, err)
			fmt.Fprintf(std.err, "veil redact: %s\n", reason)
			out = append(out[:0], `{"veil_error":`...)
			out = strconv.AppendQuote(out, reason)
			out = append(out, '}')
			if dlq != nil {
				msg = append(msg[:0], `{"reason":`...)
				msg = strconv.AppendQuote(msg, reason)
				msg = append(msg, `,"event":`...)
				msg = jsonwalk.AppendString(msg, line)
				msg = append(msg, "}\n"...)
				if _, err := dlq.Write(msg); err != nil {
					return fmt.Errorf("writing dead letter: %w", err)
				}
			}
		} else if tagOnly {
			for _, a := range san.Applied() {
				fmt.Fprintf(std.err, "line %d: %s %s %s %s\n", n, a.Path, a.Type, a.Category, a.Action)
			}
		}
		out = append(out, '\n')
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("writing output: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if bad > 0 {
		fmt.Fprintf(std.err, "veil redact: %d of %d lines were not valid events\n", bad, seen)
		return exitError{code: 1}
	}
	return nil
}
