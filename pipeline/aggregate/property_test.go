package aggregate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// genEvents makes n raw events and their sanitized forms: the raw ones
// carry identifiers (anonymous ids, IP addresses, user agents) that the
// sanitized ones do not. Event times wander within the allowed lateness.
func genEvents(r *rand.Rand, n int) (raws, sans [][]byte, idents []string) {
	countries := []string{"FR", "DE", "US", "GB", "ES"}
	paths := []string{"/", "/pricing", "/docs", "/blog/x", "/signup"}
	types := []string{"page", "track"}
	people := 5 + r.IntN(60)
	type person struct{ id, ip, ua string }
	ps := make([]person, people)
	for i := range ps {
		ps[i] = person{
			id: fmt.Sprintf("anon-%016x", r.Uint64()),
			ip: fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254)),
			ua: fmt.Sprintf("Mozilla/5.0 (X11; rv:%d) Gecko/%d Firefox/%d", r.IntN(1000), r.Uint32(), r.IntN(200)),
		}
		if r.IntN(3) == 0 {
			ps[i].id = "" // identified by IP and user agent
		}
		idents = append(idents, ps[i].ip, ps[i].ua)
		if ps[i].id != "" {
			idents = append(idents, ps[i].id)
		}
	}
	base := t0.UnixMilli()
	clock := base
	for range n {
		clock += int64(r.IntN(2000))
		at := clock - int64(r.IntN(8000))              // up to 8s out of order, lateness 10s
		p := ps[r.IntN(min(people, 1+r.IntN(people)))] // skewed: early people are busier
		c, pa, ty := countries[r.IntN(len(countries))], paths[r.IntN(len(paths))], types[r.IntN(len(types))]
		if r.IntN(4) == 0 {
			c = countries[0]
		}
		dur := r.IntN(900)
		id := ""
		if p.id != "" {
			id = fmt.Sprintf(`"anonymousId":%q,`, p.id)
		}
		raws = append(raws, fmt.Appendf(nil, `{"type":%q,%s"ts":%d,"context":{"ip":%q,"userAgent":%q},"geo":{"country":%q},"page":{"path":%q},"duration_s":%d,"workspace_id":"ws1"}`,
			ty, id, at, p.ip, p.ua, c, pa, dur))
		sans = append(sans, fmt.Appendf(nil, `{"type":%q,"ts":%d,"context":{"ip":"10.0.0.0/8","userAgent":"Firefox"},"geo":{"country":%q},"page":{"path":%q},"duration_s":%d,"workspace_id":"ws1"}`,
			ty, at, c, pa, dur))
	}
	return raws, sans, idents
}

type truthEvent struct {
	start int64
	dims  []string
	who   string
}

// TestPropertyKThresholdLeaksTotals runs random streams through the
// extractor and the aggregator and checks, for every published record, that
// it covers at least k distinct contributors (recomputed from the input),
// that its count and contributors are exactly those of the events it
// covers, that no identifier of the input appears in any output byte, and
// that every accepted event is in exactly one record or counted as
// suppressed.
func TestPropertyKThresholdLeaksTotals(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	for seed := range uint64(seeds) {
		r := rand.New(rand.NewPCG(seed, 99))
		k := 1 + r.IntN(6)
		cfg := testConfig(func(c *Config) {
			c.K = k
			c.Rollup = []string{"page_path", "country"}
			if seed%2 == 1 {
				c.Rollup = []string{"page_path", "country", "event_type"}
			}
			c.Dimensions = append(c.Dimensions, Dimension{Name: "hour", Derive: DeriveHour})
		})
		x, err := NewExtractor(cfg)
		if err != nil {
			t.Fatal(err)
		}
		h := &statsHook{}
		a := mustNew(t, cfg, WithHooks(h))
		raws, sans, idents := genEvents(r, 200+r.IntN(3000))
		var truth []truthEvent
		var recs []Record
		for i := range raws {
			e, err := x.Extract(raws[i], sans[i], time.Time{})
			if err != nil {
				t.Fatalf("seed %d: extract: %v", seed, err)
			}
			who := string(e.Contributor)
			dims := []string{string(e.Dims[0]), string(e.Dims[1]), string(e.Dims[2]), fmt.Sprintf("%02d", e.Time.Hour())}
			start, _ := a.WindowOf(e.Time)
			err = a.Add(e)
			if err == nil {
				truth = append(truth, truthEvent{start.UnixNano(), dims, who})
			}
			recs = a.Drain(recs)
		}
		a.Flush()
		recs = a.Drain(recs)

		var out []byte
		for i := range recs {
			out = recs[i].AppendKey(out)
			out = recs[i].AppendJSON(out)
		}
		for _, id := range idents {
			if bytes.Contains(out, []byte(id)) {
				t.Fatalf("seed %d: identifier %q appears in the output", seed, id)
			}
		}
		for i := range recs {
			if !json.Valid(recs[i].AppendJSON(nil)) || !json.Valid(recs[i].AppendKey(nil)) {
				t.Fatalf("seed %d: invalid JSON %s", seed, recs[i].AppendJSON(nil))
			}
		}

		// Coverage: each event belongs to the lowest-level record of its
		// window whose kept dimensions it matches.
		type agg struct {
			count int64
			who   map[string]bool
		}
		cover := make([]agg, len(recs))
		for i := range cover {
			cover[i].who = map[string]bool{}
		}
		byWindow := map[int64]int64{}
		var covered int64
		for _, te := range truth {
			byWindow[te.start]++
			best := -1
			for ri := range recs {
				rc := &recs[ri]
				if rc.Start.UnixNano() != te.start || (best >= 0 && recs[best].Level <= rc.Level) {
					continue
				}
				if matches(rc, cfg, te.dims) {
					best = ri
				}
			}
			if best >= 0 {
				cover[best].count++
				cover[best].who[te.who] = true
				covered++
			}
		}
		for ri := range recs {
			rc := &recs[ri]
			if rc.Contributors < int64(k) || len(cover[ri].who) < k {
				t.Fatalf("seed %d: record %s has %d contributors (%d recomputed), k = %d", seed, rc.AppendKey(nil), rc.Contributors, len(cover[ri].who), k)
			}
			if rc.Count != cover[ri].count || rc.Contributors != int64(len(cover[ri].who)) {
				t.Fatalf("seed %d: record %s: count %d contributors %d, recomputed %d and %d", seed, rc.AppendKey(nil), rc.Count, rc.Contributors, cover[ri].count, len(cover[ri].who))
			}
		}
		var published, suppressed, accepted int64
		for _, rc := range recs {
			published += rc.Count
		}
		for _, st := range h.closed {
			suppressed += st.SuppressedEvents
			accepted += st.Events
			if st.Events != byWindow[st.Start.UnixNano()] {
				t.Fatalf("seed %d: window %s: %d events, %d accepted", seed, st.Start, st.Events, byWindow[st.Start.UnixNano()])
			}
		}
		if published != covered || published+suppressed != accepted || accepted != int64(len(truth)) {
			t.Fatalf("seed %d: published %d (covered %d) + suppressed %d != accepted %d (truth %d)", seed, published, covered, suppressed, accepted, len(truth))
		}
		if k == 1 && suppressed != 0 {
			t.Fatalf("seed %d: k = 1 but %d events suppressed", seed, suppressed)
		}
	}
}

func matches(r *Record, cfg Config, dims []string) bool {
	for _, d := range r.Dimensions {
		for i, cd := range cfg.Dimensions {
			if cd.Name == d.Name && (dims[i] != d.Value || !d.Present && dims[i] != "") {
				return false
			}
		}
	}
	return true
}

// TestPropertyPrivacyK: with differential privacy on, no published record
// covers fewer than k contributors either, whatever the noise.
func TestPropertyPrivacyK(t *testing.T) {
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 7))
		lo, hi := 0.0, 900.0
		cfg := testConfig(func(c *Config) {
			c.K = 2
			c.Bounds = Bounds{MaxEventsPerCohort: 3, MaxCohortsPerWindow: 2}
			c.Privacy = &Privacy{Epsilon: 8, Delta: 1e-3}
			c.Metrics[0].Lower, c.Metrics[0].Upper = &lo, &hi
		})
		x, _ := NewExtractor(cfg)
		a, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		raws, sans, idents := genEvents(r, 3000)
		who := map[string]map[string]bool{} // record key -> contributors (upper bound: all events)
		var recs []Record
		type te struct {
			start int64
			dims  []string
			who   string
		}
		var evs []te
		for i := range raws {
			e, err := x.Extract(raws[i], sans[i], time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			s, _ := a.WindowOf(e.Time)
			evs = append(evs, te{s.UnixNano(), []string{string(e.Dims[0]), string(e.Dims[1]), string(e.Dims[2])}, string(e.Contributor)})
			_ = a.Add(e)
			recs = a.Drain(recs)
		}
		a.Flush()
		recs = a.Drain(recs)
		for _, rc := range recs {
			if rc.Privacy.Mechanism != MechanismGeometric || rc.Contributors < int64(cfg.K) {
				t.Fatalf("record %s", rc.AppendJSON(nil))
			}
			out := rc.AppendJSON(nil)
			for _, id := range idents {
				if strings.Contains(string(out), id) {
					t.Fatalf("identifier %q in %s", id, out)
				}
			}
			key := string(rc.AppendKey(nil))
			who[key] = map[string]bool{}
			for _, e := range evs {
				if e.start == rc.Start.UnixNano() && matches(&rc, cfg, e.dims) {
					who[key][e.who] = true
				}
			}
			// Rolled-up records cover a subset of the matching events, so
			// this is an upper bound; a record under k even by it is a bug.
			if len(who[key]) < cfg.K {
				t.Fatalf("record %s matches %d contributors, k = %d", key, len(who[key]), cfg.K)
			}
		}
	}
}
