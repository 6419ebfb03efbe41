#!/usr/bin/env bash
# The seed's flow on minikube: build the images, load them into minikube, helm upgrade --install with
# values-dev.yaml, wait for the pods, run `helm test`, print how to reach the services.
#   scripts/deploy-minikube.sh            # everything
#   SKIP_BUILD=1 scripts/deploy-minikube.sh
set -euo pipefail
cd "$(dirname "$0")/.."

NAMESPACE="${NAMESPACE:-taskflow}"
RELEASE="${RELEASE:-taskflow}"
TAG="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' helm/taskflow/Chart.yaml)"
PATH="$HOME/go/bin:$HOME/.local/bin:$PATH"

for tool in minikube kubectl helm docker; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (helm: scripts/install-chart-tools.sh)" >&2; exit 1; }
done
minikube status >/dev/null || { echo "minikube is not running: minikube start --cpus 4 --memory 8g" >&2; exit 1; }

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== 1. build images"
  scripts/build-images.sh
fi

echo "== 2. load images into minikube"
# A service whose image was not built (its app does not exist yet) is deployed disabled.
disabled=()
for pair in sso:taskflow/sso-platform api:taskflow/api web:taskflow/web-dashboard mcp:taskflow/mcp-server; do
  key="${pair%%:*}"; image="${pair#*:}"
  if docker image inspect "$image:$TAG" >/dev/null 2>&1; then
    minikube image load "$image:$TAG"
  else
    echo "   no local $image:$TAG: deploying with $key.enabled=false"
    disabled+=(--set "$key.enabled=false")
  fi
done

echo "== 3. helm upgrade --install $RELEASE (namespace $NAMESPACE, values-dev.yaml)"
helm upgrade --install "$RELEASE" ./helm/taskflow \
  --namespace "$NAMESPACE" --create-namespace \
  -f helm/taskflow/values-dev.yaml "${disabled[@]}" \
  --wait --timeout 10m

echo "== 4. helm test"
helm test "$RELEASE" -n "$NAMESPACE" --logs

echo "== 5. what is deployed (the seed's Debugging commands)"
helm list -n "$NAMESPACE"
helm status "$RELEASE" -n "$NAMESPACE"
helm get values "$RELEASE" -n "$NAMESPACE"
kubectl get pods -n "$NAMESPACE"
echo
echo "Reach the services:"
echo "  kubectl port-forward svc/sso-platform 3001:3001 -n $NAMESPACE"
echo "  kubectl port-forward svc/taskflow-api 8000:8000 -n $NAMESPACE"
echo "  kubectl port-forward svc/web-dashboard 3000:3000 -n $NAMESPACE"
echo "  kubectl port-forward svc/mcp-server 8001:8001 -n $NAMESPACE"
