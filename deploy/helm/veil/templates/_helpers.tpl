{{/*
Names and labels.
*/}}
{{- define "veil.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "veil.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "veil.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "veil.selectorLabels" -}}
app.kubernetes.io/name: {{ include "veil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "veil.labels" -}}
helm.sh/chart: {{ include "veil.chart" . }}
{{ include "veil.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: stream-processor
app.kubernetes.io/part-of: veil
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "veil.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "veil.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "veil.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Where things are mounted in the pod. veil.yaml names these paths; the
Deployment mounts the ConfigMaps and Secrets there.
*/}}
{{- define "veil.root" -}}/etc/veil{{- end }}

{{- define "veil.policyConfigMap" -}}
{{- if .Values.policy.existingConfigMap }}{{ .Values.policy.existingConfigMap }}{{ else if .Values.policy.content }}{{ include "veil.fullname" . }}-policy{{ end }}
{{- end }}

{{- define "veil.rulesConfigMap" -}}
{{- if .Values.rules.existingConfigMap }}{{ .Values.rules.existingConfigMap }}{{ else if .Values.rules.files }}{{ include "veil.fullname" . }}-rules{{ end }}
{{- end }}

{{- define "veil.schemasConfigMap" -}}
{{- if .Values.schemas.existingConfigMap }}{{ .Values.schemas.existingConfigMap }}{{ else if .Values.schemas.files }}{{ include "veil.fullname" . }}-schemas{{ end }}
{{- end }}

{{/*
The file key of a NATS output's auth Secret: the configured key or the
method's default.
*/}}
{{- define "veil.natsAuthKey" -}}
{{- $d := dict "password" "password" "token" "token" "creds" "user.creds" "nkey" "user.nk" }}
{{- default (get $d .method) .key }}
{{- end }}

{{/*
Ports of host:port addresses, and of URLs (with a default), as a sorted,
de-duplicated list.
*/}}
{{- define "veil.brokerPorts" -}}
{{- $ports := list }}
{{- range .Values.kafka.brokers }}
{{- $ports = append $ports (int (last (splitList ":" .))) }}
{{- end }}
{{- toJson ($ports | uniq | sortAlpha) }}
{{- end }}

{{- define "veil.natsPorts" -}}
{{- $ports := list }}
{{- range .Values.outputs }}
{{- if .nats }}
{{- range .nats.urls }}
{{- $u := urlParse . }}
{{- $hp := splitList ":" $u.host }}
{{- if gt (len $hp) 1 }}
{{- $ports = append $ports (int (last $hp)) }}
{{- else }}
{{- $ports = append $ports 4222 }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- toJson ($ports | uniq | sortAlpha) }}
{{- end }}

{{- define "veil.otlpPort" -}}
{{- $u := urlParse .Values.telemetry.otlpEndpoint }}
{{- $hp := splitList ":" $u.host }}
{{- if gt (len $hp) 1 }}{{ last $hp }}{{ else if eq $u.scheme "https" }}443{{ else }}80{{ end }}
{{- end }}

{{/*
GOMEMLIMIT from the memory limit (Mi or Gi only), in MiB.
*/}}
{{- define "veil.goMemLimit" -}}
{{- $lim := toString (dig "limits" "memory" "" .Values.resources) }}
{{- if and (gt (int .Values.goMemLimitPercent) 0) (regexMatch "^[0-9]+(Mi|Gi)$" $lim) }}
{{- $mib := int (trimSuffix "Mi" (trimSuffix "Gi" $lim)) }}
{{- if hasSuffix "Gi" $lim }}{{ $mib = mul $mib 1024 }}{{ end }}
{{- printf "%dMiB" (div (mul $mib (int .Values.goMemLimitPercent)) 100) }}
{{- end }}
{{- end }}

{{/*
Checks the values, failing the render with a message naming the value at
fault.
*/}}
{{- define "veil.validate" -}}
{{- $parts := int .Values.kafka.inputPartitions }}
{{- if lt $parts 1 }}
{{- fail "veil: kafka.inputPartitions must be set to the partition count of the input topic (at least 1)" }}
{{- end }}
{{- if and .Values.autoscaling.enabled .Values.keda.enabled }}
{{- fail "veil: autoscaling.enabled and keda.enabled exclude each other (KEDA creates its own HorizontalPodAutoscaler)" }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.maxReplicas) $parts }}
{{- fail (printf "veil: autoscaling.maxReplicas (%d) exceeds kafka.inputPartitions (%d): pods beyond the partition count hold no partition and sit idle; add partitions to the input topic first" (int .Values.autoscaling.maxReplicas) $parts) }}
{{- end }}
{{- if or (lt (int .Values.autoscaling.minReplicas) 1) (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- fail (printf "veil: autoscaling.minReplicas (%d) must be in [1, autoscaling.maxReplicas (%d)]" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- if and (not .Values.autoscaling.lag.enabled) (eq (int .Values.autoscaling.targetCPUUtilizationPercentage) 0) }}
{{- fail "veil: autoscaling needs a metric: set autoscaling.targetCPUUtilizationPercentage or autoscaling.lag.enabled" }}
{{- end }}
{{- else if .Values.keda.enabled }}
{{- if gt (int .Values.keda.maxReplicaCount) $parts }}
{{- fail (printf "veil: keda.maxReplicaCount (%d) exceeds kafka.inputPartitions (%d): pods beyond the partition count hold no partition and sit idle; add partitions to the input topic first" (int .Values.keda.maxReplicaCount) $parts) }}
{{- end }}
{{- if or (lt (int .Values.keda.minReplicaCount) 0) (gt (int .Values.keda.minReplicaCount) (int .Values.keda.maxReplicaCount)) }}
{{- fail (printf "veil: keda.minReplicaCount (%d) must be in [0, keda.maxReplicaCount (%d)]" (int .Values.keda.minReplicaCount) (int .Values.keda.maxReplicaCount)) }}
{{- end }}
{{- if and .Values.kafka.sasl.mechanism (not .Values.keda.authenticationRef) (not .Values.keda.usernameSecret.name) }}
{{- fail "veil: keda.usernameSecret.name is required with kafka.sasl (KEDA reads the SASL user from a Secret), or set keda.authenticationRef" }}
{{- end }}
{{- else if gt (int .Values.replicaCount) $parts }}
{{- fail (printf "veil: replicaCount (%d) exceeds kafka.inputPartitions (%d): pods beyond the partition count hold no partition and sit idle" (int .Values.replicaCount) $parts) }}
{{- end }}
{{- if not (regexMatch "^[A-Za-z0-9._-]+$" (toString .Values.policy.key)) }}
{{- fail (printf "veil: policy.key %q is not a file name" (toString .Values.policy.key)) }}
{{- end }}
{{- if not .Values.kafka.brokers }}
{{- fail "veil: kafka.brokers is required" }}
{{- end }}
{{- range .Values.kafka.brokers }}
{{- if not (regexMatch "^[^:/]+:[0-9]+$" .) }}
{{- fail (printf "veil: kafka.brokers: %q is not host:port" .) }}
{{- end }}
{{- end }}
{{- if not .Values.kafka.inputs }}
{{- fail "veil: kafka.inputs needs at least one topic" }}
{{- end }}
{{- if not .Values.kafka.deadLetter.topic }}
{{- fail "veil: kafka.deadLetter.topic is required" }}
{{- end }}
{{- if lt (int .Values.stream.shutdownGraceSeconds) 1 }}
{{- fail "veil: stream.shutdownGraceSeconds must be at least 1" }}
{{- end }}
{{- if lt (int .Values.stream.terminationMarginSeconds) 10 }}
{{- fail "veil: stream.terminationMarginSeconds must be at least 10 (veil takes up to 10 s after the drain to stop telemetry)" }}
{{- end }}
{{- $tls := .Values.kafka.tls }}
{{- if and (not $tls.enabled) (or $tls.ca.existingSecret $tls.clientCert.existingSecret $tls.serverName) }}
{{- fail "veil: kafka.tls.ca, clientCert or serverName is set but kafka.tls.enabled is false" }}
{{- end }}
{{- $sasl := .Values.kafka.sasl }}
{{- if $sasl.mechanism }}
{{- if not (has $sasl.mechanism (list "PLAIN" "SCRAM-SHA-256" "SCRAM-SHA-512")) }}
{{- fail (printf "veil: kafka.sasl.mechanism %q is not PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" $sasl.mechanism) }}
{{- end }}
{{- if or (not $sasl.username) (not $sasl.existingSecret) }}
{{- fail "veil: kafka.sasl.mechanism needs kafka.sasl.username and kafka.sasl.existingSecret (the Secret holding the password)" }}
{{- end }}
{{- end }}
{{- $names := dict }}
{{- range .Values.outputs }}
{{- if not (regexMatch "^[A-Za-z0-9._-]+$" (toString .name)) }}
{{- fail (printf "veil: outputs: name %q must be [A-Za-z0-9._-]+" (toString .name)) }}
{{- end }}
{{- if hasKey $names .name }}
{{- fail (printf "veil: outputs: name %q is used twice" .name) }}
{{- end }}
{{- $_ := set $names .name true }}
{{- if not .purpose }}
{{- fail (printf "veil: outputs: %s: purpose is required" .name) }}
{{- end }}
{{- if and .topic .nats }}
{{- fail (printf "veil: outputs: %s: set topic (Kafka) or nats, not both" .name) }}
{{- else if .topic }}
{{- else if .nats }}
{{- $out := .name }}
{{- range $k, $_ := (.nats.settings | default dict) }}
{{- if has $k (list "urls" "stream" "subject" "tls" "auth") }}
{{- fail (printf "veil: outputs: %s: nats.settings.%s: set it as nats.%s" $out $k $k) }}
{{- end }}
{{- end }}
{{- $auth := .nats.auth | default dict }}
{{- $method := $auth.method | default "none" }}
{{- if not (has $method (list "none" "password" "token" "creds" "nkey")) }}
{{- fail (printf "veil: outputs: %s: nats.auth.method %q is not none, password, token, creds or nkey" .name $method) }}
{{- end }}
{{- if and (ne $method "none") (not $auth.existingSecret) }}
{{- fail (printf "veil: outputs: %s: nats.auth.method %s needs nats.auth.existingSecret" .name $method) }}
{{- end }}
{{- if and (eq $method "password") (not $auth.username) }}
{{- fail (printf "veil: outputs: %s: nats.auth.method password needs nats.auth.username" .name) }}
{{- end }}
{{- else }}
{{- fail (printf "veil: outputs: %s: set topic (a Kafka output) or nats (a NATS JetStream output)" .name) }}
{{- end }}
{{- end }}
{{- if and (eq (len .Values.outputs) 0) (eq (len (.Values.aggregates | default list)) 0) }}
{{- fail "veil: outputs: at least one output is required (a Kafka topic, a NATS subject or an aggregate)" }}
{{- end }}
{{- end }}

{{/*
A NATS output's tls block with the defaults of kafka.tls filled in, as JSON.
*/}}
{{- define "veil.natsTLS" -}}
{{- $d := dict "enabled" false "serverName" "" "ca" (dict "existingSecret" "" "key" "ca.crt") "clientCert" (dict "existingSecret" "" "certKey" "tls.crt" "keyKey" "tls.key") }}
{{- toJson (mergeOverwrite $d (deepCopy (. | default dict))) }}
{{- end }}

{{/*
TLS keys of veil.yaml for a tls value block (kafka.tls or an output's
nats.tls) mounted under $dir.
*/}}
{{- define "veil.tlsYAML" -}}
{{- $t := .tls -}}
enabled: true
{{- if $t.ca.existingSecret }}
ca_file: {{ printf "%s/ca/%s" .dir $t.ca.key | toJson }}
{{- end }}
{{- if $t.clientCert.existingSecret }}
cert_file: {{ printf "%s/client/%s" .dir $t.clientCert.certKey | toJson }}
key_file: {{ printf "%s/client/%s" .dir $t.clientCert.keyKey | toJson }}
{{- end }}
{{- with $t.serverName }}
server_name: {{ toJson . }}
{{- end }}
{{- end }}

{{/*
veil.yaml. Paths point where the Deployment mounts ConfigMaps and Secrets.
*/}}
{{- define "veil.configYAML" -}}
{{- $root := include "veil.root" . -}}
# veil.yaml written by the {{ include "veil.chart" . }} Helm chart: change the
# chart's values, not this file.
kafka:
  brokers: {{ toJson .Values.kafka.brokers }}
  {{- with .Values.kafka.clientId }}
  client_id: {{ toJson . }}
  {{- end }}
  group_id: {{ toJson .Values.kafka.groupId }}
  inputs: {{ toJson .Values.kafka.inputs }}
  start_offset: {{ toJson .Values.kafka.startOffset }}
  outputs:
  {{- range .Values.outputs }}
  {{- if .topic }}
    - name: {{ toJson .name }}
      topic: {{ toJson .topic }}
      {{- with .partitioning }}
      partitioning: {{ toJson . }}
      {{- end }}
  {{- end }}
  {{- end }}
  dead_letter:
    topic: {{ toJson .Values.kafka.deadLetter.topic }}
  {{- with .Values.kafka.producer }}
  producer:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.kafka.consumer }}
  consumer:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.kafka.tls.enabled }}
  tls:
    {{- include "veil.tlsYAML" (dict "tls" .Values.kafka.tls "dir" (printf "%s/kafka" $root)) | nindent 4 }}
  {{- end }}
  {{- with .Values.kafka.sasl }}
  {{- if .mechanism }}
  sasl:
    mechanism: {{ toJson .mechanism }}
    username: {{ toJson .username }}
    password_file: {{ printf "%s/kafka/sasl/%s" $root .passwordKey | toJson }}
  {{- end }}
  {{- end }}
stream:
  {{- with .Values.stream.maxEventBytes }}
  max_event_bytes: {{ int . }}
  {{- end }}
  shutdown_grace: {{ printf "%ds" (int .Values.stream.shutdownGraceSeconds) }}
outputs:
{{- range .Values.outputs }}
{{- $o := . }}
  - name: {{ toJson .name }}
    purpose: {{ toJson .purpose }}
    {{- if .tagOnly }}
    tag_only: true
    {{- end }}
    {{- with .nats }}
    nats:
      urls: {{ toJson .urls }}
      stream: {{ toJson .stream }}
      subject: {{ toJson .subject }}
      {{- with .settings }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
      {{- if and .tls .tls.enabled }}
      tls:
        {{- include "veil.tlsYAML" (dict "tls" (include "veil.natsTLS" .tls | fromJson) "dir" (printf "%s/nats/%s" $root $o.name)) | nindent 8 }}
      {{- end }}
      {{- $auth := .auth | default dict }}
      {{- $method := $auth.method | default "none" }}
      {{- if ne $method "none" }}
      {{- $file := printf "%s/nats/%s/auth/%s" $root $o.name (include "veil.natsAuthKey" (dict "method" $method "key" $auth.key)) }}
      auth:
        {{- if eq $method "password" }}
        username: {{ toJson $auth.username }}
        password_file: {{ toJson $file }}
        {{- else if eq $method "token" }}
        token_file: {{ toJson $file }}
        {{- else if eq $method "creds" }}
        creds_file: {{ toJson $file }}
        {{- else if eq $method "nkey" }}
        nkey_seed_file: {{ toJson $file }}
        {{- end }}
      {{- end }}
    {{- end }}
{{- end }}
{{- if include "veil.policyConfigMap" . }}
policy: {{ printf "%s/policy/%s" $root .Values.policy.key | toJson }}
{{- end }}
{{- if include "veil.rulesConfigMap" . }}
rules: {{ printf "%s/rules" $root | toJson }}
{{- end }}
{{- if include "veil.schemasConfigMap" . }}
schemas: {{ printf "%s/schemas" $root | toJson }}
{{- end }}
{{- if or .Values.reload.interval .Values.reload.disabled }}
reload:
  {{- with .Values.reload.interval }}
  interval: {{ toJson . }}
  {{- end }}
  {{- if .Values.reload.disabled }}
  disabled: true
  {{- end }}
{{- end }}
{{- with .Values.config.schemaViolations }}
schema_violations: {{ toJson . }}
{{- end }}
{{- with .Values.config.matchTimeout }}
match_timeout: {{ toJson . }}
{{- end }}
{{- with .Values.config.maxDepth }}
max_depth: {{ int . }}
{{- end }}
{{- with .Values.config.origins }}
origins:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.config.customerKeys }}
customer_keys: {{ toJson . }}
{{- end }}
keys:
  {{- if .Values.keys.existingSecret }}
  dir: {{ printf "%s/keys" $root | toJson }}
  {{- end }}
  rotation: {{ toJson .Values.keys.rotation }}
  {{- with .Values.keys.refresh }}
  refresh: {{ toJson . }}
  {{- end }}
{{- with .Values.aggregates }}
aggregates:
  {{- toYaml . | nindent 2 }}
{{- end }}
telemetry:
  metrics_addr: {{ printf ":%d" (int .Values.telemetry.port) | toJson }}
  {{- with .Values.telemetry.serviceName }}
  service_name: {{ toJson . }}
  {{- end }}
  {{- with .Values.telemetry.otlpEndpoint }}
  otlp_endpoint: {{ toJson . }}
  {{- end }}
  {{- with .Values.telemetry.traceSampleRatio }}
  trace_sample_ratio: {{ . }}
  {{- end }}
{{- end }}
