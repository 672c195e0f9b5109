package telemetry

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/veilstream/veil/pipeline/aggregate"
)

// Values of AttrKind on veil.aggregate.records and of AttrReason on
// veil.aggregate.bounded.
const (
	AttrKind               = "kind"
	KindCohort             = "cohort"
	KindRolledUp           = "rolled_up"
	ReasonEventsPerCohort  = "events_per_cohort"
	ReasonCohortsPerWindow = "cohorts_per_window"
)

// AggregateHooks returns the hooks that count what the aggregate output
// named output does: late events, closed windows, published and rolled-up
// records, suppressed events and events dropped by contribution bounds.
// The hook is safe for concurrent use.
func (t *Telemetry) AggregateHooks(output string) aggregate.Hook {
	out := attribute.String(AttrOutput, output)
	return aggregateHooks{
		t:        t,
		out:      metric.WithAttributes(out),
		cohort:   metric.WithAttributes(out, attribute.String(AttrKind, KindCohort)),
		rolledUp: metric.WithAttributes(out, attribute.String(AttrKind, KindRolledUp)),
		perCo:    metric.WithAttributes(out, attribute.String(AttrReason, ReasonEventsPerCohort)),
		perWin:   metric.WithAttributes(out, attribute.String(AttrReason, ReasonCohortsPerWindow)),
	}
}

type aggregateHooks struct {
	t                                    *Telemetry
	out, cohort, rolledUp, perCo, perWin metric.AddOption
}

// OnLateEvent implements aggregate.HookLateEvent.
func (h aggregateHooks) OnLateEvent(_, _ time.Time) {
	h.t.ins.aggLate.Add(context.Background(), 1, h.out)
}

// OnWindowClosed implements aggregate.HookWindowClosed.
func (h aggregateHooks) OnWindowClosed(s aggregate.WindowStats) {
	ctx := context.Background()
	ins := h.t.ins
	ins.aggWindows.Add(ctx, 1, h.out)
	ins.aggRecords.Add(ctx, int64(s.Records-s.RolledUp), h.cohort)
	ins.aggRecords.Add(ctx, int64(s.RolledUp), h.rolledUp)
	ins.aggSuppressed.Add(ctx, s.SuppressedEvents, h.out)
	ins.aggBounded.Add(ctx, s.DroppedOverEvents, h.perCo)
	ins.aggBounded.Add(ctx, s.DroppedOverCohorts, h.perWin)
}
