package charttest

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/veilstream/veil/classifiers/pack"
	"github.com/veilstream/veil/classifiers/rules"
	"github.com/veilstream/veil/pipeline/runner"
	"github.com/veilstream/veil/pipeline/telemetry"
	"github.com/veilstream/veil/schemas/policy"
)

// veilConfig loads the veil.yaml the pod would read, the way `veil run`
// does (runner.LoadConfig: unknown keys refused, every file it names
// checked), after laying out the pod's mounts under a temporary root. It
// fails unless every path of the config lies under a mount.
func veilConfig(t *testing.T, m *manifest) (*runner.Config, string) {
	t.Helper()
	d := one[*appsv1.Deployment](t, m)
	root := podTree(t, m, d)
	c := veilContainer(t, d)
	i := slices.Index(c.Args, "--config")
	if i < 0 || i+1 >= len(c.Args) || c.Args[0] != "run" {
		t.Fatalf("container args %q: want run --config FILE", c.Args)
	}
	path := filepath.Join(root, filepath.FromSlash(c.Args[i+1]))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the --config file is not mounted: %v", err)
	}
	// Every path the chart writes is a quoted absolute path under the mount
	// root; relocate them into the temporary tree.
	text := strings.ReplaceAll(string(data), `"`+mountRoot, `"`+filepath.ToSlash(root)+mountRoot)
	relocated := filepath.Join(t.TempDir(), "veil.yaml")
	writeFile(t, relocated, text)
	cfg, err := runner.LoadConfig(relocated)
	if err != nil {
		t.Fatalf("veil refuses the rendered veil.yaml: %v\n%s", err, data)
	}
	paths := map[string]string{
		"policy": cfg.Policy, "rules": cfg.Rules, "schemas": cfg.Schemas, "keys.dir": cfg.Keys.Dir,
		"kafka.tls.ca_file": cfg.Kafka.TLS.CAFile, "kafka.tls.cert_file": cfg.Kafka.TLS.CertFile,
		"kafka.tls.key_file": cfg.Kafka.TLS.KeyFile, "kafka.sasl.password_file": cfg.Kafka.SASL.PasswordFile,
	}
	if cfg.Kafka.SASL.PasswordEnv != "" {
		t.Errorf("kafka.sasl.password_env is set: secrets must come from mounted files")
	}
	for _, o := range cfg.Outputs {
		if o.NATS == nil {
			continue
		}
		n := o.NATS
		p := "outputs." + o.Name + ".nats."
		for k, v := range map[string]string{
			"tls.ca_file": n.TLS.CAFile, "tls.cert_file": n.TLS.CertFile, "tls.key_file": n.TLS.KeyFile,
			"auth.password_file": n.Auth.PasswordFile, "auth.token_file": n.Auth.TokenFile,
			"auth.creds_file": n.Auth.CredsFile, "auth.nkey_seed_file": n.Auth.NKeySeedFile,
		} {
			paths[p+k] = v
		}
		if n.Auth.PasswordEnv != "" || n.Auth.TokenEnv != "" {
			t.Errorf("%sauth: a secret from the environment; secrets must come from mounted files", p)
		}
	}
	for k, v := range paths {
		if v != "" && !strings.HasPrefix(v, filepath.ToSlash(root)+mountRoot) {
			t.Errorf("%s = %q is not under %s, where the chart mounts files", k, v, mountRoot)
		}
	}
	return cfg, root
}

// checkPod checks what every rendering of the Deployment must hold.
func checkPod(t *testing.T, m *manifest, cfg *runner.Config) {
	t.Helper()
	d := one[*appsv1.Deployment](t, m)
	ps := d.Spec.Template.Spec
	c := veilContainer(t, d)

	if !selects(d.Spec.Selector, d.Spec.Template.Labels) {
		t.Errorf("the Deployment's selector %v does not select its pods %v", d.Spec.Selector, d.Spec.Template.Labels)
	}
	if ps.AutomountServiceAccountToken == nil || *ps.AutomountServiceAccountToken {
		t.Errorf("pod automountServiceAccountToken is not false")
	}
	for _, sa := range all[*corev1.ServiceAccount](m) {
		if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
			t.Errorf("ServiceAccount %s automountServiceAccountToken is not false", sa.Name)
		}
		if ps.ServiceAccountName != sa.Name {
			t.Errorf("pod runs as ServiceAccount %q, the chart created %q", ps.ServiceAccountName, sa.Name)
		}
	}

	// Security contexts.
	psc := ps.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		t.Errorf("pod securityContext.runAsNonRoot is not true")
	}
	if psc == nil || psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("pod securityContext.runAsUser is not a non-root UID")
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Errorf("pod seccompProfile is not RuntimeDefault")
	}
	sc := c.SecurityContext
	switch {
	case sc == nil:
		t.Fatalf("container has no securityContext")
	case sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot:
		t.Errorf("container runAsNonRoot is not true")
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Errorf("container readOnlyRootFilesystem is not true")
	case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Errorf("container allowPrivilegeEscalation is not false")
	case sc.Privileged != nil && *sc.Privileged:
		t.Errorf("container is privileged")
	case sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0:
		t.Errorf("container capabilities %+v, want drop [ALL] and nothing added", sc.Capabilities)
	case sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
		t.Errorf("container seccompProfile is not RuntimeDefault")
	}

	// Probes on the telemetry port veil listens on.
	_, cfgPort, err := net.SplitHostPort(cfg.Telemetry.MetricsAddr)
	if err != nil {
		t.Fatalf("telemetry.metrics_addr %q: %v", cfg.Telemetry.MetricsAddr, err)
	}
	var metricsPort int32
	for _, p := range c.Ports {
		if p.Name == "metrics" {
			metricsPort = p.ContainerPort
		}
	}
	if strconv.Itoa(int(metricsPort)) != cfgPort {
		t.Errorf("container port metrics = %d, veil.yaml telemetry.metrics_addr = %q", metricsPort, cfg.Telemetry.MetricsAddr)
	}
	for _, p := range []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{
		{"startup", c.StartupProbe, "/healthz"},
		{"liveness", c.LivenessProbe, "/healthz"},
		{"readiness", c.ReadinessProbe, "/readyz"},
	} {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s probe: want an HTTP GET of %s", p.name, p.path)
			continue
		}
		if p.probe.HTTPGet.Path != p.path {
			t.Errorf("%s probe path = %q, want %q", p.name, p.probe.HTTPGet.Path, p.path)
		}
		if pp := p.probe.HTTPGet.Port; pp.String() != "metrics" && pp.IntValue() != int(metricsPort) {
			t.Errorf("%s probe port = %s, want the metrics port", p.name, pp.String())
		}
	}

	// Requests and limits for CPU and memory.
	for _, rl := range []struct {
		name string
		list corev1.ResourceList
	}{{"requests", c.Resources.Requests}, {"limits", c.Resources.Limits}} {
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if q, ok := rl.list[r]; !ok || q.IsZero() {
				t.Errorf("resources.%s.%s is not set", rl.name, r)
			}
		}
	}
	if c.Resources.Requests.Memory().Cmp(*c.Resources.Limits.Memory()) > 0 {
		t.Errorf("memory request above the limit")
	}

	// The termination grace covers veil's drain plus its shutdown.
	tg := ps.TerminationGracePeriodSeconds
	grace := cfg.Stream.ShutdownGrace
	if tg == nil || time.Duration(*tg)*time.Second < grace+10*time.Second {
		t.Errorf("terminationGracePeriodSeconds %s, want at least stream.shutdown_grace (%s) + 10s", seconds(tg), grace)
	}

	// Hot-reloaded files are mounted as directories (subPath mounts never
	// see ConfigMap updates).
	for _, vm := range c.VolumeMounts {
		for _, p := range []string{cfg.Policy, cfg.Rules, cfg.Schemas, cfg.Keys.Dir} {
			if p != "" && strings.Contains(p, vm.MountPath) && vm.SubPath != "" {
				t.Errorf("mount %s uses subPath; %s would never be updated in place", vm.MountPath, p)
			}
		}
		if !vm.ReadOnly {
			t.Errorf("mount %s is writable", vm.MountPath)
		}
	}

	// Every Secret volume references an existing Secret by name and is not
	// world-readable.
	for _, v := range ps.Volumes {
		if v.Secret == nil {
			continue
		}
		if v.Secret.SecretName == "" {
			t.Errorf("volume %s: Secret without a name", v.Name)
		}
		if v.Secret.DefaultMode == nil || *v.Secret.DefaultMode&0o007 != 0 {
			t.Errorf("volume %s: Secret files readable by others (defaultMode %v)", v.Name, v.Secret.DefaultMode)
		}
	}
	for _, e := range c.Env {
		if strings.Contains(strings.ToLower(e.Name), "password") || strings.Contains(strings.ToLower(e.Name), "token") {
			t.Errorf("env %s: secrets are mounted as files, not passed in the environment", e.Name)
		}
	}

	// The Service, PDB and NetworkPolicy select the pods.
	podLabels := d.Spec.Template.Labels
	svc := one[*corev1.Service](t, m)
	if !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(podLabels)) {
		t.Errorf("Service selector %v does not select the pods", svc.Spec.Selector)
	}
	if len(svc.Spec.Ports) != 1 || svc.Spec.Ports[0].TargetPort.String() != "metrics" {
		t.Errorf("Service ports %+v: want the metrics port only", svc.Spec.Ports)
	}
	for _, pdb := range all[*policyv1.PodDisruptionBudget](m) {
		if !selects(pdb.Spec.Selector, podLabels) {
			t.Errorf("PodDisruptionBudget does not select the pods")
		}
	}
	for _, np := range all[*networkingv1.NetworkPolicy](m) {
		if !selects(&np.Spec.PodSelector, podLabels) {
			t.Errorf("NetworkPolicy does not select the pods")
		}
		if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) || !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
			t.Errorf("NetworkPolicy policyTypes %v: want Ingress and Egress", np.Spec.PolicyTypes)
		}
		for _, in := range np.Spec.Ingress {
			for _, p := range in.Ports {
				if p.Port == nil || (p.Port.String() != "metrics" && p.Port.IntValue() != int(metricsPort)) {
					t.Errorf("NetworkPolicy admits ingress on %v, want the metrics port only", p.Port)
				}
			}
			if len(in.Ports) == 0 {
				t.Errorf("NetworkPolicy admits ingress on every port")
			}
		}
		// Every broker port is open for egress.
		for _, b := range cfg.Kafka.Brokers {
			_, port, _ := net.SplitHostPort(b)
			if !egressAllows(np, port, corev1.ProtocolTCP) {
				t.Errorf("NetworkPolicy: no egress to broker %s", b)
			}
		}
		if !egressAllows(np, "53", corev1.ProtocolUDP) {
			t.Errorf("NetworkPolicy: no egress to DNS")
		}
	}
}

func selects(sel *metav1.LabelSelector, set map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && !s.Empty() && s.Matches(labels.Set(set))
}

func egressAllows(np *networkingv1.NetworkPolicy, port string, proto corev1.Protocol) bool {
	for _, e := range np.Spec.Egress {
		for _, p := range e.Ports {
			if p.Port != nil && p.Port.String() == port && (p.Protocol == nil || *p.Protocol == proto) {
				return true
			}
		}
	}
	return false
}

func TestDefaultValues(t *testing.T) {
	m := mustRender(t, nil, nil)
	want := []string{"ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Service", "ServiceAccount"}
	if got := m.kinds(); !slices.Equal(got, want) {
		t.Errorf("kinds = %v, want %v", got, want)
	}
	cfg, _ := veilConfig(t, m)
	checkPod(t, m, cfg)

	d := one[*appsv1.Deployment](t, m)
	if d.Name != defaultFullname {
		t.Errorf("Deployment name %q, want %q", d.Name, defaultFullname)
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Errorf("replicas = %v, want 2", d.Spec.Replicas)
	}
	c := veilContainer(t, d)
	if c.Image != "ghcr.io/veilstream/veil:"+loadChart(t).Metadata.AppVersion {
		t.Errorf("image %q: want the appVersion tag", c.Image)
	}
	// veil's default port, and the Dockerfile's EXPOSE, is the chart's.
	_, defPort, _ := net.SplitHostPort(telemetry.DefaultMetricsAddr)
	if c.Ports[0].ContainerPort != int32(atoi(t, defPort)) {
		t.Errorf("default metrics port %d, veil's default is %s", c.Ports[0].ContainerPort, defPort)
	}
	if cfg.Stream.ShutdownGrace != 30*time.Second || *d.Spec.Template.Spec.TerminationGracePeriodSeconds != 45 {
		t.Errorf("shutdown grace %s and termination grace %ds: want 30s and 45s", cfg.Stream.ShutdownGrace, *d.Spec.Template.Spec.TerminationGracePeriodSeconds)
	}
	if env := envValue(c, "GOMEMLIMIT"); env != "435MiB" {
		t.Errorf("GOMEMLIMIT = %q, want 85%% of 512Mi = 435MiB", env)
	}
	if cfg.Keys.Dir != "" || !strings.Contains(m.notes, "keys.existingSecret is empty") {
		t.Errorf("without keys.existingSecret: want in-memory keys and a warning in NOTES.txt")
	}
	if cfg.Policy != "" || cfg.Rules != "" || cfg.Schemas != "" {
		t.Errorf("default values name policy %q, rules %q, schemas %q; want veil's built-ins", cfg.Policy, cfg.Rules, cfg.Schemas)
	}
	if len(d.Spec.Template.Spec.TopologySpreadConstraints) == 0 {
		t.Errorf("no topology spread: all pods may land on one node")
	}
}

func TestProductionValues(t *testing.T) {
	m := mustRender(t, []string{productionFile}, nil)
	want := []string{"ConfigMap", "ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "ScaledObject",
		"Service", "ServiceAccount", "ServiceMonitor", "TriggerAuthentication"}
	if got := m.kinds(); !slices.Equal(got, want) {
		t.Errorf("kinds = %v, want %v", got, want)
	}
	cfg, _ := veilConfig(t, m)
	checkPod(t, m, cfg)
	partitions := valuesInt(t, "kafka.inputPartitions")

	d := one[*appsv1.Deployment](t, m)
	if d.Spec.Replicas != nil {
		t.Errorf("replicas = %d with KEDA; the Deployment must leave replicas to the autoscaler", *d.Spec.Replicas)
	}

	// veil.yaml: TLS with the cluster CA, SCRAM, four outputs, keys.
	if !cfg.Kafka.TLS.Enabled || cfg.Kafka.TLS.CAFile == "" || cfg.Kafka.TLS.InsecureSkipVerifyDangerous {
		t.Errorf("kafka.tls = %+v: want TLS with a CA file", cfg.Kafka.TLS)
	}
	if cfg.Kafka.SASL.Mechanism != "SCRAM-SHA-512" || cfg.Kafka.SASL.PasswordFile == "" {
		t.Errorf("kafka.sasl = %+v: want SCRAM-SHA-512 with a password file", cfg.Kafka.SASL)
	}
	var natsOut int
	for _, o := range cfg.Outputs {
		if o.NATS != nil {
			natsOut++
			if o.NATS.Auth.CredsFile == "" || !o.NATS.TLS.Enabled {
				t.Errorf("NATS output %s: want TLS and a creds file", o.Name)
			}
		}
	}
	if len(cfg.Outputs) != 4 || len(cfg.Kafka.Outputs) != 3 || natsOut != 1 {
		t.Errorf("outputs: %d (%d Kafka, %d NATS), want 4 (3, 1)", len(cfg.Outputs), len(cfg.Kafka.Outputs), natsOut)
	}
	if cfg.Reload.Interval != 15*time.Second || cfg.Reload.Disabled {
		t.Errorf("reload = %+v, want polling every 15s", cfg.Reload)
	}
	if cfg.Keys.Dir == "" || strings.Contains(m.notes, "keys.existingSecret is empty") {
		t.Errorf("keys.dir is not set from keys.existingSecret")
	}
	// The user rules load over the built-in pack, examples checked.
	_, loaded, err := pack.Load(pack.Config{RulesDir: cfg.Rules})
	if err != nil {
		t.Fatalf("the rules of values-production.yaml do not load: %v", err)
	}
	if !slices.ContainsFunc(loaded, func(r rules.Rule) bool { return r.ID == "shop.loyalty_member" }) {
		t.Errorf("rule shop.loyalty_member is not loaded from the rules ConfigMap")
	}

	// Only the Secrets the values name are mounted.
	var secrets []string
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.Secret != nil {
			secrets = append(secrets, v.Secret.SecretName)
		}
	}
	slices.Sort(secrets)
	wantSecrets := []string{"events-cluster-ca-cert", "nats-ca", "veil-nats-creds", "veil-prod", "veil-pseudonym-keys"}
	if !slices.Equal(secrets, wantSecrets) {
		t.Errorf("Secret volumes %v, want %v", secrets, wantSecrets)
	}

	// KEDA: one kafka trigger per input topic, bounded by the partitions.
	so := one[*scaledObject](t, m)
	if so.Spec.ScaleTargetRef.Name != d.Name {
		t.Errorf("ScaledObject targets %q, the Deployment is %q", so.Spec.ScaleTargetRef.Name, d.Name)
	}
	if so.Spec.MaxReplicaCount == nil || int(*so.Spec.MaxReplicaCount) > partitions {
		t.Errorf("maxReplicaCount %v exceeds kafka.inputPartitions %d", so.Spec.MaxReplicaCount, partitions)
	}
	if so.Spec.MinReplicaCount == nil || *so.Spec.MinReplicaCount < 1 || *so.Spec.MinReplicaCount > *so.Spec.MaxReplicaCount {
		t.Errorf("minReplicaCount %v", so.Spec.MinReplicaCount)
	}
	ta := one[*triggerAuthentication](t, m)
	var topics []string
	for _, tr := range so.Spec.Triggers {
		md := tr.Metadata
		topics = append(topics, md["topic"])
		switch {
		case tr.Type != "kafka":
			t.Errorf("trigger type %q", tr.Type)
		case md["consumerGroup"] != cfg.Kafka.GroupID:
			t.Errorf("trigger consumerGroup %q, veil's group is %q", md["consumerGroup"], cfg.Kafka.GroupID)
		case md["bootstrapServers"] != strings.Join(cfg.Kafka.Brokers, ","):
			t.Errorf("trigger bootstrapServers %q, veil's brokers are %v", md["bootstrapServers"], cfg.Kafka.Brokers)
		case md["allowIdleConsumers"] != "false":
			t.Errorf("trigger allowIdleConsumers %q: want false (no pods beyond the partitions)", md["allowIdleConsumers"])
		case md["sasl"] != "scram_sha512" || md["tls"] != "enable":
			t.Errorf("trigger sasl %q tls %q: want scram_sha512 and enable, as veil connects", md["sasl"], md["tls"])
		case md["offsetResetPolicy"] != cfg.Kafka.StartOffset:
			t.Errorf("trigger offsetResetPolicy %q, veil starts at %q", md["offsetResetPolicy"], cfg.Kafka.StartOffset)
		case tr.AuthenticationRef == nil || tr.AuthenticationRef.Name != ta.Name:
			t.Errorf("trigger authenticationRef %v, want %s", tr.AuthenticationRef, ta.Name)
		}
		if _, err := strconv.Atoi(md["lagThreshold"]); err != nil {
			t.Errorf("trigger lagThreshold %q is not a number", md["lagThreshold"])
		}
	}
	if !slices.Equal(topics, cfg.Kafka.Inputs) {
		t.Errorf("triggers watch %v, veil consumes %v", topics, cfg.Kafka.Inputs)
	}
	refs := map[string]string{}
	for _, r := range ta.Spec.SecretTargetRef {
		refs[r.Parameter] = r.Name + "/" + r.Key
	}
	wantRefs := map[string]string{"username": "veil-prod-keda/username", "password": "veil-prod/password", "ca": "events-cluster-ca-cert/ca.crt"}
	if len(refs) != len(wantRefs) {
		t.Errorf("TriggerAuthentication refs %v, want %v", refs, wantRefs)
	}
	for k, v := range wantRefs {
		if refs[k] != v {
			t.Errorf("TriggerAuthentication %s from %q, want %q", k, refs[k], v)
		}
	}

	// ServiceMonitor scrapes the Service's metrics port.
	sm := one[*serviceMonitor](t, m)
	svc := one[*corev1.Service](t, m)
	if !selects(&sm.Spec.Selector, svc.Labels) {
		t.Errorf("ServiceMonitor selector does not select the Service")
	}
	if len(sm.Spec.Endpoints) != 1 || sm.Spec.Endpoints[0].Port != svc.Spec.Ports[0].Name || sm.Spec.Endpoints[0].Path != "/metrics" {
		t.Errorf("ServiceMonitor endpoints %+v: want port %s path /metrics", sm.Spec.Endpoints, svc.Spec.Ports[0].Name)
	}
	if sm.Labels["release"] != "kube-prometheus-stack" || !slices.Equal(sm.Spec.NamespaceSelector.MatchNames, []string{releaseNS}) {
		t.Errorf("ServiceMonitor labels %v namespaces %v", sm.Labels, sm.Spec.NamespaceSelector.MatchNames)
	}

	// NetworkPolicy: Kafka over 9093, NATS over 4222, OTLP over 4318, each to
	// its namespace only.
	np := one[*networkingv1.NetworkPolicy](t, m)
	for _, p := range []string{"9093", "4222", "4318"} {
		if !egressAllows(np, p, corev1.ProtocolTCP) {
			t.Errorf("NetworkPolicy: no egress on %s", p)
		}
	}
	for _, e := range np.Spec.Egress {
		if len(e.To) == 0 {
			t.Errorf("NetworkPolicy egress on %v to any address; production names its peers", e.Ports)
		}
	}
}

func TestHorizontalPodAutoscaler(t *testing.T) {
	m := mustRender(t, []string{productionFile}, map[string]any{
		"keda.enabled":                 false,
		"autoscaling.enabled":          true,
		"autoscaling.minReplicas":      3,
		"autoscaling.maxReplicas":      24,
		"autoscaling.lag.enabled":      true,
		"autoscaling.lag.averageValue": "100000",
	})
	if n := len(all[*scaledObject](m)) + len(all[*triggerAuthentication](m)); n != 0 {
		t.Errorf("KEDA objects rendered with keda.enabled false")
	}
	hpa := one[*autoscalingv2.HorizontalPodAutoscaler](t, m)
	d := one[*appsv1.Deployment](t, m)
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != d.Name {
		t.Errorf("HPA targets %+v", hpa.Spec.ScaleTargetRef)
	}
	if int(hpa.Spec.MaxReplicas) > valuesInt(t, "kafka.inputPartitions") {
		t.Errorf("HPA maxReplicas %d exceeds the partitions", hpa.Spec.MaxReplicas)
	}
	if d.Spec.Replicas != nil {
		t.Errorf("the Deployment sets replicas under an HPA")
	}
	var kinds []autoscalingv2.MetricSourceType
	for _, mt := range hpa.Spec.Metrics {
		kinds = append(kinds, mt.Type)
		if mt.Type == autoscalingv2.PodsMetricSourceType && (mt.Pods.Metric.Name != "veil_consumer_lag" || mt.Pods.Target.AverageValue.String() != "100k") {
			t.Errorf("lag metric %+v", mt.Pods)
		}
	}
	if !slices.Equal(kinds, []autoscalingv2.MetricSourceType{autoscalingv2.ResourceMetricSourceType, autoscalingv2.PodsMetricSourceType}) {
		t.Errorf("HPA metrics %v: want CPU and consumer lag", kinds)
	}
	if hpa.Spec.Behavior == nil || hpa.Spec.Behavior.ScaleDown == nil {
		t.Errorf("HPA without a scale-down behavior")
	}
}

// TestRenderRefusals checks that values the chart cannot honour fail the
// render with a message naming the value.
func TestRenderRefusals(t *testing.T) {
	prod := []string{productionFile}
	twoOutputs := func(a, b map[string]any) []any { return []any{a, b} }
	for _, tc := range []struct {
		name  string
		files []string
		set   map[string]any
		want  string
	}{
		{"keda max above partitions", prod, map[string]any{"keda.maxReplicaCount": 25},
			"keda.maxReplicaCount (25) exceeds kafka.inputPartitions (24)"},
		{"partitions below keda max", prod, map[string]any{"kafka.inputPartitions": 12},
			"keda.maxReplicaCount (24) exceeds kafka.inputPartitions (12)"},
		{"hpa max above partitions", nil, map[string]any{"autoscaling.enabled": true, "autoscaling.maxReplicas": 7},
			"autoscaling.maxReplicas (7) exceeds kafka.inputPartitions (6)"},
		{"replicas above partitions", nil, map[string]any{"replicaCount": 7},
			"replicaCount (7) exceeds kafka.inputPartitions (6)"},
		{"no partition count", nil, map[string]any{"kafka.inputPartitions": 0},
			"kafka.inputPartitions must be set"},
		{"two autoscalers", nil, map[string]any{"autoscaling.enabled": true, "keda.enabled": true},
			"autoscaling.enabled and keda.enabled exclude each other"},
		{"hpa min above max", nil, map[string]any{"autoscaling.enabled": true, "autoscaling.minReplicas": 5, "autoscaling.maxReplicas": 4},
			"autoscaling.minReplicas (5) must be in [1, autoscaling.maxReplicas (4)]"},
		{"keda sasl without user secret", prod, map[string]any{"keda.usernameSecret.name": ""},
			"keda.usernameSecret.name is required"},
		{"sasl without secret", nil, map[string]any{"kafka.sasl.mechanism": "PLAIN", "kafka.sasl.username": "u"},
			"kafka.sasl.mechanism needs kafka.sasl.username and kafka.sasl.existingSecret"},
		{"unknown sasl mechanism", nil, map[string]any{"kafka.sasl.mechanism": "GSSAPI"},
			`kafka.sasl.mechanism "GSSAPI" is not PLAIN`},
		{"tls secret with tls off", nil, map[string]any{"kafka.tls.ca.existingSecret": "ca"},
			"kafka.tls.enabled is false"},
		{"broker without port", nil, map[string]any{"kafka.brokers": []any{"kafka"}},
			`kafka.brokers: "kafka" is not host:port`},
		{"output both kafka and nats", nil, map[string]any{"outputs": []any{map[string]any{
			"name": "x", "purpose": "security", "topic": "t", "nats": map[string]any{"urls": []any{"nats://n:4222"}}}}},
			"x: set topic (Kafka) or nats, not both"},
		{"no outputs", nil, map[string]any{"outputs": []any{}},
			"at least one output is required"},
		{"output twice", nil, map[string]any{"outputs": twoOutputs(
			map[string]any{"name": "a", "purpose": "security", "topic": "t1"},
			map[string]any{"name": "a", "purpose": "security", "topic": "t2"})},
			`name "a" is used twice`},
		{"nats auth without secret", nil, map[string]any{"outputs": twoOutputs(
			map[string]any{"name": "a", "purpose": "security", "topic": "t1"},
			map[string]any{"name": "n", "purpose": "service", "nats": map[string]any{"urls": []any{"nats://n:4222"}, "stream": "S", "subject": "s",
				"auth": map[string]any{"method": "token"}}})},
			"nats.auth.method token needs nats.auth.existingSecret"},
		{"nats settings shadowing a chart key", nil, map[string]any{"outputs": twoOutputs(
			map[string]any{"name": "a", "purpose": "security", "topic": "t1"},
			map[string]any{"name": "n", "purpose": "service", "nats": map[string]any{"urls": []any{"nats://n:4222"}, "stream": "S", "subject": "s",
				"settings": map[string]any{"auth": map[string]any{"token_env": "T"}}}})},
			"nats.settings.auth: set it as nats.auth"},
		{"rule file name", nil, map[string]any{"rules.files": map[string]any{"rules.txt": "rules: []"}},
			`"rules.txt" is not a *.yaml`},
		{"short termination margin", nil, map[string]any{"stream.terminationMarginSeconds": 2},
			"stream.terminationMarginSeconds must be at least 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := render(t, tc.files, tc.set)
			if err == nil {
				t.Fatalf("rendered; want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestChecksum checks that a change to veil.yaml rolls the pods and a change
// to the hot-reloaded policy, rules or schemas does not.
func TestChecksum(t *testing.T) {
	schema := readRepoFile(t, "schemas/events/analytics.page_view.json")
	base := map[string]any{
		"policy.content": string(policy.DefaultYAML()),
		"rules.files":    map[string]any{"a.yaml": "rules: []\n"},
		"schemas.files":  map[string]any{"page_view.json": schema},
	}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for bk, bv := range base {
			m[bk] = bv
		}
		m[k] = v
		return m
	}
	sum := func(set map[string]any) string {
		t.Helper()
		d := one[*appsv1.Deployment](t, mustRender(t, []string{productionFile}, set))
		var sums []string
		for k := range d.Spec.Template.Annotations {
			if strings.HasPrefix(k, "checksum/") {
				sums = append(sums, k)
			}
		}
		if !slices.Equal(sums, []string{"checksum/config"}) {
			t.Fatalf("checksum annotations %v, want checksum/config alone", sums)
		}
		return d.Spec.Template.Annotations["checksum/config"]
	}
	ref := sum(base)
	for _, tc := range []struct {
		name  string
		set   map[string]any
		rolls bool
	}{
		{"same values", base, false},
		{"policy edited", with("policy.content", string(policy.DefaultYAML())+"\n# edited\n"), false},
		{"rule added", with("rules.files", map[string]any{"a.yaml": "rules: []\n", "b.yaml": "rules: []\n"}), false},
		{"schema edited", with("schemas.files", map[string]any{"page_view.json": schema + "\n"}), false},
		{"consumer group", with("kafka.groupId", "veil-other"), true},
		{"shutdown grace", with("stream.shutdownGraceSeconds", 40), true},
		{"keys refresh", with("keys.refresh", "1m"), true},
		{"reload interval", with("reload.interval", "30s"), true},
	} {
		if rolled := sum(tc.set) != ref; rolled != tc.rolls {
			t.Errorf("%s: pods roll = %v, want %v", tc.name, rolled, tc.rolls)
		}
	}
}

// TestPolicyRulesSchemasMounted renders the chart with its own policy, rules
// and schemas ConfigMaps and loads each the way veil does, from where the
// pod mounts it.
func TestPolicyRulesSchemasMounted(t *testing.T) {
	rule := `rules:
  - id: acme.member
    type: PERSON
    description: ACME member numbers.
    pattern: '\bAM-\d{8}\b'
    score: 0.8
    examples:
      match: ["member AM-12345678 called"]
      no_match: ["AM-1"]
`
	m := mustRender(t, nil, map[string]any{
		"policy.content": string(policy.DefaultYAML()),
		"rules.files":    map[string]any{"acme.yaml": rule},
		"schemas.files":  map[string]any{"page_view.json": readRepoFile(t, "schemas/events/analytics.page_view.json")},
	})
	cfg, _ := veilConfig(t, m)
	checkPod(t, m, cfg)
	data, err := os.ReadFile(cfg.Policy)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(policy.DefaultYAML()) {
		t.Errorf("the mounted policy differs from the policy.content given")
	}
	if _, err := policy.Parse(cfg.Policy, data); err != nil {
		t.Errorf("the mounted policy does not parse: %v", err)
	}
	if _, loaded, err := pack.Load(pack.Config{RulesDir: cfg.Rules}); err != nil {
		t.Errorf("the mounted rules do not load: %v", err)
	} else if !slices.ContainsFunc(loaded, func(r rules.Rule) bool { return r.ID == "acme.member" }) {
		t.Errorf("rule acme.member is not loaded from the mounted directory")
	}
	if _, err := runner.LoadSchemas(cfg.Schemas); err != nil {
		t.Errorf("the mounted schemas do not load: %v", err)
	}

	// ConfigMaps the operator manages are mounted by name, none rendered.
	m = mustRender(t, nil, map[string]any{
		"policy.existingConfigMap":  "privacy-policy",
		"policy.key":                "policy-v7.yaml",
		"rules.existingConfigMap":   "privacy-rules",
		"schemas.existingConfigMap": "privacy-schemas",
	})
	if n := len(all[*corev1.ConfigMap](m)); n != 1 {
		t.Errorf("%d ConfigMaps rendered, want veil.yaml's alone", n)
	}
	d := one[*appsv1.Deployment](t, m)
	mounted := map[string]string{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		if v.ConfigMap != nil {
			mounted[v.Name] = v.ConfigMap.Name
		}
	}
	for vol, cm := range map[string]string{"policy": "privacy-policy", "rules": "privacy-rules", "schemas": "privacy-schemas"} {
		if mounted[vol] != cm {
			t.Errorf("volume %s mounts ConfigMap %q, want %q", vol, mounted[vol], cm)
		}
	}
	text := m.configMap(defaultFullname + "-config").Data["veil.yaml"]
	for _, want := range []string{`policy: "/etc/veil/policy/policy-v7.yaml"`, `rules: "/etc/veil/rules"`, `schemas: "/etc/veil/schemas"`} {
		if !strings.Contains(text, want) {
			t.Errorf("veil.yaml lacks %s", want)
		}
	}
}

// TestNATSOutputSecrets checks each NATS auth method mounts its Secret key
// where veil.yaml names it.
func TestNATSOutputSecrets(t *testing.T) {
	for _, tc := range []struct {
		method, key, yamlKey string
	}{
		{"password", "password", "password_file"},
		{"token", "token", "token_file"},
		{"creds", "user.creds", "creds_file"},
		{"nkey", "user.nk", "nkey_seed_file"},
	} {
		t.Run(tc.method, func(t *testing.T) {
			auth := map[string]any{"method": tc.method, "existingSecret": "nats-secret"}
			if tc.method == "password" {
				auth["username"] = "veil"
			}
			m := mustRender(t, nil, map[string]any{"outputs": []any{
				map[string]any{"name": "analytics", "purpose": "product_improvement", "topic": "events.analytics"},
				map[string]any{"name": "svc", "purpose": "service", "nats": map[string]any{
					"urls": []any{"nats://nats.messaging:4222"}, "stream": "VEIL", "subject": "veil.{topic}",
					"auth": auth,
					"tls":  map[string]any{"enabled": true, "clientCert": map[string]any{"existingSecret": "nats-client"}},
				}},
			}})
			cfg, root := veilConfig(t, m)
			checkPod(t, m, cfg)
			n := cfg.Outputs[1].NATS
			if n == nil || n.Auth.Method() != tc.method {
				t.Fatalf("NATS output auth method %v, want %s", n, tc.method)
			}
			want := filepath.ToSlash(root) + "/etc/veil/nats/svc/auth/" + tc.key
			got := map[string]string{"password_file": n.Auth.PasswordFile, "token_file": n.Auth.TokenFile,
				"creds_file": n.Auth.CredsFile, "nkey_seed_file": n.Auth.NKeySeedFile}[tc.yamlKey]
			if got != want {
				t.Errorf("auth.%s = %q, want %q", tc.yamlKey, got, want)
			}
			if n.TLS.CertFile == "" || n.TLS.KeyFile == "" {
				t.Errorf("NATS client certificate not configured: %+v", n.TLS)
			}
			np := one[*networkingv1.NetworkPolicy](t, m)
			if !egressAllows(np, "4222", corev1.ProtocolTCP) {
				t.Errorf("no egress to NATS on 4222")
			}
		})
	}
}

// TestNATSOnly renders a release whose only output is a NATS subject: veil
// takes it (no Kafka output is required).
func TestNATSOnly(t *testing.T) {
	m := mustRender(t, nil, map[string]any{"outputs": []any{
		map[string]any{"name": "svc", "purpose": "service", "nats": map[string]any{
			"urls": []any{"nats://nats.messaging:4222"}, "stream": "VEIL", "subject": "veil.{topic}"}},
	}})
	cfg, _ := veilConfig(t, m)
	checkPod(t, m, cfg)
	if len(cfg.Kafka.Outputs) != 0 || len(cfg.Outputs) != 1 || cfg.Outputs[0].NATS == nil {
		t.Errorf("outputs: kafka %v, veil %+v; want the NATS output alone", cfg.Kafka.Outputs, cfg.Outputs)
	}
}

// TestLint runs Helm's chart linter with both values files.
func TestLint(t *testing.T) {
	for _, files := range [][]string{nil, {productionFile}} {
		vals := map[string]any{}
		for _, f := range files {
			v, err := chartutil.ReadValuesFile(f)
			if err != nil {
				t.Fatal(err)
			}
			vals = v.AsMap()
		}
		l := lint.All(chartDir, vals, releaseNS, false)
		for _, msg := range l.Messages {
			if msg.Severity >= support.WarningSev {
				t.Errorf("helm lint %v: %s", files, msg.Error())
			}
		}
	}
}

func seconds(p *int64) string {
	if p == nil {
		return "unset"
	}
	return (time.Duration(*p) * time.Second).String()
}

func envValue(c *corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// valuesInt reads an integer of values-production.yaml.
func valuesInt(t *testing.T, path string) int {
	t.Helper()
	v, err := chartutil.ReadValuesFile(productionFile)
	if err != nil {
		t.Fatal(err)
	}
	x, err := v.PathValue(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	f, ok := x.(float64)
	if !ok {
		t.Fatalf("%s = %v is not a number", path, x)
	}
	return int(f)
}

// readRepoFile reads a file of the veil repository.
func readRepoFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
