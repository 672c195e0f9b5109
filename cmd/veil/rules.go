package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/veilstream/veil/classifiers/engine"
	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/classifiers/ruletest"
)

// runRules implements `veil rules test [DIR]` and `veil rules list`.
func runRules(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 {
		return errors.New("want a subcommand: test [DIR] | list")
	}
	switch args[0] {
	case "test":
		return runRulesTest(ctx, args[1:], std)
	case "list":
		return runRulesList(ctx, args[1:], std)
	}
	return fmt.Errorf("unknown subcommand %q (want test or list)", args[0])
}

// runRulesTest checks every rule's examples: those of DIR when given (laid
// over the built-in pack, whose own examples are then checked too), else
// the built-in pack's. Failures are reported by file and line.
func runRulesTest(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("rules test", std.err)
	only := fs.Bool("only", false, "with DIR: check only DIR's rules, without the built-in pack")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("want at most one rules directory, got %d", fs.NArg())
	}
	cfg := pack.Config{RulesDir: fs.Arg(0), NoBuiltin: *only && fs.NArg() == 1}
	if err := cfg.Validate(); err != nil {
		return err
	}
	rs, err := cfg.Rules()
	if err != nil {
		return err
	}
	failures := ruletest.Check(rs, engine.WithValidators(pack.ValidatorLookup))
	examples := 0
	for _, r := range rs {
		examples += len(r.Examples.Match) + len(r.Examples.NoMatch)
	}
	for _, f := range failures {
		fmt.Fprintln(std.out, f.String())
	}
	fmt.Fprintf(std.out, "rules: %d rules, %d examples\n", len(rs), examples)
	fmt.Fprintf(std.out, "%d passed, %d failed\n", examples-len(failures), len(failures))
	if len(failures) > 0 {
		return exitError{code: 1}
	}
	return nil
}

// runRulesList prints the loaded rules.
func runRulesList(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("rules list", std.err)
	var cfg pack.Config
	fs.StringVar(&cfg.RulesDir, "rules", "", "directory of user rule files laid over the built-in pack")
	full := fs.Bool("full", false, "print prefilters in full")
	if err := fs.Parse(args); err != nil {
		return err
	}
	eng, rs, err := pack.Load(cfg)
	if err != nil {
		return err
	}
	src := make(map[string]string, len(rs))
	for _, r := range rs {
		src[r.ID] = r.Source.String()
	}
	tw := tabwriter.NewWriter(std.out, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTYPE\tENGINE\tPREFILTER\tSOURCE")
	for _, ri := range eng.Rules() {
		pf := ri.Prefilter
		if !*full {
			pf = clip(pf, 60)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ri.ID, ri.Type, ri.Engine, pf, src[ri.ID])
	}
	return tw.Flush()
}
