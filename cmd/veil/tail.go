package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/veilstream/veil/pipeline/kafkalocal"
)

// runTail implements `veil tail`: print the records of a topic, oldest
// first, and with --follow keep printing new ones until interrupted.
func runTail(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("tail", std.err)
	brokers := fs.String("brokers", "", "broker address host:port")
	topic := fs.String("topic", "", "topic to read")
	follow := fs.Bool("follow", false, "keep reading new records until interrupted")
	headers := fs.Bool("headers", false, "print each record's headers before its value")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *brokers == "" || *topic == "" {
		return errors.New("want --brokers and --topic")
	}
	cl := kafkalocal.Remote(*brokers)
	from := map[int]int64{}
	for {
		rctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		recs, next, err := cl.ReadFrom(rctx, *topic, from)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		from = next
		sort.SliceStable(recs, func(i, j int) bool { return recs[i].Time.Before(recs[j].Time) })
		for _, r := range recs {
			if *headers {
				keys := make([]string, 0, len(r.Headers))
				for k := range r.Headers {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					fmt.Fprintf(std.out, "# %s: %s\n", k, r.Headers[k])
				}
			}
			fmt.Fprintf(std.out, "%s\n", r.Value)
		}
		if !*follow {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(500 * time.Millisecond):
		}
	}
}
