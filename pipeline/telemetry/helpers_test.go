package telemetry

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// newTest returns a Telemetry for tests, shut down at the end.
func newTest(t *testing.T, opts ...Option) *Telemetry {
	t.Helper()
	tel, err := New(Config{ServiceName: "veil-test"}, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel
}

// get requests path from h and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// scrape fetches /metrics over a real HTTP server and parses the text
// format.
func scrape(t *testing.T, tel *Telemetry) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(tel.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("GET /metrics: Content-Type %q, want the text format", ct)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return fams
}

// labels is a metric's label set, without the labels every series carries.
func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func sameLabels(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// series finds the sample of family name with exactly the labels want; ok
// is false when there is none.
func series(fams map[string]*dto.MetricFamily, name string, want map[string]string) (*dto.Metric, bool) {
	f, ok := fams[name]
	if !ok {
		return nil, false
	}
	for _, m := range f.GetMetric() {
		if sameLabels(labelsOf(m), want) {
			return m, true
		}
	}
	return nil, false
}

// value returns the counter, gauge or untyped value of a series, failing
// the test when the series is missing.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	m, ok := series(fams, name, want)
	if !ok {
		t.Fatalf("%s%v: no such series; have:\n%s", name, want, describe(fams, name))
	}
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Untyped != nil:
		return m.GetUntyped().GetValue()
	}
	t.Fatalf("%s%v: not a counter or gauge", name, want)
	return 0
}

func describe(fams map[string]*dto.MetricFamily, name string) string {
	f, ok := fams[name]
	if !ok {
		var names []string
		for n := range fams {
			if strings.HasPrefix(n, "veil") {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		return "  (no family " + name + "; veil families: " + strings.Join(names, ", ") + ")"
	}
	var b strings.Builder
	for _, m := range f.GetMetric() {
		b.WriteString("  ")
		b.WriteString(m.String())
		b.WriteByte('\n')
	}
	return b.String()
}
