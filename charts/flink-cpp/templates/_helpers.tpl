{{/* The chart name, or nameOverride. */}}
{{- define "flink-cpp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The resource name prefix: <release>-<chart>, or fullnameOverride. */}}
{{- define "flink-cpp.fullname" -}}
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

{{/* Labels every resource carries. */}}
{{- define "flink-cpp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "flink-cpp.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: flink-cpp
{{- end }}

{{/* Labels that select the release's pods. */}}
{{- define "flink-cpp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flink-cpp.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels that select one component's pods: call with (list . "jobmanager"). */}}
{{- define "flink-cpp.componentSelectorLabels" -}}
{{ include "flink-cpp.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* The jobmanager's name (its Deployment and Service). */}}
{{- define "flink-cpp.jobmanager" -}}
{{- printf "%s-jobmanager" (include "flink-cpp.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The taskmanagers' name. */}}
{{- define "flink-cpp.taskmanager" -}}
{{- printf "%s-taskmanager" (include "flink-cpp.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "flink-cpp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flink-cpp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The engine image. */}}
{{- define "flink-cpp.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The claim holding checkpoints, savepoints and high-availability data. */}}
{{- define "flink-cpp.claimName" -}}
{{- default (printf "%s-data" (include "flink-cpp.fullname" .)) .Values.storage.existingClaim }}
{{- end }}

{{/* Whether the release runs a job of its own (application mode). */}}
{{- define "flink-cpp.applicationMode" -}}
{{- if or .Values.job.jarURI (include "flink-cpp.sqlJob" .) }}true{{ end }}
{{- end }}

{{/* Whether the job is a SQL script (job.sql or job.sqlConfigMap). */}}
{{- define "flink-cpp.sqlJob" -}}
{{- if or .Values.job.sql .Values.job.sqlConfigMap.name }}true{{ end }}
{{- end }}

{{/* The job and its arguments, as list items of the jobmanager's args. */}}
{{- define "flink-cpp.jobArgs" -}}
{{- if .Values.job.sql }}
- sql
- --script
- {{ .Values.job.sql | quote }}
{{- else if .Values.job.sqlConfigMap.name }}
- sql
- --file
- {{ printf "/opt/flink/sql/%s" .Values.job.sqlConfigMap.key | quote }}
{{- else }}
- {{ .Values.job.jarURI | quote }}
{{- range .Values.job.args }}
- {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* The slots of the whole cluster. */}}
{{- define "flink-cpp.slots" -}}
{{- mul .Values.taskManager.replicas .Values.taskManager.slots }}
{{- end }}

{{/*
What defines the job: an upgrade that changes it restarts the job per
job.upgradeMode. Replicas are not part of it (a rescale keeps the job).
*/}}
{{- define "flink-cpp.jobSpecHash" -}}
{{- $spec := dict "job" (omit .Values.job "state" "upgradeMode") "config" .Values.flinkConfiguration "image" (include "flink-cpp.image" .) "slots" .Values.taskManager.slots }}
{{- toJson $spec | sha256sum | trunc 16 }}
{{- end }}

{{/*
The job's id (32 hex digits). Jobmanagers started again find the job's
checkpoints and savepoints by it; a stateless upgrade gets a new one.
*/}}
{{- define "flink-cpp.jobId" -}}
{{- $seed := printf "%s/%s" .Release.Namespace .Release.Name }}
{{- if eq .Values.job.upgradeMode "stateless" }}
{{- $seed = printf "%s/%s" $seed (include "flink-cpp.jobSpecHash" .) }}
{{- end }}
{{- $seed | sha256sum | trunc 32 }}
{{- end }}

{{/* The REST address of the jobmanager, for the CLI: host:port. */}}
{{- define "flink-cpp.restAddress" -}}
{{- printf "%s:%d" (include "flink-cpp.jobmanager" .) (int .Values.service.restPort) }}
{{- end }}

{{/*
config.yaml: the keys the chart derives, then flinkConfiguration over them.
*/}}
{{- define "flink-cpp.config" -}}
{{- $derived := dict
  "jobmanager.rpc.address" (include "flink-cpp.jobmanager" .)
  "jobmanager.rpc.port" (int .Values.service.rpcPort)
  "jobmanager.bind-host" "0.0.0.0"
  "rest.address" (include "flink-cpp.jobmanager" .)
  "rest.port" (int .Values.service.restPort)
  "rest.bind-address" "0.0.0.0"
  "taskmanager.bind-host" "0.0.0.0"
  "taskmanager.data.port" 6121
  "taskmanager.numberOfTaskSlots" (int .Values.taskManager.slots)
  "execution.checkpointing.dir" "/flink-data/checkpoints"
  "execution.checkpointing.savepoint-dir" "/flink-data/savepoints"
  "state.backend.leveldb.localdir" "/flink-local"
  "web.upload.dir" "/tmp/flink-web-upload"
}}
{{- if .Values.metrics.enabled }}
{{- $_ := set $derived "metrics.reporters" "prom" }}
{{- $_ := set $derived "metrics.reporter.prom.port" (toString .Values.metrics.port) }}
{{- end }}
{{- if .Values.security.tls.internal }}
{{- $_ := set $derived "security.ssl.internal.enabled" true }}
{{- $_ := set $derived "security.ssl.internal.keystore" "/opt/flink/tls/tls-combined.pem" }}
{{- $_ := set $derived "security.ssl.internal.truststore" "/opt/flink/tls/ca.crt" }}
{{- end }}
{{- if .Values.security.tls.rest }}
{{- $_ := set $derived "security.ssl.rest.enabled" true }}
{{- $_ := set $derived "security.ssl.rest.keystore" "/opt/flink/tls/tls-combined.pem" }}
{{- $_ := set $derived "security.ssl.rest.truststore" "/opt/flink/tls/ca.crt" }}
{{- end }}
{{- if .Values.security.restAuthentication.enabled }}
{{- $_ := set $derived "rest.authentication.token-file" "/opt/flink/auth/token" }}
{{- end }}
{{- if include "flink-cpp.applicationMode" . }}
{{- /* The release runs its own job: no uploads of others' code. */}}
{{- $_ := set $derived "web.submit.enable" false }}
{{- $_ := set $derived "high-availability.type" "filesystem" }}
{{- $_ := set $derived "high-availability.storageDir" "/flink-data/ha" }}
{{- /* The jobmanager pod stays when its job ended (Kubernetes would restart it). */}}
{{- $_ := set $derived "execution.shutdown-on-application-finish" false }}
{{- if eq (int .Values.job.parallelism) 0 }}
{{- $_ := set $derived "scheduler-mode" "reactive" }}
{{- end }}
{{- end }}
{{- /* A key the values set under its Flink 1.x name is theirs, not derived. */}}
{{- $older := dict
  "execution.checkpointing.dir" (list "state.checkpoints.dir" "state.backend.fs.checkpointdir")
  "execution.checkpointing.savepoint-dir" (list "state.savepoints.dir" "savepoints.state.backend.fs.dir")
  "high-availability.type" (list "high-availability" "recovery.mode")
  "high-availability.storageDir" (list "high-availability.zookeeper.storageDir")
  "state.backend.leveldb.localdir" (list "state.backend.rocksdb.localdir")
}}
{{- range $key, $names := $older }}
{{- range $names }}
{{- if hasKey $.Values.flinkConfiguration . }}
{{- $_ := unset $derived $key }}
{{- end }}
{{- end }}
{{- end }}
{{- toYaml (merge (deepCopy .Values.flinkConfiguration) $derived) }}
{{- end }}

{{/* Whether the release's pods run: not while job.state is suspended. */}}
{{- define "flink-cpp.running" -}}
{{- if ne .Values.job.state "suspended" }}true{{ end }}
{{- end }}

{{/*
The PodDisruptionBudget API the cluster serves: policy/v1 from Kubernetes
1.21 on (helm template: --kube-version), policy/v1beta1 before.
*/}}
{{- define "flink-cpp.pdbApiVersion" -}}
{{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.Version }}policy/v1{{ else }}policy/v1beta1{{ end }}
{{- end }}

{{/* Whether any TLS is on (the pods then mount the TLS Secret). */}}
{{- define "flink-cpp.tls" -}}
{{- if or .Values.security.tls.internal .Values.security.tls.rest }}true{{ end }}
{{- end }}

{{/* The Secret with the pods' CA and key material. */}}
{{- define "flink-cpp.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "flink-cpp.fullname" .)) .Values.security.tls.existingSecret }}
{{- end }}

{{/* The Secret with the REST token. */}}
{{- define "flink-cpp.tokenSecretName" -}}
{{- default (printf "%s-rest-token" (include "flink-cpp.fullname" .)) .Values.security.restAuthentication.existingSecret }}
{{- end }}

{{/* http or https: how the REST API is reached. */}}
{{- define "flink-cpp.restScheme" -}}
{{- if .Values.security.tls.rest }}https{{ else }}http{{ end }}
{{- end }}

{{/* The volumes a pod running the CLI needs: config, /tmp, and the TLS and token Secrets. */}}
{{- define "flink-cpp.clientVolumes" -}}
- name: config
  configMap:
    name: {{ include "flink-cpp.fullname" . }}-config
- name: tmp
  emptyDir: {}
{{- if include "flink-cpp.tls" . }}
- name: tls
  secret:
    secretName: {{ include "flink-cpp.tlsSecretName" . }}
    defaultMode: 0440
{{- end }}
{{- if .Values.security.restAuthentication.enabled }}
- name: rest-token
  secret:
    secretName: {{ include "flink-cpp.tokenSecretName" . }}
    defaultMode: 0440
{{- end }}
{{- end }}

{{/* The mounts of those volumes (Flink's image's folders). */}}
{{- define "flink-cpp.clientMounts" -}}
- name: config
  mountPath: /opt/flink/conf
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- if include "flink-cpp.tls" . }}
- name: tls
  mountPath: /opt/flink/tls
  readOnly: true
{{- end }}
{{- if .Values.security.restAuthentication.enabled }}
- name: rest-token
  mountPath: /opt/flink/auth
  readOnly: true
{{- end }}
{{- end }}

{{/* The volumes every pod of the cluster and its hooks mount: the client's, data and log. */}}
{{- define "flink-cpp.commonVolumes" -}}
{{ include "flink-cpp.clientVolumes" . }}
{{- with .Values.job.sqlConfigMap.name }}
- name: sql-script
  configMap:
    name: {{ . }}
{{- end }}
- name: data
  {{- if .Values.storage.persistence }}
  persistentVolumeClaim:
    claimName: {{ include "flink-cpp.claimName" . }}
  {{- else }}
  emptyDir: {}
  {{- end }}
- name: log
  emptyDir: {}
{{- end }}

{{/* The mounts of those volumes. */}}
{{- define "flink-cpp.commonMounts" -}}
{{ include "flink-cpp.clientMounts" . }}
{{- if .Values.job.sqlConfigMap.name }}
- name: sql-script
  mountPath: /opt/flink/sql
  readOnly: true
{{- end }}
- name: data
  mountPath: /flink-data
- name: log
  mountPath: /opt/flink/log
{{- end }}

{{/* The checks every release must pass that the schema cannot express. */}}
{{- define "flink-cpp.validate" -}}
{{- $slots := int (include "flink-cpp.slots" .) }}
{{- if gt (int .Values.job.parallelism) $slots }}
{{- fail (printf "job.parallelism (%d) is above the cluster's slots: taskManager.replicas (%d) x taskManager.slots (%d) = %d; lower job.parallelism or add taskmanagers" (int .Values.job.parallelism) (int .Values.taskManager.replicas) (int .Values.taskManager.slots) $slots) }}
{{- end }}
{{- if and (include "flink-cpp.sqlJob" .) .Values.job.jarURI (ne .Values.job.jarURI "sql") }}
{{- fail (printf "job.sql / job.sqlConfigMap run a SQL script, but job.jarURI names the job %q: set one of them" .Values.job.jarURI) }}
{{- end }}
{{- if and .Values.job.sql .Values.job.sqlConfigMap.name }}
{{- fail "job.sql and job.sqlConfigMap both give the SQL script: set one of them" }}
{{- end }}
{{- if and (include "flink-cpp.sqlJob" .) .Values.job.args }}
{{- fail "job.args are a built-in job's arguments: a SQL script (job.sql, job.sqlConfigMap) takes none" }}
{{- end }}
{{- if and .Values.sessionJob.enabled (include "flink-cpp.applicationMode" .) }}
{{- fail "sessionJob.enabled submits to a session cluster, but job.jarURI makes this release run its own job (application mode): set one of them" }}
{{- end }}
{{- end }}
