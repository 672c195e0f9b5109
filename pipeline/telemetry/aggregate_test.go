package telemetry

import (
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/aggregate"
)

// TestAggregateHooks counts what aggregate outputs report, per output.
func TestAggregateHooks(t *testing.T) {
	tel := newTest(t)
	traffic := tel.AggregateHooks("traffic").(interface {
		aggregate.HookLateEvent
		aggregate.HookWindowClosed
	})
	other := tel.AggregateHooks("other").(aggregate.HookLateEvent)
	now := time.Now()
	traffic.OnLateEvent(now, now)
	traffic.OnLateEvent(now, now)
	other.OnLateEvent(now, now)
	traffic.OnWindowClosed(aggregate.WindowStats{Records: 7, RolledUp: 2, SuppressedEvents: 3, DroppedOverEvents: 4, DroppedOverCohorts: 5})
	traffic.OnWindowClosed(aggregate.WindowStats{Records: 1})

	type L = map[string]string
	fams := scrape(t, tel)
	for _, c := range []struct {
		name   string
		labels L
		want   float64
	}{
		{"veil_aggregate_late_total", L{"output": "traffic"}, 2},
		{"veil_aggregate_late_total", L{"output": "other"}, 1},
		{"veil_aggregate_windows_total", L{"output": "traffic"}, 2},
		{"veil_aggregate_records_total", L{"output": "traffic", "kind": "cohort"}, 6},
		{"veil_aggregate_records_total", L{"output": "traffic", "kind": "rolled_up"}, 2},
		{"veil_aggregate_suppressed_total", L{"output": "traffic"}, 3},
		{"veil_aggregate_bounded_total", L{"output": "traffic", "reason": "events_per_cohort"}, 4},
		{"veil_aggregate_bounded_total", L{"output": "traffic", "reason": "cohorts_per_window"}, 5},
	} {
		if got := value(t, fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}
