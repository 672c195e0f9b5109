//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// TestRunReloadsOnSIGHUP runs `veil run --config` with polling disabled,
// changes the policy file and sends the process SIGHUP: the new policy
// applies to the events that follow, their policy version header names it,
// and /metrics counts the reload and shows the version in force.
func TestRunReloadsOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a broker")
	}
	cl := startRunBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	addr := freeAddr(t)

	dir := t.TempDir()
	polPath := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(polPath, policy.DefaultYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	const from = "      non_personal: keep           # plan tiers"
	if !bytes.Contains(policy.DefaultYAML(), []byte(from)) {
		t.Fatal("the default policy changed: update the test")
	}
	dropPlan := bytes.Replace(policy.DefaultYAML(), []byte(from), []byte("      non_personal: drop           # plan tiers"), 1)
	sum := sha256.Sum256(dropPlan)
	v1 := "file@" + hex.EncodeToString(sum[:6])
	cfgPath := filepath.Join(dir, "veil.yaml")
	cfg := fmt.Sprintf(`kafka:
  brokers: [%q]
  group_id: g
  inputs: [in]
  outputs: [{name: clean, topic: out}]
  dead_letter: {topic: dlq}
outputs:
  - {name: clean, purpose: product_improvement}
policy: %q
reload: {disabled: true}
telemetry: {metrics_addr: %q}
`, cl.Addr, polPath, addr)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	produce := func(n int) {
		p := cl.NewProducer("in")
		defer p.Close()
		var msgs []kafkalocal.Message
		for i := 0; i < n; i++ {
			msgs = append(msgs, kafkalocal.Message{Value: []byte(fmt.Sprintf(`{"type":"track","event":"Upgrade","properties":{"plan":"pro","n":%d}}`, i))})
		}
		if err := p.Write(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- mainCode(runCtx, []string{"run", "--config", cfgPath}, stdio{in: strings.NewReader(""), out: io.Discard, err: &errb})
	}()
	wait := func(what string, ok func() bool) {
		t.Helper()
		for !ok() {
			select {
			case code := <-done:
				t.Fatalf("run exited %d early: %s", code, errb.String())
			case <-ctx.Done():
				t.Fatalf("timed out waiting for %s", what)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	metrics := func() string {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	count := func(want int64) func() bool {
		return func() bool { n, _ := cl.Count(ctx, "out"); return n >= want }
	}

	produce(10)
	// The process catches SIGHUP once it serves /metrics (Notify comes
	// first); before that SIGHUP would end the test binary.
	wait("the first events", count(10))
	wait("/metrics", func() bool { return strings.Contains(metrics(), "veil_config_active") })
	if err := os.WriteFile(polPath, dropPlan, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	wait("the new version on /metrics", func() bool {
		return strings.Contains(metrics(), `veil_config_active{version="`+v1+`"} 1`)
	})
	produce(10)
	wait("the events after the reload", count(20))
	m := metrics()
	for _, want := range []string{`veil_config_reloads_total{result="ok"} 1`, "veil_config_refused 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	recs, err := cl.ReadAll(ctx, "out")
	if err != nil {
		t.Fatal(err)
	}
	after := 0
	for _, r := range recs {
		plan := strings.Contains(string(r.Value), `"plan"`)
		if r.Headers[stream.HeaderPolicyVersion] == v1 {
			after++
			if plan {
				t.Errorf("processed under %s, yet the plan remains: %s", v1, r.Value)
			}
		} else if !plan {
			t.Errorf("processed under %s, yet the plan is gone: %s", r.Headers[stream.HeaderPolicyVersion], r.Value)
		}
	}
	if after != 10 {
		t.Errorf("%d records under the reloaded policy, want 10", after)
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
	if !strings.Contains(errb.String(), "SIGHUP") || !strings.Contains(errb.String(), "reload: new configuration in force") {
		t.Errorf("the reload is not in the log:\n%s", errb.String())
	}
}
