{{/* Chart name, possibly overridden. */}}
{{- define "bureau-hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-scoped base name; per-service objects are "<fullname>-<service>". */}}
{{- define "bureau-hub.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "bureau-hub.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "bureau-hub.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Name of one service's objects. Call with (dict "root" $ "name" "gateway"). */}}
{{- define "bureau-hub.componentName" -}}
{{- printf "%s-%s" (include "bureau-hub.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every pod of this release carries: the NetworkPolicies use them. */}}
{{- define "bureau-hub.releaseSelector" -}}
app.kubernetes.io/name: {{ include "bureau-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels. Call with the root context. */}}
{{- define "bureau-hub.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "bureau-hub.releaseSelector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bureau-hub
{{- end }}

{{/* Selector labels of one service. Call with (dict "root" $ "name" "gateway"). */}}
{{- define "bureau-hub.selectorLabels" -}}
{{ include "bureau-hub.releaseSelector" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* All labels of one service's objects. Call with (dict "root" $ "name" "gateway"). */}}
{{- define "bureau-hub.componentLabels" -}}
{{ include "bureau-hub.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
One service's effective settings: serviceDefaults deep-merged with services.<name>, as YAML.
Use: {{- $svc := include "bureau-hub.service" (dict "root" $ "name" $name) | fromYaml }}
*/}}
{{- define "bureau-hub.service" -}}
{{- $own := index .root.Values.services .name }}
{{- $merged := include "bureau-hub.merge" (dict "base" .root.Values.serviceDefaults "over" $own) | fromYaml }}
{{- $ports := list (dict "name" "http" "port" (int $own.port)) }}
{{- if and (eq .name "gateway") .root.Values.ingress.passthrough.enabled }}
{{- $ports = append $ports (dict "name" "mtls" "port" (int .root.Values.ingress.passthrough.port)) }}
{{- end }}
{{- $_ := set $merged "ports" $ports }}
{{- toYaml $merged }}
{{- end }}

{{/*
Deep merge of two maps, "over" winning: unlike sprig's merge functions, a false or 0 in "over"
does override a default.
*/}}
{{- define "bureau-hub.merge" -}}
{{- $out := deepCopy .base }}
{{- range $k, $v := .over }}
{{- if and (kindIs "map" $v) (kindIs "map" (index $out $k)) }}
{{- $_ := set $out $k (include "bureau-hub.merge" (dict "base" (index $out $k) "over" $v) | fromYaml) }}
{{- else }}
{{- $_ := set $out $k $v }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* Names of the enabled services, as a YAML list (sorted, so output is stable). */}}
{{- define "bureau-hub.enabledServices" -}}
{{- $names := list }}
{{- range $name, $svc := .Values.services }}
{{- if $svc.enabled }}{{ $names = append $names $name }}{{ end }}
{{- end }}
{{- toYaml (sortAlpha $names) }}
{{- end }}

{{/* Image reference of one service. Call with (dict "root" $ "svc" $svc). */}}
{{- define "bureau-hub.image" -}}
{{- $tag := .svc.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- $registry := .svc.image.registry | default .root.Values.image.registry }}
{{- printf "%s/%s:%s" $registry .svc.image.repository $tag }}
{{- end }}

{{- define "bureau-hub.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "bureau-hub.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Secret names: the operator's own Secret when existingSecret is set, the chart's otherwise. */}}
{{- define "bureau-hub.rabbitmqSecret" -}}
{{- .Values.rabbitmq.auth.existingSecret | default (printf "%s-rabbitmq" (include "bureau-hub.fullname" .)) }}
{{- end }}
{{- define "bureau-hub.databaseSecret" -}}
{{- .Values.database.auth.existingSecret | default (printf "%s-database" (include "bureau-hub.fullname" .)) }}
{{- end }}
{{- define "bureau-hub.redisSecret" -}}
{{- .Values.redis.auth.existingSecret | default (printf "%s-redis" (include "bureau-hub.fullname" .)) }}
{{- end }}
{{- define "bureau-hub.oauth2Secret" -}}
{{- .Values.oauth2.existingSecret | default (printf "%s-oauth2" (include "bureau-hub.fullname" .)) }}
{{- end }}
{{- define "bureau-hub.serviceClientSecret" -}}
{{- .Values.oauth2.serviceClient.existingSecret | default (printf "%s-service-client" (include "bureau-hub.fullname" .)) }}
{{- end }}

{{/* The issuer the services trust: the in-release token issuer when enabled, else the external one. */}}
{{- define "bureau-hub.issuerUri" -}}
{{- $issuer := index .Values.services "token-issuer" }}
{{- if $issuer.enabled }}
{{- printf "http://%s:%d" (include "bureau-hub.componentName" (dict "root" . "name" "token-issuer")) (int $issuer.port) }}
{{- else }}
{{- required "oauth2.issuerUri is required when the token issuer is disabled" .Values.oauth2.issuerUri }}
{{- end }}
{{- end }}

{{/* Does the adapters' file exchange need a shared (ReadWriteMany) volume? */}}
{{- define "bureau-hub.fileExchangeVolume" -}}
{{- if and (index .Values.services "bureau-adapters").enabled (eq .Values.fileExchange.mode "volume") }}true{{ end }}
{{- end }}

{{/* One env entry read from a Secret. Call with (dict "env" NAME "secret" SECRET "key" KEY). */}}
{{- define "bureau-hub.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end }}

{{/* Base URL of one of the release's services inside the cluster. Call with (dict "root" $ "name" "task-service"). */}}
{{- define "bureau-hub.serviceUrl" -}}
{{- printf "http://%s:%d" (include "bureau-hub.componentName" .) (int (index .root.Values.services .name).port) }}
{{- end }}

{{/*
The plain (non-secret) environment of one service, as a YAML map. Only variables the service reads:
  every service        HUB_ISSUER_URI
  rabbitmq in egressTo HUB_RABBITMQ_HOST/_PORT/_VHOST, HUB_QUEUE_TYPE (+ SPRING_RABBITMQ_SSL_ENABLED)
  database in egressTo HUB_DATABASE_URL (the service's own database)
  gateway              HUB_TASK_SERVICE_URL, HUB_BUREAU_ADAPTERS_URL, HUB_REPORTING_SERVICE_URL, HUB_CORS_ALLOWED_ORIGINS
  bureau-adapters      HUB_TASK_SERVICE_URL, HUB_BUREAU_REGISTRY, HUB_MESSAGELOG_*, HUB_INBOUND_PARKED_DIR,
                       HUB_OUTBOUND_ALLOWED_NETWORKS (= networkPolicy.bureauEndpoints' CIDRs)
  reporting-service    HUB_TASK_SERVICE_URL
  task-service, reporting-service  HUB_CALENDAR_FILE (when calendar.configMap is set)
  token-issuer         HUB_ISSUER_DATA_DIR, HUB_GATEWAY_URL
Call with (dict "root" $ "name" "gateway").
*/}}
{{- define "bureau-hub.settings" -}}
{{- $v := .root.Values }}
{{- $svc := include "bureau-hub.service" . | fromYaml }}
{{- $needs := $svc.egressTo | default list }}
{{- $publicUrl := printf "http%s://%s" (ternary "s" "" $v.ingress.tls.enabled) $v.ingress.host }}
{{- $out := dict "HUB_ISSUER_URI" (include "bureau-hub.issuerUri" .root) }}
{{- if has "rabbitmq" $needs }}
{{- $_ := set $out "HUB_RABBITMQ_HOST" $v.rabbitmq.host }}
{{- $_ := set $out "HUB_RABBITMQ_PORT" (toString $v.rabbitmq.port) }}
{{- $_ := set $out "HUB_RABBITMQ_VHOST" $v.rabbitmq.vhost }}
{{- $_ := set $out "HUB_QUEUE_TYPE" $v.rabbitmq.queueType }}
{{- /* no HUB_ variable for AMQPS: Spring Boot's own property, bound from the environment */}}
{{- $_ := set $out "SPRING_RABBITMQ_SSL_ENABLED" (toString $v.rabbitmq.tls) }}
{{- end }}
{{- if has "database" $needs }}
{{- $db := required (printf "database.names.%s is required" .name) (index $v.database.names .name) }}
{{- $_ := set $out "HUB_DATABASE_URL" (printf "jdbc:postgresql://%s:%d/%s?sslmode=%s" $v.database.host (int $v.database.port) $db $v.database.sslMode) }}
{{- end }}
{{- $services := $v.services }}
{{- if and (has .name (list "gateway" "bureau-adapters" "reporting-service")) (index $services "task-service").enabled }}
{{- $_ := set $out "HUB_TASK_SERVICE_URL" (include "bureau-hub.serviceUrl" (dict "root" .root "name" "task-service")) }}
{{- end }}
{{- if eq .name "gateway" }}
{{- if (index $services "bureau-adapters").enabled }}
{{- $_ := set $out "HUB_BUREAU_ADAPTERS_URL" (include "bureau-hub.serviceUrl" (dict "root" .root "name" "bureau-adapters")) }}
{{- end }}
{{- if (index $services "reporting-service").enabled }}
{{- $_ := set $out "HUB_REPORTING_SERVICE_URL" (include "bureau-hub.serviceUrl" (dict "root" .root "name" "reporting-service")) }}
{{- end }}
{{- if $v.ingress.enabled }}
{{- $_ := set $out "HUB_CORS_ALLOWED_ORIGINS" $publicUrl }}
{{- end }}
{{- end }}
{{- if eq .name "bureau-adapters" }}
{{- $_ := set $out "HUB_BUREAU_REGISTRY" (ternary "/config/bureaus.yaml,/etc/hub/bureau-credentials/bureau-credentials.yaml" "/config/bureaus.yaml" (ne $v.bureaus.credentialsSecret "")) }}
{{- $_ := set $out "HUB_MESSAGELOG_CHECKPOINT_FILE" (printf "%s/checkpoints.log" $v.messageLog.mountPath) }}
{{- $_ := set $out "HUB_MESSAGELOG_ARCHIVE_DIR" (printf "%s/archive" $v.messageLog.mountPath) }}
{{- $_ := set $out "HUB_MESSAGELOG_RETENTION" $v.messageLog.retention }}
{{- /* parked bureau answers are evidence too: on the same volume, not the read-only root */}}
{{- $_ := set $out "HUB_INBOUND_PARKED_DIR" (printf "%s/parked-answers" $v.messageLog.mountPath) }}
{{- /* the adapters' SSRF guard allows exactly the ranges the NetworkPolicy lets them reach */}}
{{- $cidrs := list }}
{{- range $v.networkPolicy.bureauEndpoints }}{{ $cidrs = append $cidrs .cidr }}{{ end }}
{{- $_ := set $out "HUB_OUTBOUND_ALLOWED_NETWORKS" (join "," (uniq $cidrs)) }}
{{- end }}
{{- if and (has .name (list "task-service" "reporting-service")) $v.calendar.configMap }}
{{- $_ := set $out "HUB_CALENDAR_FILE" "/etc/hub/calendar/working-days.yaml" }}
{{- end }}
{{- if eq .name "token-issuer" }}
{{- /* the signing key is regenerated when the pod restarts: test clusters only */}}
{{- $_ := set $out "HUB_ISSUER_DATA_DIR" "/tmp/token-issuer" }}
{{- if $v.ingress.enabled }}
{{- $_ := set $out "HUB_GATEWAY_URL" $publicUrl }}
{{- end }}
{{- end }}
{{- if ne .name "token-issuer" }}
{{- /* prod profile: no developer defaults for endpoints and secrets (docs/conventions.md) */}}
{{- $_ := set $out "SPRING_PROFILES_ACTIVE" "prod" }}
{{- end }}
{{- /* Spring Boot: drain in-flight work on SIGTERM, expose the probe groups and metrics */}}
{{- $_ := set $out "SERVER_SHUTDOWN" "graceful" }}
{{- $_ := set $out "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED" "true" }}
{{- $_ := set $out "MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE" "health,info,prometheus" }}
{{- toYaml $out }}
{{- end }}
