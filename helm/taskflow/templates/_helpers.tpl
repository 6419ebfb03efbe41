{{/* ---------------------------------------------------------------------------------------------
  Naming, labels, images
--------------------------------------------------------------------------------------------- */}}

{{/* Namespace of every object: global.namespace, else the release namespace. */}}
{{- define "taskflow.namespace" -}}
{{- .Values.global.namespace | default .Release.Namespace -}}
{{- end -}}

{{- define "taskflow.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Common labels. Call with (dict "ctx" $ "component" "sso" "name" "sso-platform"). */}}
{{- define "taskflow.labels" -}}
helm.sh/chart: {{ include "taskflow.chart" .ctx }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: taskflow
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end -}}

{{/* Selector labels (stable across upgrades). Same arguments as taskflow.labels. */}}
{{- define "taskflow.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "taskflow.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default "taskflow" -}}
{{- end -}}

{{/* Image reference. Call with (dict "ctx" $ "image" .Values.sso.image). */}}
{{- define "taskflow.image" -}}
{{- $registry := .ctx.Values.global.imageRegistry -}}
{{- $repo := .image.repository -}}
{{- if $registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $registry) $repo }}{{ end -}}
{{- $tag := .image.tag | default .ctx.Chart.AppVersion | toString -}}
{{- if .image.digest -}}
{{- printf "%s:%s@%s" $repo $tag .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo $tag -}}
{{- end -}}
{{- end -}}

{{- define "taskflow.utilityImage" -}}
{{- include "taskflow.image" (dict "ctx" . "image" (dict "repository" .Values.utilityImage.repository "tag" .Values.utilityImage.tag "digest" "")) -}}
{{- end -}}

{{- define "taskflow.postgresImage" -}}
{{- include "taskflow.image" (dict "ctx" . "image" (dict "repository" .Values.postgresImage.repository "tag" .Values.postgresImage.tag "digest" "")) -}}
{{- end -}}

{{- define "taskflow.isProduction" -}}
{{- if eq .Values.global.environment "production" }}true{{ end -}}
{{- end -}}

{{/* The workspace folder of a service key (run-migrations: npm run migrate -w apps/<folder>). */}}
{{- define "taskflow.workspace" -}}
{{- get (dict "sso" "apps/sso" "api" "apps/api" "web" "apps/web" "mcp" "apps/mcp-server") . -}}
{{- end -}}

{{/* ---------------------------------------------------------------------------------------------
  Databases
--------------------------------------------------------------------------------------------- */}}

{{/* "true" when the service key (sso | api) uses the in-cluster PostgreSQL StatefulSet. */}}
{{- define "taskflow.db.inCluster" -}}
{{- $v := index .ctx.Values .svc -}}
{{- if and $v.postgresql.enabled (not $v.database.url) }}true{{ end -}}
{{- end -}}

{{/* host:port the wait-for-db init container waits for. Call with (dict "ctx" $ "svc" "sso"). */}}
{{- define "taskflow.db.hostPort" -}}
{{- $v := index .ctx.Values .svc -}}
{{- if $v.database.host -}}
{{- printf "%s %v" $v.database.host $v.database.port -}}
{{- else if include "taskflow.db.inCluster" . -}}
{{- printf "%s.%s.svc 5432" $v.postgresql.name (include "taskflow.namespace" .ctx) -}}
{{- else if $v.database.url -}}
{{- $host := (urlParse $v.database.url).host -}}
{{- $port := regexFind ":[0-9]+$" $host | trimPrefix ":" | default "5432" -}}
{{- printf "%s %s" (regexReplaceAll ":[0-9]+$" $host "") $port -}}
{{- else -}}
{{- fail (printf "%s: postgresql.enabled is false and database.url is empty: set %s.database.url, or DATABASE_URL in %s.existingSecret together with %s.database.host" .svc .svc .svc .svc) -}}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------------------------------------
  Environment (docs/service-contract.md). Each helper renders the NON-secret variables of one
  service as a YAML map; configmap.yaml writes them, empty values left out. Secret variables are
  listed by taskflow.secretKeys.<svc> and live only in Secrets (secrets.yaml).
--------------------------------------------------------------------------------------------- */}}

{{- define "taskflow.internalUrl" -}}
{{- $v := index .ctx.Values .svc -}}
{{- printf "http://%s.%s.svc:%v" $v.name (include "taskflow.namespace" .ctx) $v.service.port -}}
{{- end -}}

{{- define "taskflow.env.sso" -}}
{{- $g := .Values.global -}}
{{- $v := .Values.sso -}}
{{- $e := $v.env -}}
NODE_ENV: {{ $e.NODE_ENV | quote }}
LOG_LEVEL: {{ $e.LOG_LEVEL | default $g.logLevel | quote }}
PORT: {{ $v.service.targetPort | toString | quote }}
HOST: {{ $e.HOST | quote }}
BETTER_AUTH_URL: {{ $e.BETTER_AUTH_URL | default $g.publicUrls.sso | quote }}
ALLOWED_ORIGINS: {{ $e.ALLOWED_ORIGINS | default $g.publicUrls.web | quote }}
ALLOWED_HOSTS: {{ $e.ALLOWED_HOSTS | default (include "taskflow.allowedHosts" (dict "ctx" . "svc" "sso" "public" $g.publicUrls.sso)) | quote }}
ADMIN_EMAIL: {{ $e.ADMIN_EMAIL | quote }}
DASHBOARD_CLIENT_ID: {{ $e.DASHBOARD_CLIENT_ID | default $g.dashboardClient.id | quote }}
DASHBOARD_REDIRECT_URIS: {{ $e.DASHBOARD_REDIRECT_URIS | default (printf "%s/api/auth/callback" (trimSuffix "/" $g.publicUrls.web)) | quote }}
API_AUDIENCE: {{ $e.API_AUDIENCE | default $g.publicUrls.api | quote }}
MCP_RESOURCE_URL: {{ $e.MCP_RESOURCE_URL | default $g.publicUrls.mcp | quote }}
EXTRA_OAUTH_CLIENTS: {{ $e.EXTRA_OAUTH_CLIENTS | quote }}
REQUIRE_EMAIL_VERIFICATION: {{ $e.REQUIRE_EMAIL_VERIFICATION | toString | quote }}
SHUTDOWN_DELAY_SECONDS: {{ $e.SHUTDOWN_DELAY_SECONDS | toString | quote }}
TRUST_PROXY: {{ ternary (toString $e.TRUST_PROXY) (ternary "1" "false" $v.ingress.enabled) (ne (toString $e.TRUST_PROXY) "") | quote }}
TASKFLOW_DATA_DIR: {{ $e.TASKFLOW_DATA_DIR | quote }}
{{- if $v.smtp.enabled }}
SMTP_HOST: {{ $v.smtp.host | quote }}
SMTP_PORT: {{ $v.smtp.port | toString | quote }}
SMTP_USER: {{ $v.smtp.user | quote }}
SMTP_SECURE: {{ $v.smtp.secure | toString | quote }}
EMAIL_FROM: {{ $v.smtp.from | quote }}
{{- end }}
{{- end -}}

{{- define "taskflow.env.api" -}}
{{- $g := .Values.global -}}
{{- $v := .Values.api -}}
{{- $e := $v.env -}}
NODE_ENV: {{ $e.NODE_ENV | quote }}
LOG_LEVEL: {{ $e.LOG_LEVEL | default $g.logLevel | quote }}
PORT: {{ $v.service.targetPort | toString | quote }}
HOST: {{ $e.HOST | quote }}
SSO_ISSUER: {{ $e.SSO_ISSUER | default $g.publicUrls.sso | quote }}
SSO_JWKS_URL: {{ $e.SSO_JWKS_URL | default (printf "%s/api/auth/jwks" (include "taskflow.internalUrl" (dict "ctx" . "svc" "sso"))) | quote }}
API_AUDIENCE: {{ $e.API_AUDIENCE | default $g.publicUrls.api | quote }}
ALLOWED_ORIGINS: {{ $e.ALLOWED_ORIGINS | default $g.publicUrls.web | quote }}
ALLOWED_HOSTS: {{ $e.ALLOWED_HOSTS | default (include "taskflow.allowedHosts" (dict "ctx" . "svc" "api" "public" $g.publicUrls.api)) | quote }}
DASHBOARD_CLIENT_ID: {{ $e.DASHBOARD_CLIENT_ID | default $g.dashboardClient.id | quote }}
MIGRATE_ON_START: {{ $e.MIGRATE_ON_START | quote }}
LEASE_SECONDS: {{ $e.LEASE_SECONDS | toString | quote }}
RUN_STALE_SECONDS: {{ $e.RUN_STALE_SECONDS | toString | quote }}
DATABASE_PREPARED_STATEMENTS: {{ $e.DATABASE_PREPARED_STATEMENTS | toString | quote }}
DELEGATION_MAX_DEPTH: {{ $e.DELEGATION_MAX_DEPTH | toString | quote }}
SSO_REVOCATION_POLL_SECONDS: {{ $e.SSO_REVOCATION_POLL_SECONDS | toString | quote }}
SHUTDOWN_DELAY_SECONDS: {{ $e.SHUTDOWN_DELAY_SECONDS | toString | quote }}
WEBHOOK_ALLOW_PRIVATE_TARGETS: {{ $e.WEBHOOK_ALLOW_PRIVATE_TARGETS | toString | quote }}
TRUST_PROXY: {{ ternary (toString $e.TRUST_PROXY) (ternary "1" "false" $v.ingress.enabled) (ne (toString $e.TRUST_PROXY) "") | quote }}
RATE_LIMIT_WINDOW_SECONDS: {{ $e.RATE_LIMIT_WINDOW_SECONDS | toString | quote }}
RATE_LIMIT_PER_ADDRESS: {{ $e.RATE_LIMIT_PER_ADDRESS | toString | quote }}
RATE_LIMIT_PER_CALLER: {{ $e.RATE_LIMIT_PER_CALLER | toString | quote }}
RATE_LIMIT_SYNC_MS: {{ $e.RATE_LIMIT_SYNC_MS | toString | quote }}
HEADERS_TIMEOUT_SECONDS: {{ $e.HEADERS_TIMEOUT_SECONDS | toString | quote }}
REQUEST_TIMEOUT_SECONDS: {{ $e.REQUEST_TIMEOUT_SECONDS | toString | quote }}
KEEP_ALIVE_TIMEOUT_SECONDS: {{ $e.KEEP_ALIVE_TIMEOUT_SECONDS | toString | quote }}
TASKFLOW_DATA_DIR: {{ $e.TASKFLOW_DATA_DIR | quote }}
PUBLIC_URL: {{ $e.PUBLIC_URL | default $g.publicUrls.api | quote }}
DASHBOARD_URL: {{ $e.DASHBOARD_URL | default $g.publicUrls.web | quote }}
NOTIFICATION_DIGEST_HOUR: {{ $e.NOTIFICATION_DIGEST_HOUR | toString | quote }}
NOTIFICATION_TICK_SECONDS: {{ $e.NOTIFICATION_TICK_SECONDS | toString | quote }}
{{- /* Notification mail leaves through the same SMTP server as the SSO's mail (sso.smtp). */ -}}
{{- $smtp := .Values.sso.smtp }}
{{- if $smtp.enabled }}
SMTP_HOST: {{ $smtp.host | quote }}
SMTP_PORT: {{ $smtp.port | toString | quote }}
SMTP_USER: {{ $smtp.user | quote }}
SMTP_SECURE: {{ $smtp.secure | toString | quote }}
EMAIL_FROM: {{ $smtp.from | quote }}
{{- end }}
{{- end -}}

{{- define "taskflow.env.web" -}}
{{- $g := .Values.global -}}
{{- $v := .Values.web -}}
{{- $e := $v.env -}}
NODE_ENV: {{ $e.NODE_ENV | quote }}
LOG_LEVEL: {{ $e.LOG_LEVEL | default $g.logLevel | quote }}
PORT: {{ $v.service.targetPort | toString | quote }}
HOST: {{ $e.HOST | quote }}
PUBLIC_URL: {{ $e.PUBLIC_URL | default $g.publicUrls.web | quote }}
SSO_ISSUER: {{ $e.SSO_ISSUER | default $g.publicUrls.sso | quote }}
SSO_INTERNAL_URL: {{ $e.SSO_INTERNAL_URL | default (include "taskflow.internalUrl" (dict "ctx" . "svc" "sso")) | quote }}
API_URL: {{ $e.API_URL | default (include "taskflow.internalUrl" (dict "ctx" . "svc" "api")) | quote }}
API_AUDIENCE: {{ $e.API_AUDIENCE | default $g.publicUrls.api | quote }}
MCP_PUBLIC_URL: {{ $e.MCP_PUBLIC_URL | default $g.publicUrls.mcp | quote }}
DASHBOARD_CLIENT_ID: {{ $e.DASHBOARD_CLIENT_ID | default $g.dashboardClient.id | quote }}
{{- end -}}

{{/*
  The Host names a service answers to by default (its DNS-rebinding guard), for ctx, svc and public (its public
  URL): localhost for port-forward, every name a client in the cluster may use for its Service (the short name,
  `.<namespace>`, `.svc` and the fully qualified `.svc.<clusterDomain>`, each with the Service port, bare too when
  that port is 80), and the public host. The SSO and the API serve IP addresses and localhost anyway; the MCP
  server's SDK guard needs them listed.
*/}}
{{- define "taskflow.allowedHosts" -}}
{{- $v := index .ctx.Values .svc -}}
{{- $ns := include "taskflow.namespace" .ctx -}}
{{- $port := int $v.service.port -}}
{{- $hosts := list "localhost" (printf "localhost:%v" $v.service.targetPort) (printf "127.0.0.1:%v" $v.service.targetPort) $v.name -}}
{{- range $name := list $v.name (printf "%s.%s" $v.name $ns) (printf "%s.%s.svc" $v.name $ns) (printf "%s.%s.svc.%s" $v.name $ns $.ctx.Values.global.clusterDomain) -}}
{{- $hosts = append $hosts (printf "%s:%d" $name $port) -}}
{{- if eq $port 80 }}{{ $hosts = append $hosts $name }}{{ end -}}
{{- end -}}
{{- $hosts = append $hosts (urlParse .public).host -}}
{{- uniq $hosts | join "," -}}
{{- end -}}

{{- define "taskflow.env.mcp" -}}
{{- $g := .Values.global -}}
{{- $v := .Values.mcp -}}
{{- $e := $v.env -}}
NODE_ENV: {{ $e.NODE_ENV | quote }}
LOG_LEVEL: {{ $e.LOG_LEVEL | default $g.logLevel | quote }}
PORT: {{ $v.service.targetPort | toString | quote }}
HOST: {{ $e.HOST | quote }}
SSO_ISSUER: {{ $e.SSO_ISSUER | default $g.publicUrls.sso | quote }}
SSO_JWKS_URL: {{ $e.SSO_JWKS_URL | default (printf "%s/api/auth/jwks" (include "taskflow.internalUrl" (dict "ctx" . "svc" "sso"))) | quote }}
MCP_RESOURCE_URL: {{ $e.MCP_RESOURCE_URL | default $g.publicUrls.mcp | quote }}
LEASE_SECONDS: {{ .Values.api.env.LEASE_SECONDS | toString | quote }}
DELEGATION_MAX_DEPTH: {{ .Values.api.env.DELEGATION_MAX_DEPTH | toString | quote }}
SSO_REVOCATION_POLL_SECONDS: {{ .Values.api.env.SSO_REVOCATION_POLL_SECONDS | toString | quote }}
DATABASE_PREPARED_STATEMENTS: {{ .Values.api.env.DATABASE_PREPARED_STATEMENTS | toString | quote }}
SHUTDOWN_DELAY_SECONDS: {{ $e.SHUTDOWN_DELAY_SECONDS | toString | quote }}
TRUST_PROXY: {{ ternary (toString $e.TRUST_PROXY) (ternary "1" "false" $v.ingress.enabled) (ne (toString $e.TRUST_PROXY) "") | quote }}
RATE_LIMIT_WINDOW_SECONDS: {{ $e.RATE_LIMIT_WINDOW_SECONDS | toString | quote }}
RATE_LIMIT_PER_ADDRESS: {{ $e.RATE_LIMIT_PER_ADDRESS | toString | quote }}
RATE_LIMIT_PER_CALLER: {{ $e.RATE_LIMIT_PER_CALLER | toString | quote }}
RATE_LIMIT_SYNC_MS: {{ $e.RATE_LIMIT_SYNC_MS | toString | quote }}
HEADERS_TIMEOUT_SECONDS: {{ $e.HEADERS_TIMEOUT_SECONDS | toString | quote }}
REQUEST_TIMEOUT_SECONDS: {{ $e.REQUEST_TIMEOUT_SECONDS | toString | quote }}
KEEP_ALIVE_TIMEOUT_SECONDS: {{ $e.KEEP_ALIVE_TIMEOUT_SECONDS | toString | quote }}
LISTENS_PER_CALLER: {{ $e.LISTENS_PER_CALLER | toString | quote }}
ALLOWED_HOSTS: {{ $e.ALLOWED_HOSTS | default (include "taskflow.allowedHosts" (dict "ctx" . "svc" "mcp" "public" $g.publicUrls.mcp)) | quote }}
ALLOWED_ORIGINS: {{ $e.ALLOWED_ORIGINS | default $g.publicUrls.web | quote }}
TASKFLOW_DATA_DIR: {{ $e.TASKFLOW_DATA_DIR | quote }}
{{- end -}}

{{/* Names of the secret variables a service reads (each from its Secret), one per line. */}}
{{- define "taskflow.secretKeys" -}}
{{- $v := index .ctx.Values .svc -}}
{{- if eq .svc "sso" -}}
BETTER_AUTH_SECRET
DATABASE_URL
DASHBOARD_CLIENT_SECRET
{{- if $v.env.ADMIN_EMAIL }}
ADMIN_PASSWORD
{{- end }}
{{- if and $v.smtp.enabled $v.smtp.user }}
SMTP_PASS
{{- end }}
{{- else if eq .svc "api" -}}
DATABASE_URL
NOTIFICATION_SECRET
{{- if and .ctx.Values.sso.smtp.enabled .ctx.Values.sso.smtp.user }}
SMTP_PASS
{{- end }}
{{- else if eq .svc "web" -}}
DASHBOARD_CLIENT_SECRET
SESSION_SECRET
{{- else if eq .svc "mcp" -}}
DATABASE_URL
{{- end -}}
{{- end -}}

{{/* Name of the Secret a service reads its secret variables from. */}}
{{- define "taskflow.secretName" -}}
{{- $v := index .ctx.Values .svc -}}
{{- $v.existingSecret | default (printf "%s-secret" $v.name) -}}
{{- end -}}

{{/* Name of the Secret holding POSTGRES_PASSWORD of a service's in-cluster database. */}}
{{- define "taskflow.postgresSecretName" -}}
{{- $v := index .ctx.Values .svc -}}
{{- $v.postgresql.existingSecret | default (printf "%s-secret" $v.postgresql.name) -}}
{{- end -}}

{{/* ---------------------------------------------------------------------------------------------
  Secret values. taskflow.secretValue returns the value of one secret key:
    1. the value given in values (refused in production when it is a known default or too short);
    2. else the value already stored in the cluster's Secret (kept across upgrades, via lookup);
    3. else, in development, a random value generated now (then kept by 2 on later upgrades);
    4. else (production) fail with a message naming the value to set.
  Call with (dict "ctx" $ "value" V "secret" NAME "key" KEY "path" "sso.env.BETTER_AUTH_SECRET" "min" 32)
--------------------------------------------------------------------------------------------- */}}
{{- define "taskflow.secretValue" -}}
{{- $ctx := .ctx -}}
{{- $prod := include "taskflow.isProduction" $ctx -}}
{{- $min := .min | default 16 | int -}}
{{- $weak := list "changeme" "change-me" "changeit" "password" "secret" "admin" "postgres" "taskflow" "test" "dev" "development" "default" -}}
{{- if .value -}}
{{- $val := toString .value -}}
{{- if and $prod (or (has (lower $val) $weak) (lt (len $val) $min)) -}}
{{- fail (printf "global.environment=production refuses %s: it is a default or weak value (use %d or more random characters, or an existingSecret)" .path $min) -}}
{{- end -}}
{{- $val -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" (include "taskflow.namespace" $ctx) .secret -}}
{{- $stored := "" -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- $stored = index $existing.data .key | b64dec -}}
{{- end -}}
{{- if $stored -}}
{{- $stored -}}
{{- else if $prod -}}
{{- fail (printf "global.environment=production requires %s: set it (--set %s=...) or use an existingSecret; no default secrets are accepted in production" .path .path) -}}
{{- else -}}
{{- randAlphaNum (max $min 32 | int) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* postgres://user:password@host:5432/db of an in-cluster database, password URL-encoded. */}}
{{- define "taskflow.db.url" -}}
{{- $v := index .ctx.Values .svc -}}
{{- printf "postgres://%s:%s@%s.%s.svc:5432/%s" $v.postgresql.username (.password | urlquery | replace "+" "%20") $v.postgresql.name (include "taskflow.namespace" .ctx) $v.postgresql.database -}}
{{- end -}}

{{/* ---------------------------------------------------------------------------------------------
  Pod building blocks
--------------------------------------------------------------------------------------------- */}}

{{- define "taskflow.podSecurityContext" -}}
{{- toYaml .Values.global.podSecurityContext -}}
{{- end -}}

{{- define "taskflow.containerSecurityContext" -}}
{{- toYaml .Values.global.containerSecurityContext -}}
{{- end -}}

{{/* Preferred anti-affinity spreading a component's replicas over nodes (unless affinity is set). */}}
{{- define "taskflow.affinity" -}}
{{- $v := index .ctx.Values .svc -}}
{{- if $v.affinity -}}
{{- toYaml $v.affinity -}}
{{- else -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "taskflow.selectorLabels" (dict "ctx" .ctx "name" $v.name "component" .svc) | nindent 12 }}
{{- end -}}
{{- end -}}

{{/* The wait-for-db init container. Call with (dict "ctx" $ "svc" "sso" "db" "sso"). */}}
{{- define "taskflow.waitForDb" -}}
{{- $hp := splitList " " (include "taskflow.db.hostPort" (dict "ctx" .ctx "svc" .db)) -}}
- name: wait-for-db
  image: {{ include "taskflow.utilityImage" .ctx | quote }}
  imagePullPolicy: {{ .ctx.Values.utilityImage.pullPolicy }}
  command: ["sh", "-c"]
  args:
    - |
      until nc -z -w 2 {{ index $hp 0 }} {{ index $hp 1 }}; do
        echo "Waiting for PostgreSQL at {{ index $hp 0 }}:{{ index $hp 1 }}..."
        sleep 2
      done
      echo "PostgreSQL is reachable"
  securityContext:
    {{- include "taskflow.containerSecurityContext" .ctx | nindent 4 }}
  resources:
    {{- toYaml .ctx.Values.utilityResources | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
{{- end -}}

{{/* env entries reading each secret variable of a service from its Secret. */}}
{{- define "taskflow.secretEnv" -}}
{{- $secret := include "taskflow.secretName" . -}}
{{- range (include "taskflow.secretKeys" . | splitList "\n") }}
{{- if . }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Checksums that roll a service's pods when its configuration or secrets change. */}}
{{- define "taskflow.checksums" -}}
checksum/config: {{ include (printf "taskflow.env.%s" .svc) .ctx | sha256sum }}
checksum/secret: {{ include (print .ctx.Template.BasePath "/secrets.yaml") .ctx | sha256sum }}
{{- end -}}
