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
