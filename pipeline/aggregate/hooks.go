package aggregate

import "time"

// Hook receives the aggregator's telemetry. It is any value implementing one
// or more of the Hook* interfaces below (as franz-go's hooks are): the
// aggregator calls the methods a hook implements and ignores the rest. Hooks
// are called from the goroutine that calls Add, Flush or Drain, so they need
// not be safe for concurrent use unless the hook is shared by several
// aggregators.
type Hook any

// HookLateEvent is called for every event that arrived after its window
// closed (beyond the allowed lateness). The event was dropped.
type HookLateEvent interface {
	OnLateEvent(eventTime, watermark time.Time)
}

// HookWindowClosed is called once per closed window, after its records were
// computed and before they are handed out by Drain.
type HookWindowClosed interface {
	OnWindowClosed(s WindowStats)
}

// WindowStats describes one closed window. It holds counts only.
type WindowStats struct {
	// Start and End bound the window.
	Start, End time.Time
	// Events is the number of events added to the window (after bounding).
	Events int64
	// Cohorts is the number of distinct cohorts seen.
	Cohorts int
	// Records is the number of records published, of which RolledUp are
	// coarser cohorts made of cohorts below k (the "other" bucket included).
	Records, RolledUp int
	// SuppressedEvents is the number of events in no published record:
	// their cohorts stayed below k (or, under differential privacy, below
	// the noisy threshold) at every rollup level, "other" included.
	SuppressedEvents int64
	// DroppedOverEvents counts events dropped because their contributor
	// already had Bounds.MaxEventsPerCohort events in the cohort;
	// DroppedOverCohorts those dropped because it already had events in
	// Bounds.MaxCohortsPerWindow other cohorts.
	DroppedOverEvents, DroppedOverCohorts int64
}

// hooks dispatches to the hooks implementing each method.
type hooks struct {
	late   []HookLateEvent
	closed []HookWindowClosed
}

func (h *hooks) add(x Hook) {
	if l, ok := x.(HookLateEvent); ok {
		h.late = append(h.late, l)
	}
	if c, ok := x.(HookWindowClosed); ok {
		h.closed = append(h.closed, c)
	}
}
