#!/usr/bin/env bash
# The cluster's own certificate authority and the certificates and kubeconfigs of its parts, in $PKI
# (ECDSA P-256: quick to make; valid 7 days, the cluster is short-lived). A fresh set on every up.sh.
#   client certificates: the user name is the CN, the groups are the O= values.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

mkdir -p "$PKI"
cd "$PKI"
days=7

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

openssl req -x509 -new -nodes -days "$days" -subj "/CN=taskflow-cluster-ca" \
  -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout ca.key -out ca.crt 2>/dev/null

# cert NAME SUBJECT USAGE [SUBJECT_ALT_NAMES]
cert() {
  local name="$1" subject="$2" usage="$3" sans="${4:-}"
  newkey "$name"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [ -z "$sans" ] || echo "subjectAltName=$sans"
  } >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days "$days" \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

cert apiserver "/CN=kube-apiserver" serverAuth \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,IP:127.0.0.1,IP:$KUBERNETES_SERVICE_IP,IP:$NODE_IP"
cert apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client/O=system:masters" clientAuth
cert kubelet-serving "/CN=$NODE_NAME" serverAuth "DNS:$NODE_NAME,IP:$NODE_IP"
cert admin "/CN=taskflow-cluster-admin/O=system:masters" clientAuth
cert controller-manager "/CN=system:kube-controller-manager" clientAuth
cert scheduler "/CN=system:kube-scheduler" clientAuth
cert kubelet "/CN=system:node:$NODE_NAME/O=system:nodes" clientAuth
# bound to the system:node-proxier ClusterRole by Kubernetes' default policy
cert kube-proxy "/CN=system:kube-proxy" clientAuth
# bound to manifests/kube-router-rbac.yaml's ClusterRole
cert kube-router "/CN=system:kube-router" clientAuth

# the key pair that signs and verifies service account tokens
newkey service-account
openssl pkey -in service-account.key -pubout -out service-account.pub 2>/dev/null

for user in admin controller-manager scheduler kubelet kube-proxy kube-router; do
  cat >"$user.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: taskflow-cluster
    cluster: {server: "$APISERVER", certificate-authority: "$PKI/ca.crt"}
users:
  - name: $user
    user: {client-certificate: "$PKI/$user.crt", client-key: "$PKI/$user.key"}
contexts:
  - name: taskflow-cluster
    context: {cluster: taskflow-cluster, user: $user}
current-context: taskflow-cluster
KUBECONFIG
done
chmod 600 ./*.key
