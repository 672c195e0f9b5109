package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Set at link time: -ldflags "-X main.version=v1.2.3 -X main.commit=abc123".
var (
	version = "dev"
	commit  = ""
)

func runVersion(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("version", std.err)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := commit
	if c == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					c = s.Value
				}
			}
		}
	}
	if c == "" {
		c = "unknown"
	}
	fmt.Fprintf(std.out, "veil %s (commit %s)\n", version, c)
	return nil
}
