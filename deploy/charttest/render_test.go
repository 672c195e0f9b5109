package charttest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

const (
	chartDir        = "../helm/veil"
	productionFile  = "../helm/veil/values-production.yaml"
	releaseName     = "veil"
	releaseNS       = "streaming"
	mountRoot       = "/etc/veil/"
	defaultFullname = "veil" // release "veil" contains the chart name
)

var (
	chartOnce sync.Once
	theChart  *chart.Chart
	chartErr  error
)

// loadChart loads the chart once for all tests.
func loadChart(t testing.TB) *chart.Chart {
	t.Helper()
	chartOnce.Do(func() { theChart, chartErr = loader.Load(chartDir) })
	if chartErr != nil {
		t.Fatalf("loading chart %s: %v", chartDir, chartErr)
	}
	return theChart
}

// object is one rendered Kubernetes object, decoded strictly into its type.
type object struct {
	source     string // template file
	apiVersion string
	kind       string
	name       string
	obj        any
}

// manifest is a rendered release.
type manifest struct {
	objects []object
	notes   string
}

// render renders the chart with the values of files (in order) and then the
// dotted-path overrides of set, as `helm template -f ... --set ...` would.
// It returns the rendering error as is, so tests can check failures.
func render(t testing.TB, files []string, set map[string]any) (*manifest, error) {
	t.Helper()
	ch := loadChart(t)
	vals := map[string]any{}
	for _, f := range files {
		v, err := chartutil.ReadValuesFile(f)
		if err != nil {
			t.Fatalf("reading values %s: %v", f, err)
		}
		vals = chartutil.CoalesceTables(v.AsMap(), vals)
	}
	for path, v := range set {
		setPath(vals, path, v)
	}
	caps := *chartutil.DefaultCapabilities
	caps.KubeVersion = chartutil.KubeVersion{Version: "v1.31.0", Major: "1", Minor: "31"}
	rv, err := chartutil.ToRenderValues(ch, vals, chartutil.ReleaseOptions{
		Name: releaseName, Namespace: releaseNS, Revision: 1, IsInstall: true,
	}, &caps)
	if err != nil {
		return nil, fmt.Errorf("values: %w", err)
	}
	out, err := engine.Render(ch, rv)
	if err != nil {
		return nil, err
	}
	m := &manifest{}
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		base := filepath.Base(n)
		switch {
		case base == "NOTES.txt":
			m.notes = out[n]
			continue
		case strings.HasPrefix(base, "_"):
			if strings.TrimSpace(out[n]) != "" {
				t.Errorf("%s: a partial rendered output", n)
			}
			continue
		}
		for i, doc := range splitDocs(out[n]) {
			o, err := decode(doc)
			if err != nil {
				t.Fatalf("%s, document %d: %v\n%s", n, i, err, doc)
			}
			o.source = n
			m.objects = append(m.objects, o)
		}
	}
	return m, nil
}

// mustRender is render for values that must render.
func mustRender(t testing.TB, files []string, set map[string]any) *manifest {
	t.Helper()
	m, err := render(t, files, set)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return m
}

// setPath sets a dotted path ("keda.maxReplicaCount") in nested maps.
func setPath(m map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

var docSep = regexp.MustCompile(`(?m)^---[ \t]*$`)

// splitDocs splits a multi-document YAML stream, dropping documents that
// hold only comments and white space.
func splitDocs(s string) []string {
	var docs []string
	for _, d := range docSep.Split(s, -1) {
		empty := true
		for _, line := range strings.Split(d, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "#") {
				empty = false
				break
			}
		}
		if !empty {
			docs = append(docs, d)
		}
	}
	return docs
}

// newTyped returns a pointer to the Go type of apiVersion and kind. Secrets
// are not on the list: the chart must never render one.
func newTyped(apiVersion, kind string) (any, bool) {
	switch apiVersion + " " + kind {
	case "apps/v1 Deployment":
		return &appsv1.Deployment{}, true
	case "v1 ConfigMap":
		return &corev1.ConfigMap{}, true
	case "v1 Service":
		return &corev1.Service{}, true
	case "v1 ServiceAccount":
		return &corev1.ServiceAccount{}, true
	case "policy/v1 PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, true
	case "autoscaling/v2 HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}, true
	case "networking.k8s.io/v1 NetworkPolicy":
		return &networkingv1.NetworkPolicy{}, true
	case "monitoring.coreos.com/v1 ServiceMonitor":
		return &serviceMonitor{}, true
	case "keda.sh/v1alpha1 ScaledObject":
		return &scaledObject{}, true
	case "keda.sh/v1alpha1 TriggerAuthentication":
		return &triggerAuthentication{}, true
	}
	return nil, false
}

// decode reads one YAML document strictly: duplicate keys, unknown fields
// and fields in the wrong case are errors.
func decode(doc string) (object, error) {
	j, err := yaml.YAMLToJSONStrict([]byte(doc))
	if err != nil {
		return object{}, fmt.Errorf("not YAML: %w", err)
	}
	var tm metav1.TypeMeta
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(j, &tm); err != nil {
		return object{}, fmt.Errorf("type meta: %w", err)
	}
	if tm.Kind == "Secret" {
		return object{}, fmt.Errorf("the chart rendered a Secret; it must only reference existing ones")
	}
	typed, ok := newTyped(tm.APIVersion, tm.Kind)
	if !ok {
		return object{}, fmt.Errorf("unexpected object %s %s", tm.APIVersion, tm.Kind)
	}
	strict, err := sigsjson.UnmarshalStrict(j, typed, sigsjson.DisallowDuplicateFields, sigsjson.DisallowUnknownFields)
	if err != nil {
		return object{}, fmt.Errorf("decoding %s: %w", tm.Kind, err)
	}
	if len(strict) > 0 {
		return object{}, fmt.Errorf("decoding %s strictly: %v", tm.Kind, strict)
	}
	meta, ok := typed.(metav1.Object)
	if !ok {
		return object{}, fmt.Errorf("%s has no object metadata", tm.Kind)
	}
	if meta.GetName() == "" {
		return object{}, fmt.Errorf("%s without a name", tm.Kind)
	}
	return object{apiVersion: tm.APIVersion, kind: tm.Kind, name: meta.GetName(), obj: typed}, nil
}

// all returns the objects of a kind.
func all[T any](m *manifest) []T {
	var out []T
	for _, o := range m.objects {
		if v, ok := o.obj.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// one returns the single object of a kind, failing when there is not exactly
// one.
func one[T any](t testing.TB, m *manifest) T {
	t.Helper()
	objs := all[T](m)
	if len(objs) != 1 {
		var zero T
		t.Fatalf("want one %T, rendered %d", zero, len(objs))
	}
	return objs[0]
}

// configMap returns the rendered ConfigMap of that name, or nil.
func (m *manifest) configMap(name string) *corev1.ConfigMap {
	for _, cm := range all[*corev1.ConfigMap](m) {
		if cm.Name == name {
			return cm
		}
	}
	return nil
}

// kinds lists the kinds rendered, sorted, for comparisons.
func (m *manifest) kinds() []string {
	var ks []string
	for _, o := range m.objects {
		ks = append(ks, o.kind)
	}
	sort.Strings(ks)
	return ks
}

// podTree lays out under a temporary directory what the veil container sees
// at its mounts: each mounted ConfigMap the chart rendered with its files,
// each ConfigMap the chart does not own as an empty directory, and each
// Secret's projected keys as placeholder files (a Secret without items as an
// empty directory). It returns the directory, standing for "/".
func podTree(t testing.TB, m *manifest, d *appsv1.Deployment) string {
	t.Helper()
	root := t.TempDir()
	vols := map[string]corev1.Volume{}
	for _, v := range d.Spec.Template.Spec.Volumes {
		vols[v.Name] = v
	}
	c := veilContainer(t, d)
	for _, vm := range c.VolumeMounts {
		v, ok := vols[vm.Name]
		if !ok {
			t.Fatalf("mount %s names no volume", vm.Name)
		}
		files := map[string]string{} // path in the volume → content
		switch {
		case v.ConfigMap != nil:
			cm := m.configMap(v.ConfigMap.Name)
			if cm == nil {
				break // an existing ConfigMap the operator manages
			}
			for k, s := range cm.Data {
				files[k] = s
			}
			if len(v.ConfigMap.Items) > 0 {
				sel := map[string]string{}
				for _, it := range v.ConfigMap.Items {
					s, ok := cm.Data[it.Key]
					if !ok {
						t.Fatalf("volume %s projects key %s, absent from ConfigMap %s", v.Name, it.Key, cm.Name)
					}
					sel[it.Path] = s
				}
				files = sel
			}
		case v.Secret != nil:
			for _, it := range v.Secret.Items {
				files[it.Path] = "placeholder for key " + it.Key + "\n"
			}
		default:
			t.Fatalf("volume %s: only ConfigMap and Secret volumes are expected", v.Name)
		}
		dst := filepath.Join(root, filepath.FromSlash(vm.MountPath))
		if vm.SubPath != "" {
			s, ok := files[vm.SubPath]
			if !ok {
				t.Fatalf("mount %s: subPath %s is not a file of volume %s", vm.MountPath, vm.SubPath, v.Name)
			}
			writeFile(t, dst, s)
			continue
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		for p, s := range files {
			writeFile(t, filepath.Join(dst, filepath.FromSlash(p)), s)
		}
	}
	return root
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// veilContainer returns the Deployment's veil container.
func veilContainer(t testing.TB, d *appsv1.Deployment) *corev1.Container {
	t.Helper()
	cs := d.Spec.Template.Spec.Containers
	if len(cs) != 1 || cs[0].Name != "veil" {
		t.Fatalf("want one container named veil, got %d", len(cs))
	}
	return &cs[0]
}
