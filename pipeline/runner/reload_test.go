package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/veilstream/veil/pipeline/kafkalocal"
	"github.com/veilstream/veil/pipeline/stream"
	"github.com/veilstream/veil/schemas/policy"
)

// acmeRule teaches veil ACME order codes, which link an order to its
// customer, as PERSON (identity): analytics and security outputs drop them.
const acmeRule = `rules:
  - id: acme.order_code
    type: PERSON
    description: An ACME order code, which links an order to its customer.
    pattern: '\bACME-\d{6}\b'
    score: 0.9
    examples:
      match: ["order ACME-123456 shipped"]
      no_match: ["ACME-12345"]
`

// brokenRule names an entity type the taxonomy does not have.
const brokenRule = `rules:
  - id: acme.broken
    type: ORDER_CODE
    pattern: 'ACME'
`

// orderEvent carries an ACME order code, which no built-in rule reports,
// and a plan tier, which the default analytics policy keeps as
// non-personal.
func orderEvent(i int) []byte {
	return fmt.Appendf(nil, `{"type":"track","event":"Order Shipped","properties":{"reference":"ACME-%06d","count":%d,"plan":"pro"}}`, 100000+i*7919%900000, i)
}

// dropPlanPolicy is the default policy with non-personal values dropped
// from analytics outputs: "plan" disappears.
func dropPlanPolicy(t *testing.T) []byte {
	t.Helper()
	const from = "      non_personal: keep           # plan tiers"
	def := string(policy.DefaultYAML())
	if !strings.Contains(def, from) {
		t.Fatal("the default policy changed: update dropPlanPolicy")
	}
	return []byte(strings.Replace(def, from, "      non_personal: drop           # plan tiers", 1))
}

// writeFile replaces path's content at once, as an editor saving through a
// temporary file does.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	tmp := path + ".tmp" // not a name the loaders read
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// configMap lays out a directory as kubelet does a ConfigMap volume: the
// files live in a version directory, ..data links to it, and each key is a
// link through ..data. An update writes a new version directory, swaps
// ..data to it in one rename, then adds and removes key links.
type configMap struct {
	dir  string
	n    int
	keys map[string]bool
}

func newConfigMap(t *testing.T, files map[string]string) *configMap {
	c := &configMap{dir: t.TempDir(), keys: map[string]bool{}}
	c.update(t, files)
	return c
}

func (c *configMap) update(t *testing.T, files map[string]string) {
	t.Helper()
	c.n++
	old := ""
	if c.n > 1 {
		old = filepath.Join(c.dir, fmt.Sprintf("..v%d", c.n-1))
	}
	ts := fmt.Sprintf("..v%d", c.n)
	must := func(err error) {
		if err != nil {
			t.Helper()
			t.Fatal(err)
		}
	}
	must(os.Mkdir(filepath.Join(c.dir, ts), 0o755))
	for k, v := range files {
		must(os.WriteFile(filepath.Join(c.dir, ts, k), []byte(v), 0o644))
	}
	tmp := filepath.Join(c.dir, "..data_tmp")
	must(os.Symlink(ts, tmp))
	must(os.Rename(tmp, filepath.Join(c.dir, configMapData)))
	for k := range files {
		if !c.keys[k] {
			must(os.Symlink(filepath.Join(configMapData, k), filepath.Join(c.dir, k)))
			c.keys[k] = true
		}
	}
	for k := range c.keys {
		if _, ok := files[k]; !ok {
			must(os.Remove(filepath.Join(c.dir, k)))
			delete(c.keys, k)
		}
	}
	if old != "" {
		must(os.RemoveAll(old))
	}
}

// rig is a runner over an in-process Kafka-protocol broker, with the
// results of its reloads.
type rig struct {
	t    *testing.T
	ctx  context.Context
	cl   *kafkalocal.Cluster
	r    *Runner
	sent int

	mu      sync.Mutex
	results []ReloadResult
}

func startRig(t *testing.T, configure func(*Config)) *rig {
	t.Helper()
	cl, err := kafkalocal.Start(
		kafkalocal.Topic{Name: "events.raw", Partitions: 2},
		kafkalocal.Topic{Name: "events.analytics", Partitions: 2},
		kafkalocal.Topic{Name: "events.security", Partitions: 2},
		kafkalocal.Topic{Name: "events.dlq", Partitions: 2},
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	cfg := testConfig(cl.Addr)
	configure(cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	g := &rig{t: t, ctx: ctx, cl: cl}
	g.r, err = New(cfg, WithReloadHook(func(res ReloadResult) {
		g.mu.Lock()
		g.results = append(g.results, res)
		g.mu.Unlock()
	}))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- g.r.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		g.r.Close()
	})
	return g
}

// produce writes n more order events.
func (g *rig) produce(n int) {
	g.t.Helper()
	p := g.cl.NewProducer("events.raw")
	defer p.Close()
	msgs := make([]kafkalocal.Message, n)
	for i := range msgs {
		msgs[i] = kafkalocal.Message{Value: orderEvent(g.sent)}
		g.sent++
	}
	if err := p.Write(g.ctx, msgs...); err != nil {
		g.t.Fatal(err)
	}
}

// outputs waits until both clean outputs hold every event produced, and
// returns their records.
func (g *rig) outputs() map[string][]kafkalocal.Record {
	g.t.Helper()
	out := map[string][]kafkalocal.Record{}
	for _, topic := range []string{"events.analytics", "events.security"} {
		waitCount(g.t, g.ctx, g.cl, topic, int64(g.sent))
		recs, err := g.cl.ReadAll(g.ctx, topic)
		if err != nil {
			g.t.Fatal(err)
		}
		if len(recs) != g.sent {
			g.t.Fatalf("%s: %d records, want %d", topic, len(recs), g.sent)
		}
		out[topic] = recs
	}
	return out
}

// waitFor waits for a reload result that ok accepts, among those after the
// first skip.
func (g *rig) waitFor(skip int, what string, ok func(ReloadResult) bool) ReloadResult {
	g.t.Helper()
	for {
		g.mu.Lock()
		rs := append([]ReloadResult(nil), g.results...)
		g.mu.Unlock()
		for _, r := range rs[min(skip, len(rs)):] {
			if ok(r) {
				return r
			}
		}
		select {
		case <-g.ctx.Done():
			g.t.Fatalf("no reload result %s among %+v", what, rs)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (g *rig) reloads() []ReloadResult {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]ReloadResult(nil), g.results...)
}

// TestReloadRuleAdded adds a rule to a rules directory laid out as a
// ConfigMap volume while the pipeline runs: events processed before the
// reload keep their order codes, events produced after it lose them, and
// each record's policy version header names the rule set it was processed
// with.
func TestReloadRuleAdded(t *testing.T) {
	cm := newConfigMap(t, map[string]string{"README.txt": "no rules yet"})
	g := startRig(t, func(c *Config) { c.Rules = cm.dir; c.Reload.Interval = 50 * time.Millisecond })
	v0 := g.r.PolicyVersion()
	if !strings.HasPrefix(v0, "default@") || !strings.Contains(v0, "+rules@") {
		t.Fatalf("version %q: want the default policy and a rules digest", v0)
	}
	g.produce(20)
	g.outputs()

	cm.update(t, map[string]string{"README.txt": "order codes", "acme.yaml": acmeRule})
	res := g.waitFor(0, "putting the ACME rule in force", ReloadResult.Changed)
	if res.Err != nil || res.Previous != v0 || res.Version != g.r.PolicyVersion() {
		t.Fatalf("reload %+v; version now %q", res, g.r.PolicyVersion())
	}
	v1 := res.Version
	g.produce(20)
	for topic, recs := range g.outputs() {
		count := map[string]int{}
		for _, o := range recs {
			v := o.Headers[stream.HeaderPolicyVersion]
			count[v]++
			code := strings.Contains(string(o.Value), "ACME-")
			switch {
			case v == v0 && !code:
				t.Errorf("%s: %s offset %d: processed before the reload, yet its order code is gone: %s", topic, v, o.SourceOffset, o.Value)
			case v == v1 && code:
				t.Errorf("%s: %s offset %d: processed after the reload, yet the order code remains: %s", topic, v, o.SourceOffset, o.Value)
			case v != v0 && v != v1:
				t.Errorf("%s: policy version %q, want %q or %q", topic, v, v0, v1)
			}
		}
		if count[v0] != 20 || count[v1] != 20 {
			t.Errorf("%s: records per version %v, want 20 of each", topic, count)
		}
	}
}

// TestReloadBrokenRuleRefused writes a broken rule file next to a working
// one: the reload is refused once with the file and line, the working rule
// set stays in force and the pipeline keeps flowing with it; removing the
// broken file brings the files back to the version in force.
func TestReloadBrokenRuleRefused(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "acme.yaml"), []byte(acmeRule))
	g := startRig(t, func(c *Config) { c.Rules = dir; c.Reload.Interval = 50 * time.Millisecond })
	v0 := g.r.PolicyVersion()
	g.produce(10)
	g.outputs()

	writeFile(t, filepath.Join(dir, "broken.yaml"), []byte(brokenRule))
	res := g.waitFor(0, "refusing broken.yaml", func(r ReloadResult) bool { return r.Err != nil })
	if msg := res.Err.Error(); !strings.Contains(msg, "broken.yaml:3") || !strings.Contains(msg, "ORDER_CODE") {
		t.Errorf("refusal %q: want the file, line and reason", msg)
	}
	if res.Version != v0 || res.Changed() || res.Files == v0 || res.Files == "" || g.r.PolicyVersion() != v0 {
		t.Errorf("refused reload %+v; version now %q, want %q", res, g.r.PolicyVersion(), v0)
	}
	g.produce(10)
	for topic, recs := range g.outputs() {
		for _, o := range recs {
			if v := o.Headers[stream.HeaderPolicyVersion]; v != v0 {
				t.Errorf("%s offset %d: version %q, want %q", topic, o.SourceOffset, v, v0)
			}
			if strings.Contains(string(o.Value), "ACME-") {
				t.Errorf("%s offset %d: the rule in force stopped applying: %s", topic, o.SourceOffset, o.Value)
			}
		}
	}
	time.Sleep(300 * time.Millisecond) // six polls of the same broken files
	refused := 0
	for _, r := range g.reloads() {
		if r.Err != nil {
			refused++
		}
	}
	if refused != 1 {
		t.Errorf("the same broken files were refused %d times, want once: %+v", refused, g.reloads())
	}

	n := len(g.reloads())
	if err := os.Remove(filepath.Join(dir, "broken.yaml")); err != nil {
		t.Fatal(err)
	}
	res = g.waitFor(n, "the files back at the version in force", func(r ReloadResult) bool { return r.Files == v0 })
	if res.Err != nil || res.Changed() {
		t.Errorf("after the fix: %+v", res)
	}
}

// TestReloadPolicyOnSignal changes the policy file with polling disabled:
// nothing happens until Reload (what SIGHUP calls), after which the policy
// version header changes and the new policy applies. Invalid policies are
// refused with their file, line and reason.
func TestReloadPolicyOnSignal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy.yaml")
	writeFile(t, path, policy.DefaultYAML())
	g := startRig(t, func(c *Config) { c.Policy = path; c.Reload.Disabled = true })
	v0 := g.r.PolicyVersion()
	sum := sha256.Sum256(policy.DefaultYAML())
	if v0 != "file@"+hex.EncodeToString(sum[:6]) {
		t.Fatalf("version %q: want the digest of the policy file", v0)
	}
	g.produce(10)
	g.outputs()

	writeFile(t, path, dropPlanPolicy(t))
	time.Sleep(200 * time.Millisecond)
	if v := g.r.PolicyVersion(); v != v0 {
		t.Fatalf("with polling disabled the version changed to %q before Reload", v)
	}
	if err := g.r.Reload(); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	v1 := g.r.PolicyVersion()
	sum = sha256.Sum256(dropPlanPolicy(t))
	if v1 != "file@"+hex.EncodeToString(sum[:6]) {
		t.Fatalf("version after Reload %q: want the new policy's digest", v1)
	}
	g.produce(10)
	recs := g.outputs()
	count := map[string]int{}
	for _, o := range recs["events.analytics"] {
		v := o.Headers[stream.HeaderPolicyVersion]
		count[v]++
		plan := strings.Contains(string(o.Value), `"plan"`)
		if v == v0 && !plan || v == v1 && plan {
			t.Errorf("%s offset %d: %s", v, o.SourceOffset, o.Value)
		}
	}
	if count[v0] != 10 || count[v1] != 10 {
		t.Errorf("records per version %v, want 10 of each", count)
	}

	n := len(g.reloads())
	if err := g.r.Reload(); err != nil || g.r.PolicyVersion() != v1 {
		t.Errorf("Reload of unchanged files: %v, version %q", err, g.r.PolicyVersion())
	}
	if rs := g.reloads(); len(rs) != n+1 || rs[n].Changed() || rs[n].Err != nil {
		t.Errorf("unchanged reload reported %+v", rs[n:])
	}

	keepsNames := strings.Replace(string(policy.DefaultYAML()), "      identity: drop               # names: no direct", "      identity: keep               # names: no direct", 1)
	for _, tc := range []struct{ name, policy, want string }{
		{"invariant", keepsNames, "policy.yaml:19: purposes.product_improvement.categories.identity"},
		{"syntax", "version: \"1\"\npurposes: [\n", "policy.yaml"},
		{"missing purpose", "version: \"1\"\npurposes:\n  product_improvement:\n    default: drop\n", "outputs: security: purpose security is not configured"},
	} {
		writeFile(t, path, []byte(tc.policy))
		err := g.r.Reload()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Reload = %v, want a refusal saying %q", tc.name, err, tc.want)
		}
		if v := g.r.PolicyVersion(); v != v1 {
			t.Errorf("%s: version %q after a refusal, want %q", tc.name, v, v1)
		}
	}
	g.produce(5)
	count = map[string]int{}
	for _, o := range g.outputs()["events.analytics"] {
		count[o.Headers[stream.HeaderPolicyVersion]]++
	}
	if count[v0] != 10 || count[v1] != 15 {
		t.Errorf("after the refusals: records per version %v, want 10 of %s and 15 of %s", count, v0, v1)
	}
}

// TestReloadRace reloads rules and policy, by polling and by Reload from
// two goroutines, while events flow (run it with -race). Every record must
// have been processed with one whole configuration: the one its policy
// version header names.
func TestReloadRace(t *testing.T) {
	rulesDir := t.TempDir()
	polPath := filepath.Join(t.TempDir(), "policy.yaml")
	writeFile(t, polPath, policy.DefaultYAML())
	g := startRig(t, func(c *Config) {
		c.Rules, c.Policy = rulesDir, polPath
		c.Reload.Interval = 50 * time.Millisecond
	})
	withRule := (&dirFiles{names: []string{"acme.yaml"}, data: map[string][]byte{"acme.yaml": []byte(acmeRule)}}).digest()
	noRule := (&dirFiles{}).digest()
	keepPlan, dropPlan := sha256.Sum256(policy.DefaultYAML()), sha256.Sum256(dropPlanPolicy(t))
	ruleTag := "+rules@" + hex.EncodeToString(withRule[:6])
	dropTag := "file@" + hex.EncodeToString(dropPlan[:6])

	ctx, stop := context.WithCancel(g.ctx)
	var wg sync.WaitGroup
	wg.Go(func() { // the operator: each step's files, put in force while events flow
		defer stop()
		// Few rule changes: each compiles the whole rule pack, which takes
		// a second under the race detector.
		for _, step := range []struct{ rule, drop bool }{{true, false}, {true, true}, {false, true}, {false, false}} {
			want, rules := "file@", noRule
			if step.rule {
				writeFile(t, filepath.Join(rulesDir, "acme.yaml"), []byte(acmeRule))
				rules = withRule
			} else if err := os.Remove(filepath.Join(rulesDir, "acme.yaml")); err != nil && !os.IsNotExist(err) {
				t.Error(err)
			}
			if step.drop {
				writeFile(t, polPath, dropPlanPolicy(t))
				want += hex.EncodeToString(dropPlan[:6])
			} else {
				writeFile(t, polPath, policy.DefaultYAML())
				want += hex.EncodeToString(keepPlan[:6])
			}
			want += "+rules@" + hex.EncodeToString(rules[:6])
			for g.r.PolicyVersion() != want && ctx.Err() == nil {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	wg.Go(func() { // SIGHUP, again and again
		for ctx.Err() == nil {
			if err := g.r.Reload(); err != nil {
				t.Errorf("Reload: %v", err)
			}
			_ = g.r.PolicyVersion()
			time.Sleep(40 * time.Millisecond)
		}
	})
	for ctx.Err() == nil {
		g.produce(10)
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	g.produce(10)

	versions := map[string]int{}
	for _, o := range g.outputs()["events.analytics"] {
		v := o.Headers[stream.HeaderPolicyVersion]
		versions[v]++
		rule, drop := strings.Contains(v, ruleTag), strings.HasPrefix(v, dropTag)
		code, plan := strings.Contains(string(o.Value), "ACME-"), strings.Contains(string(o.Value), `"plan"`)
		if rule == code || drop == plan {
			t.Errorf("offset %d/%d processed under %q: %s", o.SourcePartition, o.SourceOffset, v, o.Value)
		}
	}
	changed := 0
	for _, r := range g.reloads() {
		if r.Err != nil {
			t.Errorf("refused: %v", r.Err)
		}
		if r.Changed() {
			changed++
		}
	}
	t.Logf("%d events, %d reloads put in force, records per version %v", g.sent, changed, versions)
	if changed < 4 || len(versions) < 3 {
		t.Errorf("%d reloads put in force, %d versions seen: the test exercised too little", changed, len(versions))
	}
}

// TestReloadRefusals reloads, without a broker, files broken in each way
// veil refuses: the configuration in force stays, the hook hears each
// refusal once however often the same files are polled, and fixing the
// files clears it.
func TestReloadRefusals(t *testing.T) {
	good := []byte(acmeRule)
	for _, tc := range []struct {
		name   string
		break_ func(t *testing.T, rules, schemas, pol string)
		want   string
	}{
		{"rules directory gone", func(t *testing.T, rules, _, _ string) {
			if err := os.Rename(rules, rules+".moved"); err != nil {
				t.Fatal(err)
			}
		}, "rules: reading"},
		{"rule error", func(t *testing.T, rules, _, _ string) {
			writeFile(t, filepath.Join(rules, "zz.yaml"), []byte("rules:\n  - id: bad\n    type: PERSON\n    pattern: '(unclosed'\n"))
		}, "zz.yaml:2: rule bad: pattern does not compile"},
		{"duplicate rule id across files", func(t *testing.T, rules, _, _ string) {
			writeFile(t, filepath.Join(rules, "copy.yml"), good)
		}, "acme.order_code"},
		{"schema error", func(t *testing.T, _, schemas, _ string) {
			writeFile(t, filepath.Join(schemas, "order.json"), []byte(`{"$id": "order", "type": "object", "properties": {"x": {"type": "nonsense"}}`))
		}, "order.json"},
		{"policy invariant", func(t *testing.T, _, _, pol string) {
			writeFile(t, pol, []byte(strings.Replace(string(policy.DefaultYAML()), "      credentials: drop", "      credentials: keep", 1)))
		}, "credentials"},
		{"policy file gone", func(t *testing.T, _, _, pol string) {
			if err := os.Remove(pol); err != nil {
				t.Fatal(err)
			}
		}, "policy:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rules, schemas := t.TempDir(), t.TempDir()
			pol := filepath.Join(t.TempDir(), "policy.yaml")
			writeFile(t, filepath.Join(rules, "acme.yaml"), good)
			writeFile(t, pol, policy.DefaultYAML())
			cfg := testConfig("127.0.0.1:1") // never dialled: Run is not called
			cfg.Rules, cfg.Schemas, cfg.Policy = rules, schemas, pol
			var got []ReloadResult
			r, err := New(cfg, WithReloadHook(func(res ReloadResult) { got = append(got, res) }))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			v0 := r.PolicyVersion()
			tc.break_(t, rules, schemas, pol)
			for range 3 { // polls of the same broken files
				if err := r.reload(false); err != nil && !strings.Contains(err.Error(), tc.want) {
					t.Errorf("refusal %q, want it to say %q", err, tc.want)
				}
			}
			if len(got) != 1 || got[0].Err == nil || got[0].Version != v0 || got[0].Changed() {
				t.Fatalf("reload results %+v, want one refusal keeping %s", got, v0)
			}
			if r.PolicyVersion() != v0 {
				t.Errorf("version %q after a refusal, want %q", r.PolicyVersion(), v0)
			}
			// SIGHUP refuses the same files again.
			if err := r.Reload(); err == nil || len(got) != 2 {
				t.Errorf("Reload of broken files: %v, %d results", err, len(got))
			}
		})
	}
}

// TestReadConfigDir reads a ConfigMap-style directory: files through the
// ..data link, not the version directories, only the names asked for, and
// a dangling link (kubelet removes a deleted key's link after the swap) is
// no error.
func TestReadConfigDir(t *testing.T) {
	cm := newConfigMap(t, map[string]string{"a.yaml": "rules: []\n", "b.yml": "", "notes.txt": "x"})
	f, err := readConfigDir(cm.dir, ruleFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.names, ",") != "a.yaml,b.yml" || string(f.data["a.yaml"]) != "rules: []\n" {
		t.Errorf("read %v", f.names)
	}
	before := f.digest()
	if err := os.Symlink(filepath.Join(configMapData, "gone.yaml"), filepath.Join(cm.dir, "gone.yaml")); err != nil {
		t.Fatal(err)
	}
	f, err = readConfigDir(cm.dir, ruleFile)
	if err != nil || f.digest() != before {
		t.Errorf("with a dangling link: %v, names %v", err, f.names)
	}
	cm.update(t, map[string]string{"a.yaml": "rules: []\n# changed\n"})
	f, err = readConfigDir(cm.dir, ruleFile)
	if err != nil || strings.Join(f.names, ",") != "a.yaml" || f.digest() == before {
		t.Errorf("after an update: %v, names %v", err, f.names)
	}
	// The snapshot is a file system the loaders read.
	if data, err := fs.ReadFile(f, "a.yaml"); err != nil || !strings.Contains(string(data), "changed") {
		t.Errorf("fs.ReadFile: %q, %v", data, err)
	}
	if err := fstest.TestFS(f, "a.yaml"); err != nil {
		t.Errorf("the snapshot is not a well-behaved fs.FS: %v", err)
	}
}
