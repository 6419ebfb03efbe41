{{/* ---------------------------------------------------------------------------------------------
  taskflow.deployment — the Deployment of one service. Each <service>/deployment.yaml calls it with:
    ctx        the root context ($)
    svc        values key: sso | api | web | mcp
    db         values key of the database it waits for (sso | api), or "" for none
    migrate    true → run-migrations init container: `npm run migrate -w apps/<service>` (own image)
    liveness   liveness probe path (docs/service-contract.md)
    readiness  readiness probe path
    cacheDir   optional extra writable emptyDir (e.g. Next.js' .next/cache)
--------------------------------------------------------------------------------------------- */}}
{{- define "taskflow.deployment" -}}
{{- $ctx := .ctx -}}
{{- $v := index $ctx.Values .svc -}}
{{- $labelArgs := dict "ctx" $ctx "name" $v.name "component" .svc -}}
{{- $image := include "taskflow.image" (dict "ctx" $ctx "image" $v.image) -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $v.name }}
  namespace: {{ include "taskflow.namespace" $ctx }}
  labels:
    {{- include "taskflow.labels" $labelArgs | nindent 4 }}
  {{- if eq .liveness .readiness }}
  annotations:
    # The service contract gives this service a single health endpoint, so liveness and readiness probe the
    # same path; liveness tolerates more failures (see helm/taskflow/README.md, "Accepted findings").
    kube-score/ignore: pod-probes-identical
  {{- end }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "taskflow.selectorLabels" $labelArgs | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  template:
    metadata:
      labels:
        {{- include "taskflow.labels" $labelArgs | nindent 8 }}
      annotations:
        {{- include "taskflow.checksums" (dict "ctx" $ctx "svc" .svc) | nindent 8 }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "taskflow.serviceAccountName" $ctx }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: 30
      securityContext:
        {{- include "taskflow.podSecurityContext" $ctx | nindent 8 }}
      {{- with $ctx.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      {{- if .db }}
      initContainers:
        {{- include "taskflow.waitForDb" (dict "ctx" $ctx "db" .db) | nindent 8 }}
        {{- if .migrate }}
        - name: run-migrations
          image: {{ $image | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          command: ["npm", "run", "migrate", "-w", {{ include "taskflow.workspace" .svc | quote }}]
          envFrom:
            - configMapRef:
                name: {{ $v.name }}-config
          env:
            {{- include "taskflow.secretEnv" (dict "ctx" $ctx "svc" .svc) | trim | nindent 12 }}
          securityContext:
            {{- include "taskflow.containerSecurityContext" $ctx | nindent 12 }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
        {{- end }}
      {{- end }}
      containers:
        - name: {{ $v.name }}
          image: {{ $image | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.service.targetPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ $v.name }}-config
          env:
            {{- include "taskflow.secretEnv" (dict "ctx" $ctx "svc" .svc) | trim | nindent 12 }}
          startupProbe:
            httpGet:
              path: {{ .liveness }}
              port: http
            periodSeconds: 2
            timeoutSeconds: {{ $v.probes.timeoutSeconds }}
            failureThreshold: {{ $v.probes.startupFailureThreshold }}
          livenessProbe:
            httpGet:
              path: {{ .liveness }}
              port: http
            periodSeconds: {{ $v.probes.periodSeconds }}
            timeoutSeconds: {{ $v.probes.timeoutSeconds }}
            failureThreshold: {{ $v.probes.livenessFailureThreshold }}
          readinessProbe:
            httpGet:
              path: {{ .readiness }}
              port: http
            periodSeconds: 5
            timeoutSeconds: {{ $v.probes.timeoutSeconds }}
            failureThreshold: {{ $v.probes.readinessFailureThreshold }}
          {{- with $v.shutdownDelaySeconds }}
          # A server that closes at once on SIGTERM would refuse requests still routed to it while the
          # endpoints drop the pod: the pod first sleeps (the kubelet's own sleep action, no shell needed).
          lifecycle:
            preStop:
              sleep:
                seconds: {{ . }}
          {{- end }}
          securityContext:
            {{- include "taskflow.containerSecurityContext" $ctx | nindent 12 }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if .cacheDir }}
            - name: cache
              mountPath: {{ .cacheDir }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: {{ $ctx.Values.global.tmpSizeLimit }}
        {{- if .cacheDir }}
        - name: cache
          emptyDir:
            sizeLimit: {{ $ctx.Values.global.tmpSizeLimit }}
        {{- end }}
      affinity:
        {{- include "taskflow.affinity" (dict "ctx" $ctx "svc" .svc) | nindent 8 }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* taskflow.service — the ClusterIP Service of one service. (dict "ctx" $ "svc" "sso") */}}
{{- define "taskflow.service" -}}
{{- $v := index .ctx.Values .svc -}}
{{- $labelArgs := dict "ctx" .ctx "name" $v.name "component" .svc -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $v.name }}
  namespace: {{ include "taskflow.namespace" .ctx }}
  labels:
    {{- include "taskflow.labels" $labelArgs | nindent 4 }}
spec:
  type: ClusterIP
  ports:
    - name: http
      port: {{ $v.service.port }}
      targetPort: http
      protocol: TCP
  selector:
    {{- include "taskflow.selectorLabels" $labelArgs | nindent 4 }}
{{- end -}}

{{/* taskflow.ingress — optional Ingress of one service. (dict "ctx" $ "svc" "sso")
  The API's routes only its public paths: /api, /openapi.json, /docs. Its /metrics (every route's request
  counts and timings) and /health, /health/ready (whether the database answers) stay inside the cluster:
  the kubelet and a scraper reach the pods directly. The other services route everything. */}}
{{- define "taskflow.ingress" -}}
{{- $v := index .ctx.Values .svc -}}
{{- $paths := list (dict "path" "/" "pathType" "Prefix") -}}
{{- if eq .svc "api" -}}
{{- $paths = list (dict "path" "/api" "pathType" "Prefix") (dict "path" "/openapi.json" "pathType" "Exact") (dict "path" "/docs" "pathType" "Prefix") -}}
{{- end -}}
{{- if $v.ingress.enabled -}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ $v.name }}
  namespace: {{ include "taskflow.namespace" .ctx }}
  labels:
    {{- include "taskflow.labels" (dict "ctx" .ctx "name" $v.name "component" .svc) | nindent 4 }}
  {{- with $v.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $v.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $v.ingress.tlsSecretName }}
  tls:
    - hosts:
        - {{ $v.ingress.host | quote }}
      secretName: {{ $v.ingress.tlsSecretName }}
  {{- end }}
  rules:
    - host: {{ $v.ingress.host | quote }}
      http:
        paths:
          {{- range $paths }}
          - path: {{ .path }}
            pathType: {{ .pathType }}
            backend:
              service:
                name: {{ $v.name }}
                port:
                  name: http
          {{- end }}
{{- end -}}
{{- end -}}

{{/* ---------------------------------------------------------------------------------------------
  taskflow.postgres — the in-cluster PostgreSQL (official image) of sso or api: a StatefulSet
  and its Service. (dict "ctx" $ "svc" "sso")
--------------------------------------------------------------------------------------------- */}}
{{- define "taskflow.postgresStatefulSet" -}}
{{- $ctx := .ctx -}}
{{- $v := index $ctx.Values .svc -}}
{{- $pg := $v.postgresql -}}
{{- $component := printf "%s-postgres" .svc -}}
{{- $labelArgs := dict "ctx" $ctx "name" $pg.name "component" $component -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ $pg.name }}
  namespace: {{ include "taskflow.namespace" $ctx }}
  labels:
    {{- include "taskflow.labels" $labelArgs | nindent 4 }}
spec:
  serviceName: {{ $pg.name }}
  replicas: 1
  selector:
    matchLabels:
      {{- include "taskflow.selectorLabels" $labelArgs | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "taskflow.labels" $labelArgs | nindent 8 }}
    spec:
      serviceAccountName: {{ include "taskflow.serviceAccountName" $ctx }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: 60
      securityContext:
        {{- include "taskflow.podSecurityContext" $ctx | nindent 8 }}
      {{- with $ctx.Values.global.imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        - name: postgres
          image: {{ include "taskflow.postgresImage" $ctx | quote }}
          imagePullPolicy: {{ $ctx.Values.postgresImage.pullPolicy }}
          ports:
            - name: postgres
              containerPort: 5432
              protocol: TCP
          env:
            - name: POSTGRES_DB
              value: {{ $pg.database | quote }}
            - name: POSTGRES_USER
              value: {{ $pg.username | quote }}
            - name: POSTGRES_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ include "taskflow.postgresSecretName" (dict "ctx" $ctx "svc" .svc) }}
                  key: POSTGRES_PASSWORD
            - name: PGDATA
              value: /var/lib/postgresql/data/pgdata
          startupProbe:
            exec:
              command: ["sh", "-c", "pg_isready -h 127.0.0.1 -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\""]
            periodSeconds: 2
            timeoutSeconds: 3
            failureThreshold: 60
          livenessProbe:
            exec:
              command: ["sh", "-c", "pg_isready -h 127.0.0.1 -U \"$POSTGRES_USER\""]
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          readinessProbe:
            exec:
              command: ["sh", "-c", "pg_isready -h 127.0.0.1 -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\""]
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          securityContext:
            {{- include "taskflow.containerSecurityContext" $ctx | nindent 12 }}
          resources:
            {{- toYaml $pg.resources | nindent 12 }}
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
            - name: run
              mountPath: /var/run/postgresql
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: run
          emptyDir:
            sizeLimit: 8Mi
        - name: tmp
          emptyDir:
            sizeLimit: {{ $ctx.Values.global.tmpSizeLimit }}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "taskflow.selectorLabels" $labelArgs | nindent 20 }}
  volumeClaimTemplates:
    - metadata:
        name: data
        labels:
          {{- include "taskflow.selectorLabels" $labelArgs | nindent 10 }}
      spec:
        accessModes: ["ReadWriteOnce"]
        {{- with $pg.persistence.storageClass }}
        storageClassName: {{ . }}
        {{- end }}
        resources:
          requests:
            storage: {{ $pg.persistence.size }}
{{- end -}}

{{- define "taskflow.postgresService" -}}
{{- $v := index .ctx.Values .svc -}}
{{- $pg := $v.postgresql -}}
{{- $labelArgs := dict "ctx" .ctx "name" $pg.name "component" (printf "%s-postgres" .svc) -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $pg.name }}
  namespace: {{ include "taskflow.namespace" .ctx }}
  labels:
    {{- include "taskflow.labels" $labelArgs | nindent 4 }}
spec:
  type: ClusterIP
  # Headless: the StatefulSet's governing Service; its DNS name resolves to the single PostgreSQL pod.
  clusterIP: None
  ports:
    - name: postgres
      port: 5432
      targetPort: postgres
      protocol: TCP
  selector:
    {{- include "taskflow.selectorLabels" $labelArgs | nindent 4 }}
{{- end -}}
