// Package charttest checks the Helm chart in deploy/helm/veil without a
// cluster: it renders the chart with Helm's own Go library for the default
// values and for values-production.yaml, decodes every rendered object
// strictly into its Kubernetes API type (an unknown or misspelt field fails),
// and checks what matters to veil — probes on the telemetry port, the
// hardened security context, Secrets referenced and never rendered, replicas
// bounded by the input partitions, and a veil.yaml that veil's own config
// loader accepts with every file it names present where the pod mounts it.
//
// It is a module of its own so that Helm and the Kubernetes API types stay
// out of veil's go.mod. Run it with:
//
//	cd deploy/charttest && go test ./...
package charttest
