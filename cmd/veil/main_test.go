package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/kafkalocal"
)

// run drives the command in-process and returns stdout, stderr and the
// exit status.
func run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := mainCode(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return out.String(), errb.String(), code
}

func TestDetectContract(t *testing.T) {
	in := `{"id": "a", "text": "Écrivez à jean.dupont@example.fr ou au +33 6 12 34 56 78"}
{"id": 7, "text": "nothing here"}
`
	out, errs, code := run(t, in, "detect")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d output lines for 2 inputs:\n%s", len(lines), out)
	}
	var first struct {
		ID       string
		Findings []struct {
			Type       string
			Start, End int
			Score      float64
		}
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	text := "Écrivez à jean.dupont@example.fr ou au +33 6 12 34 56 78"
	got := map[string]string{}
	for _, f := range first.Findings {
		got[f.Type] = text[f.Start:f.End] // byte offsets: slicing the UTF-8 text must give the value
	}
	if got["EMAIL_ADDRESS"] != "jean.dupont@example.fr" || got["PHONE_NUMBER"] != "+33 6 12 34 56 78" {
		t.Errorf("findings %v", got)
	}
	if lines[1] != `{"id":7,"findings":[]}` {
		t.Errorf("second line %s", lines[1])
	}
}

func TestDetectBadLine(t *testing.T) {
	out, errs, code := run(t, "{\"id\":1,\"text\":\"ok\"}\nnot json secret@example.com\n", "detect")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errs, "stdin line 2") || strings.Contains(out+errs, "secret@example.com") {
		t.Errorf("stderr %q / stdout %q: want the line number and no echo of the input", errs, out)
	}
	if n := strings.Count(out, "\n"); n != 2 {
		t.Errorf("%d output lines, want 2 (aligned with input)", n)
	}
}

func TestRedact(t *testing.T) {
	dlq := filepath.Join(t.TempDir(), "dlq.jsonl")
	in := `{"event":"signup","email":"ana@example.com","context":{"ip":"203.0.113.9"},"plan":"pro"}
{"event":"signup","email":"bob@example.com",
`
	out, errs, code := run(t, in, "redact", "--dlq", dlq)
	if code != 1 {
		t.Errorf("exit %d, want 1 for the malformed line", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out)
	}
	if lines[0] != `{"event":"signup","context":{"ip":"203.0.113.0/24"},"plan":"pro"}` {
		t.Errorf("sanitized: %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], `{"veil_error":"line 2: `) || strings.Contains(out, "bob@") {
		t.Errorf("malformed line became %s", lines[1])
	}
	if !strings.Contains(errs, "line 2") {
		t.Errorf("stderr %q does not name line 2", errs)
	}
	data, err := os.ReadFile(dlq)
	if err != nil || !strings.Contains(string(data), "bob@example.com") || !strings.Contains(string(data), `"reason":"line 2`) {
		t.Errorf("dead letter file: %q, %v", data, err)
	}
}

func TestRulesTest(t *testing.T) {
	out, _, code := run(t, "", "rules", "test")
	if code != 0 || !regexp.MustCompile(`(?m)^\d+ passed, 0 failed$`).MatchString(out) {
		t.Fatalf("built-in pack: exit %d\n%s", code, out)
	}
	dir := t.TempDir()
	rule := `rules:
  - id: acme.ticket
    type: SECRET
    pattern: '\bTCK-\d{6}\b'
    score: 0.8
    examples:
      match: ["ticket TCK-123456", "TCK-12"]
`
	os.WriteFile(filepath.Join(dir, "acme.yaml"), []byte(rule), 0o644)
	out, _, code = run(t, "", "rules", "test", "--only", dir)
	if code != 1 || !strings.Contains(out, "acme.yaml:7: rule acme.ticket: should match \"TCK-12\"") || !strings.Contains(out, "1 passed, 1 failed") {
		t.Errorf("exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("rules:\n  - id: x\n    type: NOPE\n"), 0o644)
	_, errs, code := run(t, "", "rules", "test", dir)
	if code != 1 || !strings.Contains(errs, "broken.yaml:3") {
		t.Errorf("broken rule file: exit %d, %s", code, errs)
	}
}

func TestRunNeedsConfigOrFlags(t *testing.T) {
	_, errs, code := run(t, "", "run", "--brokers", "127.0.0.1:1")
	if code != 1 || !strings.Contains(errs, "missing --input --output --dlq") {
		t.Errorf("exit %d, %s", code, errs)
	}
}

func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a broker")
	}
	out, errs, code := run(t, "", "demo", "-n", "300")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errs, out)
	}
	for _, want := range []string{"before → after", "went to events.dlq only", "surviving verbatim on events.analytics: 0 of", "kcat -b 127.0.0.1:",
		"Aggregates on traffic.aggregates:", "Read the aggregates:    go run ./cmd/veil tail --brokers 127.0.0.1:"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// The aggregates table: a header and rows of window, three dimensions,
	// events, people and mean session, every count at least k people.
	header := regexp.MustCompile(`(?m)^  window \(UTC\)\s+event_type\s+country\s+device_os\s+events\s+people\s+mean session$`)
	if !header.MatchString(out) {
		t.Fatalf("no aggregates table header:\n%s", out)
	}
	row := regexp.MustCompile(`(?m)^  \d\d:\d\d–\d\d:\d\d\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+\S+$`)
	rows := row.FindAllStringSubmatch(out, -1)
	if len(rows) == 0 {
		t.Fatalf("no aggregate rows:\n%s", out)
	}
	for _, r := range rows {
		events, _ := strconv.Atoi(r[4])
		people, _ := strconv.Atoi(r[5])
		if people < 5 || events < people {
			t.Errorf("aggregate row %q: %d events, %d people (k=5)", r[0], events, people)
		}
	}
	if m := regexp.MustCompile(`(\d+) records over (\d+) one-minute windows, counting (\d+) events`).FindStringSubmatch(out); m == nil || m[1] == "0" {
		t.Errorf("aggregates summary %q", m)
	}
}

// TestRunWithFlags runs `veil run` in flag mode against an in-process
// broker: events come out sanitized, /readyz and /metrics answer, and
// cancellation (SIGTERM in the binary) drains and exits 0.
func TestRunWithFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a broker")
	}
	cl := startRunBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := cl.NewProducer("in")
	var msgs []kafkalocal.Message
	for i := 0; i < 50; i++ {
		msgs = append(msgs, kafkalocal.Message{Value: []byte(fmt.Sprintf(`{"event":"signup","email":"u%d@example.com","n":%d}`, i, i))})
	}
	msgs = append(msgs, kafkalocal.Message{Value: []byte(`not json`)})
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	p.Close()
	addr := freeAddr(t)

	runCtx, stop := context.WithCancel(ctx)
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- mainCode(runCtx, []string{"run", "--brokers", cl.Addr, "--input", "in", "--output", "out", "--dlq", "dlq", "--group", "g", "--metrics-addr", addr},
			stdio{in: strings.NewReader(""), out: &out, err: &errb})
	}()
	for {
		n, _ := cl.Count(ctx, "out")
		d, _ := cl.Count(ctx, "dlq")
		if n == 50 && d == 1 {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("run exited %d early: %s", code, errb.String())
		case <-ctx.Done():
			t.Fatalf("timed out: out=%d dlq=%d", n, d)
		case <-time.After(50 * time.Millisecond):
		}
	}
	recs, _ := cl.ReadAll(ctx, "out")
	for _, r := range recs {
		if strings.Contains(string(r.Value), "@example.com") {
			t.Fatalf("email reached the output: %s", r.Value)
		}
	}
	for path, want := range map[string]string{"/readyz": "", "/metrics": "veil_events_out_total"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after cancel: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not exit after cancel")
	}
	if strings.Contains(errb.String(), "@example.com") {
		t.Errorf("event content in the logs: %s", errb.String())
	}
}

// TestRunNotReadyWithoutBroker: a processor that cannot join its consumer
// group (no broker listens) stays alive but not ready, and says why.
func TestRunNotReadyWithoutBroker(t *testing.T) {
	broker := freeAddr(t) // nothing listens there
	addr := freeAddr(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- mainCode(runCtx, []string{"run", "--brokers", broker, "--input", "in", "--output", "out", "--dlq", "dlq", "--group", "g", "--metrics-addr", addr},
			stdio{in: strings.NewReader(""), out: &out, err: &errb})
	}()
	var last string
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = fmt.Sprintf("%d %s", resp.StatusCode, body)
			if resp.StatusCode == 200 {
				t.Fatalf("ready without a broker: %s", last)
			}
			if strings.Contains(last, "joining the consumer group: ") {
				break // the join error is the reason
			}
		}
		select {
		case code := <-done:
			t.Fatalf("run exited %d: %s", code, errb.String())
		case <-ctx.Done():
			t.Fatalf("timed out; last /readyz: %s", last)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if h, err := http.Get("http://" + addr + "/healthz"); err != nil || h.StatusCode != 200 {
		t.Errorf("/healthz: %v %v", h, err)
	} else {
		h.Body.Close()
	}
	stop()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("run did not exit after cancel")
	}
}

// freeAddr returns a loopback address nothing listens on (a port the
// kernel just handed out and took back), for a server the test starts.
// startRunBroker starts an in-process broker with the topics the `veil run`
// tests use (in, out, dlq; two partitions each), closed when the test ends.
func startRunBroker(t *testing.T) *kafkalocal.Cluster {
	t.Helper()
	cl, err := kafkalocal.Start(kafkalocal.Topic{Name: "in", Partitions: 2}, kafkalocal.Topic{Name: "out", Partitions: 2}, kafkalocal.Topic{Name: "dlq", Partitions: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
