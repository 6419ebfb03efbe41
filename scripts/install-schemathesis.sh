#!/usr/bin/env bash
# Installs schemathesis (PyPI) for the API's fuzz test (apps/api/test/schemathesis.fuzz.test.ts).
# Idempotent: an installed `schemathesis` at the pinned version is kept.
#   schemathesis -> pip install schemathesis==... into its own venv, linked into ~/.local/bin
# Time on a clean machine: well under a minute (wheels only); a re-run takes well under a second.
set -euo pipefail

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
LOCAL_BIN="$HOME/.local/bin"
VENV="${SCHEMATHESIS_VENV:-$HOME/.local/share/taskflow-test-tools/schemathesis-$SCHEMATHESIS_VERSION}"
export PATH="$LOCAL_BIN:$PATH"
mkdir -p "$LOCAL_BIN"

log() { printf '[install-schemathesis %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

if [ -x "$VENV/bin/schemathesis" ] && "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  ln -sf "$VENV/bin/schemathesis" "$LOCAL_BIN/schemathesis"
  log "schemathesis $SCHEMATHESIS_VERSION already installed ($LOCAL_BIN/schemathesis), skipping"
  exit 0
fi
start=$(date +%s)
log "pip install schemathesis==$SCHEMATHESIS_VERSION into $VENV"
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
ln -sf "$VENV/bin/schemathesis" "$LOCAL_BIN/schemathesis"
log "schemathesis ready in $(( $(date +%s) - start ))s: $("$LOCAL_BIN/schemathesis" --version)"
