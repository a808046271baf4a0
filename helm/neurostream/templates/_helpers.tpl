{{/* Names and labels shared by every object. */}}
{{- define "neurostream.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "neurostream.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "ingest") */}}
{{- define "neurostream.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "neurostream.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "neurostream.secretName" -}}
{{- default (printf "%s-secrets" (include "neurostream.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "neurostream.blobClaim" -}}
{{- default (printf "%s-blobs" (include "neurostream.fullname" .)) .Values.blobStore.existingClaim -}}
{{- end -}}

{{/*
The pod spec every component shares: security context, the config file, the blob store, Kafka TLS/SASL
material, a writable /tmp, the ops port with probes. Called with
(dict "root" $ "component" "sink" "command" "sink" "values" .Values.sink "extraEnv" list "extraVolumeMounts" list
 "extraVolumes" list "extraPorts" list "resources" dict "podExtras" dict)
*/}}
{{- define "neurostream.podTemplate" -}}
{{- $root := .root -}}
metadata:
  labels:
    {{- include "neurostream.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
  annotations:
    checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
spec:
  automountServiceAccountToken: false
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $root.Values.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "neurostream.image" $root }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      args: [{{ .command | quote }}, "--config", "/etc/neurostream/neurostream.properties"]
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      env:
        - name: NEUROSTREAM_PATIENT_KEY_SALT
          valueFrom:
            secretKeyRef:
              name: {{ include "neurostream.secretName" $root }}
              key: patient-key-salt
        - name: JAVA_TOOL_OPTIONS
          value: {{ printf "%s -Djava.io.tmpdir=/tmp" .values.javaOpts | quote }}
        - name: DJL_OFFLINE
          value: "true"
        - name: OPT_OUT_TRACKING
          value: "true"
        - name: TCP_NODELAY
          value: "1"
        {{- with .extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: ops
          containerPort: {{ $root.Values.ops.port }}
          protocol: TCP
        {{- with .extraPorts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet: {path: /healthz, port: ops}
        periodSeconds: 5
        failureThreshold: 60
      livenessProbe:
        httpGet: {path: /healthz, port: ops}
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet: {path: /readyz, port: ops}
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 3
      resources:
        {{- toYaml .resources | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/neurostream
          readOnly: true
        - name: blobs
          mountPath: {{ $root.Values.blobStore.mountPath }}
        - name: tmp
          mountPath: /tmp
        {{- if $root.Values.kafka.tls.enabled }}
        - name: kafka-tls
          mountPath: /etc/neurostream-kafka/tls
          readOnly: true
        {{- end }}
        {{- if $root.Values.kafka.sasl.enabled }}
        - name: kafka-sasl
          mountPath: /etc/neurostream-kafka/sasl
          readOnly: true
        {{- end }}
        {{- with .extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ include "neurostream.fullname" $root }}-config
    - name: blobs
      persistentVolumeClaim:
        claimName: {{ include "neurostream.blobClaim" $root }}
    - name: tmp
      emptyDir:
        sizeLimit: 1Gi
    {{- if $root.Values.kafka.tls.enabled }}
    - name: kafka-tls
      secret:
        secretName: {{ required "kafka.tls.caSecret is required when kafka.tls.enabled" $root.Values.kafka.tls.caSecret }}
    {{- end }}
    {{- if $root.Values.kafka.sasl.enabled }}
    - name: kafka-sasl
      secret:
        secretName: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.enabled" $root.Values.kafka.sasl.existingSecret }}
    {{- end }}
    {{- with .extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* Kafka client security settings, under a key prefix (each service reads its own prefix). */}}
{{- define "neurostream.kafkaSecurity" -}}
{{- $p := .prefix -}}
{{- $k := .root.Values.kafka -}}
{{- if or $k.tls.enabled $k.sasl.enabled }}
{{ $p }}security.protocol={{ if and $k.tls.enabled $k.sasl.enabled }}SASL_SSL{{ else if $k.tls.enabled }}SSL{{ else }}SASL_PLAINTEXT{{ end }}
{{- end }}
{{- if $k.tls.enabled }}
{{ $p }}ssl.truststore.type=PEM
{{ $p }}ssl.truststore.location=/etc/neurostream-kafka/tls/{{ $k.tls.caKey }}
{{- end }}
{{- if $k.sasl.enabled }}
{{ $p }}sasl.mechanism={{ $k.sasl.mechanism }}
{{ $p }}config.providers=dir
{{ $p }}config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider
{{ $p }}sasl.jaas.config={{ if eq $k.sasl.mechanism "PLAIN" }}org.apache.kafka.common.security.plain.PlainLoginModule{{ else }}org.apache.kafka.common.security.scram.ScramLoginModule{{ end }} required username="${dir:/etc/neurostream-kafka/sasl:username}" password="${dir:/etc/neurostream-kafka/sasl:password}";
{{- end }}
{{- end -}}
